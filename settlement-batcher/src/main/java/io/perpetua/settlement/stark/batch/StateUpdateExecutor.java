package io.perpetua.settlement.stark.batch;

import java.util.List;

import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.rescue.RescuePrime;

/**
 * Plain-Java reference for {@link StateUpdateAir}: applies a chunk of updates to the tree, returns
 * the public inputs they imply, and builds the execution trace.
 *
 * <p>Why the tree is mutated: the batcher keeps one tree across batches; proving a chunk is applying
 * it. A record whose pre-balance disagrees with the tree is refused, since no valid trace exists.
 */
public final class StateUpdateExecutor
{
    /** The chunk's public inputs and its trace. */
    public record Result(StateUpdateInputs inputs, TraceTable trace)
    {
    }

    private StateUpdateExecutor()
    {
    }

    /** The sponge state after absorbing the blocks of these records into {@code daState}. */
    public static long[] absorb(final long[] daState, final List<BatchRecord> records)
    {
        final long[] s = daState.clone();
        for (final BatchRecord r : records)
        {
            final long[] b = BatchExecutor.block(r);
            for (int i = 0; i < 4; i++)
            {
                s[RescuePrime.RATE_START + i] = Goldilocks.add(s[RescuePrime.RATE_START + i], b[i]);
            }
            RescuePrime.permute(s);
        }
        return s;
    }

    /** The sponge state a batch of {@code records} records starts from (after the initial permutation). */
    public static long[] initialSpongeState(final int records)
    {
        final long[] s = BatchAir.initialState(records);
        RescuePrime.permute(s);
        return s;
    }

    /** Applies {@code records} to {@code tree} and builds the chunk's trace. */
    public static Result execute(final RescueMerkleTree tree, final List<BatchRecord> records, final long[] daStateIn)
    {
        final int depth = tree.depth();
        final int u = records.size();
        final int length = StateUpdateAir.traceLengthFor(u, depth);
        final TraceTable t = new TraceTable(StateUpdateAir.WIDTH, length);
        final long[] prevRoot = tree.root();
        final long[] da = daStateIn.clone();
        long[] daOut = null;
        long[] prevOld = new long[4];
        long[] prevNew = new long[4];
        final int cyclesTotal = length / StateUpdateAir.CYCLE;
        int cycle = 0;
        for (int j = 0; cycle < cyclesTotal; j++)
        {
            final boolean real = j < u;
            if (!real && daOut == null)
            {
                daOut = da.clone();
            }
            final long account = real ? records.get(j).accountId() : 0;
            final long balOld = real ? records.get(j).preBalance() : tree.balance(0);
            final long balNew = real ? records.get(j).postBalance() : balOld;
            if (tree.balance(account) != balOld)
            {
                throw new IllegalArgumentException("record " + j + " pre-balance " + balOld + " but tree holds "
                    + tree.balance(account) + " for account " + account);
            }
            final long[][] siblings = tree.path(account);
            final long[] root = tree.root();
            final long[] block = real ? BatchExecutor.block(records.get(j)) : new long[] {0, Goldilocks.fromSigned(balOld), 0,
                Goldilocks.fromSigned(balNew)};
            long[] nodeOld = RescueMerkleTree.leaf(balOld);
            long[] nodeNew = RescueMerkleTree.leaf(balNew);
            for (int level = 0; level < depth && cycle < cyclesTotal; level++, cycle++)
            {
                final int base = StateUpdateAir.CYCLE * cycle;
                final long bit = (account >>> level) & 1;
                final long[] sib = siblings[level];
                final long[] oldState = mergeInput(nodeOld, sib, bit);
                final long[] newState = mergeInput(nodeNew, sib, bit);
                if (level == 1)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        da[RescuePrime.RATE_START + i] = Goldilocks.add(da[RescuePrime.RATE_START + i], block[i]);
                    }
                }
                final long lvlMinusTop = Goldilocks.sub(level, depth - 1L);
                final long inv = lvlMinusTop == 0 ? 0 : Goldilocks.inv(lvlMinusTop);
                for (int r = 0; r < StateUpdateAir.CYCLE; r++)
                {
                    final int row = base + r;
                    for (int i = 0; i < 12; i++)
                    {
                        t.set(StateUpdateAir.OLD + i, row, oldState[i]);
                        t.set(StateUpdateAir.NEW + i, row, newState[i]);
                        t.set(StateUpdateAir.DA + i, row, da[i]);
                    }
                    // M = round 2r (S); on row 3 that completes the permutation
                    RescuePrime.applyRound(oldState, 2 * r);
                    RescuePrime.applyRound(newState, 2 * r);
                    if (level == 1)
                    {
                        RescuePrime.applyRound(da, 2 * r);
                    }
                    for (int i = 0; i < 12; i++)
                    {
                        t.set(StateUpdateAir.OLD_MID + i, row, oldState[i]);
                        t.set(StateUpdateAir.NEW_MID + i, row, newState[i]);
                        t.set(StateUpdateAir.DA_MID + i, row, da[i]);
                    }
                    for (int i = 0; i < 4; i++)
                    {
                        t.set(StateUpdateAir.SIB + i, row, sib[i]);
                        t.set(StateUpdateAir.ROOT + i, row, root[i]);
                        t.set(StateUpdateAir.PREV_OLD + i, row, prevOld[i]);
                        t.set(StateUpdateAir.PREV_NEW + i, row, prevNew[i]);
                    }
                    t.set(StateUpdateAir.BIT, row, bit);
                    t.set(StateUpdateAir.F, row, level == 0 ? 1 : 0);
                    t.set(StateUpdateAir.G, row, level == 1 ? 1 : 0);
                    t.set(StateUpdateAir.LVL, row, level);
                    t.set(StateUpdateAir.INV, row, inv);
                    t.set(StateUpdateAir.W, row, 1L << level);
                    t.set(StateUpdateAir.IDX, row, account & ((1L << (level + 1)) - 1));
                    t.set(StateUpdateAir.ACCT, row, Goldilocks.fromSigned(account));
                    t.set(StateUpdateAir.BAL_OLD, row, Goldilocks.fromSigned(balOld));
                    t.set(StateUpdateAir.BAL_NEW, row, Goldilocks.fromSigned(balNew));
                    if (2 * r + 1 < RescuePrime.ROUNDS)
                    {
                        RescuePrime.applyRound(oldState, 2 * r + 1);
                        RescuePrime.applyRound(newState, 2 * r + 1);
                        if (level == 1)
                        {
                            RescuePrime.applyRound(da, 2 * r + 1);
                        }
                    }
                }
                nodeOld = RescuePrime.digest(oldState);
                nodeNew = RescuePrime.digest(newState);
                prevOld = nodeOld;
                prevNew = nodeNew;
            }
            if (real)
            {
                tree.set(account, balNew);
                if (!java.util.Arrays.equals(tree.root(), nodeNew))
                {
                    throw new IllegalStateException("trace and tree disagree on the new root");
                }
            }
        }
        if (daOut == null)
        {
            throw new IllegalStateException("trace has no padding cycle");
        }
        return new Result(new StateUpdateInputs(prevRoot, tree.root(), daStateIn, daOut, u, depth), t);
    }

    private static long[] mergeInput(final long[] node, final long[] sibling, final long bit)
    {
        final long[] s = new long[12];
        s[0] = 8;
        final long[] left = bit == 0 ? node : sibling;
        final long[] right = bit == 0 ? sibling : node;
        System.arraycopy(left, 0, s, 4, 4);
        System.arraycopy(right, 0, s, 8, 4);
        return s;
    }
}
