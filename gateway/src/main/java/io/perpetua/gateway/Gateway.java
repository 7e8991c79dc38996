package io.perpetua.gateway;

import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.gateway.http.GatewayServer;
import io.perpetua.gateway.http.Health;
import io.perpetua.gateway.http.WebSocketEndpoint;
import io.perpetua.gateway.indexer.IndexerRest;
import io.perpetua.gateway.indexer.PublicFeed;
import io.perpetua.gateway.marketdata.EventsTailer;
import io.perpetua.gateway.marketdata.JournalConsumer;
import io.perpetua.gateway.marketdata.MarketDataState;
import io.perpetua.gateway.marketdata.MarketUnits;
import io.perpetua.gateway.sbe.SbeServer;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.gateway.trading.LoginVerifier;
import io.perpetua.gateway.trading.OracleInbox;
import io.perpetua.gateway.trading.RateLimiter;
import io.perpetua.gateway.trading.TradingEndpoint;
import org.agrona.ErrorHandler;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The gateway as one unit: the events tailer feeding the market-data state (and the private
 * account channel), and the HTTP/WebSocket server with the public indexer API ({@code /v4/...},
 * {@code /v4/ws}) and, when configured with a pipeline, the private trading API ({@code /v1/trade}).
 */
public final class Gateway implements AutoCloseable
{
    /** Path of the public market-data WebSocket. */
    public static final String FEED_PATH = "/v4/ws";
    /** Default per-key limit of submitted commands: 100 per second sustained, bursts of 200. */
    public static final int DEFAULT_RATE_LIMIT_PER_SECOND = 100;
    public static final int DEFAULT_RATE_LIMIT_BURST = 200;

    private final MarketDataState marketData;
    private final EventsTailer tailer;
    private final GatewayServer server;
    private final TradingEndpoint trading;
    private SbeServer sbe;

    /** Settings. Defaults: 127.0.0.1:8080, one I/O thread, prices in cents, no trading API. */
    public static final class Config
    {
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", GatewayServer.DEFAULT_PORT);
        private int ioThreads = 1;
        private int outboundLimitBytes = GatewayServer.DEFAULT_OUTBOUND_LIMIT_BYTES;
        private MarketUnits.PriceDecimals priceDecimals = MarketUnits.PriceDecimals.CENTS;
        private ErrorHandler errorHandler = Throwable::printStackTrace;
        private Pipeline pipeline;
        private ApiKeyStore keys;
        private OracleInbox oracle;
        private InetSocketAddress sbeAddress;
        private int sbeReportWindow = SbeServer.ReportReplay.DEFAULT_WINDOW;
        private int sbeReportIndexInterval = SbeServer.ReportReplay.DEFAULT_INDEX_INTERVAL;
        private boolean sbeJournalReplay = true;
        private int rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
        private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
        private LongSupplier rateLimitClockNs = System::nanoTime;
        private final List<Health.Component> healthComponents = new ArrayList<>();

        public Config address(final InetSocketAddress address)
        {
            this.address = Objects.requireNonNull(address);
            return this;
        }

        public Config ioThreads(final int ioThreads)
        {
            if (ioThreads < 1)
            {
                throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /** Unsent bytes after which a connection that does not read is closed as a slow consumer. */
        public Config outboundLimitBytes(final int outboundLimitBytes)
        {
            if (outboundLimitBytes < 1024)
            {
                throw new IllegalArgumentException("outboundLimitBytes must be >= 1024: " + outboundLimitBytes);
            }
            this.outboundLimitBytes = outboundLimitBytes;
            return this;
        }

        public Config priceDecimals(final MarketUnits.PriceDecimals priceDecimals)
        {
            this.priceDecimals = Objects.requireNonNull(priceDecimals);
            return this;
        }

        public MarketUnits.PriceDecimals priceDecimals()
        {
            return priceDecimals;
        }

        /** Commands each API key may submit: {@code perSecond} sustained, {@code burst} at once. */
        public Config rateLimit(final int perSecond, final int burst)
        {
            RateLimiter.check(perSecond, burst);
            this.rateLimitPerSecond = perSecond;
            this.rateLimitBurst = burst;
            return this;
        }

        /** The rate limiter's monotonic clock in nanoseconds (tests pass a controlled one). */
        public Config rateLimitClock(final LongSupplier clockNs)
        {
            this.rateLimitClockNs = Objects.requireNonNull(clockNs);
            return this;
        }

        /** Reports a part of the node beside the engine on {@code /health} (see {@link Health}). */
        public Config healthComponent(final Health.Component component)
        {
            healthComponents.add(Objects.requireNonNull(component));
            return this;
        }

        public Config errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = Objects.requireNonNull(errorHandler);
            return this;
        }

        /**
         * Serves the private trading API ({@link TradingEndpoint#PATH}): commands go to
         * {@code pipeline}, logins are checked against {@code keys}.
         */
        public Config trading(final Pipeline pipeline, final ApiKeyStore keys)
        {
            this.pipeline = Objects.requireNonNull(pipeline);
            this.keys = Objects.requireNonNull(keys);
            return this;
        }

        /** Takes ORACLE keys' signed source prices ({@code oraclePrice}) into {@code oracle} (needs {@link #trading}). */
        public Config oracle(final OracleInbox oracle)
        {
            this.oracle = Objects.requireNonNull(oracle);
            return this;
        }

        /** Also serves SBE order entry for market makers on {@code address} (needs {@link #trading}). */
        public Config sbe(final InetSocketAddress address)
        {
            this.sbeAddress = Objects.requireNonNull(address);
            return this;
        }

        /**
         * SBE execution report retention: {@code window} reports per account in memory, a sparse index
         * entry every {@code indexInterval} reports, and whether older reports are replayed from the
         * events journal (false: such requests get a RetransmitReject, the journal is never read for them).
         */
        public Config sbeReports(final int window, final int indexInterval, final boolean journalReplay)
        {
            if (window < 1 || indexInterval < 1)
            {
                throw new IllegalArgumentException("window and indexInterval must be >= 1: " + window + ", " + indexInterval);
            }
            this.sbeReportWindow = window;
            this.sbeReportIndexInterval = indexInterval;
            this.sbeJournalReplay = journalReplay;
            return this;
        }
    }

    private Gateway(
        final MarketDataState marketData, final EventsTailer tailer, final GatewayServer server, final TradingEndpoint trading)
    {
        this.marketData = marketData;
        this.tailer = tailer;
        this.server = server;
        this.trading = trading;
    }

    /**
     * Starts tailing the events journal under {@code journalDir} (written by the pipeline) and serving.
     */
    public static Gateway start(final Path journalDir, final Config config) throws InterruptedException
    {
        final MarketDataState marketData = new MarketDataState(config.priceDecimals);
        final Map<String, WebSocketEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put(FEED_PATH, new PublicFeed(marketData));
        final List<JournalConsumer> consumers = new ArrayList<>();
        consumers.add(marketData);
        final TradingEndpoint trading = config.pipeline == null ? null : new TradingEndpoint(config.pipeline, marketData,
            config.keys, System::currentTimeMillis, new RateLimiter(config.rateLimitPerSecond, config.rateLimitBurst,
            config.rateLimitClockNs), config.oracle, config.errorHandler);
        if (trading != null)
        {
            endpoints.put(TradingEndpoint.PATH, trading);
            consumers.add(trading.marginViews());
            consumers.add(trading.accountFeed());
        }
        if (config.oracle != null && trading == null)
        {
            throw new IllegalArgumentException("oracle prices need the trading pipeline and keys");
        }
        if (config.sbeAddress != null && trading == null)
        {
            throw new IllegalArgumentException("SBE order entry needs the trading pipeline and keys");
        }
        final Path eventsDir = new JournalLayout(journalDir).eventsDir();
        final SbeServer sbe = config.sbeAddress == null ? null : new SbeServer(config.pipeline,
            new LoginVerifier(config.keys, System::currentTimeMillis), config.outboundLimitBytes,
            new SbeServer.ReportReplay(config.sbeReportWindow, config.sbeReportIndexInterval,
                config.sbeJournalReplay ? eventsDir : null, config.errorHandler));
        if (sbe != null)
        {
            consumers.add(sbe.executionReports());
            consumers.add(sbe.marketData());
        }
        final EventsTailer tailer = new EventsTailer(eventsDir, consumers, config.errorHandler).start();
        try
        {
            final GatewayServer server = GatewayServer.start(config.address, config.ioThreads, config.outboundLimitBytes,
                new IndexerRest(marketData, () -> System.currentTimeMillis() * 1_000_000L), new Health(config.pipeline, marketData, config.healthComponents),
                endpoints,
                trading == null ? Map.of() : Map.of(TradingEndpoint.PATH, trading));
            final Gateway gateway = new Gateway(marketData, tailer, server, trading);
            if (sbe != null)
            {
                gateway.sbe = sbe;
                try
                {
                    sbe.start(config.sbeAddress, config.ioThreads);
                }
                catch (final InterruptedException | RuntimeException ex)
                {
                    server.close();
                    throw ex;
                }
            }
            return gateway;
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            tailer.close();
            if (sbe != null)
            {
                sbe.close();
            }
            if (trading != null)
            {
                trading.close();
            }
            throw ex;
        }
    }

    public MarketDataState marketData()
    {
        return marketData;
    }

    public EventsTailer tailer()
    {
        return tailer;
    }

    public int port()
    {
        return server.port();
    }

    /** The SBE order entry server, or null if not served. */
    public SbeServer sbe()
    {
        return sbe;
    }

    /** Port of the SBE order entry; -1 if not served. */
    public int sbePort()
    {
        return sbe == null ? -1 : sbe.port();
    }

    @Override
    public void close()
    {
        if (sbe != null)
        {
            sbe.close();
        }
        server.close();
        tailer.close();
        if (trading != null)
        {
            trading.close();
        }
    }
}
