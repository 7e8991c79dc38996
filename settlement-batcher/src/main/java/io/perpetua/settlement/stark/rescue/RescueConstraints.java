package io.perpetua.settlement.stark.rescue;

import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;

/**
 * Rescue-Prime as AIR constraints: one round between two groups of 12 cells (of consecutive rows, or
 * two column groups of one row), 12 constraints of degree 7.
 *
 * <p>Why this form: a round ends with the inverse S-box (degree ~2^64), which cannot be a
 * constraint. Instead the constraint meets in the middle: MDS(cur^7) + ARK1 must equal
 * (MDS^-1 (next - ARK2))^7, both sides of degree 7. The round constants enter as periodic columns
 * laid out by the AIR with {@link #roundConstantColumns}: BatchAir and StateUpdateAir put two
 * rounds on each row of a 4-row cycle, one between a row's state and mid-state columns, one
 * between the mid-state and the next row's state.
 */
public final class RescueConstraints
{
    /** Periodic columns used: ARK1[0..12] then ARK2[0..12]. */
    public static final int PERIODIC_COLUMNS = 2 * RescuePrime.WIDTH;

    /** Per-thread scratch of {@link #evaluateRoundBase}: S-box outputs, next - ARK2, MDS of the former. */
    private static final ThreadLocal<long[]> SCRATCH = ThreadLocal.withInitial(() -> new long[3 * RescuePrime.WIDTH]);

    private RescueConstraints()
    {
    }

    /**
     * The 24 periodic columns ARK1[0..12], ARK2[0..12] of a cycle whose row r computes round
     * {@code roundOfRow[r]}; a row given -1 computes no round and gets zeros.
     */
    public static long[][] roundConstantColumns(final int[] roundOfRow)
    {
        final long[][] cols = new long[PERIODIC_COLUMNS][roundOfRow.length];
        for (int row = 0; row < roundOfRow.length; row++)
        {
            final int r = roundOfRow[row];
            if (r < 0)
            {
                continue;
            }
            for (int i = 0; i < RescuePrime.WIDTH; i++)
            {
                cols[i][row] = RescuePrime.ARK1[r][i];
                cols[RescuePrime.WIDTH + i][row] = RescuePrime.ARK2[r][i];
            }
        }
        return cols;
    }

    /**
     * Writes (MDS^-1 (next - ARK2))^7 - (MDS(cur^7) + ARK1) for the 12 state elements starting at
     * element index {@code curAt} / {@code nextAt}, with round constants at element index
     * {@code arkAt} of {@code periodic}, into {@code out} from element index {@code outAt}.
     */
    public static void evaluateRound(final Extension e, final long[] cur, final int curAt, final long[] next, final int nextAt,
        final long[] periodic, final int arkAt, final long[] out, final int outAt)
    {
        if (e == Extension.BASE)
        {
            evaluateRoundBase(cur, curAt, next, nextAt, periodic, arkAt, out, outAt);
            return;
        }
        final int w = RescuePrime.WIDTH;
        final long[] s = new long[w * e.degree()];
        final long[] t = new long[w * e.degree()];
        final long[] acc = new long[e.degree()];
        final long[] term = new long[e.degree()];
        // step 1: MDS(cur^7) + ARK1
        for (int i = 0; i < w; i++)
        {
            e.exp7(cur, curAt + i, s, i);
        }
        linear(e, RescuePrime.MDS, s, t, acc, term);
        for (int i = 0; i < w; i++)
        {
            e.add(t, i, periodic, arkAt + i, t, i);
        }
        // step 2: (MDS^-1 (next - ARK2))^7
        for (int i = 0; i < w; i++)
        {
            e.sub(next, nextAt + i, periodic, arkAt + w + i, s, i);
        }
        final long[] u = new long[w * e.degree()];
        linear(e, RescuePrime.INV_MDS, s, u, acc, term);
        for (int i = 0; i < w; i++)
        {
            e.exp7(u, i, u, i);
            e.sub(u, i, t, i, out, outAt + i);
        }
    }

    /**
     * The same constraint over the base field with plain arithmetic: the prover's hot path, run on
     * every point of the extended domain (six times per point for the state-update AIR). Its
     * scratch is the calling thread's, so the hot path allocates nothing.
     */
    private static void evaluateRoundBase(final long[] cur, final int curAt, final long[] next, final int nextAt,
        final long[] periodic, final int arkAt, final long[] out, final int outAt)
    {
        final int w = RescuePrime.WIDTH;
        final long[] scratch = SCRATCH.get();
        for (int i = 0; i < w; i++)
        {
            scratch[i] = Goldilocks.exp7(cur[curAt + i]);
            scratch[w + i] = Goldilocks.sub(next[nextAt + i], periodic[arkAt + w + i]);
        }
        RescuePrime.mds(scratch, 0, scratch, 2 * w);
        for (int i = 0; i < w; i++)
        {
            // row i of MDS^-1 times u as an unreduced 192-bit sum, reduced once
            final long[] row = RescuePrime.INV_MDS[i];
            long lo = 0;
            long hi = 0;
            long top = 0;
            for (int j = 0; j < w; j++)
            {
                final long u = scratch[w + j];
                final long pl = row[j] * u;
                final long newLo = lo + pl;
                final long ph = Goldilocks.mulHighUnsigned(row[j], u)
                    + ((newLo ^ Long.MIN_VALUE) < (pl ^ Long.MIN_VALUE) ? 1 : 0);
                lo = newLo;
                hi += ph;
                top += (hi ^ Long.MIN_VALUE) < (ph ^ Long.MIN_VALUE) ? 1 : 0;
            }
            final long acc = Goldilocks.reduce(top, hi, lo);
            out[outAt + i] = Goldilocks.sub(Goldilocks.exp7(acc), Goldilocks.add(scratch[2 * w + i], periodic[arkAt + i]));
        }
    }

    private static void linear(final Extension e, final long[][] m, final long[] in, final long[] out, final long[] acc,
        final long[] term)
    {
        final int w = RescuePrime.WIDTH;
        for (int i = 0; i < w; i++)
        {
            e.setBase(acc, 0, 0);
            for (int j = 0; j < w; j++)
            {
                e.mulBase(in, j, m[i][j], term, 0);
                e.add(acc, 0, term, 0, acc, 0);
            }
            e.copy(acc, 0, out, i);
        }
    }
}
