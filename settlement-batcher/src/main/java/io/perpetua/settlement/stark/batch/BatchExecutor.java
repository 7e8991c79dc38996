package io.perpetua.settlement.stark.batch;

import java.util.List;

import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.rescue.RescuePrime;
import io.perpetua.settlement.stark.rescue.RescueSponge;

/**
 * Plain-Java reference for {@link BatchAir}: computes the public outputs (D, E) of a list of
 * records directly, and builds the execution trace the prover needs.
 *
 * <p>Why both: the settlement batcher and the verifier-side tests need D and E without any proof
 * machinery, and the trace builder must produce exactly the values the reference computes, which
 * the completeness tests check.
 */
public final class BatchExecutor
{
    private BatchExecutor()
    {
    }

    /** The data-availability commitment: the Rescue sponge over (account, pre, delta, post) per record. */
    public static long[] commitment(final List<BatchRecord> records)
    {
        final long[] s = BatchAir.initialState(records.size());
        final RescueSponge sponge = new RescueSponge(s[0], s[1]);
        for (final BatchRecord r : records)
        {
            sponge.absorb(block(r));
        }
        return sponge.digest();
    }

    /** The public inputs a valid batch of these records implies (E = sum of deltas + fee + insurance). */
    public static BatchPublicInputs publicInputs(final long batchId, final long[] prevRoot, final long[] newRoot,
        final List<BatchRecord> records, final long feeDelta, final long insuranceDelta)
    {
        return new BatchPublicInputs(batchId, prevRoot, newRoot, commitment(records), records.size(),
            netDeposits(records, feeDelta, insuranceDelta), feeDelta, insuranceDelta);
    }

    /** What the prover needs: the public inputs and the trace, from one pass of the sponge. */
    public record Witness(BatchPublicInputs inputs, TraceTable trace)
    {
    }

    /**
     * The public inputs and trace of these records. Why not {@link #publicInputs} and {@link #trace}:
     * both run the sponge over every record, and the trace already holds the digest D in the
     * mid-state of the last row of cycle n, so the prover's witness costs one sponge pass instead of two.
     */
    public static Witness witness(final long batchId, final long[] prevRoot, final long[] newRoot,
        final List<BatchRecord> records, final long feeDelta, final long insuranceDelta)
    {
        final long net = netDeposits(records, feeDelta, insuranceDelta);
        final TraceTable trace = trace(records);
        final int finalRow = BatchAir.finalRow(records.size());
        final long[] digest = new long[RescuePrime.DIGEST_SIZE];
        for (int i = 0; i < digest.length; i++)
        {
            digest[i] = trace.get(BatchAir.MID + RescuePrime.RATE_START + i, finalRow);
        }
        return new Witness(new BatchPublicInputs(batchId, prevRoot, newRoot, digest, records.size(), net, feeDelta, insuranceDelta),
            trace);
    }

    private static long netDeposits(final List<BatchRecord> records, final long feeDelta, final long insuranceDelta)
    {
        long net = Math.addExact(feeDelta, insuranceDelta);
        for (final BatchRecord r : records)
        {
            net = Math.addExact(net, r.delta());
        }
        return net;
    }

    static long[] block(final BatchRecord r)
    {
        return fieldBlock(new long[] {r.accountId(), r.preBalance(), r.delta(), r.postBalance()});
    }

    /** The execution trace of {@link BatchAir} for these records. */
    public static TraceTable trace(final List<BatchRecord> records)
    {
        final long[][] raw = new long[records.size()][];
        for (int i = 0; i < raw.length; i++)
        {
            final BatchRecord r = records.get(i);
            raw[i] = new long[] {r.accountId(), r.preBalance(), r.delta(), r.postBalance()};
        }
        return traceOfRaw(raw);
    }

    /**
     * The trace for raw (account, pre, delta, post) rows without any validation: the honest path
     * goes through {@link #trace}; soundness tests use this to build forged traces.
     */
    static TraceTable traceOfRaw(final long[][] raw)
    {
        final int n = raw.length;
        final int length = BatchAir.traceLengthFor(n);
        final TraceTable t = new TraceTable(BatchAir.WIDTH, length);
        final long[] state = BatchAir.initialState(n);
        long sum = 0;
        final long[] zero = new long[4];
        for (int cycle = 0; cycle < length / BatchAir.CYCLE; cycle++)
        {
            final boolean real = cycle >= 1 && cycle <= n;
            final long[] rec = real ? fieldBlock(raw[cycle - 1]) : zero;
            final long delta = real ? raw[cycle - 1][2] : 0;
            final long post = real ? raw[cycle - 1][3] : 0;
            if (cycle >= 1)
            {
                for (int i = 0; i < 4; i++)
                {
                    state[RescuePrime.RATE_START + i] = Goldilocks.add(state[RescuePrime.RATE_START + i], rec[i]);
                }
                sum += delta;
            }
            final int base = BatchAir.CYCLE * cycle;
            for (int k = 0; k < BatchAir.CYCLE; k++)
            {
                final int row = base + k;
                for (int i = 0; i < RescuePrime.WIDTH; i++)
                {
                    t.set(BatchAir.STATE + i, row, state[i]);
                }
                RescuePrime.applyRound(state, 2 * k);
                for (int i = 0; i < RescuePrime.WIDTH; i++)
                {
                    t.set(BatchAir.MID + i, row, state[i]);
                }
                if (2 * k + 1 < RescuePrime.ROUNDS)
                {
                    RescuePrime.applyRound(state, 2 * k + 1);
                }
                for (int i = 0; i < 4; i++)
                {
                    t.set(BatchAir.ACCT + i, row, rec[i]);
                }
                t.set(BatchAir.SUM, row, Goldilocks.fromSigned(sum));
            }
            decompose(t, base, BatchAir.ACC_D, BatchAir.LIMBS_D, BatchAir.DELTA_BITS_PER_ROW, delta + BatchAir.DELTA_OFFSET);
            decompose(t, base, BatchAir.ACC_P, BatchAir.LIMBS_P, BatchAir.WIDE_BITS_PER_ROW, post + BatchAir.WIDE_OFFSET);
            decompose(t, base, BatchAir.ACC_S, BatchAir.LIMBS_S, BatchAir.WIDE_BITS_PER_ROW, sum + BatchAir.WIDE_OFFSET);
        }
        return t;
    }

    static long[] fieldBlock(final long[] raw)
    {
        return new long[] {
            Goldilocks.fromSigned(raw[0]), Goldilocks.fromSigned(raw[1]), Goldilocks.fromSigned(raw[2]),
            Goldilocks.fromSigned(raw[3])};
    }

    /**
     * Writes a value over the rows of a cycle, most significant chunk of {@code perRow} bits first
     * (an in-range value's row-0 chunk is narrower, see BatchAir), each chunk as 2-bit limbs (the top limb of an
     * odd-sized chunk is a single bit), and the accumulator as the value's bits down to this row's
     * chunk. The value is not range-checked here, so tests can write out-of-range values.
     */
    static void decompose(final TraceTable t, final int base, final int acc, final int limbs, final int perRow, final long value)
    {
        final int count = BatchAir.limbCount(perRow);
        final int last = BatchAir.CYCLE - 1;
        for (int r = 0; r < BatchAir.CYCLE; r++)
        {
            final int shift = perRow * (last - r);
            final long chunk = (value >>> shift) & ((1L << perRow) - 1);
            for (int i = 0; i < count; i++)
            {
                t.set(limbs + i, base + r, (chunk >>> (2 * i)) & 3);
            }
            t.set(acc, base + r, Goldilocks.fromUnsigned(value >>> shift));
        }
    }
}
