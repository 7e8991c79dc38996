package io.perpetua.settlement.stark.batch;

import java.util.List;

import io.perpetua.settlement.stark.CheatingProver;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.Verifier;
import io.perpetua.settlement.stark.air.Ablated;
import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.rescue.RescuePrime;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every StateUpdateAir constraint is load-bearing. The base trace has depth 3 and two updates
 * (cycles 0-2 and 3-5) followed by a partial padding update (cycles 6-7, rows 24-31) that the trace
 * cuts off before its root check, which is where most single-constraint forgeries are placed.
 */
class StateUpdateAirAblationTest
{
    private static final int DEPTH = 3;
    private static final int UPDATES = 2;
    private static final int CYCLE = StateUpdateAir.CYCLE;
    private static final int LAST = 7 * CYCLE;
    private static final ProofOptions OPTIONS = new ProofOptions(8, 8, 0, Extension.QUADRATIC, 4, 8);

    private static TraceTable honest(final int depth, final List<BatchRecord> records)
    {
        final RescueMerkleTree tree = new RescueMerkleTree(depth);
        tree.set(1, 40);
        tree.set(2, -9);
        return StateUpdateExecutor.execute(tree, records, StateUpdateExecutor.initialSpongeState(UPDATES)).trace();
    }

    private static TraceTable honest()
    {
        return honest(DEPTH, List.of(new BatchRecord(1, 40, 2, 42), new BatchRecord(6, 0, -8, -8)));
    }

    private static long[] read(final TraceTable t, final int col, final int count, final int row)
    {
        final long[] r = new long[count];
        for (int i = 0; i < count; i++)
        {
            r[i] = t.get(col + i, row);
        }
        return r;
    }

    private static StateUpdateInputs inputsOf(final TraceTable t)
    {
        final int end = CYCLE * DEPTH * UPDATES;
        return new StateUpdateInputs(read(t, StateUpdateAir.ROOT, 4, 0), read(t, StateUpdateAir.ROOT, 4, end),
            read(t, StateUpdateAir.DA, 12, 0), read(t, StateUpdateAir.DA, 12, end), UPDATES, DEPTH);
    }

    private static void bump(final TraceTable t, final int col, final int from, final int to, final long by)
    {
        for (int r = from; r <= to; r++)
        {
            t.set(col, r, Goldilocks.add(t.get(col, r), Goldilocks.fromSigned(by)));
        }
    }

    private static void set(final TraceTable t, final int col, final int from, final int to, final long v)
    {
        for (int r = from; r <= to; r++)
        {
            t.set(col, r, v);
        }
    }

    private static void write(final TraceTable t, final int col, final int row, final long[] v)
    {
        for (int i = 0; i < v.length; i++)
        {
            t.set(col + i, row, v[i]);
        }
    }

    /** The mid-state columns of a lane. */
    private static int mid(final int lane)
    {
        return lane == StateUpdateAir.OLD ? StateUpdateAir.OLD_MID : lane == StateUpdateAir.NEW ? StateUpdateAir.NEW_MID
            : StateUpdateAir.DA_MID;
    }

    /**
     * Recomputes a path lane by honest rounds from the state of row {@code from} (kept) to the
     * mid-state of row {@code to}, both in one cycle: M = round 2k (S), the next S = round 2k+1 (M).
     */
    private static void rounds(final TraceTable t, final int lane, final int from, final int to)
    {
        for (int r = from; r <= to; r++)
        {
            final long[] s = read(t, lane, 12, r);
            RescuePrime.applyRound(s, 2 * (r % CYCLE));
            write(t, mid(lane), r, s);
            if (r < to)
            {
                RescuePrime.applyRound(s, 2 * (r % CYCLE) + 1);
                write(t, lane, r + 1, s);
            }
        }
    }

    /** Recomputes the sponge's mid-state of {@code row} from its state, following the row's G flag. */
    private static void spongeMid(final TraceTable t, final int row)
    {
        final long[] s = read(t, StateUpdateAir.DA, 12, row);
        if (t.get(StateUpdateAir.G, row) == 1)
        {
            RescuePrime.applyRound(s, 2 * (row % CYCLE));
        }
        write(t, StateUpdateAir.DA_MID, row, s);
    }

    /** Recomputes the sponge lane from row {@code from} on, following the G flags and blocks in the trace. */
    private static void resumeSponge(final TraceTable t, final int from)
    {
        for (int r = from; r < t.length(); r++)
        {
            final long[] s = read(t, StateUpdateAir.DA_MID, 12, r - 1);
            if (r % CYCLE == 0)
            {
                if (t.get(StateUpdateAir.G, r) == 1)
                {
                    final long oldBal = t.get(StateUpdateAir.BAL_OLD, r - 1);
                    final long newBal = t.get(StateUpdateAir.BAL_NEW, r - 1);
                    final long[] block = {t.get(StateUpdateAir.ACCT, r - 1), oldBal, Goldilocks.sub(newBal, oldBal), newBal};
                    for (int i = 0; i < 4; i++)
                    {
                        s[4 + i] = Goldilocks.add(s[4 + i], block[i]);
                    }
                }
            }
            else if (t.get(StateUpdateAir.G, r - 1) == 1)
            {
                RescuePrime.applyRound(s, 2 * (r % CYCLE) - 1);
            }
            write(t, StateUpdateAir.DA, r, s);
            spongeMid(t, r);
        }
    }

    /** Recomputes a lane from the state of row {@code row} to the end of the last cycle. */
    private static void resumeLane(final TraceTable t, final int lane, final int row)
    {
        if (lane == StateUpdateAir.DA)
        {
            spongeMid(t, row);
            resumeSponge(t, row + 1);
        }
        else
        {
            rounds(t, lane, row, LAST + CYCLE - 1);
        }
    }

    /** The even round (round 2) of the last cycle's row 1, off in exactly component k. */
    private static void forgeEvenRound(final TraceTable t, final int lane, final int k)
    {
        final int row = LAST + 1;
        write(t, mid(lane), row, RescueForgery.roundOutputOffBy(read(t, lane, 12, row), 2, k));
        final long[] s = read(t, mid(lane), 12, row);
        RescuePrime.applyRound(s, 3);
        write(t, lane, row + 1, s);
        resumeLane(t, lane, row + 1);
    }

    /** The odd round (round 3) of the last cycle's row 1, off in exactly component k. */
    private static void forgeOddRound(final TraceTable t, final int lane, final int k)
    {
        final int row = LAST + 1;
        write(t, lane, row + 1, RescueForgery.roundOutputOffBy(read(t, mid(lane), 12, row), 3, k));
        resumeLane(t, lane, row + 1);
    }

    /** A trace and statement violating exactly transition constraint i. */
    private static Air craftTransition(final int i, final TraceTable[] out)
    {
        TraceTable t = honest();
        final int[] lanes = {StateUpdateAir.OLD, StateUpdateAir.NEW, StateUpdateAir.DA};
        if (i < StateUpdateAir.C_ODD_OLD)
        {
            forgeEvenRound(t, lanes[(i - StateUpdateAir.C_EVEN_OLD) / 12], i % 12);
        }
        else if (i < StateUpdateAir.C_IN_OLD)
        {
            forgeOddRound(t, lanes[(i - StateUpdateAir.C_ODD_OLD) / 12], i % 12);
        }
        else if (i < StateUpdateAir.C_CONST)
        {
            final int lane = i < StateUpdateAir.C_IN_NEW ? StateUpdateAir.OLD : StateUpdateAir.NEW;
            bump(t, lane + (i - StateUpdateAir.C_IN_OLD) % 12, LAST, LAST, 1);
            rounds(t, lane, LAST, LAST + CYCLE - 1);
        }
        else if (i < StateUpdateAir.C_PREV)
        {
            final int[] cols = {StateUpdateAir.SIB, StateUpdateAir.SIB + 1, StateUpdateAir.SIB + 2, StateUpdateAir.SIB + 3,
                StateUpdateAir.BIT, StateUpdateAir.F, StateUpdateAir.G, StateUpdateAir.LVL, StateUpdateAir.W, StateUpdateAir.IDX};
            bump(t, cols[i - StateUpdateAir.C_CONST], t.length() - 1, t.length() - 1, 1);
        }
        else if (i < StateUpdateAir.C_BIN)
        {
            final int k = i - StateUpdateAir.C_PREV;
            bump(t, (k < 4 ? StateUpdateAir.PREV_OLD : StateUpdateAir.PREV_NEW) + k % 4, t.length() - 1, t.length() - 1, 1);
        }
        else
        {
            t = craftControl(i, t);
        }
        out[0] = t;
        return new StateUpdateAir(inputsOf(t));
    }

    private static TraceTable craftControl(final int i, final TraceTable t)
    {
        switch (i)
        {
            case StateUpdateAir.C_BIN ->
            {
                // direction "bit" 2 on the last cycle, with the merge input and the index built from it
                set(t, StateUpdateAir.BIT, LAST, LAST + CYCLE - 1, 2);
                for (final int[] lane : new int[][] {{StateUpdateAir.OLD, StateUpdateAir.PREV_OLD}, {StateUpdateAir.NEW, StateUpdateAir.PREV_NEW}})
                {
                    for (int k = 0; k < 4; k++)
                    {
                        final long node = t.get(lane[1] + k, LAST);
                        final long sib = t.get(StateUpdateAir.SIB + k, LAST);
                        t.set(lane[0] + 4 + k, LAST, Goldilocks.sub(Goldilocks.add(sib, sib), node));
                        t.set(lane[0] + 8 + k, LAST, Goldilocks.sub(Goldilocks.add(node, node), sib));
                    }
                    rounds(t, lane[0], LAST, LAST + CYCLE - 1);
                }
                set(t, StateUpdateAir.IDX, LAST, LAST + CYCLE - 1, Goldilocks.add(t.get(StateUpdateAir.IDX, LAST - 1),
                    Goldilocks.mul(2, t.get(StateUpdateAir.W, LAST))));
                return t;
            }
            case StateUpdateAir.C_LVL ->
            {
                // depth-2 paths presented as a depth-3 statement: updates end at level 1
                final TraceTable s = honest(2, List.of(new BatchRecord(1, 40, 2, 42), new BatchRecord(3, 0, 5, 5),
                    new BatchRecord(2, -9, 9, 0)));
                for (int r = 0; r < s.length(); r++)
                {
                    final int nextCycle = r + CYCLE - r % CYCLE;
                    final boolean endsUpdate = nextCycle < s.length() && s.get(StateUpdateAir.F, nextCycle) == 1;
                    final long lvlMinusTop = Goldilocks.sub(s.get(StateUpdateAir.LVL, r), DEPTH - 1);
                    s.set(StateUpdateAir.INV, r, endsUpdate ? 0 : Goldilocks.inv(lvlMinusTop));
                }
                return s;
            }
            case StateUpdateAir.C_LVL + 1 ->
            {
                bump(t, StateUpdateAir.INV, CYCLE - 1, CYCLE - 1, 1);
                return t;
            }
            case StateUpdateAir.C_LVL + 2 ->
            {
                bump(t, StateUpdateAir.LVL, LAST, LAST + CYCLE - 1, 1);
                return t;
            }
            case StateUpdateAir.C_G ->
            {
                set(t, StateUpdateAir.G, LAST, LAST + CYCLE - 1, 0);
                resumeSponge(t, LAST);
                return t;
            }
            case StateUpdateAir.C_WIDX ->
            {
                set(t, StateUpdateAir.W, LAST - CYCLE, LAST - 1, 2);
                set(t, StateUpdateAir.W, LAST, LAST + CYCLE - 1, 4);
                set(t, StateUpdateAir.IDX, LAST, LAST + CYCLE - 1, Goldilocks.add(t.get(StateUpdateAir.IDX, LAST - CYCLE),
                    Goldilocks.mul(4, t.get(StateUpdateAir.BIT, LAST))));
                return t;
            }
            case StateUpdateAir.C_WIDX + 1 ->
            {
                bump(t, StateUpdateAir.IDX, LAST - CYCLE, t.length() - 1, 1);
                return t;
            }
            case StateUpdateAir.C_WIDX + 2 ->
            {
                bump(t, StateUpdateAir.W, LAST, LAST + CYCLE - 1, 1);
                set(t, StateUpdateAir.IDX, LAST, LAST + CYCLE - 1, Goldilocks.add(t.get(StateUpdateAir.IDX, LAST - 1),
                    Goldilocks.mul(t.get(StateUpdateAir.W, LAST), t.get(StateUpdateAir.BIT, LAST))));
                return t;
            }
            case StateUpdateAir.C_WIDX + 3 ->
            {
                bump(t, StateUpdateAir.IDX, LAST, LAST + CYCLE - 1, 1);
                return t;
            }
            case StateUpdateAir.C_END + 8 ->
            {
                bump(t, StateUpdateAir.ACCT, 0, DEPTH * CYCLE - 1, 1);
                resumeSponge(t, CYCLE);
                return t;
            }
            default ->
            {
                if (i < StateUpdateAir.C_END + 4)
                {
                    bump(t, StateUpdateAir.ROOT + i - StateUpdateAir.C_END, 0, DEPTH * CYCLE - 1, 1);
                }
                else if (i < StateUpdateAir.C_END + 8)
                {
                    bump(t, StateUpdateAir.ROOT + i - StateUpdateAir.C_END - 4, LAST - CYCLE, t.length() - 1, 1);
                }
                else
                {
                    final int[] cols = {StateUpdateAir.ACCT, StateUpdateAir.BAL_OLD, StateUpdateAir.BAL_NEW};
                    bump(t, cols[i - StateUpdateAir.C_ACCT], LAST, LAST + CYCLE - 1, 1);
                }
                return t;
            }
        }
    }

    /** A trace and statement violating exactly assertion j. */
    private static Air craftAssertion(final int j, final TraceTable[] out)
    {
        TraceTable t = honest();
        StateUpdateInputs in = null;
        switch (j)
        {
            case 0 ->
            {
                set(t, StateUpdateAir.F, 0, CYCLE - 1, 0);
                for (int k = 0; k < 4; k++)
                {
                    set(t, StateUpdateAir.PREV_OLD + k, 0, CYCLE - 1, k == 0 ? t.get(StateUpdateAir.BAL_OLD, 0) : 0);
                    set(t, StateUpdateAir.PREV_NEW + k, 0, CYCLE - 1, k == 0 ? t.get(StateUpdateAir.BAL_NEW, 0) : 0);
                }
                set(t, StateUpdateAir.G, CYCLE, 2 * CYCLE - 1, 0);
                resumeSponge(t, CYCLE);
            }
            case 1 ->
            {
                set(t, StateUpdateAir.G, 0, CYCLE - 1, 1);
                spongeMid(t, 0);
                resumeSponge(t, 1);
            }
            case 2 ->
            {
                // one update with a depth-6 path presented as two depth-3 updates: the counter starts at -3
                t = honest(6, List.of(new BatchRecord(37, 0, 3, 3)));
                bump(t, StateUpdateAir.LVL, 0, 6 * CYCLE - 1, -3);
                set(t, StateUpdateAir.INV, 6 * CYCLE, t.length() - 1, Goldilocks.inv(Goldilocks.fromSigned(-2)));
            }
            default ->
            {
                final StateUpdateInputs h = inputsOf(t);
                final long[] prev = h.prevRoot();
                final long[] next = h.newRoot();
                final long[] daIn = h.daStateIn();
                final long[] daOut = h.daStateOut();
                if (j < 7)
                {
                    prev[j - 3] = Goldilocks.add(prev[j - 3], 1);
                }
                else if (j < 19)
                {
                    daIn[j - 7] = Goldilocks.add(daIn[j - 7], 1);
                }
                else if (j < 23)
                {
                    next[j - 19] = Goldilocks.add(next[j - 19], 1);
                }
                else
                {
                    daOut[j - 23] = Goldilocks.add(daOut[j - 23], 1);
                }
                in = new StateUpdateInputs(prev, next, daIn, daOut, UPDATES, DEPTH);
            }
        }
        out[0] = t;
        return new StateUpdateAir(in != null ? in : inputsOf(t));
    }

    private static void assertLoadBearing(final Air air, final TraceTable t, final boolean isTransition, final int index)
    {
        final String what = Ablated.label(isTransition, index);
        final List<String> violations = air.violations(t, 50);
        assertTrue(Ablated.onlyViolates(violations, isTransition, index), what + " crafted trace violates " + violations);
        final Air ablated = isTransition ? Ablated.withoutTransition(air, index) : Ablated.withoutAssertion(air, index);
        final byte[] proof = Prover.prove(ablated, t, OPTIONS);
        assertDoesNotThrow(() -> Verifier.verify(ablated, proof, OPTIONS), what + ": without it the bad trace proves");
        final byte[] forged = CheatingProver.proveAnyway(air, t, OPTIONS);
        assertThrows(VerificationException.class, () -> Verifier.verify(air, forged, OPTIONS), what + ": with it, rejected");
    }

    @Test
    void honestBaseTraceIsValid()
    {
        final TraceTable t = honest();
        assertEquals(8 * CYCLE, t.length());
        assertEquals(List.of(), new StateUpdateAir(inputsOf(t)).violations(t, 5));
    }

    @Test
    void everyTransitionConstraintIsLoadBearing()
    {
        for (int i = 0; i < StateUpdateAir.CONSTRAINTS; i++)
        {
            final TraceTable[] t = new TraceTable[1];
            final Air air = craftTransition(i, t);
            assertLoadBearing(air, t[0], true, i);
        }
    }

    @Test
    void everyAssertionIsLoadBearing()
    {
        final int count = new StateUpdateAir(inputsOf(honest())).assertions().size();
        assertEquals(35, count);
        for (int j = 0; j < count; j++)
        {
            final TraceTable[] t = new TraceTable[1];
            final Air air = craftAssertion(j, t);
            assertLoadBearing(air, t[0], false, j);
        }
    }
}
