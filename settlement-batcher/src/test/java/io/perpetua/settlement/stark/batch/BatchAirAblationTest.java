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
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.rescue.RescuePrime;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every BatchAir constraint is load-bearing: for each transition constraint and each assertion
 * there is a crafted bad trace that violates exactly that constraint; with the constraint removed
 * the trace proves and verifies, with it present the (cheating) proof is rejected.
 */
class BatchAirAblationTest
{
    private static final long FEE = 11;
    private static final long INSURANCE = -3;
    private static final int CYCLE = 1;
    private static final int BASE = BatchAir.CYCLE * CYCLE;
    private static final ProofOptions OPTIONS = new ProofOptions(8, 12, 0, io.perpetua.settlement.stark.field.Extension.QUADRATIC, 4, 8);

    /** A crafted trace and the record count of the statement it is checked against. */
    private record Crafted(TraceTable trace, int records)
    {
    }

    /** Two records whose range-check chunks hold both alternating bit phases. */
    private static long[][] raw()
    {
        final long d1 = 0x5555_5555_5555L - (1L << 48);
        final long d2 = 0x2AAA_AAAA_AAAAL;
        final long p1 = 0x1555_5555_5555_5555L - (1L << 62);
        final long p2 = 0x2AAA_AAAA_AAAA_AAAAL - (1L << 62);
        return new long[][] {{3, p1 - d1, d1, p1}, {5, p2 - d2, d2, p2}};
    }

    private static long signed(final long field)
    {
        return Long.compareUnsigned(field, Goldilocks.P >>> 1) <= 0 ? field : field - Goldilocks.P;
    }

    /** Public inputs read off a (possibly forged) trace: D at the end of cycle n, E from the final sum. */
    private static BatchPublicInputs inputsOf(final TraceTable t, final int n)
    {
        final int row = BatchAir.finalRow(n);
        final long[] d = new long[4];
        for (int i = 0; i < 4; i++)
        {
            d[i] = t.get(BatchAir.MID + RescuePrime.RATE_START + i, row);
        }
        final long e = signed(t.get(BatchAir.SUM, row)) + FEE + INSURANCE;
        return new BatchPublicInputs(2, new long[] {1, 1, 1, 1}, new long[] {2, 2, 2, 2}, d, n, e, FEE, INSURANCE);
    }

    private static long[] read(final TraceTable t, final int first, final int row)
    {
        final long[] s = new long[RescuePrime.WIDTH];
        for (int i = 0; i < s.length; i++)
        {
            s[i] = t.get(first + i, row);
        }
        return s;
    }

    private static void write(final TraceTable t, final int first, final int row, final long[] s)
    {
        for (int i = 0; i < s.length; i++)
        {
            t.set(first + i, row, s[i]);
        }
    }

    /** Recomputes the mid-state of {@code row} from its state: M = round 2k (S) on row k of a cycle. */
    private static void recomputeMid(final TraceTable t, final int row)
    {
        final long[] s = read(t, BatchAir.STATE, row);
        RescuePrime.applyRound(s, 2 * (row % BatchAir.CYCLE));
        write(t, BatchAir.MID, row, s);
    }

    /** Recomputes the sponge from row {@code from} on: absorb at cycle starts, the odd round elsewhere, then the mid-state. */
    private static void resumeSponge(final TraceTable t, final int from)
    {
        for (int row = from; row < t.length(); row++)
        {
            final long[] s = read(t, BatchAir.MID, row - 1);
            final int k = row % BatchAir.CYCLE;
            if (k == 0)
            {
                for (int i = 0; i < 4; i++)
                {
                    s[4 + i] = Goldilocks.add(s[4 + i], t.get(BatchAir.ACCT + i, row));
                }
            }
            else
            {
                RescuePrime.applyRound(s, 2 * k - 1);
            }
            write(t, BatchAir.STATE, row, s);
            recomputeMid(t, row);
        }
    }

    private static void redecompose(final TraceTable t, final int cycle, final int acc, final int limbs, final int perRow,
        final long value)
    {
        BatchExecutor.decompose(t, BatchAir.CYCLE * cycle, acc, limbs, perRow, value);
    }

    /** Re-decomposes the running sum of every cycle from {@code fromCycle} on, from the sum column. */
    private static void redecomposeSums(final TraceTable t, final int fromCycle)
    {
        for (int c = fromCycle; c < t.length() / BatchAir.CYCLE; c++)
        {
            redecompose(t, c, BatchAir.ACC_S, BatchAir.LIMBS_S, BatchAir.WIDE_BITS_PER_ROW,
                signed(cell(t, BatchAir.SUM, BatchAir.CYCLE * c)) + BatchAir.WIDE_OFFSET);
        }
    }

    private static long cell(final TraceTable t, final int c, final int r)
    {
        return t.get(c, r);
    }

    private static void bump(final TraceTable t, final int c, final int fromRow, final int toRow, final long by)
    {
        for (int r = fromRow; r <= toRow; r++)
        {
            t.set(c, r, Goldilocks.add(t.get(c, r), Goldilocks.fromSigned(by)));
        }
    }

    /** A trace violating exactly transition constraint {@code i}. */
    private static Crafted craftTransition(final int i)
    {
        final long[][] raw = raw();
        final TraceTable t = BatchExecutor.traceOfRaw(raw);
        final long delta = raw[0][2];
        final long post = raw[0][3];
        final int last = BASE + BatchAir.CYCLE - 1;
        if (i < BatchAir.C_ODD)
        {
            // the even round of row 1 (round 2), off in exactly component i
            final int row = BASE + 1;
            write(t, BatchAir.MID, row, RescueForgery.roundOutputOffBy(read(t, BatchAir.STATE, row), 2, i));
            resumeSponge(t, row + 1);
            return new Crafted(t, raw.length);
        }
        if (i < BatchAir.C_RECORD_CONST)
        {
            // the odd round of row 1 (round 3), off in exactly component i - 12
            final int row = BASE + 1;
            write(t, BatchAir.STATE, row + 1, RescueForgery.roundOutputOffBy(read(t, BatchAir.MID, row), 3, i - BatchAir.C_ODD));
            recomputeMid(t, row + 1);
            resumeSponge(t, row + 2);
            return new Crafted(t, raw.length);
        }
        switch (i)
        {
            case BatchAir.C_RECORD_CONST -> bump(t, BatchAir.ACCT, BASE + 1, last, 1);
            case BatchAir.C_RECORD_CONST + 1 ->
            {
                bump(t, BatchAir.PRE, BASE + 1, last, 1);
                bump(t, BatchAir.POST, BASE + 1, last, 1);
                redecompose(t, CYCLE, BatchAir.ACC_P, BatchAir.LIMBS_P, BatchAir.WIDE_BITS_PER_ROW, post + 1 + BatchAir.WIDE_OFFSET);
            }
            case BatchAir.C_RECORD_CONST + 2 ->
            {
                bump(t, BatchAir.DELTA, BASE + 1, last, 1);
                bump(t, BatchAir.POST, BASE + 1, last, 1);
                redecompose(t, CYCLE, BatchAir.ACC_D, BatchAir.LIMBS_D, BatchAir.DELTA_BITS_PER_ROW, delta + 1 + BatchAir.DELTA_OFFSET);
                redecompose(t, CYCLE, BatchAir.ACC_P, BatchAir.LIMBS_P, BatchAir.WIDE_BITS_PER_ROW, post + 1 + BatchAir.WIDE_OFFSET);
            }
            case BatchAir.C_POST ->
            {
                bump(t, BatchAir.POST, BASE, last, 1);
                redecompose(t, CYCLE, BatchAir.ACC_P, BatchAir.LIMBS_P, BatchAir.WIDE_BITS_PER_ROW, post + 1 + BatchAir.WIDE_OFFSET);
                resumeSponge(t, BASE);
            }
            case BatchAir.C_SUM ->
            {
                bump(t, BatchAir.SUM, 2 * BatchAir.CYCLE, t.length() - 1, 1);
                redecomposeSums(t, 2);
            }
            case BatchAir.C_NARROW ->
            {
                // delta + 2^48 + 2^49: a 50-bit value whose row-0 chunk sets delta limb 5
                final long by = 1L << 49;
                bump(t, BatchAir.DELTA, BASE, last, by);
                bump(t, BatchAir.POST, BASE, last, by);
                bump(t, BatchAir.SUM, BASE, t.length() - 1, by);
                redecompose(t, CYCLE, BatchAir.ACC_D, BatchAir.LIMBS_D, BatchAir.DELTA_BITS_PER_ROW, delta + by + BatchAir.DELTA_OFFSET);
                redecompose(t, CYCLE, BatchAir.ACC_P, BatchAir.LIMBS_P, BatchAir.WIDE_BITS_PER_ROW, post + by + BatchAir.WIDE_OFFSET);
                redecomposeSums(t, CYCLE);
                resumeSponge(t, BASE);
            }
            case BatchAir.C_NARROW + 1 ->
            {
                // post = 2^62 + 5: post + 2^62 = 2^63 + 5 puts 2 in the top limb of row 0
                final long forged = (1L << 62) + 5;
                for (int r = BASE; r <= last; r++)
                {
                    t.set(BatchAir.POST, r, forged);
                    t.set(BatchAir.PRE, r, Goldilocks.sub(forged, Goldilocks.fromSigned(delta)));
                }
                redecompose(t, CYCLE, BatchAir.ACC_P, BatchAir.LIMBS_P, BatchAir.WIDE_BITS_PER_ROW, Long.MIN_VALUE + 5);
                resumeSponge(t, BASE);
            }
            case BatchAir.C_NARROW + 2 ->
            {
                return craftWideSum();
            }
            default ->
            {
                if (i < BatchAir.C_NARROW)
                {
                    craftOutOfRangeLimb(t, BatchAir.LIMBS_D + (i - BatchAir.C_LIMBS));
                }
                else if (i < BatchAir.C_CHECK)
                {
                    final int acc = new int[] {BatchAir.ACC_D, BatchAir.ACC_P, BatchAir.ACC_S}[i - BatchAir.C_ACC];
                    bump(t, acc, BASE + 2, BASE + 2, 1);
                }
                else
                {
                    final int g = i - BatchAir.C_CHECK;
                    final long value = g == 0 ? delta + BatchAir.DELTA_OFFSET
                        : g == 1 ? post + BatchAir.WIDE_OFFSET : signed(cell(t, BatchAir.SUM, BASE)) + BatchAir.WIDE_OFFSET;
                    final int acc = new int[] {BatchAir.ACC_D, BatchAir.ACC_P, BatchAir.ACC_S}[g];
                    final int limbs = new int[] {BatchAir.LIMBS_D, BatchAir.LIMBS_P, BatchAir.LIMBS_S}[g];
                    final int per = g == 0 ? BatchAir.DELTA_BITS_PER_ROW : BatchAir.WIDE_BITS_PER_ROW;
                    redecompose(t, CYCLE, acc, limbs, per, value + 1);
                }
            }
        }
        return new Crafted(t, raw.length);
    }

    /**
     * The running sum's row-0 narrowing. A sum is the total of range-checked deltas, and a second
     * decomposition needs sum + 2^62 + p &lt; 2^64, i.e. a sum within 2^32 of -2^62: 2^14 deltas of
     * -2^48 reach -2^62 exactly, whose offset value 0 also decomposes as p (row-0 chunk 0xFFFF, top
     * limb 3). The statement has 2^14 - 1 records; its first padding cycle holds the 2^14-th delta
     * (the trace is built for 2^14 records, same length, and its sponge restarted from (n, TAG)).
     */
    private static Crafted craftWideSum()
    {
        final int n = (1 << 14) - 1;
        final long[][] raw = new long[n + 1][];
        for (int i = 0; i < raw.length; i++)
        {
            raw[i] = new long[] {i, 0, -(1L << 48), -(1L << 48)};
        }
        final TraceTable t = BatchExecutor.traceOfRaw(raw);
        assertEquals(BatchAir.traceLengthFor(n), t.length());
        t.set(BatchAir.STATE, 0, n);
        recomputeMid(t, 0);
        resumeSponge(t, 1);
        final int cycle = n + 1;
        assertEquals(-(1L << 62), signed(cell(t, BatchAir.SUM, BatchAir.CYCLE * cycle)));
        redecompose(t, cycle, BatchAir.ACC_S, BatchAir.LIMBS_S, BatchAir.WIDE_BITS_PER_ROW, Goldilocks.P);
        return new Crafted(t, n);
    }

    /**
     * Puts limb column {@code col} out of range without changing any accumulated chunk (limb i has
     * weight 4^i): limb 0 gains 4 while limb 1 loses 1; limb i &gt; 0 loses 1/4 (never a small
     * integer) while limb i-1 gains 1. Rows 0 of cycles are left alone, where the narrowing
     * constraints would see the change too.
     */
    private static void craftOutOfRangeLimb(final TraceTable t, final int col)
    {
        final int group = col < BatchAir.LIMBS_P ? BatchAir.LIMBS_D : col < BatchAir.LIMBS_S ? BatchAir.LIMBS_P : BatchAir.LIMBS_S;
        final int i = col - group;
        for (int row = 0; row < t.length() - 1; row++)
        {
            if (row % BatchAir.CYCLE == 0)
            {
                continue;
            }
            if (i == 0 && cell(t, col + 1, row) >= 1)
            {
                t.set(col, row, cell(t, col, row) + 4);
                t.set(col + 1, row, cell(t, col + 1, row) - 1);
                return;
            }
            if (i > 0 && cell(t, col - 1, row) <= 2)
            {
                t.set(col, row, Goldilocks.sub(cell(t, col, row), Goldilocks.inv(4)));
                t.set(col - 1, row, cell(t, col - 1, row) + 1);
                return;
            }
        }
        fail("no row with the needed limb pattern for column " + col);
    }

    /** A trace (and statement) violating exactly assertion {@code j}. */
    private static Air craftAssertion(final int j, final TraceTable t)
    {
        final int n = raw().length;
        if (j < 12)
        {
            bump(t, BatchAir.STATE + j, 0, 0, 1);
            recomputeMid(t, 0);
            resumeSponge(t, 1);
            return new BatchAir(inputsOf(t, n));
        }
        if (j == 12)
        {
            bump(t, BatchAir.SUM, 0, t.length() - 1, 1);
            redecomposeSums(t, 0);
            return new BatchAir(inputsOf(t, n));
        }
        final BatchPublicInputs honest = inputsOf(t, n);
        if (j < 17)
        {
            final long[] d = honest.daCommitment();
            d[j - 13] = Goldilocks.add(d[j - 13], 1);
            return new BatchAir(honest.withDaCommitment(d));
        }
        return new BatchAir(new BatchPublicInputs(honest.batchId(), honest.prevRoot(), honest.newRoot(), honest.daCommitment(),
            honest.recordCount(), honest.netDeposits() + 1, honest.feeDelta(), honest.insuranceDelta()));
    }

    private static void assertLoadBearing(final Air air, final TraceTable t, final boolean isTransition, final int index)
    {
        final String what = Ablated.label(isTransition, index);
        final List<String> violations = air.violations(t, 50);
        assertTrue(Ablated.onlyViolates(violations, isTransition, index), what + " crafted trace violates " + violations);
        final Air ablated = isTransition ? Ablated.withoutTransition(air, index) : Ablated.withoutAssertion(air, index);
        assertEquals(List.of(), ablated.violations(t, 5), what);
        final byte[] proof = Prover.prove(ablated, t, OPTIONS);
        assertDoesNotThrow(() -> Verifier.verify(ablated, proof, OPTIONS), what + ": without it the bad trace proves");
        final byte[] forged = CheatingProver.proveAnyway(air, t, OPTIONS);
        assertThrows(VerificationException.class, () -> Verifier.verify(air, forged, OPTIONS), what + ": with it, rejected");
    }

    @Test
    void everyTransitionConstraintIsLoadBearing()
    {
        assertEquals(BatchAir.CONSTRAINTS, new BatchAir(inputsOf(BatchExecutor.traceOfRaw(raw()), 2)).transitionCount());
        assertEquals(61, BatchAir.CONSTRAINTS);
        final TraceTable honest = BatchExecutor.traceOfRaw(raw());
        assertEquals(List.of(), new BatchAir(inputsOf(honest, 2)).violations(honest, 5));
        for (int i = 0; i < BatchAir.CONSTRAINTS; i++)
        {
            final Crafted c = craftTransition(i);
            assertLoadBearing(new BatchAir(inputsOf(c.trace(), c.records())), c.trace(), true, i);
        }
    }

    @Test
    void everyAssertionIsLoadBearing()
    {
        final int count = new BatchAir(inputsOf(BatchExecutor.traceOfRaw(raw()), 2)).assertions().size();
        assertEquals(18, count);
        for (int j = 0; j < count; j++)
        {
            final TraceTable t = BatchExecutor.traceOfRaw(raw());
            final Air air = craftAssertion(j, t);
            assertLoadBearing(air, t, false, j);
        }
    }
}
