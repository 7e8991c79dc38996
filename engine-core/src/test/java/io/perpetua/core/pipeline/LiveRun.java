package io.perpetua.core.pipeline;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A seeded random session through a journaling pipeline, with every delivered result kept. */
final class LiveRun
{
    static final long CLOCK_STEP_NS = 1_000;

    final long seed;
    final long stateHash;
    final long lastSequence;
    /** Events delivered for each sequence number (index 0 unused). */
    final byte[][] eventsBySequence;

    private LiveRun(final long seed, final long stateHash, final long lastSequence, final byte[][] eventsBySequence)
    {
        this.seed = seed;
        this.stateHash = stateHash;
        this.lastSequence = lastSequence;
        this.eventsBySequence = eventsBySequence;
    }

    static LiveRun run(final Path dir, final long seed, final int commands, final int snapshotEvery)
    {
        final byte[][] events = new byte[commands + 1][];
        final AtomicInteger delivered = new AtomicInteger();
        final ResultListener listener = (correlationId, sequence, buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            events[(int)sequence] = copy;
            delivered.incrementAndGet();
        };
        final RandomCommands source = new RandomCommands(seed, snapshotEvery, CLOCK_STEP_NS);
        final Pipeline pipeline = Pipeline.start(new Pipeline.Context()
            .journalDir(dir)
            .clock(new SteppingClock(0, CLOCK_STEP_NS))
            .ringSize(1024)
            .waitMode(WaitMode.YIELDING));
        try
        {
            for (int i = 0; i < commands; i++)
            {
                final int length = source.next();
                final PublishResult result = ResultCollector.publish(pipeline, source.buffer(), length, listener, i);
                if (result != PublishResult.PUBLISHED)
                {
                    throw new AssertionError("command " + i + " not published: " + result + " (seed " + seed + ")");
                }
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (delivered.get() < commands)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("only " + delivered.get() + " results (seed " + seed + ")");
                }
                Thread.yield();
            }
        }
        finally
        {
            pipeline.close();
        }
        if (pipeline.failure() != null)
        {
            throw new AssertionError("pipeline failed (seed " + seed + ")", pipeline.failure());
        }
        return new LiveRun(seed, pipeline.finalStateHash(), pipeline.finalSequence(), events);
    }
}
