package io.perpetua.settlement.stark.batch;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.merkle.Sha256;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The prover is a function of (statement, witness, options): the same batch gives the same proof
 * bytes whatever the number of worker threads, and the bytes match the ones pinned here, so an
 * optimisation that changes a single transcript or proof byte is caught. The batch proofs were
 * re-pinned when BatchAir moved its range checks from bits to 2-bit limbs (34 trace columns instead
 * of 45) and again when it moved to two Rescue rounds per row (perpetua-batch-v2: 4-row cycles, 55
 * columns); the state-update proof, pinned from before the prover was parallelised and its
 * arithmetic rewritten, was re-pinned when StateUpdateAir moved to two Rescue rounds per row
 * (perpetua-state-update-v2: 4-row cycles, 98 columns). These were deliberate changes of the
 * statements' layout.
 */
class ProofDeterminismTest
{
    /** SHA-256 of the proofs of {@link #batch} for 100 records, at P100 and P128. */
    private static final String P100_100_RECORDS = "a6906cb2aa2213f2a3998eab6fb47898b1ae931f31ded3ae31a9dc2fc9434a64";
    private static final String P128_100_RECORDS = "d2499262af40c1128affec221058a266dc9dde39fc661213e94489d32bcb74f5";
    /** SHA-256 of the proof of {@link #stateUpdate} (40 updates, depth 8) at P100. */
    private static final String P100_STATE_40 = "ff4a945a4be11de577fdc34cbf7d03a6f472d252122a2223cb25abd2d25190f0";

    /** Records seeded by their count, accounts 1, 4, 7, ... */
    static List<BatchRecord> batch(final int n)
    {
        final SplittableRandom r = new SplittableRandom(n);
        final List<BatchRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final long pre = r.nextLong(-(1L << 44), 1L << 44);
            final long delta = r.nextLong(-(1L << 36), 1L << 36);
            records.add(new BatchRecord(i * 3 + 1, pre, delta, pre + delta));
        }
        return records;
    }

    private static byte[] proveBatch(final int n, final ProofOptions options)
    {
        final List<BatchRecord> records = batch(n);
        final BatchPublicInputs inputs = BatchExecutor.publicInputs(7, new long[4], new long[4], records, 0, 0);
        return Prover.prove(new BatchAir(inputs), BatchExecutor.trace(records), options);
    }

    private static byte[] proveStateUpdate()
    {
        final SplittableRandom r = new SplittableRandom(5);
        final RescueMerkleTree tree = new RescueMerkleTree(8);
        final List<BatchRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            final long pre = r.nextLong(-(1L << 44), 1L << 44);
            final long delta = r.nextLong(-(1L << 36), 1L << 36);
            tree.set(i * 5 + 2, pre);
            records.add(new BatchRecord(i * 5 + 2, pre, delta, pre + delta));
        }
        final StateUpdateExecutor.Result result =
            StateUpdateExecutor.execute(tree, records, StateUpdateExecutor.initialSpongeState(records.size()));
        return Prover.prove(new StateUpdateAir(result.inputs()), result.trace(), ProofOptions.P100);
    }

    private static String sha256(final byte[] bytes)
    {
        final MessageDigest md = Sha256.newDigest();
        return HexFormat.of().formatHex(md.digest(bytes));
    }

    /** Runs the prover inside a pool of {@code threads} workers (parallel streams use the pool they run in). */
    private static byte[] inPool(final int threads, final java.util.function.Supplier<byte[]> prove)
    {
        final ForkJoinPool pool = new ForkJoinPool(threads);
        try
        {
            return pool.submit(prove::get).join();
        }
        finally
        {
            pool.shutdown();
        }
    }

    @Test
    void sameBytesOnEveryRunAndThreadCount()
    {
        final byte[] first = proveBatch(100, ProofOptions.P100);
        assertArrayEquals(first, proveBatch(100, ProofOptions.P100), "second run");
        assertArrayEquals(first, inPool(1, () -> proveBatch(100, ProofOptions.P100)), "one worker");
        assertArrayEquals(first, inPool(3, () -> proveBatch(100, ProofOptions.P100)), "three workers");
        assertArrayEquals(first, inPool(8, () -> proveBatch(100, ProofOptions.P100)), "eight workers");
    }

    @Test
    void proofBytesArePinned()
    {
        assertEquals(P100_100_RECORDS, sha256(proveBatch(100, ProofOptions.P100)));
        assertEquals(P128_100_RECORDS, sha256(inPool(1, () -> proveBatch(100, ProofOptions.P128))));
        assertEquals(P100_STATE_40, sha256(proveStateUpdate()));
    }
}
