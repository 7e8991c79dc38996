package io.perpetua.core.pipeline;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link CrashSafetyTest} kills: runs a journaling pipeline fed by the seeded random
 * stream and prints {@code ack <sequence> <correlation> .} for every result it receives, i.e. for
 * every command it has acknowledged. Stops by itself after two minutes in case its parent died.
 */
public final class CrashChild
{
    private CrashChild()
    {
    }

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final int snapshotEvery = Integer.parseInt(args[2]);
        final PrintStream out = System.out;
        final ResultListener printer = (correlationId, sequence, events, offset, length) ->
            out.println("ack " + sequence + " " + correlationId + " .");
        final RandomCommands source = new RandomCommands(seed, snapshotEvery, LiveRun.CLOCK_STEP_NS);
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Context()
            .journalDir(dir)
            .clock(new SteppingClock(0, LiveRun.CLOCK_STEP_NS))
            .ringSize(256)))
        {
            out.println("started");
            long correlation = 0;
            while (System.nanoTime() < deadline)
            {
                final int length = source.next();
                final PublishResult result = ResultCollector.publish(pipeline, source.buffer(), length, printer, correlation++);
                if (result != PublishResult.PUBLISHED)
                {
                    throw new IllegalStateException("not published: " + result);
                }
            }
        }
    }
}
