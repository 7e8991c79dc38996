package io.perpetua.settlement.stark.batch;

import java.util.ArrayList;
import java.util.List;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.Assertion;
import io.perpetua.settlement.stark.air.TransitionDegree;
import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.rescue.RescueConstraints;

/**
 * The state-update statement: applying the chunk's account updates (account, old balance, new
 * balance), in order, to the Rescue position tree moves its root from prevRoot to newRoot, and the
 * same updates, absorbed as (account, old, new - old, new) blocks, move the data-availability
 * sponge from daStateIn to daStateOut.
 *
 * <p>Layout: an update is {@code depth} 4-row cycles, one Rescue merge per tree level, computing
 * the old path and the new path in parallel with shared sibling and direction columns. As in
 * {@link BatchAir}, each row holds two Rescue rounds per lane: the state S and the mid-state M, with
 * M = round_2k(S) on row k of a cycle, the next row's S = round_2k+1(M) for k = 0, 1, 2, and on row 3
 * M = round_6(S) is the permuted state. A cycle's first row forms the merge input from the leaf
 * (first level, flag F) or from the previous level's digest (kept in PREV columns). A level counter
 * with an inverse witness forces exactly {@code depth} levels per update; W and IDX accumulate the
 * direction bits into the leaf index, which must equal the account. At the end of an update the old
 * path must reach the running root and the new path becomes the running root. A third Rescue lane
 * is the sponge: it absorbs the update's block on entering the update's second cycle (flag G) and
 * permutes during it, otherwise holds (M = S, S' = M). The trace is padded with no-op updates after
 * row 4 * depth * updates, where the final root and sponge state are asserted. That row is the first
 * of a padding cycle the trace always holds in full, so the row before it, whose transition checks
 * the last real cycle's round 6 and root and carries the result, is never the trace's last row (where
 * no transition constraint holds). The level counter starts at 0 with F = 1 on row 0, so F = 1
 * exactly every {@code depth} cycles, including at that final row.
 *
 * <p>98 columns: three lanes of S (0..35) and M (62..97), siblings, flags, counter, index, root,
 * account and balances, PREV. 135 transition constraints: the even rounds S -&gt; M (36, the sponge's
 * gated by G), the odd rounds M -&gt; S' on rows 0..2 or the sponge's absorption on row 3 (36), merge
 * inputs on row 0 (24), the rest as before the two-round layout (39).
 */
public final class StateUpdateAir extends Air
{
    /** Trace rows per Rescue permutation (tree level). */
    static final int CYCLE = 4;

    static final int OLD = 0;
    static final int NEW = 12;
    static final int DA = 24;
    static final int SIB = 36;
    static final int BIT = 40;
    static final int F = 41;
    static final int G = 42;
    static final int LVL = 43;
    static final int INV = 44;
    static final int W = 45;
    static final int IDX = 46;
    static final int ROOT = 47;
    static final int ACCT = 51;
    static final int BAL_OLD = 52;
    static final int BAL_NEW = 53;
    static final int PREV_OLD = 54;
    static final int PREV_NEW = 58;
    static final int OLD_MID = 62;
    static final int NEW_MID = 74;
    static final int DA_MID = 86;
    static final int WIDTH = 98;

    /** Round constants of the even round of each row, then of the odd round; then the two row selectors. */
    static final int P_EVEN = 0;
    static final int P_ODD = RescueConstraints.PERIODIC_COLUMNS;
    static final int P_RND = 2 * RescueConstraints.PERIODIC_COLUMNS;
    static final int P_START = P_RND + 1;

    static final int C_EVEN_OLD = 0;
    static final int C_EVEN_NEW = 12;
    static final int C_EVEN_DA = 24;
    static final int C_ODD_OLD = 36;
    static final int C_ODD_NEW = 48;
    static final int C_ODD_DA = 60;
    static final int C_IN_OLD = 72;
    static final int C_IN_NEW = 84;
    static final int C_CONST = 96;
    static final int C_PREV = 106;
    static final int C_BIN = 114;
    static final int C_LVL = 115;
    static final int C_G = 118;
    static final int C_WIDX = 119;
    static final int C_END = 123;
    static final int C_ACCT = 132;
    static final int CONSTRAINTS = 135;

    private static final int[] CONST_COLUMNS = {SIB, SIB + 1, SIB + 2, SIB + 3, BIT, F, G, LVL, W, IDX};

    private final StateUpdateInputs inputs;

    public StateUpdateAir(final StateUpdateInputs inputs)
    {
        super("perpetua-state-update-v2", WIDTH, traceLengthFor(inputs.updates(), inputs.depth()));
        this.inputs = inputs;
    }

    /** Rows for the updates plus at least one padding cycle, rounded up to a power of two. */
    public static int traceLengthFor(final int updates, final int depth)
    {
        final long rows = (long)CYCLE * depth * updates + CYCLE;
        final long length = Long.highestOneBit(rows - 1) << 1;
        if (length > (1L << 26))
        {
            throw new IllegalArgumentException("chunk too large: " + updates + " updates at depth " + depth);
        }
        return (int)length;
    }

    int finalRow()
    {
        return CYCLE * inputs.depth() * inputs.updates();
    }

    @Override
    public long[] publicInputs()
    {
        return inputs.toElements();
    }

    @Override
    public List<TransitionDegree> transitionDegrees()
    {
        final List<TransitionDegree> d = new ArrayList<>(CONSTRAINTS);
        add(d, 24, new TransitionDegree(7));
        add(d, 12, new TransitionDegree(8));
        add(d, 24, new TransitionDegree(7, CYCLE));
        add(d, 12, new TransitionDegree(8, CYCLE));
        add(d, 24, new TransitionDegree(3, CYCLE));
        add(d, 10, new TransitionDegree(1, CYCLE));
        add(d, 8, new TransitionDegree(1, CYCLE));
        add(d, 1, new TransitionDegree(2));
        add(d, 3, new TransitionDegree(2, CYCLE));
        add(d, 1, new TransitionDegree(1, CYCLE));
        add(d, 2, new TransitionDegree(2));
        add(d, 1, new TransitionDegree(2, CYCLE));
        add(d, 1, new TransitionDegree(3, CYCLE));
        add(d, 9, new TransitionDegree(2, CYCLE));
        add(d, 3, new TransitionDegree(2, CYCLE));
        return d;
    }

    private static void add(final List<TransitionDegree> d, final int count, final TransitionDegree degree)
    {
        for (int i = 0; i < count; i++)
        {
            d.add(degree);
        }
    }

    @Override
    public List<Assertion> assertions()
    {
        final List<Assertion> a = new ArrayList<>();
        a.add(new Assertion(F, 0, 1));
        a.add(new Assertion(G, 0, 0));
        a.add(new Assertion(LVL, 0, 0));
        for (int k = 0; k < 4; k++)
        {
            a.add(new Assertion(ROOT + k, 0, inputs.prevRoot()[k]));
        }
        for (int k = 0; k < 12; k++)
        {
            a.add(new Assertion(DA + k, 0, inputs.daStateIn()[k]));
        }
        // F = 1 at the final row is implied: F(0) = 1, LVL(0) = 0 and the counter put F = 1 every depth cycles
        final int end = finalRow();
        for (int k = 0; k < 4; k++)
        {
            a.add(new Assertion(ROOT + k, end, inputs.newRoot()[k]));
        }
        for (int k = 0; k < 12; k++)
        {
            a.add(new Assertion(DA + k, end, inputs.daStateOut()[k]));
        }
        return a;
    }

    @Override
    public List<long[]> periodicColumns()
    {
        final List<long[]> p = new ArrayList<>(List.of(RescueConstraints.roundConstantColumns(new int[] {0, 2, 4, 6})));
        p.addAll(List.of(RescueConstraints.roundConstantColumns(new int[] {1, 3, 5, -1})));
        p.add(new long[] {1, 1, 1, 0});
        p.add(new long[] {1, 0, 0, 0});
        return p;
    }

    @Override
    public void evaluateTransition(final Extension e, final long[] cur, final long[] next, final long[] per, final long[] out)
    {
        if (e == Extension.BASE)
        {
            evaluateBase(cur, next, per, out);
            return;
        }
        final int d = e.degree();
        final long[] t = new long[12 * d];
        // t0 = 1 - RND, t1 = 1 - F', t2 = (1 - RND) F', t3 = 1 - BIT, t4 = 1 - F
        oneMinus(e, per, P_RND, t, 0);
        oneMinus(e, next, F, t, 1);
        e.mul(t, 0, next, F, t, 2);
        oneMinus(e, cur, BIT, t, 3);
        oneMinus(e, cur, F, t, 4);

        // path lanes: M = even round of S on every row, S' = odd round of M on rows 0..2
        RescueConstraints.evaluateRound(e, cur, OLD, cur, OLD_MID, per, P_EVEN, out, C_EVEN_OLD);
        RescueConstraints.evaluateRound(e, cur, NEW, cur, NEW_MID, per, P_EVEN, out, C_EVEN_NEW);
        RescueConstraints.evaluateRound(e, cur, OLD_MID, next, OLD, per, P_ODD, out, C_ODD_OLD);
        RescueConstraints.evaluateRound(e, cur, NEW_MID, next, NEW, per, P_ODD, out, C_ODD_NEW);
        for (int k = 0; k < 24; k++)
        {
            e.mul(out, C_ODD_OLD + k, per, P_RND, out, C_ODD_OLD + k);
        }
        // sponge lane: both rounds on G cycles, held otherwise; absorb the block when entering a G cycle
        RescueConstraints.evaluateRound(e, cur, DA, cur, DA_MID, per, P_EVEN, out, C_EVEN_DA);
        RescueConstraints.evaluateRound(e, cur, DA_MID, next, DA, per, P_ODD, out, C_ODD_DA);
        oneMinus(e, cur, G, t, 6);
        for (int k = 0; k < 12; k++)
        {
            final int even = C_EVEN_DA + k;
            e.sub(cur, DA_MID + k, cur, DA + k, t, 5);
            e.mul(out, even, cur, G, out, even);
            e.mul(t, 6, t, 5, t, 7);
            e.add(out, even, t, 7, out, even);

            final int odd = C_ODD_DA + k;
            e.sub(next, DA + k, cur, DA_MID + k, t, 5);
            e.mul(out, odd, cur, G, out, odd);
            e.mul(t, 6, t, 5, t, 7);
            e.add(out, odd, t, 7, out, odd);
            e.mul(out, odd, per, P_RND, out, odd);
            if (k >= 4 && k < 8)
            {
                block(e, cur, k - 4, t, 8);
                e.mul(t, 8, next, G, t, 8);
                e.sub(t, 5, t, 8, t, 5);
            }
            e.mul(t, 0, t, 5, t, 7);
            e.add(out, odd, t, 7, out, odd);
        }
        // merge inputs on the first row of each cycle
        inputs(e, cur, per, OLD, PREV_OLD, BAL_OLD, out, C_IN_OLD, t);
        inputs(e, cur, per, NEW, PREV_NEW, BAL_NEW, out, C_IN_NEW, t);
        // columns constant within a cycle
        for (int i = 0; i < CONST_COLUMNS.length; i++)
        {
            e.sub(next, CONST_COLUMNS[i], cur, CONST_COLUMNS[i], t, 5);
            e.mul(t, 5, per, P_RND, out, C_CONST + i);
        }
        // PREV: constant within a cycle, takes the path digest (row 3's mid-state) when a cycle ends
        for (int k = 0; k < 4; k++)
        {
            prev(e, cur, next, per, PREV_OLD + k, OLD_MID + 4 + k, out, C_PREV + k, t);
            prev(e, cur, next, per, PREV_NEW + k, NEW_MID + 4 + k, out, C_PREV + 4 + k, t);
        }
        // the direction bit is binary (F and G are binary by the level-counter and G rules)
        binary(e, cur, BIT, out, C_BIN, t);
        // level counter: F' = 1 exactly when LVL = depth - 1; LVL' = (1 - F')(LVL + 1)
        e.addBase(cur, LVL, Goldilocks.neg(inputs.depth() - 1L), t, 5);
        e.mul(t, 2, t, 5, out, C_LVL);
        e.mul(t, 5, cur, INV, t, 6);
        e.sub(t, 1, t, 6, t, 6);
        e.mul(t, 0, t, 6, out, C_LVL + 1);
        e.addBase(cur, LVL, 1, t, 6);
        e.mul(t, 1, t, 6, t, 6);
        e.sub(next, LVL, t, 6, t, 6);
        e.mul(t, 0, t, 6, out, C_LVL + 2);
        // G marks the cycle after an F cycle
        e.sub(next, G, cur, F, t, 5);
        e.mul(t, 0, t, 5, out, C_G);
        // index accumulation: W = 2^level, IDX = bits so far
        e.addBase(cur, W, Goldilocks.P - 1, t, 5);
        e.mul(cur, F, t, 5, out, C_WIDX);
        e.sub(cur, IDX, cur, BIT, t, 5);
        e.mul(cur, F, t, 5, out, C_WIDX + 1);
        e.mul(t, 0, t, 1, t, 6);
        e.add(cur, W, cur, W, t, 5);
        e.sub(next, W, t, 5, t, 5);
        e.mul(t, 6, t, 5, out, C_WIDX + 2);
        e.mul(next, BIT, next, W, t, 5);
        e.add(t, 5, cur, IDX, t, 5);
        e.sub(next, IDX, t, 5, t, 5);
        e.mul(t, 6, t, 5, out, C_WIDX + 3);
        // end of an update: old path reached the root, new path becomes the root, index = account
        for (int k = 0; k < 4; k++)
        {
            e.sub(cur, OLD_MID + 4 + k, cur, ROOT + k, t, 5);
            e.mul(t, 2, t, 5, out, C_END + k);
            e.sub(cur, NEW_MID + 4 + k, cur, ROOT + k, t, 5);
            e.mul(t, 2, t, 5, t, 5);
            e.sub(next, ROOT + k, cur, ROOT + k, t, 6);
            e.sub(t, 6, t, 5, out, C_END + 4 + k);
        }
        e.sub(cur, IDX, cur, ACCT, t, 5);
        e.mul(t, 2, t, 5, out, C_END + 8);
        // account and balances constant for the whole update
        oneMinus(e, t, 2, t, 6);
        final int[] updateConst = {ACCT, BAL_OLD, BAL_NEW};
        for (int i = 0; i < 3; i++)
        {
            e.sub(next, updateConst[i], cur, updateConst[i], t, 5);
            e.mul(t, 6, t, 5, out, C_ACCT + i);
        }
    }

    /**
     * The same constraints over the base field with static field calls and no scratch arrays: the
     * prover evaluates them on every point of the extended domain, the verifier only at the
     * out-of-domain point, through the generic path above.
     */
    private void evaluateBase(final long[] cur, final long[] next, final long[] per, final long[] out)
    {
        final long rnd = per[P_RND];
        final long notRnd = Goldilocks.sub(1, rnd);
        final long endsUpdate = Goldilocks.mul(notRnd, next[F]);
        final long notNextF = Goldilocks.sub(1, next[F]);

        RescueConstraints.evaluateRound(Extension.BASE, cur, OLD, cur, OLD_MID, per, P_EVEN, out, C_EVEN_OLD);
        RescueConstraints.evaluateRound(Extension.BASE, cur, NEW, cur, NEW_MID, per, P_EVEN, out, C_EVEN_NEW);
        RescueConstraints.evaluateRound(Extension.BASE, cur, OLD_MID, next, OLD, per, P_ODD, out, C_ODD_OLD);
        RescueConstraints.evaluateRound(Extension.BASE, cur, NEW_MID, next, NEW, per, P_ODD, out, C_ODD_NEW);
        for (int k = 0; k < 24; k++)
        {
            out[C_ODD_OLD + k] = Goldilocks.mul(out[C_ODD_OLD + k], rnd);
        }
        RescueConstraints.evaluateRound(Extension.BASE, cur, DA, cur, DA_MID, per, P_EVEN, out, C_EVEN_DA);
        RescueConstraints.evaluateRound(Extension.BASE, cur, DA_MID, next, DA, per, P_ODD, out, C_ODD_DA);
        final long g = cur[G];
        final long notG = Goldilocks.sub(1, g);
        for (int k = 0; k < 12; k++)
        {
            out[C_EVEN_DA + k] = Goldilocks.add(Goldilocks.mul(g, out[C_EVEN_DA + k]),
                Goldilocks.mul(notG, Goldilocks.sub(cur[DA_MID + k], cur[DA + k])));
            long step = Goldilocks.sub(next[DA + k], cur[DA_MID + k]);
            final long rounds = Goldilocks.mul(rnd, Goldilocks.add(Goldilocks.mul(g, out[C_ODD_DA + k]), Goldilocks.mul(notG, step)));
            if (k >= 4 && k < 8)
            {
                step = Goldilocks.sub(step, Goldilocks.mul(blockBase(cur, k - 4), next[G]));
            }
            out[C_ODD_DA + k] = Goldilocks.add(rounds, Goldilocks.mul(notRnd, step));
        }
        inputsBase(cur, per[P_START], OLD, PREV_OLD, BAL_OLD, out, C_IN_OLD);
        inputsBase(cur, per[P_START], NEW, PREV_NEW, BAL_NEW, out, C_IN_NEW);
        for (int i = 0; i < CONST_COLUMNS.length; i++)
        {
            out[C_CONST + i] = Goldilocks.mul(Goldilocks.sub(next[CONST_COLUMNS[i]], cur[CONST_COLUMNS[i]]), rnd);
        }
        for (int k = 0; k < 4; k++)
        {
            out[C_PREV + k] = prevBase(cur, next, rnd, notRnd, PREV_OLD + k, OLD_MID + 4 + k);
            out[C_PREV + 4 + k] = prevBase(cur, next, rnd, notRnd, PREV_NEW + k, NEW_MID + 4 + k);
        }
        out[C_BIN] = Goldilocks.mul(Goldilocks.sub(cur[BIT], 1), cur[BIT]);
        final long lvlMinusTop = Goldilocks.sub(cur[LVL], inputs.depth() - 1L);
        out[C_LVL] = Goldilocks.mul(endsUpdate, lvlMinusTop);
        out[C_LVL + 1] = Goldilocks.mul(notRnd, Goldilocks.sub(notNextF, Goldilocks.mul(lvlMinusTop, cur[INV])));
        out[C_LVL + 2] = Goldilocks.mul(notRnd, Goldilocks.sub(next[LVL], Goldilocks.mul(notNextF, Goldilocks.add(cur[LVL], 1))));
        out[C_G] = Goldilocks.mul(notRnd, Goldilocks.sub(next[G], cur[F]));
        out[C_WIDX] = Goldilocks.mul(cur[F], Goldilocks.sub(cur[W], 1));
        out[C_WIDX + 1] = Goldilocks.mul(cur[F], Goldilocks.sub(cur[IDX], cur[BIT]));
        final long levelStep = Goldilocks.mul(notRnd, notNextF);
        out[C_WIDX + 2] = Goldilocks.mul(levelStep, Goldilocks.sub(next[W], Goldilocks.add(cur[W], cur[W])));
        out[C_WIDX + 3] = Goldilocks.mul(levelStep,
            Goldilocks.sub(next[IDX], Goldilocks.add(Goldilocks.mul(next[BIT], next[W]), cur[IDX])));
        for (int k = 0; k < 4; k++)
        {
            out[C_END + k] = Goldilocks.mul(endsUpdate, Goldilocks.sub(cur[OLD_MID + 4 + k], cur[ROOT + k]));
            out[C_END + 4 + k] = Goldilocks.sub(Goldilocks.sub(next[ROOT + k], cur[ROOT + k]),
                Goldilocks.mul(endsUpdate, Goldilocks.sub(cur[NEW_MID + 4 + k], cur[ROOT + k])));
        }
        out[C_END + 8] = Goldilocks.mul(endsUpdate, Goldilocks.sub(cur[IDX], cur[ACCT]));
        final long withinUpdate = Goldilocks.sub(1, endsUpdate);
        out[C_ACCT] = Goldilocks.mul(withinUpdate, Goldilocks.sub(next[ACCT], cur[ACCT]));
        out[C_ACCT + 1] = Goldilocks.mul(withinUpdate, Goldilocks.sub(next[BAL_OLD], cur[BAL_OLD]));
        out[C_ACCT + 2] = Goldilocks.mul(withinUpdate, Goldilocks.sub(next[BAL_NEW], cur[BAL_NEW]));
    }

    private static long blockBase(final long[] cur, final int i)
    {
        return switch (i)
        {
            case 0 -> cur[ACCT];
            case 1 -> cur[BAL_OLD];
            case 2 -> Goldilocks.sub(cur[BAL_NEW], cur[BAL_OLD]);
            default -> cur[BAL_NEW];
        };
    }

    private static void inputsBase(final long[] cur, final long start, final int lane, final int prev, final int bal,
        final long[] out, final int outAt)
    {
        final long f = cur[F];
        final long notF = Goldilocks.sub(1, f);
        final long bit = cur[BIT];
        final long notBit = Goldilocks.sub(1, bit);
        out[outAt] = Goldilocks.mul(Goldilocks.sub(cur[lane], 8), start);
        for (int k = 1; k < 4; k++)
        {
            out[outAt + k] = Goldilocks.mul(cur[lane + k], start);
        }
        for (int k = 0; k < 4; k++)
        {
            long node = Goldilocks.mul(notF, cur[prev + k]);
            if (k == 0)
            {
                node = Goldilocks.add(node, Goldilocks.mul(f, cur[bal]));
            }
            final long sib = cur[SIB + k];
            final long left = Goldilocks.add(Goldilocks.mul(bit, sib), Goldilocks.mul(notBit, node));
            out[outAt + 4 + k] = Goldilocks.mul(Goldilocks.sub(cur[lane + 4 + k], left), start);
            final long right = Goldilocks.add(Goldilocks.mul(bit, node), Goldilocks.mul(notBit, sib));
            out[outAt + 8 + k] = Goldilocks.mul(Goldilocks.sub(cur[lane + 8 + k], right), start);
        }
    }

    private static long prevBase(final long[] cur, final long[] next, final long rnd, final long notRnd, final int col,
        final int digest)
    {
        return Goldilocks.add(Goldilocks.mul(Goldilocks.sub(next[col], cur[col]), rnd),
            Goldilocks.mul(notRnd, Goldilocks.sub(next[col], cur[digest])));
    }

    private static void oneMinus(final Extension e, final long[] a, final int ai, final long[] r, final int ri)
    {
        final long[] one = e.one();
        e.sub(one, 0, a, ai, r, ri);
    }

    /** The sponge block element i of the current row: (account, old, new - old, new). */
    private static void block(final Extension e, final long[] cur, final int i, final long[] t, final int at)
    {
        switch (i)
        {
            case 0 -> e.copy(cur, ACCT, t, at);
            case 1 -> e.copy(cur, BAL_OLD, t, at);
            case 2 -> e.sub(cur, BAL_NEW, cur, BAL_OLD, t, at);
            default -> e.copy(cur, BAL_NEW, t, at);
        }
    }

    /** START * (state - expected input) for one path lane; node = F * leaf + (1 - F) * PREV. */
    private static void inputs(final Extension e, final long[] cur, final long[] per, final int lane, final int prev,
        final int bal, final long[] out, final int outAt, final long[] t)
    {
        e.addBase(cur, lane, Goldilocks.P - 8, t, 5);
        e.mul(t, 5, per, P_START, out, outAt);
        for (int k = 1; k < 4; k++)
        {
            e.mul(cur, lane + k, per, P_START, out, outAt + k);
        }
        for (int k = 0; k < 4; k++)
        {
            // t5 = node_k
            e.mul(t, 4, cur, prev + k, t, 5);
            if (k == 0)
            {
                e.mul(cur, F, cur, bal, t, 6);
                e.add(t, 5, t, 6, t, 5);
            }
            // left = BIT * SIB + (1 - BIT) * node
            e.mul(cur, BIT, cur, SIB + k, t, 6);
            e.mul(t, 3, t, 5, t, 7);
            e.add(t, 6, t, 7, t, 6);
            e.sub(cur, lane + 4 + k, t, 6, t, 6);
            e.mul(t, 6, per, P_START, out, outAt + 4 + k);
            // right = BIT * node + (1 - BIT) * SIB
            e.mul(cur, BIT, t, 5, t, 6);
            e.mul(t, 3, cur, SIB + k, t, 7);
            e.add(t, 6, t, 7, t, 6);
            e.sub(cur, lane + 8 + k, t, 6, t, 6);
            e.mul(t, 6, per, P_START, out, outAt + 8 + k);
        }
    }

    private static void prev(final Extension e, final long[] cur, final long[] next, final long[] per, final int col,
        final int digest, final long[] out, final int outAt, final long[] t)
    {
        e.sub(next, col, cur, col, t, 5);
        e.mul(t, 5, per, P_RND, out, outAt);
        e.sub(next, col, cur, digest, t, 5);
        e.mul(t, 0, t, 5, t, 5);
        e.add(out, outAt, t, 5, out, outAt);
    }

    private static void binary(final Extension e, final long[] cur, final int col, final long[] out, final int outAt, final long[] t)
    {
        e.addBase(cur, col, Goldilocks.P - 1, t, 5);
        e.mul(t, 5, cur, col, out, outAt);
    }
}
