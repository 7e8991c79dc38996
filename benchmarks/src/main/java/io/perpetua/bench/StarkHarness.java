package io.perpetua.bench;

import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.Verifier;
import io.perpetua.settlement.stark.batch.BatchAir;
import io.perpetua.settlement.stark.batch.BatchExecutor;
import io.perpetua.settlement.stark.batch.BatchPublicInputs;
import io.perpetua.settlement.stark.batch.BatchRecord;
import io.perpetua.settlement.stark.batch.RescueMerkleTree;
import io.perpetua.settlement.stark.batch.StateUpdateAir;
import io.perpetua.settlement.stark.batch.StateUpdateExecutor;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Prove and verify cost of the settlement proofs: BatchAir over N random records and StateUpdateAir
 * over N account updates on a Rescue tree of a given depth, at a preset. Prints one line per case
 * with prove wall and CPU time, verify time, proof size and the peak heap of the case (heap pools' peak usage,
 * reset before each case). Verification is timed as the best of 5 after one untimed verify, since
 * a settlement contract verifies in a warm process.
 *
 * <p>Usage: {@code StarkHarness batch|state <records> <P100|P128> [depth]}; one case per JVM so that
 * peak heap belongs to that case alone.
 */
public final class StarkHarness
{
    private StarkHarness()
    {
    }

    public static void main(final String[] args)
    {
        final String kind = args[0];
        final int records = Integer.parseInt(args[1]);
        final ProofOptions options = ProofOptions.preset(args[2]);
        final int depth = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        final SplittableRandom random = new SplittableRandom(1);
        final List<BatchRecord> batch = randomBatch(records, random, 1 << Math.min(depth, 30));
        resetPeaks();

        final long proveCpuStart = processCpuNanos();
        final long proveStart = System.nanoTime();
        final byte[] proof;
        final Runnable verify;
        if ("batch".equals(kind))
        {
            final BatchPublicInputs inputs = BatchExecutor.publicInputs(7, new long[4], new long[4], batch, 0, 0);
            proof = Prover.prove(new BatchAir(inputs), BatchExecutor.trace(batch), options);
            verify = () -> verifyOrThrow(new BatchAir(inputs), proof, options);
        }
        else
        {
            final RescueMerkleTree tree = new RescueMerkleTree(depth);
            for (final BatchRecord record : batch)
            {
                tree.set(record.accountId(), record.preBalance());
            }
            final StateUpdateExecutor.Result result =
                StateUpdateExecutor.execute(tree, batch, StateUpdateExecutor.initialSpongeState(batch.size()));
            proof = Prover.prove(new StateUpdateAir(result.inputs()), result.trace(), options);
            verify = () -> verifyOrThrow(new StateUpdateAir(result.inputs()), proof, options);
        }
        final long proveMs = (System.nanoTime() - proveStart) / 1_000_000;
        final long proveCpuMs = (processCpuNanos() - proveCpuStart) / 1_000_000;
        final long peakMb = peakHeapBytes() / (1024 * 1024);

        verify.run();
        long bestVerifyUs = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++)
        {
            final long start = System.nanoTime();
            verify.run();
            bestVerifyUs = Math.min(bestVerifyUs, (System.nanoTime() - start) / 1_000);
        }
        System.out.printf("RESULT stark-harness air=%s records=%d depth=%s preset=%s prove-ms=%d prove-cpu-ms=%d " +
            "verify-ms=%.1f proof-bytes=%d peak-heap-mb=%d%n", "batch".equals(kind) ? "BatchAir" : "StateUpdateAir",
            records, "batch".equals(kind) ? "-" : String.valueOf(depth), args[2], proveMs, proveCpuMs,
            bestVerifyUs / 1000.0, proof.length, peakMb);
    }

    private static void verifyOrThrow(final io.perpetua.settlement.stark.air.Air air, final byte[] proof,
        final ProofOptions options)
    {
        try
        {
            Verifier.verify(air, proof, options);
        }
        catch (final VerificationException ex)
        {
            throw new IllegalStateException("an honest proof failed to verify: " + ex.reason(), ex);
        }
    }

    /** Distinct accounts with balances and deltas inside the AIR's ranges. */
    private static List<BatchRecord> randomBatch(final int records, final SplittableRandom random, final long accounts)
    {
        final List<BatchRecord> batch = new ArrayList<>(records);
        final java.util.Set<Long> used = new java.util.HashSet<>();
        while (batch.size() < records)
        {
            final long account = random.nextLong(Math.max(accounts, records * 2L));
            if (!used.add(account))
            {
                continue;
            }
            final long pre = random.nextLong(-(1L << 44), 1L << 44);
            final long delta = random.nextLong(-(1L << 36), 1L << 36);
            batch.add(new BatchRecord(account, pre, delta, pre + delta));
        }
        return batch;
    }

    private static void resetPeaks()
    {
        System.gc();
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (pool.getType() == MemoryType.HEAP)
            {
                pool.resetPeakUsage();
            }
        }
    }

    /** CPU time of the whole process (all threads, JIT and GC included): steadier than wall time on a shared machine. */
    private static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Sum of the heap pools' peaks: an upper bound on the live heap the case needed. */
    private static long peakHeapBytes()
    {
        long total = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (pool.getType() == MemoryType.HEAP)
            {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }
}
