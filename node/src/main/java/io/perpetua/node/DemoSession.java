package io.perpetua.node;

import io.perpetua.gateway.marketdata.MarketDataState;
import io.perpetua.gateway.marketdata.MarketState;
import io.perpetua.gateway.marketdata.MarketUnits;
import io.perpetua.gateway.sbe.codec.ExecType;
import io.perpetua.gateway.sbe.codec.Side;
import io.perpetua.gateway.trading.TradingEndpoint;
import io.perpetua.node.config.ConfigLoader;
import io.perpetua.node.config.NodeConfig;
import io.perpetua.risk.view.MarginViews;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code perpetua demo}: a {@link Node} started from the embedded {@code demo.yaml}, and its
 * simulated clients connected through the gateway like any client: the market maker of
 * {@link DemoTraffic} over the SBE port ({@link SbeTradingClient}), as market makers trade, and the
 * {@link DemoOracle} sources (ORACLE keys submitting signed prices) and the leveraged takers over the
 * trading WebSocket, all driven from the calling thread. A summary thread
 * prints, every second, what the gateway's public market data and the node's margin views show.
 * Ends with a {@code RESULT demo} line and the engine's state hash, which {@code perpetua replay}
 * of the same journal reproduces.
 */
final class DemoSession
{
    /** The demo's embedded configuration. */
    static final String CONFIG = "/io/perpetua/node/demo.yaml";
    /** The trader login the demo prints for the browser page (see demo.yaml). */
    static final String TRADER_KEY = "demo-trader";
    /** The demo's account owner keys derive from this label and the account id ({@code Ed25519Keys.deriveSeed}); demo.yaml lists the public ones. */
    static final String OWNER_KEY_LABEL = "perpetua/demo-account";
    private static final long SUMMARY_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long ORACLE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final String MAKER_KEY = "demo-maker";
    /**
     * Requests the flow leaves unanswered at most: a gateway slower than {@code --rate} (a loaded
     * machine) slows the flow down instead of queueing seconds of requests ahead of the oracle's.
     */
    private static final long MAX_IN_FLIGHT = 256;
    private static final String TAKER_KEY_PREFIX = "demo-taker-";

    private final NodeConfig config;
    private final long seed;
    private final int ratePerSecond;
    private final PrintWriter out;
    private final PrintWriter err;
    private volatile boolean stopRequested;

    /**
     * @param httpPort HTTP/WebSocket port (0: ephemeral)
     * @param sbePort  SBE port (0: ephemeral)
     */
    DemoSession(
        final Path journal,
        final int httpPort,
        final int sbePort,
        final long seed,
        final int ratePerSecond,
        final long snapshotIntervalNs,
        final PrintWriter out,
        final PrintWriter err)
    {
        final NodeConfig embedded = ConfigLoader.resource(CONFIG, journal);
        this.config = embedded.with(journal, new NodeConfig.Listener(embedded.http().host(), httpPort),
            new NodeConfig.Listener(embedded.sbe().host(), sbePort)).withSnapshotInterval(snapshotIntervalNs);
        this.seed = seed;
        this.ratePerSecond = ratePerSecond;
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
    String run(final long durationNs) throws InterruptedException
    {
        final Node node = Node.start(config, error -> error.printStackTrace(err));
        final Map<String, LongAdder> errors = TradingClient.errorCounters();
        final AtomicLong inFlight = new AtomicLong();
        final Summary summary = new Summary(node);
        final List<AutoCloseable> clients = new ArrayList<>();
        SbeTradingClient maker = null;
        try
        {
            final long startSequence = node.pipeline().startSequence();
            println("demo: journal " + config.journal() + ", seed " + seed + ", " + ratePerSecond + " commands/s, from sequence " +
                (startSequence + 1));
            if (node.settlementStart() != null)
            {
                println("demo: settlement batcher " + node.settlementStart());
            }
            printEndpoints(node);
            final URI trading = URI.create("ws://" + config.http().host() + ":" + node.gateway().port() + TradingEndpoint.PATH);
            final HttpClient http = HttpClient.newHttpClient();
            final Map<Long, TradingClient> traders = new HashMap<>();
            final TradingClient[] sources = new TradingClient[DemoOracle.SOURCES];
            for (final NodeConfig.ApiKey key : config.apiKeys())
            {
                if (key.key().equals(MAKER_KEY))
                {
                    maker = SbeTradingClient.connect(new InetSocketAddress(config.sbe().host(), node.gateway().sbePort()),
                        key.key(), key.secret(), errors, inFlight);
                    clients.add(maker);
                }
                if (key.key().startsWith(TAKER_KEY_PREFIX))
                {
                    final TradingClient client = TradingClient.connect(http, trading, key.key(), key.secret(), errors, inFlight);
                    clients.add(client);
                    traders.put(key.accountId(), client);
                }
                for (int i = 0; i < DemoOracle.SOURCES; i++)
                {
                    if (key.key().equals(DemoOracle.apiKey(i)))
                    {
                        sources[i] = TradingClient.connect(http, trading, key.key(), key.secret(), errors, inFlight);
                        clients.add(sources[i]);
                    }
                }
            }
            if (maker == null)
            {
                throw new IllegalStateException("the demo configuration has no API key " + MAKER_KEY);
            }
            summary.maker = maker;
            summary.start();
            drive(durationNs, startSequence == 0, inFlight,
                (accountId, request) -> traders.get(accountId).send(request), makerOrders(maker),
                (sourceIndex, request) -> sources[(int)sourceIndex].send(request));
        }
        finally
        {
            summary.finish();
            for (final AutoCloseable client : clients)
            {
                close(client);
            }
            node.close();
        }
        println(String.format("demo: market maker over SBE: sessions %d, execution reports new %d rested %d " +
            "partially-filled %d filled %d replaced %d cancelled %d rejected %d", maker.sessions(),
            maker.reports(ExecType.NEW), maker.reports(ExecType.RESTED), maker.reports(ExecType.PARTIAL_FILL),
            maker.reports(ExecType.FILL), maker.reports(ExecType.REPLACED), maker.reports(ExecType.CANCELLED),
            maker.reports(ExecType.REJECTED)));
        if (!errors.isEmpty())
        {
            println("demo: client errors by code " + new TreeMap<>(errors));
        }
        final Node.Result result = node.result();
        final MarginViews.Summary margin = node.margins().summary();
        println(String.format(
            "RESULT demo fills=%d liquidations=%d adl=%d insurance=%d open-interest=%d funding-ticks=%d batches=%d",
            margin.fills(), margin.liquidationSteps(), margin.deleverages(), margin.insuranceBalance(),
            margin.openInterestLots(), margin.fundingTicks(), result.batches()));
        final String finalLine = result.stateHashLine();
        println(finalLine);
        return finalLine;
    }

    /** The flow's maker requests as SBE messages. */
    private static DemoTraffic.Maker makerOrders(final SbeTradingClient maker)
    {
        return new DemoTraffic.Maker()
        {
            @Override
            public void newOrder(final int marketId, final long clientOrderId, final boolean buy, final long price, final long size)
            {
                maker.newOrder(marketId, clientOrderId, buy ? Side.BUY : Side.SELL, price, size);
            }

            @Override
            public void cancel(final int marketId, final long clientOrderId)
            {
                maker.cancel(marketId, clientOrderId);
            }

            @Override
            public void cancelReplace(final int marketId, final long clientOrderId, final long newPrice)
            {
                maker.cancelReplace(marketId, clientOrderId, newPrice);
            }

            @Override
            public void massCancel(final int marketId)
            {
                maker.massCancel(marketId);
            }
        };
    }

    private void close(final AutoCloseable client)
    {
        try
        {
            client.close();
        }
        catch (final Exception ex)
        {
            ex.printStackTrace(err);
        }
    }

    private void printEndpoints(final Node node)
    {
        final String http = "http://" + config.http().host() + ":" + node.gateway().port();
        final String ws = "ws://" + config.http().host() + ":" + node.gateway().port();
        println("demo: web page        " + http + "/");
        println("demo: market data     " + http + "/v4/perpetualMarkets (REST), " + ws + "/v4/ws (WebSocket)");
        println("demo: trading         " + ws + TradingEndpoint.PATH + " (WebSocket), POST " + http + TradingEndpoint.PATH);
        println("demo: SBE             tcp://" + config.sbe().host() + ":" + node.gateway().sbePort());
        println("demo: health          " + http + "/health");
        for (final NodeConfig.ApiKey key : config.apiKeys())
        {
            if (key.key().equals(TRADER_KEY))
            {
                println("demo: trader login    key " + key.key() + " secret " + new String(key.secret(),
                    java.nio.charset.StandardCharsets.UTF_8) + " (account " + key.accountId() + ")");
            }
        }
    }

    private void drive(
        final long durationNs,
        final boolean newJournal,
        final AtomicLong inFlight,
        final DemoTraffic.Sink traders,
        final DemoTraffic.Maker maker,
        final DemoTraffic.Sink sources)
    {
        final DemoTraffic traffic = new DemoTraffic(seed, config.markets());
        final DemoOracle oracle = new DemoOracle(config.markets(), seed, System.currentTimeMillis() * 1_000_000L);
        if (newJournal)
        {
            for (int t = 0; t < DemoTraffic.TAKER_ACCOUNTS; t++)
            {
                for (int m = 0; m < config.markets().size(); m++)
                {
                    traffic.setLeverage(t, m, traders);
                }
            }
        }
        final long startNs = System.nanoTime();
        long nextOracleNs = startNs;
        long submitted = 0;
        while (!stopRequested)
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
                oracle.poll(wallClockNs, sources);
                for (int m = 0; m < config.markets().size(); m++)
                {
                    traffic.onOraclePrice(m, oracle.median(m), wallClockNs);
                }
                nextOracleNs += ORACLE_INTERVAL_NS;
            }
            final long due = elapsedNs / 1_000 * ratePerSecond / 1_000_000;
            if (submitted >= due || inFlight.get() >= MAX_IN_FLIGHT)
            {
                LockSupport.parkNanos(200_000);
                continue;
            }
            // Like a client that cannot keep up, the flow drops what it could not send in time rather than bursting.
            submitted = Math.max(submitted, due - Math.max(1, ratePerSecond / 10));
            final long wallClockNs = System.currentTimeMillis() * 1_000_000L;
            while (submitted < due && inFlight.get() < MAX_IN_FLIGHT && !stopRequested)
            {
                traffic.next(wallClockNs, traders, maker);
                submitted++;
            }
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

    /** Prints, each second, the gateway's market data (sequence, book top, last trade) and the margin views' figures. */
    private final class Summary extends Thread
    {
        private final Node node;
        private volatile SbeTradingClient maker;
        private volatile boolean finishing;
        private long lastSequence;
        private long lastFills;
        private long seconds;

        Summary(final Node node)
        {
            super("perpetua-demo-summary");
            this.node = node;
            setDaemon(true);
        }

        @Override
        public void run()
        {
            long nextNs = System.nanoTime() + SUMMARY_INTERVAL_NS;
            while (!finishing)
            {
                final long waitNs = nextNs - System.nanoTime();
                if (waitNs > 0)
                {
                    LockSupport.parkNanos(this, waitNs);
                    continue;
                }
                summary();
                nextNs += SUMMARY_INTERVAL_NS;
            }
        }

        private void summary()
        {
            seconds++;
            final MarketDataState marketData = node.gateway().marketData();
            final MarginViews.Summary margin = node.margins().summary();
            final long sequence = marketData.sequence();
            final StringBuilder line = new StringBuilder(200);
            line.append(String.format("[%4ds] seq %d  cmds/s %d  fills %d (+%d)", seconds, sequence, sequence - lastSequence,
                margin.fills(), margin.fills() - lastFills));
            synchronized (marketData)
            {
                for (final MarketState market : marketData.markets())
                {
                    final MarketUnits units = market.info().units();
                    line.append("  ").append(market.info().symbol()).append(' ')
                        .append(market.bids().isEmpty() ? "-" : units.price(market.bids().firstKey())).append(" / ")
                        .append(market.asks().isEmpty() ? "-" : units.price(market.asks().firstKey()))
                        .append(" last ").append(market.lastTradePrice() == 0 ? "-" : units.price(market.lastTradePrice()));
                }
            }
            line.append(String.format("  liquidations %d adl %d insurance %s", margin.liquidationSteps(),
                margin.deleverages(), usd(margin.insuranceBalance())));
            line.append("  maker SBE reports ").append(maker.reports());
            lastSequence = sequence;
            lastFills = margin.fills();
            println(line.toString());
        }

        void finish()
        {
            finishing = true;
            LockSupport.unpark(this);
            try
            {
                join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
