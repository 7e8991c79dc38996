package io.perpetua.bench;

import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.Verifier;
import io.perpetua.settlement.stark.batch.BatchAir;
import io.perpetua.settlement.stark.batch.BatchExecutor;
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
 * over N account updates on a Rescue tree of a given depth, at a preset. Prints one line per case:
 * the witness wall and thread CPU time (trace and public inputs in one sponge pass), the prover's wall and
 * process CPU time, the verify time, the proof size and two heap figures covering witness and proof:
 * the heap pools' peak usage (garbage included, so it grows with -Xmx) and the largest heap left
 * after a garbage collection (the live data; a lower bound on the heap the case needs, close to it
 * when collections ran often, hence their count). Verification is timed as the best of 5 after one
 * untimed verify, since a settlement contract verifies in a warm process.
 *
 * <p>Usage: {@code StarkHarness batch|state <records> <P100|P128> [depth]}; one case per JVM so that
 * peak heap belongs to that case alone. With {@code -Dstark.warmup=N} the JVM first proves and
 * verifies a separate random batch of N records (seed 2) of the same kind, untimed and before the
 * heap figures are reset, so that the timed proof runs on compiled code as in a running node, which
 * proves batch after batch; without it the timed proof includes the JIT's warm-up.
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
        final int warmup = Integer.getInteger("stark.warmup", 0);
        if (warmup > 0)
        {
            final List<BatchRecord> warm = randomBatch(warmup, new SplittableRandom(2), 1 << Math.min(depth, 30));
            final long start = System.nanoTime();
            final Air warmAir;
            final byte[] warmProof;
            if ("batch".equals(kind))
            {
                final BatchExecutor.Witness witness = BatchExecutor.witness(7, new long[4], new long[4], warm, 0, 0);
                warmAir = new BatchAir(witness.inputs());
                warmProof = Prover.prove(warmAir, witness.trace(), options);
            }
            else
            {
                final StateUpdateExecutor.Result result = stateUpdate(warm, depth);
                warmAir = new StateUpdateAir(result.inputs());
                warmProof = Prover.prove(warmAir, result.trace(), options);
            }
            verifyOrThrow(warmAir, warmProof, options);
            System.out.printf("warm-up: %d records proved and verified in %d ms%n", warmup, (System.nanoTime() - start) / 1_000_000);
        }
        final LiveHeapWatcher liveHeap = new LiveHeapWatcher();
        resetPeaks();
        liveHeap.reset();

        // witness: the trace and the statement from the reference executors (sequential sponge work)
        final long witnessStart = System.nanoTime();
        final long witnessCpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        final Air air;
        final TraceTable trace;
        if ("batch".equals(kind))
        {
            final BatchExecutor.Witness witness = BatchExecutor.witness(7, new long[4], new long[4], batch, 0, 0);
            air = new BatchAir(witness.inputs());
            trace = witness.trace();
        }
        else
        {
            final StateUpdateExecutor.Result result = stateUpdate(batch, depth);
            air = new StateUpdateAir(result.inputs());
            trace = result.trace();
        }
        final long witnessMs = (System.nanoTime() - witnessStart) / 1_000_000;
        final long witnessCpuMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - witnessCpuStart) / 1_000_000;

        final long proveCpuStart = processCpuNanos();
        final long proveStart = System.nanoTime();
        final byte[] proof = Prover.prove(air, trace, options);
        final long proveMs = (System.nanoTime() - proveStart) / 1_000_000;
        final long proveCpuMs = (processCpuNanos() - proveCpuStart) / 1_000_000;
        final Runnable verify = () -> verifyOrThrow(air, proof, options);
        final long peakMb = peakHeapBytes() / (1024 * 1024);
        final long liveMb = liveHeap.maxAfterGcBytes() / (1024 * 1024);

        verify.run();
        long bestVerifyUs = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++)
        {
            final long start = System.nanoTime();
            verify.run();
            bestVerifyUs = Math.min(bestVerifyUs, (System.nanoTime() - start) / 1_000);
        }
        System.out.printf("RESULT stark-harness air=%s records=%d depth=%s preset=%s witness-ms=%d witness-cpu-ms=%d prove-ms=%d " +
            "prove-cpu-ms=%d verify-ms=%.1f proof-bytes=%d peak-heap-mb=%d live-heap-mb=%d gcs=%d%n",
            "batch".equals(kind) ? "BatchAir" : "StateUpdateAir", records, "batch".equals(kind) ? "-" : String.valueOf(depth),
            args[2], witnessMs, witnessCpuMs, proveMs, proveCpuMs, bestVerifyUs / 1000.0, proof.length, peakMb, liveMb,
            liveHeap.collections());
    }

    /** The state-update witness of {@code batch} on a tree of {@code depth} holding the pre-balances. */
    private static StateUpdateExecutor.Result stateUpdate(final List<BatchRecord> batch, final int depth)
    {
        final RescueMerkleTree tree = new RescueMerkleTree(depth);
        for (final BatchRecord record : batch)
        {
            tree.set(record.accountId(), record.preBalance());
        }
        return StateUpdateExecutor.execute(tree, batch, StateUpdateExecutor.initialSpongeState(batch.size()));
    }

    private static void verifyOrThrow(final Air air, final byte[] proof,
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

    /** Largest heap occupancy right after a collection, from the collectors' notifications. */
    private static final class LiveHeapWatcher implements javax.management.NotificationListener
    {
        private final java.util.concurrent.atomic.AtomicLong maxAfterGc = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicInteger collections = new java.util.concurrent.atomic.AtomicInteger();

        private final java.util.Set<String> heapPools = new java.util.HashSet<>();

        LiveHeapWatcher()
        {
            for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
            {
                if (pool.getType() == MemoryType.HEAP)
                {
                    heapPools.add(pool.getName());
                }
            }
            for (final java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
            {
                ((javax.management.NotificationEmitter)gc).addNotificationListener(this, null, null);
            }
        }

        void reset()
        {
            maxAfterGc.set(0);
            collections.set(0);
        }

        @Override
        public void handleNotification(final javax.management.Notification notification, final Object handback)
        {
            if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                .equals(notification.getType()))
            {
                return;
            }
            final com.sun.management.GarbageCollectionNotificationInfo info = com.sun.management.GarbageCollectionNotificationInfo
                .from((javax.management.openmbean.CompositeData)notification.getUserData());
            long used = 0;
            for (final var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet())
            {
                if (heapPools.contains(pool.getKey()))
                {
                    used += pool.getValue().getUsed();
                }
            }
            maxAfterGc.accumulateAndGet(used, Math::max);
            collections.incrementAndGet();
        }

        long maxAfterGcBytes()
        {
            return maxAfterGc.get();
        }

        int collections()
        {
            return collections.get();
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
