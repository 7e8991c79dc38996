package io.perpetua.node;

import io.perpetua.gateway.marketdata.MarketDataState;
import io.perpetua.gateway.sbe.codec.ExecType;
import io.perpetua.gateway.sbe.codec.Side;
import io.perpetua.gateway.trading.TradingEndpoint;
import io.perpetua.node.config.ConfigLoader;
import io.perpetua.node.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The demo's market maker client against a node started from the demo's configuration: every
 * request type over SBE and the execution reports that answer it, the count of unanswered requests,
 * reconnection after a dropped connection without losing or repeating a report, a bad secret.
 */
class SbeTradingClientTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int BTC = 1;
    /** BTC-USD: tick 50, lot 100,000 (demo.yaml); the reference price is 6,000,000. */
    private static final long BID = 5_990_000;
    private static final long SIZE = 1_000_000;

    @TempDir
    Path dir;

    private final List<Throwable> nodeErrors = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> errors = TradingClient.errorCounters();
    private final AtomicLong inFlight = new AtomicLong();
    private Node node;
    private NodeConfig.ApiKey maker;

    /** Starts the node and gives its markets a mark price from the demo's oracle sources, over the trading WebSocket. */
    @BeforeEach
    void startNode() throws InterruptedException
    {
        final Path journal = dir.resolve("journal");
        final NodeConfig config = ConfigLoader.resource(DemoSession.CONFIG, journal)
            .with(journal, new NodeConfig.Listener("127.0.0.1", 0), new NodeConfig.Listener("127.0.0.1", 0));
        node = Node.start(config, nodeErrors::add);
        maker = config.apiKeys().stream().filter(key -> key.key().equals("demo-maker")).findFirst().orElseThrow();
        final URI trading = URI.create("ws://127.0.0.1:" + node.gateway().port() + TradingEndpoint.PATH);
        final HttpClient http = HttpClient.newHttpClient();
        final TradingClient[] sources = new TradingClient[DemoOracle.SOURCES];
        try
        {
            for (int i = 0; i < DemoOracle.SOURCES; i++)
            {
                final String key = DemoOracle.apiKey(i);
                final NodeConfig.ApiKey source = config.apiKeys().stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow();
                sources[i] = TradingClient.connect(http, trading, key, source.secret(), errors, inFlight);
            }
            final DemoOracle oracle = new DemoOracle(config.markets(), 42, System.currentTimeMillis() * 1_000_000L);
            oracle.poll(System.currentTimeMillis() * 1_000_000L, (index, request) -> sources[(int)index].send(request));
            await(() -> inFlight.get() == 0 && markPrices() == config.markets().size(),
                () -> "the oracle's prices accepted: " + markPrices() + " markets with a mark price, errors " + counts());
        }
        finally
        {
            for (final TradingClient source : sources)
            {
                if (source != null)
                {
                    source.close();
                }
            }
        }
        assertEquals(Map.of(), counts());
    }

    private int markPrices()
    {
        final MarketDataState marketData = node.gateway().marketData();
        synchronized (marketData)
        {
            return (int)marketData.markets().stream().filter(market -> market.markPrice() > 0).count();
        }
    }

    @AfterEach
    void stopNode()
    {
        node.close();
        assertEquals(List.of(), nodeErrors);
    }

    private SbeTradingClient connect(final byte[] secret)
    {
        return SbeTradingClient.connect(new InetSocketAddress("127.0.0.1", node.gateway().sbePort()), maker.key(), secret,
            errors, inFlight);
    }

    @Test
    void everyRequestIsAnsweredByItsExecutionReport()
    {
        try (SbeTradingClient client = connect(maker.secret()))
        {
            client.newOrder(BTC, 1, Side.BUY, BID, SIZE);
            await(() -> client.reports(ExecType.NEW) == 1 && client.reports(ExecType.RESTED) == 1 && inFlight.get() == 0,
                () -> "NEW and RESTED of the order: " + state(client));

            client.cancelReplace(BTC, 1, BID - 50);
            await(() -> client.reports(ExecType.REPLACED) == 1 && inFlight.get() == 0, () -> "REPLACED: " + state(client));

            client.cancel(BTC, 1);
            await(() -> client.reports(ExecType.CANCELLED) == 1 && inFlight.get() == 0, () -> "CANCELLED: " + state(client));

            client.cancel(BTC, 1);
            await(() -> client.reports(ExecType.REJECTED) == 1 && inFlight.get() == 0, () -> "REJECTED: " + state(client));
            assertEquals(Map.of("UNKNOWN_ORDER", 1L), counts(), "the engine's reject reason, by name");

            client.newOrder(BTC, 2, Side.BUY, BID, SIZE);
            client.newOrder(BTC, 3, Side.BUY, BID - 100, SIZE);
            client.massCancel(BTC);
            await(() -> client.reports(ExecType.CANCELLED) == 3 && inFlight.get() == 0,
                () -> "both orders cancelled by the mass cancel: " + state(client));
            assertEquals(1, client.sessions());
            assertEquals(0, client.outstanding());
        }
        assertEquals(Map.of("UNKNOWN_ORDER", 1L), counts(), "closing the session is no error");
    }

    @Test
    void reconnectsAfterADropWithoutLosingOrRepeatingAReport()
    {
        try (SbeTradingClient client = connect(maker.secret()); SbeTradingClient other = connect(maker.secret()))
        {
            other.newOrder(BTC, 10, Side.BUY, BID, SIZE);
            await(() -> client.reports(ExecType.NEW) == 1, () -> "a report of the account's other session: " + state(client));

            client.dropConnection();
            other.newOrder(BTC, 11, Side.BUY, BID, SIZE);
            other.newOrder(BTC, 12, Side.BUY, BID, SIZE);
            await(() -> client.sessions() == 2 && client.reports(ExecType.NEW) == 3,
                () -> "re-established, with the reports made while it was away: " + state(client));

            client.newOrder(BTC, 13, Side.BUY, BID, SIZE);
            // The account's last report is the RESTED of order 13: once both sessions have it, they have all of them.
            await(() -> client.reports(ExecType.RESTED) == 4 && other.reports(ExecType.RESTED) == 4 && inFlight.get() == 0,
                () -> "its own order on the new session: " + state(client));
            assertEquals(4, client.reports(ExecType.NEW), "each report once: " + state(client));
            assertEquals(8, client.reports(), "each report once: " + state(client));
            assertEquals(0, client.outstanding());
        }
        assertEquals(Map.of(), counts());
    }

    @Test
    void aWrongSecretIsRefusedWithTheGatewaysReason()
    {
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> connect("not-the-secret-0123456789".getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused.getMessage().contains("BAD_SIGNATURE"), refused.getMessage());
        assertEquals(Map.of("SBE_TERMINATED_BAD_SIGNATURE", 1L), counts());
    }

    private Map<String, Long> counts()
    {
        final Map<String, Long> counts = new TreeMap<>();
        errors.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    private String state(final SbeTradingClient client)
    {
        final StringBuilder text = new StringBuilder("sessions ").append(client.sessions());
        for (final ExecType type : ExecType.values())
        {
            text.append(' ').append(type).append('=').append(client.reports(type));
        }
        return text.append(" in flight ").append(inFlight.get()).append(" errors ").append(counts()).toString();
    }

    private static void await(final BooleanSupplier condition, final Supplier<String> what)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("not within 60 s: " + what.get());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
