package io.perpetua.settlement.stark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.Verifier;
import io.perpetua.settlement.stark.batch.BatchAir;
import io.perpetua.settlement.stark.batch.BatchExecutor;
import io.perpetua.settlement.stark.batch.BatchPublicInputs;
import io.perpetua.settlement.stark.batch.BatchRecord;

/**
 * The exchange-free entry point behind {@code perpetua bench stark}: build a random valid batch of
 * N records, prove it with {@link BatchAir}, optionally flip one byte of the proof, verify, and
 * report times and size.
 *
 * <p>Why here and not in the CLI: the CLI module should only parse flags and print; keeping the
 * benchmark body next to the prover lets it run (and be tested) without the rest of the node.
 * Wall-clock timing is fine in a benchmark; nothing here feeds exchange state.
 */
public final class StarkBench
{
    private StarkBench()
    {
    }

    /** One benchmark run. */
    public record Result(int records, String preset, long proveMs, long verifyMs, int proofBytes, boolean verified,
        String rejection)
    {
        /** The single result line the CLI prints. */
        public String format()
        {
            return "RESULT stark records=" + records + " preset=" + preset + " prove-ms=" + proveMs + " verify-ms=" + verifyMs
                + " proof-bytes=" + proofBytes + " verified=" + verified;
        }
    }

    /**
     * Proves and verifies a random valid batch.
     *
     * @param records number of records, at least 1
     * @param preset  "P100" or "P128"
     * @param tamper  flip one byte of the proof before verifying (then verified must be false)
     * @param seed    seed of the random batch and of the tampered position
     */
    public static Result run(final int records, final String preset, final boolean tamper, final long seed)
    {
        if (records < 1 || records > BatchPublicInputs.MAX_RECORDS)
        {
            throw new IllegalArgumentException("records must be in [1, " + BatchPublicInputs.MAX_RECORDS + "]");
        }
        final ProofOptions options = ProofOptions.preset(preset);
        final SplittableRandom rnd = new SplittableRandom(seed);
        final List<BatchRecord> batch = randomBatch(records, rnd);
        final BatchExecutor.Witness witness = BatchExecutor.witness(rnd.nextLong(1L << 40), new long[4], new long[4], batch,
            rnd.nextLong(1L << 20), -rnd.nextLong(1L << 20));
        final BatchPublicInputs inputs = witness.inputs();

        final long t0 = System.nanoTime();
        final byte[] proof = Prover.prove(new BatchAir(inputs), witness.trace(), options);
        final long t1 = System.nanoTime();
        if (tamper)
        {
            final int at = rnd.nextInt(proof.length);
            proof[at] ^= (byte)(1 << rnd.nextInt(8));
        }
        boolean verified;
        String rejection = null;
        final long t2 = System.nanoTime();
        try
        {
            Verifier.verify(new BatchAir(inputs), proof, options);
            verified = true;
        }
        catch (final VerificationException ex)
        {
            verified = false;
            rejection = ex.reason().name();
        }
        final long t3 = System.nanoTime();
        return new Result(records, preset, (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000, proof.length, verified, rejection);
    }

    /** Random records within the AIR's ranges, with a few at the delta bound. */
    static List<BatchRecord> randomBatch(final int records, final SplittableRandom rnd)
    {
        final List<BatchRecord> batch = new ArrayList<>(records);
        for (int i = 0; i < records; i++)
        {
            final long pre = rnd.nextLong(-(1L << 44), 1L << 44);
            final long delta = rnd.nextInt(64) == 0 ? (1L << 48) - 1 : rnd.nextLong(-(1L << 36), 1L << 36);
            batch.add(new BatchRecord(rnd.nextLong(1L << 20), pre, delta, pre + delta));
        }
        return batch;
    }
}
