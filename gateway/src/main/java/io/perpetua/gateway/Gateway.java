package io.perpetua.gateway;

import io.perpetua.core.journal.JournalLayout;
import io.perpetua.gateway.http.GatewayServer;
import io.perpetua.gateway.http.WebSocketEndpoint;
import io.perpetua.gateway.indexer.IndexerRest;
import io.perpetua.gateway.indexer.PublicFeed;
import io.perpetua.gateway.marketdata.EventsTailer;
import io.perpetua.gateway.marketdata.JournalConsumer;
import io.perpetua.gateway.marketdata.MarketDataState;
import io.perpetua.gateway.marketdata.MarketUnits;
import org.agrona.ErrorHandler;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway as one unit: the events tailer feeding the market-data state, and the HTTP/WebSocket
 * server with the public indexer API ({@code /v4/...}, {@code /v4/ws}).
 */
public final class Gateway implements AutoCloseable
{
    /** Path of the public market-data WebSocket. */
    public static final String FEED_PATH = "/v4/ws";

    private final MarketDataState marketData;
    private final EventsTailer tailer;
    private final GatewayServer server;

    /** Settings; defaults: all interfaces' port 8080 would be the node's choice, tests pass loopback port 0. */
    public static final class Config
    {
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", GatewayServer.DEFAULT_PORT);
        private int ioThreads = 1;
        private MarketUnits.PriceDecimals priceDecimals = MarketUnits.PriceDecimals.CENTS;
        private ErrorHandler errorHandler = Throwable::printStackTrace;
        private final Map<String, WebSocketEndpoint> extraEndpoints = new LinkedHashMap<>();
        private final List<JournalConsumer> extraConsumers = new ArrayList<>();

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

        public Config priceDecimals(final MarketUnits.PriceDecimals priceDecimals)
        {
            this.priceDecimals = Objects.requireNonNull(priceDecimals);
            return this;
        }

        public MarketUnits.PriceDecimals priceDecimals()
        {
            return priceDecimals;
        }

        public Config errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = Objects.requireNonNull(errorHandler);
            return this;
        }

        /** Another WebSocket service on the same port (the trading API). */
        public Config endpoint(final String path, final WebSocketEndpoint endpoint)
        {
            extraEndpoints.put(path, endpoint);
            return this;
        }

        /** Another consumer of the events journal, fed by the same tailer after the market data. */
        public Config consumer(final JournalConsumer consumer)
        {
            extraConsumers.add(consumer);
            return this;
        }
    }

    private Gateway(final MarketDataState marketData, final EventsTailer tailer, final GatewayServer server)
    {
        this.marketData = marketData;
        this.tailer = tailer;
        this.server = server;
    }

    /**
     * Starts tailing the events journal under {@code journalDir} (written by the pipeline) and serving.
     */
    public static Gateway start(final Path journalDir, final Config config) throws InterruptedException
    {
        final MarketDataState marketData = new MarketDataState(config.priceDecimals);
        final Map<String, WebSocketEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put(FEED_PATH, new PublicFeed(marketData));
        endpoints.putAll(config.extraEndpoints);
        final List<JournalConsumer> consumers = new ArrayList<>();
        consumers.add(marketData);
        consumers.addAll(config.extraConsumers);
        final EventsTailer tailer = new EventsTailer(new JournalLayout(journalDir).eventsDir(), consumers,
            config.errorHandler).start();
        try
        {
            final GatewayServer server = GatewayServer.start(config.address, config.ioThreads,
                new IndexerRest(marketData, () -> System.currentTimeMillis() * 1_000_000L), endpoints);
            return new Gateway(marketData, tailer, server);
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            tailer.close();
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

    @Override
    public void close()
    {
        server.close();
        tailer.close();
    }
}
