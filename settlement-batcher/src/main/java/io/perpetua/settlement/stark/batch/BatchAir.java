package io.perpetua.settlement.stark.batch;

import java.util.ArrayList;
import java.util.List;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.Assertion;
import io.perpetua.settlement.stark.air.TransitionDegree;
import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.rescue.RescueConstraints;
import io.perpetua.settlement.stark.rescue.RescuePrime;

/**
 * The batch statement: n records (account, pre, delta, post) hash with the Rescue sponge to the
 * public commitment D; every delta is in [-2^48, 2^48), every post balance and every running sum in
 * [-2^62, 2^62); post = pre + delta; and the deltas sum to E - fee - insurance.
 *
 * <p>Layout: one 8-row cycle per sponge permutation. Cycle 0 permutes the initial state
 * (n, TAG, 0, ...); cycle c &gt;= 1 holds record c-1 in its record columns, which the 7 -&gt; 0 row
 * transition adds into state[4..8] before the cycle's permutation. Range checks decompose a value
 * over rows 0..6 of its cycle (7 bits per row for the delta, 9 for balance and sum), most
 * significant chunk first, and compare the accumulator on row 6. A row's chunk is held in 2-bit
 * limbs (q (q-1) (q-2) (q-3) = 0) with a 1-bit limb on top: degree 4, below the Rescue rounds'
 * 7, so the composition degree is unchanged while the range checks need 14 columns instead of 25
 * (every column costs a low-degree extension, a DEEP term and Merkle hashing). The running sum is range-checked
 * every cycle so the field equation sum = E - fee - insurance is also an integer equation however
 * large n is. Cycles after the n-th are padding; D and the sum are read at the end of cycle n, whose
 * position depends on the public n, so n cannot be changed either.
 */
public final class BatchAir extends Air
{
    /** Second capacity element of the initial sponge state: a domain tag for batch commitments. */
    public static final long TAG = 0x5045_5250_4241_5443L; // "PERPBATC"

    static final int STATE = 0;
    static final int ACCT = 12;
    static final int PRE = 13;
    static final int DELTA = 14;
    static final int POST = 15;
    static final int SUM = 16;
    static final int ACC_D = 17;
    static final int ACC_P = 18;
    static final int ACC_S = 19;
    static final int LIMBS_D = 20;
    static final int LIMBS_P = 24;
    static final int LIMBS_S = 29;
    static final int WIDTH = 34;

    static final int DELTA_BITS_PER_ROW = 7;
    static final int WIDE_BITS_PER_ROW = 9;
    static final long DELTA_OFFSET = 1L << 48;
    static final long WIDE_OFFSET = 1L << 62;
    static final int DELTA_LIMBS = limbCount(DELTA_BITS_PER_ROW);
    static final int WIDE_LIMBS = limbCount(WIDE_BITS_PER_ROW);
    private static final int LIMB_COLUMNS = DELTA_LIMBS + 2 * WIDE_LIMBS;

    static final int P_RND = 24;
    static final int P_ACCUM = 25;
    static final int P_CHECK = 26;

    /** Constraint index ranges, for tests that remove one constraint at a time. */
    static final int C_RESCUE = 0;
    static final int C_RECORD_CONST = 12;
    static final int C_POST = 15;
    static final int C_SUM = 16;
    static final int C_LIMBS = 17;
    static final int C_ACC = C_LIMBS + LIMB_COLUMNS;
    static final int C_CHECK = C_ACC + 3;
    static final int CONSTRAINTS = C_CHECK + 3;

    private final BatchPublicInputs inputs;

    /**
     * @throws IllegalArgumentException if the inputs are outside their ranges: conservation is only
     *         an integer statement when |E - fee - insurance| stays far below p / 2
     */
    public BatchAir(final BatchPublicInputs inputs)
    {
        super("perpetua-batch-v1", WIDTH, traceLengthFor(checked(inputs).recordCount()));
        this.inputs = inputs;
    }

    private static BatchPublicInputs checked(final BatchPublicInputs inputs)
    {
        final String problem = inputs.rangeProblem();
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
        return inputs;
    }

    /** Trace rows for n records: one cycle for the initial permutation plus one per record, padded to a power of two. */
    public static int traceLengthFor(final int records)
    {
        final long rows = 8L * (records + 1);
        return (int)Math.max(8, Long.highestOneBit(rows - 1) << 1);
    }

    public BatchPublicInputs inputs()
    {
        return inputs;
    }

    /** Limbs holding a chunk of {@code bits} bits: 2-bit limbs, the top one a single bit if {@code bits} is odd. */
    static int limbCount(final int bits)
    {
        return (bits + 1) / 2;
    }

    /** Whether limb {@code i} of a chunk of {@code bits} bits is the single-bit top limb. */
    static boolean isBitLimb(final int bits, final int i)
    {
        return bits % 2 == 1 && i == limbCount(bits) - 1;
    }

    /** Last row of cycle n, where the digest and the sum are read. */
    int finalRow()
    {
        return 8 * inputs.recordCount() + 7;
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
        for (int i = 0; i < 12; i++)
        {
            d.add(new TransitionDegree(7, 8));
        }
        for (int i = 0; i < 3; i++)
        {
            d.add(new TransitionDegree(1, 8));
        }
        d.add(new TransitionDegree(1));
        d.add(new TransitionDegree(1, 8));
        limbDegrees(d, DELTA_BITS_PER_ROW);
        limbDegrees(d, WIDE_BITS_PER_ROW);
        limbDegrees(d, WIDE_BITS_PER_ROW);
        for (int i = 0; i < 6; i++)
        {
            d.add(new TransitionDegree(1, 8));
        }
        return d;
    }

    private static void limbDegrees(final List<TransitionDegree> d, final int bits)
    {
        for (int i = 0; i < limbCount(bits); i++)
        {
            d.add(new TransitionDegree(isBitLimb(bits, i) ? 2 : 4));
        }
    }

    @Override
    public List<Assertion> assertions()
    {
        final List<Assertion> a = new ArrayList<>();
        final long[] initial = initialState(inputs.recordCount());
        for (int i = 0; i < RescuePrime.WIDTH; i++)
        {
            a.add(new Assertion(STATE + i, 0, initial[i]));
        }
        a.add(new Assertion(SUM, 0, 0));
        final int row = finalRow();
        for (int i = 0; i < 4; i++)
        {
            a.add(new Assertion(STATE + RescuePrime.RATE_START + i, row, inputs.daCommitment()[i]));
        }
        final long target = Goldilocks.sub(Goldilocks.sub(Goldilocks.fromSigned(inputs.netDeposits()),
            Goldilocks.fromSigned(inputs.feeDelta())), Goldilocks.fromSigned(inputs.insuranceDelta()));
        a.add(new Assertion(SUM, row, target));
        return a;
    }

    /** The sponge state before the first permutation. */
    static long[] initialState(final int records)
    {
        final long[] s = new long[RescuePrime.WIDTH];
        s[0] = records;
        s[1] = TAG;
        return s;
    }

    @Override
    public List<long[]> periodicColumns()
    {
        final List<long[]> p = new ArrayList<>(List.of(RescueConstraints.periodicColumns()));
        p.add(new long[] {1, 1, 1, 1, 1, 1, 1, 0});
        p.add(new long[] {1, 1, 1, 1, 1, 1, 0, 0});
        p.add(new long[] {0, 0, 0, 0, 0, 0, 1, 0});
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
        // scratch elements: 0 = 1 - rnd, 1..3 temporaries
        final long[] t = new long[4 * d];
        e.setBase(t, 0, 1);
        e.sub(t, 0, per, P_RND, t, 0);

        // Rescue round on rows 0..6 of a cycle, absorption of the next record on the 7 -> 0 step
        RescueConstraints.evaluateRound(e, cur, STATE, next, STATE, per, 0, out, C_RESCUE);
        for (int k = 0; k < RescuePrime.WIDTH; k++)
        {
            e.sub(next, STATE + k, cur, STATE + k, t, 1);
            if (k >= RescuePrime.RATE_START && k < RescuePrime.RATE_START + 4)
            {
                e.sub(t, 1, next, ACCT + k - RescuePrime.RATE_START, t, 1);
            }
            select(e, per, P_RND, out, C_RESCUE + k, t, 0, t, 1, out, C_RESCUE + k, t);
        }
        // account, pre and delta constant within a cycle (post follows from post = pre + delta)
        for (int i = 0; i < 3; i++)
        {
            e.sub(next, ACCT + i, cur, ACCT + i, t, 1);
            e.mul(t, 1, per, P_RND, out, C_RECORD_CONST + i);
        }
        // post = pre + delta
        e.sub(cur, POST, cur, PRE, t, 1);
        e.sub(t, 1, cur, DELTA, out, C_POST);
        // running sum: constant within a cycle, adds the next record's delta on 7 -> 0
        e.sub(next, SUM, cur, SUM, t, 1);
        e.sub(t, 1, next, DELTA, t, 2);
        select(e, per, P_RND, t, 1, t, 0, t, 2, out, C_SUM, t);
        // limbs are in range
        limbs(e, cur, LIMBS_D, DELTA_BITS_PER_ROW, out, C_LIMBS, t);
        limbs(e, cur, LIMBS_P, WIDE_BITS_PER_ROW, out, C_LIMBS + DELTA_LIMBS, t);
        limbs(e, cur, LIMBS_S, WIDE_BITS_PER_ROW, out, C_LIMBS + DELTA_LIMBS + WIDE_LIMBS, t);
        // accumulators
        accumulator(e, cur, next, per, ACC_D, LIMBS_D, DELTA_BITS_PER_ROW, out, C_ACC, t);
        accumulator(e, cur, next, per, ACC_P, LIMBS_P, WIDE_BITS_PER_ROW, out, C_ACC + 1, t);
        accumulator(e, cur, next, per, ACC_S, LIMBS_S, WIDE_BITS_PER_ROW, out, C_ACC + 2, t);
        // range checks on row 6: acc = value + offset
        check(e, cur, per, ACC_D, DELTA, DELTA_OFFSET, out, C_CHECK, t);
        check(e, cur, per, ACC_P, POST, WIDE_OFFSET, out, C_CHECK + 1, t);
        check(e, cur, per, ACC_S, SUM, WIDE_OFFSET, out, C_CHECK + 2, t);
    }

    /**
     * The same constraints over the base field with static field calls and no scratch arrays: the
     * prover evaluates them on every point of the extended domain (2^20 points for 10k records), the
     * verifier only at the out-of-domain point, through the generic path above.
     */
    private static void evaluateBase(final long[] cur, final long[] next, final long[] per, final long[] out)
    {
        final long rnd = per[P_RND];
        final long notRnd = Goldilocks.sub(1, rnd);
        RescueConstraints.evaluateRound(Extension.BASE, cur, STATE, next, STATE, per, 0, out, C_RESCUE);
        for (int k = 0; k < RescuePrime.WIDTH; k++)
        {
            long hold = Goldilocks.sub(next[STATE + k], cur[STATE + k]);
            if (k >= RescuePrime.RATE_START && k < RescuePrime.RATE_START + 4)
            {
                hold = Goldilocks.sub(hold, next[ACCT + k - RescuePrime.RATE_START]);
            }
            out[C_RESCUE + k] = Goldilocks.add(Goldilocks.mul(rnd, out[C_RESCUE + k]), Goldilocks.mul(notRnd, hold));
        }
        for (int i = 0; i < 3; i++)
        {
            out[C_RECORD_CONST + i] = Goldilocks.mul(Goldilocks.sub(next[ACCT + i], cur[ACCT + i]), rnd);
        }
        out[C_POST] = Goldilocks.sub(Goldilocks.sub(cur[POST], cur[PRE]), cur[DELTA]);
        final long sumStep = Goldilocks.sub(next[SUM], cur[SUM]);
        out[C_SUM] = Goldilocks.add(Goldilocks.mul(rnd, sumStep), Goldilocks.mul(notRnd, Goldilocks.sub(sumStep, next[DELTA])));
        limbsBase(cur, LIMBS_D, DELTA_BITS_PER_ROW, out, C_LIMBS);
        limbsBase(cur, LIMBS_P, WIDE_BITS_PER_ROW, out, C_LIMBS + DELTA_LIMBS);
        limbsBase(cur, LIMBS_S, WIDE_BITS_PER_ROW, out, C_LIMBS + DELTA_LIMBS + WIDE_LIMBS);
        final long accum = per[P_ACCUM];
        out[C_ACC] = accumulatorBase(cur, next, accum, notRnd, ACC_D, LIMBS_D, DELTA_BITS_PER_ROW);
        out[C_ACC + 1] = accumulatorBase(cur, next, accum, notRnd, ACC_P, LIMBS_P, WIDE_BITS_PER_ROW);
        out[C_ACC + 2] = accumulatorBase(cur, next, accum, notRnd, ACC_S, LIMBS_S, WIDE_BITS_PER_ROW);
        final long check = per[P_CHECK];
        out[C_CHECK] = Goldilocks.mul(Goldilocks.sub(Goldilocks.sub(cur[ACC_D], cur[DELTA]), DELTA_OFFSET), check);
        out[C_CHECK + 1] = Goldilocks.mul(Goldilocks.sub(Goldilocks.sub(cur[ACC_P], cur[POST]), WIDE_OFFSET), check);
        out[C_CHECK + 2] = Goldilocks.mul(Goldilocks.sub(Goldilocks.sub(cur[ACC_S], cur[SUM]), WIDE_OFFSET), check);
    }

    private static void limbsBase(final long[] cur, final int first, final int bits, final long[] out, final int outAt)
    {
        for (int i = 0; i < limbCount(bits); i++)
        {
            final long q = cur[first + i];
            final long bit = Goldilocks.mul(q, Goldilocks.sub(q, 1));
            out[outAt + i] = isBitLimb(bits, i) ? bit
                : Goldilocks.mul(bit, Goldilocks.mul(Goldilocks.sub(q, 2), Goldilocks.sub(q, 3)));
        }
    }

    private static long accumulatorBase(final long[] cur, final long[] next, final long accum, final long notRnd, final int acc,
        final int limbs, final int count)
    {
        long chunk = 0;
        for (int i = 0; i < limbCount(count); i++)
        {
            chunk = Goldilocks.add(chunk, Goldilocks.mul(next[limbs + i], 1L << (2 * i)));
        }
        final long restart = Goldilocks.sub(next[acc], chunk);
        final long step = Goldilocks.sub(restart, Goldilocks.mul(cur[acc], 1L << count));
        return Goldilocks.add(Goldilocks.mul(step, accum), Goldilocks.mul(restart, notRnd));
    }

    /** q (q-1) (q-2) (q-3) for the 2-bit limbs, b (b-1) for the top bit (uses scratch elements 1, 2). */
    private static void limbs(final Extension e, final long[] cur, final int first, final int bits, final long[] out,
        final int outAt, final long[] t)
    {
        for (int i = 0; i < limbCount(bits); i++)
        {
            final int col = first + i;
            e.addBase(cur, col, Goldilocks.P - 1, t, 1);
            e.mul(t, 1, cur, col, out, outAt + i);
            if (!isBitLimb(bits, i))
            {
                e.addBase(cur, col, Goldilocks.P - 2, t, 1);
                e.addBase(cur, col, Goldilocks.P - 3, t, 2);
                e.mul(t, 1, t, 2, t, 1);
                e.mul(out, outAt + i, t, 1, out, outAt + i);
            }
        }
    }

    /** out = sel * a + notSel * b (uses scratch element 3 of t). */
    private static void select(final Extension e, final long[] sel, final int selAt, final long[] a, final int aAt,
        final long[] notSel, final int notSelAt, final long[] b, final int bAt, final long[] out, final int outAt,
        final long[] t)
    {
        e.mul(notSel, notSelAt, b, bAt, t, 3);
        e.mul(sel, selAt, a, aAt, out, outAt);
        e.add(out, outAt, t, 3, out, outAt);
    }

    /** accum * (acc' - acc * 2^B - chunk') + (1 - rnd) * (acc' - chunk'). */
    private static void accumulator(final Extension e, final long[] cur, final long[] next, final long[] per, final int acc,
        final int limbs, final int count, final long[] out, final int outAt, final long[] t)
    {
        // t1 = chunk' = sum limbs'_i 4^i
        e.setBase(t, 1, 0);
        for (int i = 0; i < limbCount(count); i++)
        {
            e.mulBase(next, limbs + i, 1L << (2 * i), t, 2);
            e.add(t, 1, t, 2, t, 1);
        }
        // t2 = acc' - chunk'
        e.sub(next, acc, t, 1, t, 2);
        // t1 = t2 - acc * 2^B
        e.mulBase(cur, acc, 1L << count, t, 1);
        e.sub(t, 2, t, 1, t, 1);
        e.mul(t, 1, per, P_ACCUM, out, outAt);
        e.mul(t, 2, t, 0, t, 3);
        e.add(out, outAt, t, 3, out, outAt);
    }

    /** check * (acc - value - offset). */
    private static void check(final Extension e, final long[] cur, final long[] per, final int acc, final int value,
        final long offset, final long[] out, final int outAt, final long[] t)
    {
        e.sub(cur, acc, cur, value, t, 1);
        e.addBase(t, 1, Goldilocks.P - offset, t, 1);
        e.mul(t, 1, per, P_CHECK, out, outAt);
    }
}
