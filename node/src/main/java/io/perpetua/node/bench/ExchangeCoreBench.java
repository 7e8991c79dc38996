package io.perpetua.node.bench;

import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import io.perpetua.core.pipeline.WaitMode;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Throughput of the whole sequenced core on an exchange-core stream: the Disruptor pipeline with
 * the node's risk gate, optionally both Chronicle journals, offered as fast as the ring accepts.
 * Each run starts a fresh pipeline (and journal), applies the untimed pre-fill and collects
 * garbage, then times the rest from the first publish to the last result. The final book is
 * compared with the stream's reference L2 when one is given.
 */
public final class ExchangeCoreBench
{
    /** The symbol id of exchange-core's stream. */
    public static final int SYMBOL = 40000;

    /** Outcome of a benchmark: per-run rates, the median, and the L2 verdict. */
    public record Result(String workload, boolean journal, double[] commandsPerSecond, double median, String l2)
    {
        /** The contract line scripts read. */
        public String resultLine()
        {
            return String.format("RESULT workload=%s journal=%s throughput=%.0f l2=%s",
                workload, journal ? "on" : "off", median, l2);
        }
    }

    /**
     * The engine the stream runs on: the node's order-limits gate without risk-margin, since the
     * stream has no deposits, margin parameters or oracle prices (its uids are plain accounts).
     */
    public static MatchingEngine engine()
    {
        return new MatchingEngine(new EngineConfig(1 << 14, 1 << 22), new OrderLimitsGate(), new EventPublisher());
    }

    private final EncodedStream stream;
    private final WaitMode waitMode;
    private final boolean singleStage;

    public ExchangeCoreBench(final EncodedStream stream, final WaitMode waitMode, final boolean singleStage)
    {
        this.stream = stream;
        this.waitMode = waitMode;
        this.singleStage = singleStage;
    }

    /**
     * Runs the stream {@code warmups} times untimed (to compile the hot paths), then {@code runs} times.
     *
     * @param referenceL2 a final-l2 file to compare with, or null
     * @param l2Out       where to write the final book of the last run, or null
     */
    public Result run(final String workloadName, final int warmups, final int runs, final boolean journal,
        final Path referenceL2, final Path l2Out, final PrintWriter out) throws IOException
    {
        final double[] rates = new double[runs];
        List<String> lastBook = null;
        for (int run = -warmups; run < runs; run++)
        {
            final Path dir = journal ? Files.createTempDirectory("perpetua-bench-") : null;
            final MatchingEngine[] engine = new MatchingEngine[1];
            final Pipeline pipeline = Pipeline.start(new Pipeline.Context()
                .journalDir(dir)
                .waitMode(waitMode)
                .singleStage(singleStage)
                .ringSize(1 << 16)
                .engineFactory(() ->
                {
                    engine[0] = engine();
                    return engine[0];
                }));
            final Counter counter = new Counter();
            final double rate;
            try
            {
                publish(pipeline, counter, stream.buffer(), 0, stream.prefillEnd());
                counter.awaitAtLeast(stream.prefillCount(), pipeline);
                // The engine's structures go to the old generation first, where a long-running node
                // keeps them (and where the collector's write barrier costs most), as in the harness.
                System.gc();
                final long start = System.nanoTime();
                publish(pipeline, counter, stream.buffer(), stream.prefillEnd(), stream.end());
                counter.awaitAtLeast((long)stream.prefillCount() + stream.timedCount(), pipeline);
                final long elapsedNs = System.nanoTime() - start;
                rate = stream.timedCount() * 1e9 / elapsedNs;
            }
            finally
            {
                pipeline.close();
                if (dir != null)
                {
                    deleteRecursively(dir);
                }
            }
            if (pipeline.failure() != null)
            {
                throw new IllegalStateException("pipeline failed", pipeline.failure());
            }
            // The core thread has stopped: the engine may be read from here.
            lastBook = L2Book.lines(engine[0].state().book(SYMBOL), pipeline.finalStateHash());
            if (run < 0)
            {
                out.printf("warm-up: %,.0f commands/s, journal %s, state-hash %016x at seq %d%n",
                    rate, journal ? "on" : "off", pipeline.finalStateHash(), pipeline.finalSequence());
                out.flush();
                continue;
            }
            rates[run] = rate;
            out.printf("run %d: %,.0f commands/s, journal %s, state-hash %016x at seq %d%n",
                run + 1, rates[run], journal ? "on" : "off", pipeline.finalStateHash(), pipeline.finalSequence());
            out.flush();
        }
        if (l2Out != null)
        {
            Files.write(l2Out, lastBook);
        }
        final double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return new Result(workloadName, journal, rates, sorted[runs / 2], compare(referenceL2, lastBook));
    }

    private static String compare(final Path referenceL2, final List<String> book) throws IOException
    {
        if (referenceL2 == null || !Files.isRegularFile(referenceL2))
        {
            return "no-reference";
        }
        final List<String> expected = Files.readAllLines(referenceL2);
        if (expected.isEmpty() || expected.size() != book.size() ||
            !L2Book.withoutHash(expected.get(0)).equals(L2Book.withoutHash(book.get(0))))
        {
            return "mismatch";
        }
        return expected.subList(1, expected.size()).equals(book.subList(1, book.size())) ? "match" : "mismatch";
    }

    /** Offers every command in {@code [from, to)} as fast as the ring accepts. */
    private static void publish(final Pipeline pipeline, final Counter counter, final MutableDirectBuffer buffer,
        final int from, final int to)
    {
        int position = from;
        while (position < to)
        {
            final int length = buffer.getInt(position);
            final int offset = position + Integer.BYTES;
            PublishResult result;
            while ((result = pipeline.tryPublish(buffer, offset, length, counter, 0)) == PublishResult.BUSY)
            {
                // A full ring means the stages are behind: give them the core rather than spin against them.
                Thread.yield();
            }
            if (result != PublishResult.PUBLISHED)
            {
                throw new IllegalStateException("publish failed: " + result + " at offset " + offset);
            }
            position = offset + length;
        }
    }

    /** Counts results on the core thread; the publisher waits on it with a deadline. */
    private static final class Counter implements ResultListener
    {
        private final AtomicLong results = new AtomicLong();

        public void onResult(final long correlationId, final long sequence, final DirectBuffer events, final int offset,
            final int length)
        {
            results.lazySet(results.get() + 1);
        }

        void awaitAtLeast(final long count, final Pipeline pipeline)
        {
            final long deadline = System.nanoTime() + 600_000_000_000L;
            while (results.get() < count)
            {
                if (pipeline.failure() != null)
                {
                    throw new IllegalStateException("pipeline failed", pipeline.failure());
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("timed out with " + results.get() + " of " + count + " results");
                }
                Thread.onSpinWait();
            }
        }
    }

    private static void deleteRecursively(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            final List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (final Path path : all)
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
