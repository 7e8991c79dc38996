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
    private static final int BASE = 8 * CYCLE;
    private static final ProofOptions OPTIONS = new ProofOptions(8, 12, 0, io.perpetua.settlement.stark.field.Extension.QUADRATIC, 4, 8);

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
        final int row = 8 * n + 7;
        final long[] d = new long[4];
        for (int i = 0; i < 4; i++)
        {
            d[i] = t.get(BatchAir.STATE + RescuePrime.RATE_START + i, row);
        }
        final long e = signed(t.get(BatchAir.SUM, row)) + FEE + INSURANCE;
        return new BatchPublicInputs(2, new long[] {1, 1, 1, 1}, new long[] {2, 2, 2, 2}, d, n, e, FEE, INSURANCE);
    }

    /** Recomputes the sponge lane from {@code from} on: absorb at cycle starts, rounds elsewhere. */
    private static void resumeSponge(final TraceTable t, final int from)
    {
        final long[] s = new long[12];
        for (int row = from; row < t.length(); row++)
        {
            for (int i = 0; i < 12; i++)
            {
                s[i] = t.get(BatchAir.STATE + i, row - 1);
            }
            if (row % 8 == 0)
            {
                for (int i = 0; i < 4; i++)
                {
                    s[4 + i] = Goldilocks.add(s[4 + i], t.get(BatchAir.ACCT + i, row));
                }
            }
            else
            {
                RescuePrime.applyRound(s, (row - 1) % 8);
            }
            for (int i = 0; i < 12; i++)
            {
                t.set(BatchAir.STATE + i, row, s[i]);
            }
        }
    }

    private static void redecompose(final TraceTable t, final int cycle, final int acc, final int limbs, final int perRow,
        final long value)
    {
        BatchExecutor.decompose(t, 8 * cycle, acc, limbs, perRow, value);
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
    private static TraceTable craftTransition(final int i)
    {
        final long[][] raw = raw();
        final TraceTable t = BatchExecutor.traceOfRaw(raw);
        final long delta = raw[0][2];
        final long post = raw[0][3];
        if (i < BatchAir.C_RECORD_CONST)
        {
            // one Rescue round whose output differs from the real round in exactly component i
            final int row = BASE + 3;
            final long[] cur = new long[12];
            for (int k = 0; k < 12; k++)
            {
                cur[k] = cell(t, BatchAir.STATE + k, row);
            }
            final long[] crafted = RescueForgery.roundOutputOffBy(cur, 3, i);
            for (int k = 0; k < 12; k++)
            {
                t.set(BatchAir.STATE + k, row + 1, crafted[k]);
            }
            resumeSponge(t, row + 2);
            return t;
        }
        switch (i)
        {
            case BatchAir.C_RECORD_CONST -> bump(t, BatchAir.ACCT, BASE + 1, BASE + 7, 1);
            case BatchAir.C_RECORD_CONST + 1 ->
            {
                bump(t, BatchAir.PRE, BASE + 1, BASE + 7, 1);
                bump(t, BatchAir.POST, BASE + 1, BASE + 7, 1);
                redecompose(t, CYCLE, BatchAir.ACC_P, BatchAir.LIMBS_P, BatchAir.WIDE_BITS_PER_ROW, post + 1 + BatchAir.WIDE_OFFSET);
            }
            case BatchAir.C_RECORD_CONST + 2 ->
            {
                bump(t, BatchAir.DELTA, BASE + 1, BASE + 7, 1);
                bump(t, BatchAir.POST, BASE + 1, BASE + 7, 1);
                redecompose(t, CYCLE, BatchAir.ACC_D, BatchAir.LIMBS_D, BatchAir.DELTA_BITS_PER_ROW, delta + 1 + BatchAir.DELTA_OFFSET);
                redecompose(t, CYCLE, BatchAir.ACC_P, BatchAir.LIMBS_P, BatchAir.WIDE_BITS_PER_ROW, post + 1 + BatchAir.WIDE_OFFSET);
            }
            case BatchAir.C_POST ->
            {
                bump(t, BatchAir.POST, BASE, BASE + 7, 1);
                redecompose(t, CYCLE, BatchAir.ACC_P, BatchAir.LIMBS_P, BatchAir.WIDE_BITS_PER_ROW, post + 1 + BatchAir.WIDE_OFFSET);
                resumeSponge(t, BASE);
            }
            case BatchAir.C_SUM ->
            {
                bump(t, BatchAir.SUM, 16, t.length() - 1, 1);
                for (int c = 2; c < t.length() / 8; c++)
                {
                    redecompose(t, c, BatchAir.ACC_S, BatchAir.LIMBS_S, BatchAir.WIDE_BITS_PER_ROW,
                        signed(cell(t, BatchAir.SUM, 8 * c)) + BatchAir.WIDE_OFFSET);
                }
            }
            default ->
            {
                if (i < BatchAir.C_ACC)
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
        return t;
    }

    /**
     * Puts limb column {@code col} out of range without changing any accumulated chunk (limb i has
     * weight 4^i): limb 0 gains 4 while limb 1 loses 1; limb i &gt; 0 loses 1/4 (never a small
     * integer) while limb i-1 gains 1.
     */
    private static void craftOutOfRangeLimb(final TraceTable t, final int col)
    {
        final int group = col < BatchAir.LIMBS_P ? BatchAir.LIMBS_D : col < BatchAir.LIMBS_S ? BatchAir.LIMBS_P : BatchAir.LIMBS_S;
        final int i = col - group;
        for (int row = 0; row < t.length() - 1; row++)
        {
            if (row % 8 == 7)
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
            resumeSponge(t, 1);
            return new BatchAir(inputsOf(t, n));
        }
        if (j == 12)
        {
            bump(t, BatchAir.SUM, 0, t.length() - 1, 1);
            for (int c = 0; c < t.length() / 8; c++)
            {
                redecompose(t, c, BatchAir.ACC_S, BatchAir.LIMBS_S, BatchAir.WIDE_BITS_PER_ROW,
                    signed(cell(t, BatchAir.SUM, 8 * c)) + BatchAir.WIDE_OFFSET);
            }
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
        final TraceTable honest = BatchExecutor.traceOfRaw(raw());
        assertEquals(List.of(), new BatchAir(inputsOf(honest, 2)).violations(honest, 5));
        for (int i = 0; i < BatchAir.CONSTRAINTS; i++)
        {
            final TraceTable t = craftTransition(i);
            assertLoadBearing(new BatchAir(inputsOf(t, 2)), t, true, i);
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
