package io.perpetua.core.pipeline;

import io.perpetua.core.sbe.Side;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequencer and core threads allocate nothing per command once warm: stamping, both journal
 * appends, matching and delivery run on pre-allocated buffers. Measured with the per-thread
 * allocation counter of {@link com.sun.management.ThreadMXBean}.
 */
class PipelineAllocationTest
{
    private static final int WARM_UP = 60_000;
    private static final int MEASURED = 60_000;
    /** Slack for one-off costs (a new journal chunk mapping), far below one byte per command. */
    private static final long TOLERANCE_BYTES = 16 * 1024;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "single stage: {0}")
    @ValueSource(booleans = {false, true})
    void sequencerAndCoreThreadsDoNotAllocatePerCommand(final boolean singleStage)
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final AtomicLong results = new AtomicLong();
        final ResultListener counter = (correlationId, sequence, events, offset, length) -> results.lazySet(sequence);
        final TestCommands encoder = new TestCommands();
        final Pipeline pipeline = Pipeline.start(new Pipeline.Context().journalDir(dir).ringSize(1024).waitMode(WaitMode.YIELDING)
            .singleStage(singleStage));
        try
        {
            ResultCollector.publish(pipeline, encoder.buffer(),
                encoder.addMarket(1, "BTC-USD", 50, 100_000, 4, 100_000, 1_000_000_000, 0, 100_000, -100, 500, 6_000_000),
                counter, 0);
            run(pipeline, encoder, counter, results, WARM_UP);
            // With one stage the core thread also stamps and journals: it alone is measured.
            final long[] ids = {singleStage ? threadId("perpetua-core") : threadId("perpetua-sequencer"), threadId("perpetua-core")};
            final long[] before = {threads.getThreadAllocatedBytes(ids[0]), threads.getThreadAllocatedBytes(ids[1])};
            run(pipeline, encoder, counter, results, MEASURED);
            final long sequencerBytes = threads.getThreadAllocatedBytes(ids[0]) - before[0];
            final long coreBytes = threads.getThreadAllocatedBytes(ids[1]) - before[1];
            assertTrue(sequencerBytes < TOLERANCE_BYTES, "sequencer allocated " + sequencerBytes + " bytes for " + MEASURED + " commands");
            assertTrue(coreBytes < TOLERANCE_BYTES, "core allocated " + coreBytes + " bytes for " + MEASURED + " commands");
        }
        finally
        {
            pipeline.close();
        }
    }

    /** Pairs of a resting sell and a buy that fills it, so the book stays small; plus heartbeats. */
    private static void run(
        final Pipeline pipeline, final TestCommands encoder, final ResultListener counter, final AtomicLong results, final int commands)
    {
        final long target = results.get() + commands;
        for (int i = 0; i < commands; i++)
        {
            final int length;
            switch (i % 3)
            {
                case 0:
                    length = encoder.limitOrder(1, 1, 0, Side.SELL, 6_000_000 + 50L * (i % 20), 100_000);
                    break;
                case 1:
                    length = encoder.limitOrder(2, 1, 0, Side.BUY, 6_000_000 + 50L * 20, 100_000);
                    break;
                default:
                    length = encoder.heartbeat();
                    break;
            }
            ResultCollector.publish(pipeline, encoder.buffer(), length, counter, i);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (results.get() < target)
        {
            assertTrue(System.nanoTime() < deadline, "results stalled at " + results.get());
            Thread.yield();
        }
    }

    private static long threadId(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals(name))
            {
                return thread.getId();
            }
        }
        throw new AssertionError("no thread " + name);
    }
}
