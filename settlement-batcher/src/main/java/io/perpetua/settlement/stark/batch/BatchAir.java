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
 * <p>Layout: one 4-row cycle per sponge permutation, two Rescue rounds per row. Each row holds the
 * sponge state S (columns 0..11) and the mid-state M (12..23): on row k of a cycle M = round_2k(S),
 * and for k = 0, 1, 2 the next row's S = round_2k+1(M); on row 3, M = round_6(S) is the permuted
 * state, and the 3 -&gt; 0 step absorbs: the next cycle's S = M plus that cycle's record on rate
 * elements 4..7. Cycle 0 permutes the initial state (n, TAG, 0, ...); cycle c &gt;= 1 holds record
 * c-1 in its record columns (account, pre, delta, post: 24..27) and the running sum over records
 * 0..c-1 (28). D is M's rate 4..7 on row 3 of cycle n (row 4n + 3), where the sum is read too; its
 * position depends on the public n, so n cannot be changed either. Cycles after the n-th are
 * padding, and there is always at least one padding row, because no transition constraint holds on
 * the trace's last row while row 3 of cycle n carries round 6 and the range checks.
 *
 * <p>Range checks decompose delta + 2^48 (in [0, 2^49)) and post + 2^62, sum + 2^62 (in [0, 2^63))
 * over the four rows of their cycle, most significant chunk first: an accumulator (29..31) starts
 * at row 0's chunk, gains a chunk per row (acc' = acc 2^B + chunk'), and equals the value plus its
 * offset on row 3. A delta row holds 13 bits (10 on row 0: 10 + 3 x 13 = 49) as six 2-bit limbs and
 * a 1-bit limb (32..38); a post or sum row holds 16 bits (15 on row 0: 15 + 3 x 16 = 63) as eight
 * 2-bit limbs (39..46, 47..54). A 2-bit limb satisfies q (q-1) (q-2) (q-3) = 0, a bit b (b-1) = 0
 * (degree 4 and 2, below the rounds' 7, so the composition degree stays that of the rounds); row 0
 * is narrowed by constraints gated by a row-0 periodic column: the delta's two top limbs are zero
 * there (q5 + 4 q6 = 0, both being non-negative and small), and the wide values' top limb is a bit.
 * The running sum is range-checked every cycle, so the field equation sum = E - fee - insurance is
 * also an integer equation however large n is.
 *
 * <p>55 columns: S 12, M 12, record 4, sum 1, accumulators 3, limbs 7 + 8 + 8. 61 transition
 * constraints: the even round S -&gt; M on every row (12, degree 7), the odd round M -&gt; S' on rows
 * 0..2 or the absorption on row 3 (12, degree 7), account, pre and delta constant within a cycle
 * (3), post = pre + delta (1), the running sum (1), limbs (23), row-0 narrowing (3), accumulators
 * (3), range checks on row 3 (3). 18 assertions: the initial state and the zero sum on row 0, D and
 * E - fee - insurance on row 4n + 3. Periodic columns (cycle 4): the constants of the even round
 * and of the odd round of each row (24 each), rows 0..2, row 0.
 */
public final class BatchAir extends Air
{
    /** Second capacity element of the initial sponge state: a domain tag for batch commitments. */
    public static final long TAG = 0x5045_5250_4241_5443L; // "PERPBATC"

    /** Trace rows per sponge permutation. */
    static final int CYCLE = 4;

    static final int STATE = 0;
    static final int MID = 12;
    static final int ACCT = 24;
    static final int PRE = 25;
    static final int DELTA = 26;
    static final int POST = 27;
    static final int SUM = 28;
    static final int ACC_D = 29;
    static final int ACC_P = 30;
    static final int ACC_S = 31;
    static final int LIMBS_D = 32;
    static final int LIMBS_P = 39;
    static final int LIMBS_S = 47;
    static final int WIDTH = 55;

    static final int DELTA_BITS_PER_ROW = 13;
    static final int WIDE_BITS_PER_ROW = 16;
    /** Bits of the most significant chunk (row 0): 49 - 3 x 13 and 63 - 3 x 16. */
    static final int DELTA_TOP_BITS = 10;
    static final int WIDE_TOP_BITS = 15;
    static final long DELTA_OFFSET = 1L << 48;
    static final long WIDE_OFFSET = 1L << 62;
    /** limbCount of the row widths, spelled out so the constraint indices are compile-time constants. */
    static final int DELTA_LIMBS = (DELTA_BITS_PER_ROW + 1) / 2;
    static final int WIDE_LIMBS = (WIDE_BITS_PER_ROW + 1) / 2;
    private static final int LIMB_COLUMNS = DELTA_LIMBS + 2 * WIDE_LIMBS;
    /** First delta limb that must be zero on row 0 (limbs 5 and 6: bits 10..12 of the chunk). */
    private static final int DELTA_NARROW_LIMB = DELTA_TOP_BITS / 2;
    /** The wide values' limb that must be a bit on row 0 (limb 7: bits 14..15 of the chunk). */
    private static final int WIDE_NARROW_LIMB = WIDE_TOP_BITS / 2;

    /** Round constants of the even round of each row, then of the odd round; then the two row selectors. */
    static final int P_EVEN = 0;
    static final int P_ODD = RescueConstraints.PERIODIC_COLUMNS;
    static final int P_RND = 2 * RescueConstraints.PERIODIC_COLUMNS;
    static final int P_FIRST = P_RND + 1;

    /** Constraint index ranges, for tests that remove one constraint at a time. */
    static final int C_EVEN = 0;
    static final int C_ODD = 12;
    static final int C_RECORD_CONST = 24;
    static final int C_POST = 27;
    static final int C_SUM = 28;
    static final int C_LIMBS = 29;
    static final int C_NARROW = C_LIMBS + LIMB_COLUMNS;
    static final int C_ACC = C_NARROW + 3;
    static final int C_CHECK = C_ACC + 3;
    static final int CONSTRAINTS = C_CHECK + 3;

    private final BatchPublicInputs inputs;

    /**
     * @throws IllegalArgumentException if the inputs are outside their ranges: conservation is only
     *         an integer statement when |E - fee - insurance| stays far below p / 2
     */
    public BatchAir(final BatchPublicInputs inputs)
    {
        super("perpetua-batch-v2", WIDTH, traceLengthFor(checked(inputs).recordCount()));
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

    /**
     * Trace rows for n records: one cycle for the initial permutation, one per record and at least
     * one row more (see the class comment), padded to a power of two: the smallest one above 4 (n + 1).
     */
    public static int traceLengthFor(final int records)
    {
        return (int)(Long.highestOneBit(4L * (records + 1)) << 1);
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
    static int finalRow(final int records)
    {
        return CYCLE * records + CYCLE - 1;
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
        for (int i = 0; i < RescuePrime.WIDTH; i++)
        {
            d.add(new TransitionDegree(7));
        }
        for (int i = 0; i < RescuePrime.WIDTH; i++)
        {
            d.add(new TransitionDegree(7, CYCLE));
        }
        for (int i = 0; i < 3; i++)
        {
            d.add(new TransitionDegree(1, CYCLE));
        }
        d.add(new TransitionDegree(1));
        d.add(new TransitionDegree(1, CYCLE));
        limbDegrees(d, DELTA_BITS_PER_ROW);
        limbDegrees(d, WIDE_BITS_PER_ROW);
        limbDegrees(d, WIDE_BITS_PER_ROW);
        d.add(new TransitionDegree(1, CYCLE));
        d.add(new TransitionDegree(2, CYCLE));
        d.add(new TransitionDegree(2, CYCLE));
        for (int i = 0; i < 6; i++)
        {
            d.add(new TransitionDegree(1, CYCLE));
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
        final int row = finalRow(inputs.recordCount());
        for (int i = 0; i < RescuePrime.DIGEST_SIZE; i++)
        {
            a.add(new Assertion(MID + RescuePrime.RATE_START + i, row, inputs.daCommitment()[i]));
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
        // scratch elements: 0 = 1 - rnd, 1..3 temporaries
        final long[] t = new long[4 * d];
        e.setBase(t, 0, 1);
        e.sub(t, 0, per, P_RND, t, 0);

        // M = even round of S on every row; S' = odd round of M on rows 0..2, M + next record on row 3
        RescueConstraints.evaluateRound(e, cur, STATE, cur, MID, per, P_EVEN, out, C_EVEN);
        RescueConstraints.evaluateRound(e, cur, MID, next, STATE, per, P_ODD, out, C_ODD);
        for (int k = 0; k < RescuePrime.WIDTH; k++)
        {
            e.sub(next, STATE + k, cur, MID + k, t, 1);
            if (k >= RescuePrime.RATE_START && k < RescuePrime.RATE_START + 4)
            {
                e.sub(t, 1, next, ACCT + k - RescuePrime.RATE_START, t, 1);
            }
            select(e, per, P_RND, out, C_ODD + k, t, 0, t, 1, out, C_ODD + k, t);
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
        // running sum: constant within a cycle, adds the next record's delta on 3 -> 0
        e.sub(next, SUM, cur, SUM, t, 1);
        e.sub(t, 1, next, DELTA, t, 2);
        select(e, per, P_RND, t, 1, t, 0, t, 2, out, C_SUM, t);
        // limbs are in range
        limbs(e, cur, LIMBS_D, DELTA_BITS_PER_ROW, out, C_LIMBS, t);
        limbs(e, cur, LIMBS_P, WIDE_BITS_PER_ROW, out, C_LIMBS + DELTA_LIMBS, t);
        limbs(e, cur, LIMBS_S, WIDE_BITS_PER_ROW, out, C_LIMBS + DELTA_LIMBS + WIDE_LIMBS, t);
        // row 0 holds the narrower top chunk: delta limbs 5, 6 zero, wide limb 7 a bit
        e.mulBase(cur, LIMBS_D + DELTA_NARROW_LIMB + 1, 4, t, 1);
        e.add(t, 1, cur, LIMBS_D + DELTA_NARROW_LIMB, t, 1);
        e.mul(t, 1, per, P_FIRST, out, C_NARROW);
        narrowToBit(e, cur, LIMBS_P + WIDE_NARROW_LIMB, per, out, C_NARROW + 1, t);
        narrowToBit(e, cur, LIMBS_S + WIDE_NARROW_LIMB, per, out, C_NARROW + 2, t);
        // accumulators
        accumulator(e, cur, next, per, ACC_D, LIMBS_D, DELTA_BITS_PER_ROW, out, C_ACC, t);
        accumulator(e, cur, next, per, ACC_P, LIMBS_P, WIDE_BITS_PER_ROW, out, C_ACC + 1, t);
        accumulator(e, cur, next, per, ACC_S, LIMBS_S, WIDE_BITS_PER_ROW, out, C_ACC + 2, t);
        // range checks on row 3: acc = value + offset
        check(e, cur, ACC_D, DELTA, DELTA_OFFSET, out, C_CHECK, t);
        check(e, cur, ACC_P, POST, WIDE_OFFSET, out, C_CHECK + 1, t);
        check(e, cur, ACC_S, SUM, WIDE_OFFSET, out, C_CHECK + 2, t);
    }

    /**
     * The same constraints over the base field with static field calls and no scratch arrays: the
     * prover evaluates them on every point of the extended domain (2^19 points for 10k records), the
     * verifier only at the out-of-domain point, through the generic path above.
     */
    private static void evaluateBase(final long[] cur, final long[] next, final long[] per, final long[] out)
    {
        final long rnd = per[P_RND];
        final long notRnd = Goldilocks.sub(1, rnd);
        RescueConstraints.evaluateRound(Extension.BASE, cur, STATE, cur, MID, per, P_EVEN, out, C_EVEN);
        RescueConstraints.evaluateRound(Extension.BASE, cur, MID, next, STATE, per, P_ODD, out, C_ODD);
        for (int k = 0; k < RescuePrime.WIDTH; k++)
        {
            long absorb = Goldilocks.sub(next[STATE + k], cur[MID + k]);
            if (k >= RescuePrime.RATE_START && k < RescuePrime.RATE_START + 4)
            {
                absorb = Goldilocks.sub(absorb, next[ACCT + k - RescuePrime.RATE_START]);
            }
            out[C_ODD + k] = Goldilocks.add(Goldilocks.mul(rnd, out[C_ODD + k]), Goldilocks.mul(notRnd, absorb));
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
        final long first = per[P_FIRST];
        out[C_NARROW] = Goldilocks.mul(first,
            Goldilocks.add(cur[LIMBS_D + DELTA_NARROW_LIMB], Goldilocks.mul(4, cur[LIMBS_D + DELTA_NARROW_LIMB + 1])));
        final long wideP = cur[LIMBS_P + WIDE_NARROW_LIMB];
        out[C_NARROW + 1] = Goldilocks.mul(first, Goldilocks.mul(wideP, Goldilocks.sub(wideP, 1)));
        final long wideS = cur[LIMBS_S + WIDE_NARROW_LIMB];
        out[C_NARROW + 2] = Goldilocks.mul(first, Goldilocks.mul(wideS, Goldilocks.sub(wideS, 1)));
        out[C_ACC] = accumulatorBase(cur, next, rnd, notRnd, ACC_D, LIMBS_D, DELTA_BITS_PER_ROW);
        out[C_ACC + 1] = accumulatorBase(cur, next, rnd, notRnd, ACC_P, LIMBS_P, WIDE_BITS_PER_ROW);
        out[C_ACC + 2] = accumulatorBase(cur, next, rnd, notRnd, ACC_S, LIMBS_S, WIDE_BITS_PER_ROW);
        out[C_CHECK] = Goldilocks.mul(Goldilocks.sub(Goldilocks.sub(cur[ACC_D], cur[DELTA]), DELTA_OFFSET), notRnd);
        out[C_CHECK + 1] = Goldilocks.mul(Goldilocks.sub(Goldilocks.sub(cur[ACC_P], cur[POST]), WIDE_OFFSET), notRnd);
        out[C_CHECK + 2] = Goldilocks.mul(Goldilocks.sub(Goldilocks.sub(cur[ACC_S], cur[SUM]), WIDE_OFFSET), notRnd);
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

    private static long accumulatorBase(final long[] cur, final long[] next, final long rnd, final long notRnd, final int acc,
        final int limbs, final int count)
    {
        long chunk = 0;
        for (int i = 0; i < limbCount(count); i++)
        {
            chunk = Goldilocks.add(chunk, Goldilocks.mul(next[limbs + i], 1L << (2 * i)));
        }
        final long restart = Goldilocks.sub(next[acc], chunk);
        final long step = Goldilocks.sub(restart, Goldilocks.mul(cur[acc], 1L << count));
        return Goldilocks.add(Goldilocks.mul(step, rnd), Goldilocks.mul(restart, notRnd));
    }

    /** first * q (q - 1) (uses scratch element 1). */
    private static void narrowToBit(final Extension e, final long[] cur, final int col, final long[] per, final long[] out,
        final int outAt, final long[] t)
    {
        e.addBase(cur, col, Goldilocks.P - 1, t, 1);
        e.mul(t, 1, cur, col, t, 1);
        e.mul(t, 1, per, P_FIRST, out, outAt);
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

    /** rnd * (acc' - acc * 2^B - chunk') + (1 - rnd) * (acc' - chunk'). */
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
        e.mul(t, 1, per, P_RND, out, outAt);
        e.mul(t, 2, t, 0, t, 3);
        e.add(out, outAt, t, 3, out, outAt);
    }

    /** (1 - rnd) * (acc - value - offset): on row 3 (uses scratch elements 0, 1). */
    private static void check(final Extension e, final long[] cur, final int acc, final int value, final long offset,
        final long[] out, final int outAt, final long[] t)
    {
        e.sub(cur, acc, cur, value, t, 1);
        e.addBase(t, 1, Goldilocks.P - offset, t, 1);
        e.mul(t, 1, t, 0, out, outAt);
    }
}
