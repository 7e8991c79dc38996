package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.perpetua.core.book.OrderBook;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.engine.OrderRequest;
import io.perpetua.core.engine.RiskGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.Side;
import io.perpetua.gateway.http.Health;
import io.perpetua.gateway.trading.ApiKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /health} and {@code GET /v4/height}: the engine's last answered command and the market
 * data's, 200 while the engine runs, 503 with the fault once it halted.
 */
class HealthTest
{
    /** Orders of this account make the core throw: a stand-in for a bug that halts the engine. */
    private static final long FAULTY_ACCOUNT = 666;

    @TempDir
    Path journal;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthFollowsTheEngineAndTheMarketDataAndTurnsUnavailableWhenTheEngineHalts() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal, new ApiKeyStore(), 1024, UnaryOperator.identity(),
            HealthTest::faultyEngine))
        {
            final long sequence = exchange.submit(exchange.encoder().limitOrder(exchange.buffer(), 0, 1, TestExchange.BTC, 1,
                Side.BUY, 5_999_900, 100_000)).sequence();
            exchange.awaitMarketData(sequence);
            final JsonNode ok = getJson(exchange, "/health", 200);
            assertEquals("ok", ok.get("status").asText());
            assertEquals(sequence, ok.get("engineSequence").asLong());
            assertEquals(sequence, ok.get("marketDataSequence").asLong());
            assertEquals(0, ok.get("marketDataLag").asLong());
            assertEquals(1024, ok.get("ringSize").asInt());
            // Idle, the ring is empty, give or take the one slot the core may not have released yet.
            assertTrue(ok.get("ringFreeSlots").asInt() >= 1023 && ok.get("ringFreeSlots").asInt() <= 1024, ok.toString());
            final JsonNode height = getJson(exchange, "/v4/height", 200);
            assertEquals(Long.toString(sequence), height.get("height").asText());
            assertTrue(height.get("time").asText().endsWith("Z"), height.toString());

            final int length = exchange.encoder().limitOrder(exchange.buffer(), 0, FAULTY_ACCOUNT, TestExchange.BTC, 1, Side.BUY,
                5_999_900, 100_000);
            assertEquals(PublishResult.PUBLISHED, exchange.pipeline.tryPublish(exchange.buffer(), 0, length,
                (correlationId, seq, events, offset, eventsLength) -> { }, 0));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (exchange.pipeline.failure() == null)
            {
                assertTrue(System.nanoTime() < deadline, "the core did not halt");
                Thread.yield();
            }
            final JsonNode halted = getJson(exchange, "/health", 503);
            assertEquals("halted", halted.get("status").asText());
            assertTrue(halted.get("error").asText().contains("account " + FAULTY_ACCOUNT), halted.toString());
            assertEquals(sequence, halted.get("marketDataSequence").asLong(), "the market data stays where it was");
        }
    }

    @Test
    void aFailedComponentDegradesTheNodeAndSaysWhy() throws Exception
    {
        final AtomicReference<Throwable> fault = new AtomicReference<>();
        final Health.Component batcher = Health.component("settlement", fault::get, into -> into.put("settledBatches", 3));
        final Health.Component funding = Health.component("funding", () -> null, into -> into.put("ticks", 2));
        try (TestExchange exchange = new TestExchange(journal, new ApiKeyStore(), 1024,
            config -> config.healthComponent(batcher).healthComponent(funding)))
        {
            final JsonNode ok = getJson(exchange, "/health", 200);
            assertEquals("ok", ok.get("status").asText());
            assertEquals("ok", ok.at("/components/settlement/status").asText());
            assertEquals(3, ok.at("/components/settlement/settledBatches").asInt());

            final HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(exchange.baseUrl() + "/metrics")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(metrics.body().contains("# TYPE perpetua_up gauge\nperpetua_up 1\n"), metrics.body());
            assertTrue(metrics.body().contains("perpetua_component_up{component=\"settlement\"} 1\n"), metrics.body());
            assertTrue(metrics.body().contains("perpetua_settlement_settled_batches 3\n"), metrics.body());
            assertTrue(metrics.body().contains("perpetua_market_data_lag "), metrics.body());
            // The format wants one TYPE line per metric and its samples together.
            final String[] lines = metrics.body().split("\n");
            final java.util.Set<String> typed = new java.util.HashSet<>();
            String current = null;
            for (final String line : lines)
            {
                final String name = line.startsWith("# TYPE ") ? line.split(" ")[2] : line.split("[{ ]")[0];
                if (!name.equals(current))
                {
                    assertTrue(typed.add(name), "metric " + name + " in two places: " + metrics.body());
                    current = name;
                }
            }

            fault.set(new IllegalStateException("the contract refused batch 4"));
            final JsonNode degraded = getJson(exchange, "/health", 503);
            assertEquals("degraded", degraded.get("status").asText(), "the engine runs, the settlement does not");
            assertEquals("failed", degraded.at("/components/settlement/status").asText());
            assertTrue(degraded.at("/components/settlement/error").asText().contains("refused batch 4"), degraded.toString());
            final String down = http.send(HttpRequest.newBuilder(URI.create(exchange.baseUrl() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(down.contains("perpetua_up 0\n") && down.contains("perpetua_component_up{component=\"settlement\"} 0\n"), down);
        }
    }

    @Test
    void aMarketDataOnlyGatewayIsHealthyWithoutAnEngine() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal))
        {
            final JsonNode ok = getJson(exchange, "/health", 200);
            assertEquals("ok", ok.get("status").asText());
            assertTrue(ok.has("marketDataSequence") && !ok.has("engineSequence"), ok.toString());
        }
    }

    private JsonNode getJson(final TestExchange exchange, final String path, final int status) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(exchange.baseUrl() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        return WsClient.JSON.readTree(response.body());
    }

    private static MatchingEngine faultyEngine()
    {
        final RiskGate faulty = new RiskGate()
        {
            @Override
            public RejectReason checkOrder(final OrderRequest request, final OrderBook book)
            {
                if (request.accountId() == FAULTY_ACCOUNT)
                {
                    throw new IllegalStateException("test fault on an order of account " + FAULTY_ACCOUNT);
                }
                return null;
            }

            @Override
            public FillVerdict checkFill(final OrderBook book, final long makerAccountId, final long takerAccountId,
                final Side takerSide, final long priceTicks, final long sizeLots)
            {
                return FillVerdict.PROCEED;
            }

            @Override
            public void onFill(final OrderBook book, final long tradeId, final long makerAccountId, final long takerAccountId,
                final Side takerSide, final long priceTicks, final long sizeLots, final long quote, final long makerFee,
                final long takerFee)
            {
            }
        };
        return new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate().andThen(faulty), new EventPublisher());
    }
}
