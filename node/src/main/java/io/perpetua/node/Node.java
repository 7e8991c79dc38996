package io.perpetua.node;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.funding.FundingProcessor;
import io.perpetua.gateway.Gateway;
import io.perpetua.gateway.http.Health;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.node.config.NodeConfig;
import io.perpetua.risk.view.JournalTailer;
import io.perpetua.risk.view.MarginViews;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongPredicate;

/**
 * A whole exchange in one process, from a {@link NodeConfig}: the journaling pipeline running the
 * node's engine (recovering the journal directory first), the setup of a new journal (markets,
 * their risk and oracle parameters, deposits), the journal tailers (margin views with the
 * liquidation monitor, the funding processor, the settlement batcher when configured), the oracle
 * aggregator fed by ORACLE keys, periodic snapshots, and the gateway (HTTP/WebSocket and SBE).
 * Clients, including the demo's market maker and oracle sources, reach it only through the gateway.
 */
final class Node implements AutoCloseable
{
    private static final long SETUP_TIMEOUT_S = 60;

    private final NodeConfig config;
    private final Pipeline pipeline;
    private final MarginViews margins;
    private final JournalTailer marginTailer;
    private final JournalTailer fundingTailer;
    private final NodeSettlement settlement;
    private final JournalLock lock;
    private final OracleFeeds oracle;
    /** Periodic work: snapshots, and relaying the contract's forced withdrawals. */
    private final ScheduledExecutorService snapshots;
    private final Gateway gateway;
    private Result result;

    /** The end state after {@link #close()}. */
    record Result(long stateHash, long sequence, long batches)
    {
        /** The CLI's contract line. */
        String stateHashLine()
        {
            return String.format("state-hash %016x at seq %d", stateHash, sequence);
        }
    }

    private Node(final NodeConfig config, final ErrorHandler errors, final JournalLock lock) throws InterruptedException
    {
        this.config = config;
        this.lock = lock;
        pipeline = Pipeline.start(new Pipeline.Context()
            .journalDir(config.journal())
            .waitMode(config.waitMode())
            .engineFactory(Engines::standard)
            .errorHandler(errors));
        settlement = config.settlement() == null ? null : new NodeSettlement(config.journal(), config.settlement());
        try
        {
            if (pipeline.startSequence() == 0)
            {
                setUp();
            }
        }
        catch (final RuntimeException ex)
        {
            pipeline.close();
            throw ex;
        }
        final JournalLayout layout = new JournalLayout(config.journal());
        margins = new MarginViews(new LiquidationSubmitter(pipeline));
        marginTailer = new JournalTailer("perpetua-margin", layout.eventsDir(), margins).start();
        fundingTailer = new JournalTailer("perpetua-funding", layout.eventsDir(),
            new FundingProcessor(marketId -> config.funding(), new FundingSubmitter(pipeline))).start();
        if (settlement != null)
        {
            settlement.start();
        }
        oracle = new OracleFeeds(config.markets(), pipeline, new SystemEpochNanoClock());
        snapshots = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "perpetua-timers");
            thread.setDaemon(true);
            return thread;
        });
        if (settlement != null)
        {
            snapshots.scheduleAtFixedRate(() ->
            {
                try
                {
                    settlement.relayForcedRequests(pipeline, System.nanoTime());
                }
                catch (final RuntimeException ex)
                {
                    errors.onError(ex);
                }
            }, 0, 1, TimeUnit.SECONDS);
        }
        if (config.snapshotIntervalNs() > 0)
        {
            final SnapshotSubmitter snapshot = new SnapshotSubmitter(pipeline);
            snapshots.scheduleAtFixedRate(snapshot, config.snapshotIntervalNs(), config.snapshotIntervalNs(), TimeUnit.NANOSECONDS);
        }
        final ApiKeyStore keys = new ApiKeyStore();
        for (final NodeConfig.ApiKey key : config.apiKeys())
        {
            keys.add(key.key(), key.secret(), key.accountId(), key.role());
        }
        final Gateway.Config gatewayConfig = new Gateway.Config()
            .address(new InetSocketAddress(config.http().host(), config.http().port()))
            .ioThreads(config.ioThreads())
            .rateLimit(config.rateLimitPerSecond(), config.rateLimitBurst())
            .errorHandler(errors)
            .trading(pipeline, keys)
            .oracle(oracle)
            .healthComponent(marginHealth(marginTailer, margins))
            .healthComponent(Health.component("funding", fundingTailer::failure, into -> { }));
        if (settlement != null)
        {
            gatewayConfig.healthComponent(settlement.health());
        }
        if (config.sbe() != null)
        {
            gatewayConfig.sbe(new InetSocketAddress(config.sbe().host(), config.sbe().port()))
                .sbeReports(config.sbeReports().window(), config.sbeReports().indexInterval(),
                    config.sbeReports().journalReplay());
        }
        try
        {
            gateway = Gateway.start(config.journal(), gatewayConfig);
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            stopBackground();
            throw ex;
        }
    }

    /** Starts a node; a new journal directory is set up from the configuration first. */
    static Node start(final NodeConfig config, final ErrorHandler errors) throws InterruptedException
    {
        final JournalLock lock = JournalLock.acquire(config.journal());
        try
        {
            return new Node(config, errors, lock);
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            lock.close();
            throw ex;
        }
    }

    Gateway gateway()
    {
        return gateway;
    }

    MarginViews margins()
    {
        return margins;
    }

    Pipeline pipeline()
    {
        return pipeline;
    }

    /** The margin processor on {@code /health}: its tailer, and the totals of the journal it has applied. */
    private static Health.Component marginHealth(final JournalTailer tailer, final MarginViews margins)
    {
        return Health.component("margin", tailer::failure, into ->
        {
            final MarginViews.Summary summary = margins.summary();
            into.put("sequence", summary.sequence());
            into.put("fills", summary.fills());
            into.put("liquidationSteps", summary.liquidationSteps());
            into.put("deleverages", summary.deleverages());
            into.put("insuranceBalance", summary.insuranceBalance());
            into.put("openInterestLots", summary.openInterestLots());
            into.put("fundingTicks", summary.fundingTicks());
        });
    }

    /** How the settlement batcher started (see {@code Batcher.startState}), or null without settlement. */
    String settlementStart()
    {
        return settlement == null ? null : settlement.startState();
    }

    /** The markets, their risk and oracle parameters, then the deposits: each must be accepted or the node does not start. */
    private void setUp()
    {
        final CommandEncoder encoder = new CommandEncoder();
        final AccountCommandEncoder accounts = new AccountCommandEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        for (int i = 0; i < config.markets().size(); i++)
        {
            final NodeConfig.Market m = config.markets().get(i);
            final String path = "markets[" + i + "] (" + m.symbol() + ")";
            submitSetup(path + " AddMarket", buffer, encoder.addMarket(buffer, 0, m.id(), m.symbol(), m.tickSize(), m.lotSize(),
                m.quoteScaleExponent(), m.minSize(), m.maxSize(), m.maxNotional(), m.priceBandPpm(), m.makerFeePpm(),
                m.takerFeePpm(), m.referencePrice(), false, MarketStatus.ACTIVE));
            final NodeConfig.Risk r = m.risk();
            submitSetup(path + ".risk ConfigureRisk", buffer, accounts.configureRisk(buffer, 0, m.id(), r.initialMarginPpm(),
                r.maintenanceMarginPpm(), r.openInterestLowerCapLots(), r.openInterestUpperCapLots(), r.liquidationFeePpm(),
                r.liquidationSlicePpm(), r.minSliceNotional(), r.maxLiquidationNotional(), r.fillableFactorPpm()));
            final NodeConfig.Oracle o = m.oracle();
            submitSetup(path + ".oracle ConfigureOracle", buffer, accounts.configureOracle(buffer, 0, m.id(), o.quorum(),
                o.validityWindowNs(), o.maxMovePpm(), o.moveWindowNs(), o.staleAfterNs(), o.sourceKeys().toArray(new byte[0][])));
        }
        for (int i = 0; i < config.deposits().size(); i++)
        {
            final NodeConfig.Deposit d = config.deposits().get(i);
            final long depositId = settlement == null ? i + 1 : settlement.escrow(d.accountId(), d.ownerKey(), d.amount());
            submitSetup("deposits[" + i + "] Deposit", buffer, accounts.deposit(buffer, 0, d.accountId(), d.amount(), depositId,
                d.ownerKey()));
        }
    }

    private void submitSetup(final String what, final DirectBuffer buffer, final int length)
    {
        final CompletableFuture<String> outcome = new CompletableFuture<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final RejectedDecoder rejected = new RejectedDecoder();
        final ResultListener listener = (correlationId, sequence, events, offset, eventsLength) ->
        {
            if (eventsLength > 0 && header.wrap(events, offset).templateId() == RejectedDecoder.TEMPLATE_ID)
            {
                outcome.complete(rejected.wrapAndApplyHeader(events, offset, header).reason().name());
            }
            else
            {
                outcome.complete(null);
            }
        };
        PublishResult published;
        while ((published = pipeline.tryPublish(buffer, 0, length, listener, 0)) == PublishResult.BUSY)
        {
            Thread.yield();
        }
        if (published != PublishResult.PUBLISHED)
        {
            throw new IllegalStateException(what + " not published: " + published, pipeline.failure());
        }
        final String reject;
        try
        {
            reject = outcome.get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException(what + ": no result within " + SETUP_TIMEOUT_S + " s", pipeline.failure());
        }
        if (reject != null)
        {
            throw new IllegalArgumentException(what + " rejected by the engine: " + reject);
        }
    }

    private void stopBackground()
    {
        snapshots.shutdownNow();
        pipeline.close();
        marginTailer.close();
        fundingTailer.close();
    }

    /**
     * Stops serving, drains and closes the pipeline, lets the tailers read to the end and settles
     * the last batch. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (result != null)
        {
            return;
        }
        try
        {
            gateway.close();
            stopBackground();
            final long batches = settlement == null ? 0 : settlement.finish();
            result = new Result(pipeline.finalStateHash(), pipeline.finalSequence(), batches);
        }
        finally
        {
            lock.close();
        }
    }

    /** The end state; only after {@link #close()}. */
    synchronized Result result()
    {
        if (result == null)
        {
            throw new IllegalStateException("the node is running");
        }
        return result;
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

        @Override
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

        @Override
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

    /** Submits a TakeSnapshot command on the snapshot thread's schedule; a full ring skips that one. */
    private static final class SnapshotSubmitter implements Runnable
    {
        private static final ResultListener IGNORE = (correlationId, sequence, events, offset, length) ->
        {
        };
        private final Pipeline pipeline;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        private final int length;

        SnapshotSubmitter(final Pipeline pipeline)
        {
            this.pipeline = pipeline;
            length = new CommandEncoder().takeSnapshot(buffer, 0);
        }

        @Override
        public void run()
        {
            pipeline.tryPublish(buffer, 0, length, IGNORE, 0);
        }
    }
}
