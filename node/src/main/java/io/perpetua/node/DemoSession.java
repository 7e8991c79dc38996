package io.perpetua.node;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import io.perpetua.funding.FundingConfig;
import io.perpetua.funding.FundingProcessor;
import io.perpetua.risk.view.JournalTailer;
import io.perpetua.risk.view.MarginViews;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

/**
 * An in-process exchange session with real margin: a journaling pipeline running the node's
 * engine (order limits, accounts, oracle, margin), the {@link DemoOracle} feed and the
 * {@link DemoTraffic} flow (funded, leveraged accounts) submitted from the calling thread, a
 * market-data thread that tails the events journal into {@link MarketDataView} and prints a summary
 * every second, and the margin views with the liquidation monitor on their own tailer, submitting
 * {@code Liquidate} commands like any client, and the funding processor on a third tailer,
 * submitting a {@code FundingTick} per market every {@link #FUNDING_INTERVAL_NS} of command time (an
 * hour compressed to ten seconds so that a one-minute demo shows several). Ends with a
 * {@code RESULT demo} line and the engine's state hash, which {@code perpetua replay} of the same
 * journal reproduces.
 */
final class DemoSession
{
    private static final long SUMMARY_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long ORACLE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Demo funding: a premium sample every second, a tick every ten seconds (MECHANICS defaults: 60 s, 1 h). */
    static final long FUNDING_SAMPLE_NS = TimeUnit.SECONDS.toNanos(1);
    static final long FUNDING_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

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
            .engineFactory(Engines::standard)
            .errorHandler(error -> error.printStackTrace(err)));
        final JournalLayout layout = new JournalLayout(journal);
        final MarginViews margins = new MarginViews(new LiquidationSubmitter(pipeline));
        final JournalTailer marginTailer = new JournalTailer("perpetua-margin", layout.eventsDir(), margins);
        final FundingConfig funding = FundingConfig.defaults().withIntervals(FUNDING_SAMPLE_NS, FUNDING_INTERVAL_NS);
        final JournalTailer fundingTailer = new JournalTailer("perpetua-funding", layout.eventsDir(),
            new FundingProcessor(marketId -> funding, new FundingSubmitter(pipeline)));
        final MarketDataThread marketData = new MarketDataThread(layout, margins);
        final DemoSettlement settlement = new DemoSettlement(journal);
        println("demo: journal " + journal + ", seed " + seed + ", " + ratePerSecond + " commands/s, from sequence " +
            (pipeline.startSequence() + 1));
        marginTailer.start();
        fundingTailer.start();
        marketData.start();
        settlement.start();
        try
        {
            drive(pipeline, counter, durationNs, settlement);
        }
        finally
        {
            pipeline.close();
            marginTailer.close();
            fundingTailer.close();
            marketData.finish();
        }
        final long batches = settlement.finish();
        final MarginViews.Summary summary = margins.summary();
        println(String.format(
            "RESULT demo fills=%d liquidations=%d adl=%d insurance=%d open-interest=%d funding-ticks=%d batches=%d",
            summary.fills(), summary.liquidationSteps(), summary.deleverages(), summary.insuranceBalance(),
            summary.openInterestLots(), summary.fundingTicks(), batches));
        final String finalLine = String.format("state-hash %016x at seq %d", pipeline.finalStateHash(), pipeline.finalSequence());
        println(finalLine);
        return finalLine;
    }

    private void drive(final Pipeline pipeline, final ResultListener counter, final long durationNs, final DemoSettlement settlement)
    {
        final DemoTraffic traffic = new DemoTraffic(seed, DemoMarket.MARKETS);
        final DemoOracle oracle = new DemoOracle(DemoMarket.MARKETS, seed, System.currentTimeMillis() * 1_000_000L);
        final UnsafeBuffer oracleBuffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        if (pipeline.startSequence() == 0)
        {
            for (int m = 0; m < DemoMarket.MARKETS.length; m++)
            {
                final DemoMarket market = DemoMarket.MARKETS[m];
                publish(pipeline, traffic.buffer(), traffic.addMarket(market), counter);
                publish(pipeline, traffic.buffer(), traffic.configureRisk(market), counter);
                publish(pipeline, oracleBuffer, oracle.configure(oracleBuffer, m), counter);
            }
            for (int i = 0; i < DemoTraffic.fundedAccounts(); i++)
            {
                final int deposit = traffic.deposit(i);
                settlement.escrow(traffic.buffer(), deposit);
                publish(pipeline, traffic.buffer(), deposit, counter);
            }
            for (int t = 0; t < DemoTraffic.takerAccounts(); t++)
            {
                for (final DemoMarket market : DemoMarket.MARKETS)
                {
                    publish(pipeline, traffic.buffer(), traffic.setLeverage(t, market), counter);
                }
            }
        }
        final long startNs = System.nanoTime();
        long nextOracleNs = startNs;
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
            if (nowNs >= nextOracleNs)
            {
                final long wallClockNs = System.currentTimeMillis() * 1_000_000L;
                oracle.poll(wallClockNs, oracleBuffer, length -> publish(pipeline, oracleBuffer, length, counter));
                for (int m = 0; m < DemoMarket.MARKETS.length; m++)
                {
                    if (oracle.lastMedian(m) > 0)
                    {
                        traffic.onOraclePrice(m, oracle.lastMedian(m), wallClockNs);
                    }
                }
                nextOracleNs += ORACLE_INTERVAL_NS;
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

    /** USDC quantums as dollars with cents, e.g. 1234567 as "$1.23". */
    private static String usd(final long quantums)
    {
        return String.format("$%d.%02d", quantums / 1_000_000, Math.abs(quantums % 1_000_000) / 10_000);
    }

    /** Submits the liquidation monitor's Liquidate commands from the margin tailer's thread. */
    private static final class LiquidationSubmitter implements LongPredicate
    {
        private static final ResultListener IGNORE = (correlationId, sequence, events, offset, length) ->
        {
        };
        private final Pipeline pipeline;
        private final AccountCommandEncoder encoder = new AccountCommandEncoder();
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);

        LiquidationSubmitter(final Pipeline pipeline)
        {
            this.pipeline = pipeline;
        }

        public boolean test(final long accountId)
        {
            final int length = encoder.liquidate(buffer, 0, accountId);
            PublishResult result;
            while ((result = pipeline.tryPublish(buffer, 0, length, IGNORE, accountId)) == PublishResult.BUSY)
            {
                Thread.yield();
            }
            return result == PublishResult.PUBLISHED;
        }
    }

    /** Submits the funding processor's FundingTick commands from the funding tailer's thread. */
    private static final class FundingSubmitter implements FundingProcessor.Submitter
    {
        private static final ResultListener IGNORE = (correlationId, sequence, events, offset, length) ->
        {
        };
        private final Pipeline pipeline;
        private final FundingCommandEncoder encoder = new FundingCommandEncoder();
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);

        FundingSubmitter(final Pipeline pipeline)
        {
            this.pipeline = pipeline;
        }

        public boolean submit(final int marketId, final long rate8hPpb, final long fundingTimeNs)
        {
            final int length = encoder.fundingTick(buffer, 0, marketId, rate8hPpb, fundingTimeNs);
            PublishResult result;
            while ((result = pipeline.tryPublish(buffer, 0, length, IGNORE, marketId)) == PublishResult.BUSY)
            {
                Thread.yield();
            }
            return result == PublishResult.PUBLISHED;
        }
    }

    /** Tails the events journal into a {@link MarketDataView} and prints the running summary. */
    private final class MarketDataThread extends Thread
    {
        private final JournalLayout layout;
        private final MarginViews margins;
        private final MarketDataView view = new MarketDataView();
        private volatile boolean finishing;
        private long lastResults;
        private long lastFills;
        private long seconds;

        MarketDataThread(final JournalLayout layout, final MarginViews margins)
        {
            super("perpetua-market-data");
            this.layout = layout;
            this.margins = margins;
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
            final MarginViews.Summary margin = margins.summary();
            line.append(String.format("  liquidations %d adl %d insurance %s", margin.liquidationSteps(),
                margin.deleverages(), usd(margin.insuranceBalance())));
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
