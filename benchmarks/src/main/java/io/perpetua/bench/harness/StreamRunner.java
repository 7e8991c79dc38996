package io.perpetua.bench.harness;

import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import io.perpetua.core.pipeline.Stamping;
import io.perpetua.core.pipeline.WaitMode;
import io.perpetua.node.bench.EncodedStream;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Drives a workload through a fresh {@link Pipeline} per run: the untimed pre-fill first, then the
 * timed commands either as fast as the ring accepts them (throughput) or at a fixed offered rate
 * (latency). In latency mode command {@code i} is due at {@code start + i / rate}; its latency is
 * the time its result arrives minus that intended time, so a stall that delays the publisher is
 * charged to every command it delayed (no coordinated omission).
 */
public final class StreamRunner
{
    /** Latencies above this are recorded as this (a run that stalls a minute has failed anyway). */
    static final long HIGHEST_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long AWAIT_TIMEOUT_NS = TimeUnit.MINUTES.toNanos(10);
    private static final int RING_SIZE = 1 << 16;
    /**
     * A publisher waiting longer than this for a command's due time yields its core to the stages
     * (two cores, three busy threads); closer to it, it spins so as to publish on time.
     */
    private static final long YIELD_BEFORE_DUE_NS = 20_000;

    private final Workload workload;
    private final WaitMode waitMode;
    private final boolean singleStage;

    public StreamRunner(final Workload workload, final WaitMode waitMode, final boolean singleStage)
    {
        this.workload = workload;
        this.waitMode = waitMode;
        this.singleStage = singleStage;
    }

    /**
     * One run.
     *
     * @param journal      with both Chronicle journals
     * @param ratePerSecond offered rate, or 0 to offer as fast as accepted
     * @param keepJournal  keep the journal directory (returned in the measurement) instead of deleting it
     */
    public Measurement run(final boolean journal, final long ratePerSecond, final boolean keepJournal) throws IOException
    {
        final EncodedStream stream = workload.stream();
        final Path dir = journal ? Files.createTempDirectory("perpetua-harness-") : null;
        final Pipeline.Context context = new Pipeline.Context()
            .journalDir(dir)
            .waitMode(waitMode)
            .singleStage(singleStage)
            .ringSize(RING_SIZE)
            .engineFactory(workload.engineFactory());
        if (workload.clockFactory() != null)
        {
            context.clock(workload.clockFactory().get()).stamping(Stamping.EACH_COMMAND);
        }
        final Results results = new Results(ratePerSecond > 0 ? stream.timedCount() : 0);
        final Pipeline pipeline = Pipeline.start(context);
        final PhaseCounters counters;
        final long elapsedNs;
        final long startNs;
        try
        {
            publishAll(pipeline, results, stream.buffer(), 0, stream.prefillEnd());
            results.awaitAtLeast(stream.prefillCount(), pipeline);
            // The timed part starts with an empty young generation, so a collection in it is one
            // its own allocation caused, not the pre-fill's or an earlier run's.
            System.gc();
            counters = singleStage ? PhaseCounters.forThreads("perpetua-core") :
                PhaseCounters.forThreads("perpetua-sequencer", "perpetua-core");
            counters.start();
            startNs = System.nanoTime();
            if (ratePerSecond > 0)
            {
                publishAtRate(pipeline, results, stream, startNs, ratePerSecond);
            }
            else
            {
                publishAll(pipeline, results, stream.buffer(), stream.prefillEnd(), stream.end());
            }
            results.awaitAtLeast(stream.totalCount(), pipeline);
            elapsedNs = (ratePerSecond > 0 ? results.lastNs() : System.nanoTime()) - startNs;
            counters.stop();
        }
        finally
        {
            pipeline.close();
            if (dir != null && (!keepJournal || pipeline.failure() != null))
            {
                deleteRecursively(dir);
            }
        }
        if (pipeline.failure() != null)
        {
            throw new IllegalStateException("pipeline failed", pipeline.failure());
        }
        final Histogram latency = ratePerSecond > 0 ? results.latencies(startNs, ratePerSecond) : null;
        return new Measurement(stream.timedCount(), elapsedNs, counters.gcCount(), counters.gcTimeMs(),
            counters.allocatedBytes(), pipeline.finalStateHash(), pipeline.finalSequence(),
            singleStage ? -1 : counters.cpuNs(0), counters.cpuNs(singleStage ? 0 : 1), latency,
            keepJournal ? dir : null);
    }

    /** The moment command {@code i} of a run started at {@code startNs} is due at {@code rate} per second. */
    static long intendedNs(final long startNs, final long i, final long ratePerSecond)
    {
        return startNs + i * 1_000_000_000L / ratePerSecond;
    }

    private static void publishAtRate(final Pipeline pipeline, final Results results, final EncodedStream stream,
        final long startNs, final long ratePerSecond)
    {
        final MutableDirectBuffer buffer = stream.buffer();
        int position = stream.prefillEnd();
        for (long i = 0; position < stream.end(); i++)
        {
            final long due = intendedNs(startNs, i, ratePerSecond);
            long now;
            while ((now = System.nanoTime()) < due)
            {
                if (due - now > YIELD_BEFORE_DUE_NS)
                {
                    Thread.yield();
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
            final int length = buffer.getInt(position);
            final int offset = position + Integer.BYTES;
            publish(pipeline, results, buffer, offset, length, i);
            position = offset + length;
        }
    }

    private static void publishAll(final Pipeline pipeline, final Results results, final MutableDirectBuffer buffer,
        final int from, final int to)
    {
        int position = from;
        while (position < to)
        {
            final int length = buffer.getInt(position);
            final int offset = position + Integer.BYTES;
            publish(pipeline, results, buffer, offset, length, Results.UNTIMED);
            position = offset + length;
        }
    }

    private static void publish(final Pipeline pipeline, final Results results, final MutableDirectBuffer buffer,
        final int offset, final int length, final long correlationId)
    {
        PublishResult result;
        while ((result = pipeline.tryPublish(buffer, offset, length, results, correlationId)) == PublishResult.BUSY)
        {
            // A full ring means the stages are behind: give them the core rather than spin against them.
            Thread.yield();
        }
        if (result != PublishResult.PUBLISHED)
        {
            throw new IllegalStateException("publish failed: " + result + " at offset " + offset, pipeline.failure());
        }
    }

    /**
     * Counts results on the core thread and, in latency mode, notes when each timed command's result
     * arrived (indexed by its correlation id): one clock read and one store per command, nothing
     * allocated. In throughput mode it only counts (a clock read is 25 ns here, a sixth of a
     * command), and the run ends when the publisher sees the last result.
     */
    private static final class Results implements ResultListener
    {
        static final long UNTIMED = -1;

        private final long[] doneNs;
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong lastNs = new AtomicLong();

        Results(final int timedCommands)
        {
            doneNs = new long[timedCommands];
        }

        @Override
        public void onResult(final long correlationId, final long sequence, final DirectBuffer events, final int offset,
            final int length)
        {
            if (doneNs.length > 0)
            {
                final long now = System.nanoTime();
                if (correlationId >= 0 && correlationId < doneNs.length)
                {
                    doneNs[(int)correlationId] = now;
                }
                // Ordered stores, not volatile ones: a full fence per command would be a cost of the harness.
                lastNs.lazySet(now);
            }
            count.lazySet(count.get() + 1);
        }

        long lastNs()
        {
            return lastNs.get();
        }

        void awaitAtLeast(final long expected, final Pipeline pipeline)
        {
            final long deadline = System.nanoTime() + AWAIT_TIMEOUT_NS;
            while (count.get() < expected)
            {
                if (pipeline.failure() != null)
                {
                    throw new IllegalStateException("pipeline failed", pipeline.failure());
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("timed out with " + count.get() + " of " + expected + " results");
                }
                Thread.yield();
            }
        }

        Histogram latencies(final long startNs, final long ratePerSecond)
        {
            final Histogram histogram = new Histogram(HIGHEST_LATENCY_NS, 3);
            for (int i = 0; i < doneNs.length; i++)
            {
                final long latency = doneNs[i] - intendedNs(startNs, i, ratePerSecond);
                histogram.recordValue(Math.min(HIGHEST_LATENCY_NS, Math.max(0, latency)));
            }
            return histogram;
        }
    }

    static void deleteRecursively(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + dir, ex);
        }
    }
}
