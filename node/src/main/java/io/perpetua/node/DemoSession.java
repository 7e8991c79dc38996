package io.perpetua.node;

import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import org.agrona.DirectBuffer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An in-process exchange session: a journaling pipeline, the {@link DemoTraffic} flow submitted at
 * a fixed rate from the calling thread, and a market-data thread that tails the events journal,
 * keeps {@link MarketDataView} and prints a summary every second. Ends with the engine's state hash,
 * which {@code perpetua replay} of the same journal reproduces.
 */
final class DemoSession
{
    private static final long SUMMARY_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final Path journal;
    private final long seed;
    private final int ratePerSecond;
    private final long snapshotIntervalNs;
    private final PrintWriter out;
    private final PrintWriter err;
    private final AtomicLong results = new AtomicLong();
    private volatile boolean stopRequested;

    DemoSession(
        final Path journal,
        final long seed,
        final int ratePerSecond,
        final long snapshotIntervalNs,
        final PrintWriter out,
        final PrintWriter err)
    {
        this.journal = journal;
        this.seed = seed;
        this.ratePerSecond = ratePerSecond;
        this.snapshotIntervalNs = snapshotIntervalNs;
        this.out = out;
        this.err = err;
    }

    /** Asks a running session to stop (from a shutdown hook); {@link #run} then finishes normally. */
    void requestStop()
    {
        stopRequested = true;
    }

    /**
     * Runs until {@code durationNs} elapsed (0: until {@link #requestStop()}), then stops cleanly.
     *
     * @return the final {@code state-hash} line
     */
    String run(final long durationNs)
    {
        final ResultListener counter = (correlationId, sequence, events, offset, length) -> results.lazySet(sequence);
        final Pipeline pipeline = Pipeline.start(new Pipeline.Context()
            .journalDir(journal)
            .errorHandler(error -> error.printStackTrace(err)));
        final MarketDataThread marketData = new MarketDataThread(new JournalLayout(journal));
        println("demo: journal " + journal + ", seed " + seed + ", " + ratePerSecond + " commands/s, from sequence " +
            (pipeline.startSequence() + 1));
        marketData.start();
        try
        {
            drive(pipeline, counter, durationNs);
        }
        finally
        {
            pipeline.close();
            marketData.finish();
        }
        final String finalLine = String.format("state-hash %016x at seq %d", pipeline.finalStateHash(), pipeline.finalSequence());
        println(finalLine);
        return finalLine;
    }

    private void drive(final Pipeline pipeline, final ResultListener counter, final long durationNs)
    {
        final DemoTraffic traffic = new DemoTraffic(seed, DemoMarket.MARKETS);
        for (final DemoMarket market : DemoMarket.MARKETS)
        {
            publish(pipeline, traffic.buffer(), traffic.addMarket(market), counter);
        }
        final long startNs = System.nanoTime();
        long nextSnapshotNs = startNs + snapshotIntervalNs;
        long submitted = 0;
        while (!stopRequested && pipeline.failure() == null)
        {
            final long nowNs = System.nanoTime();
            final long elapsedNs = nowNs - startNs;
            if (durationNs > 0 && elapsedNs >= durationNs)
            {
                break;
            }
            if (nowNs >= nextSnapshotNs)
            {
                publish(pipeline, traffic.buffer(), traffic.takeSnapshot(), counter);
                nextSnapshotNs += snapshotIntervalNs;
            }
            final long due = elapsedNs / 1_000 * ratePerSecond / 1_000_000;
            if (submitted >= due)
            {
                LockSupport.parkNanos(200_000);
                continue;
            }
            final long wallClockNs = System.currentTimeMillis() * 1_000_000L;
            while (submitted < due && !stopRequested)
            {
                publish(pipeline, traffic.buffer(), traffic.next(wallClockNs), counter);
                submitted++;
            }
        }
    }

    private void publish(final Pipeline pipeline, final DirectBuffer buffer, final int length, final ResultListener listener)
    {
        PublishResult result;
        while ((result = pipeline.tryPublish(buffer, 0, length, listener, 0)) == PublishResult.BUSY)
        {
            Thread.yield();
        }
        if (result != PublishResult.PUBLISHED)
        {
            throw new IllegalStateException("demo command not published: " + result, pipeline.failure());
        }
    }

    private void println(final String line)
    {
        synchronized (out)
        {
            out.println(line);
            out.flush();
        }
    }

    /** Tails the events journal into a {@link MarketDataView} and prints the running summary. */
    private final class MarketDataThread extends Thread
    {
        private final JournalLayout layout;
        private final MarketDataView view = new MarketDataView();
        private volatile boolean finishing;
        private long lastResults;
        private long lastFills;
        private long seconds;

        MarketDataThread(final JournalLayout layout)
        {
            super("perpetua-market-data");
            this.layout = layout;
            setDaemon(true);
        }

        @Override
        public void run()
        {
            try (Journal events = Journal.open(layout.eventsDir()); JournalReader reader = events.reader())
            {
                long nextSummaryNs = System.nanoTime() + SUMMARY_INTERVAL_NS;
                while (true)
                {
                    final boolean finalPass = finishing;
                    int read = 0;
                    while (reader.next())
                    {
                        view.onEvents(reader.buffer(), 0, reader.length());
                        read++;
                    }
                    if (finalPass)
                    {
                        return;
                    }
                    if (System.nanoTime() >= nextSummaryNs)
                    {
                        summary();
                        nextSummaryNs += SUMMARY_INTERVAL_NS;
                    }
                    if (read == 0)
                    {
                        LockSupport.parkNanos(1_000_000);
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                ex.printStackTrace(err);
            }
        }

        private void summary()
        {
            seconds++;
            final long resultsNow = results.get();
            final StringBuilder line = new StringBuilder(160);
            line.append(String.format("[%4ds] seq %d  cmds/s %d  fills %d (+%d)", seconds, resultsNow,
                resultsNow - lastResults, view.fills(), view.fills() - lastFills));
            for (final DemoMarket market : DemoMarket.MARKETS)
            {
                final MarketDataView.Book book = view.book(market.marketId());
                line.append("  ").append(market.symbol()).append(' ')
                    .append(market.formatPrice(book.bestBid())).append(" / ").append(market.formatPrice(book.bestAsk()))
                    .append(" last ").append(market.formatPrice(book.lastTradePrice));
            }
            lastResults = resultsNow;
            lastFills = view.fills();
            println(line.toString());
        }

        /** Called after the pipeline closed: reads what is left of the journal, then stops. */
        void finish()
        {
            finishing = true;
            try
            {
                join(TimeUnit.SECONDS.toMillis(60));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
