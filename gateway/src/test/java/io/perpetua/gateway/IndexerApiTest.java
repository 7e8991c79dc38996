package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.perpetua.core.sbe.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dYdX indexer dialect: REST shapes and errors, and the WebSocket feed's protocol. */
class IndexerApiTest
{
    @TempDir
    Path journal;

    private TestExchange exchange;
    private final HttpClient http = HttpClient.newHttpClient();
    private long lastSequence;

    @BeforeEach
    void start() throws Exception
    {
        exchange = new TestExchange(journal);
        place(1, 1, Side.SELL, 6_000_050, 300_000);
        place(1, 2, Side.SELL, 6_000_100, 300_000);
        place(1, 3, Side.BUY, 5_999_900, 200_000);
        place(2, 1, Side.BUY, 6_000_100, 500_000);
        exchange.awaitMarketData(lastSequence);
    }

    @AfterEach
    void stop()
    {
        exchange.close();
    }

    private void place(final long account, final long clientId, final Side side, final long price, final long size)
        throws Exception
    {
        lastSequence = exchange.submit(exchange.encoder().limitOrder(exchange.buffer(), 0, account, TestExchange.BTC,
            clientId, side, price, size)).sequence();
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(exchange.baseUrl() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(final String path, final int status) throws Exception
    {
        final HttpResponse<String> response = get(path);
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        return WsClient.JSON.readTree(response.body());
    }

    @Test
    void perpetualMarkets() throws Exception
    {
        final JsonNode btc = getJson("/v4/perpetualMarkets", 200).get("markets").get("BTC-USD");
        assertEquals("1", btc.get("clobPairId").asText());
        assertEquals("BTC-USD", btc.get("ticker").asText());
        assertEquals("ACTIVE", btc.get("status").asText());
        assertEquals("0.5", btc.get("tickSize").asText());
        assertEquals("0.001", btc.get("stepSize").asText());
        assertEquals(100_000, btc.get("stepBaseQuantums").asLong());
        assertEquals(50, btc.get("subticksPerTick").asLong());
        assertEquals(-8, btc.get("atomicResolution").asInt());
        assertEquals(-4, btc.get("quantumConversionExponent").asInt());
        assertTrue(btc.get("oraclePrice").isNull(), "no mark price without an oracle: " + btc);
        assertEquals(2, btc.get("trades24H").asInt());
        assertEquals("300.0035", btc.get("volume24H").asText());
        assertEquals("0.5", btc.get("priceChange24H").asText());
        assertEquals(List.of("BTC-USD"), names(getJson("/v4/perpetualMarkets?ticker=BTC-USD", 200).get("markets")));
        assertEquals(List.of("BTC-USD", "ETH-USD"), names(getJson("/v4/perpetualMarkets", 200).get("markets")));
        assertEquals("No perpetual market found with ticker XRP-USD",
            getJson("/v4/perpetualMarkets?ticker=XRP-USD", 404).get("errors").get(0).get("msg").asText());
    }

    private static List<String> names(final JsonNode object)
    {
        final List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void orderBookTradesCandlesFundingTime() throws Exception
    {
        final JsonNode book = getJson("/v4/orderbooks/perpetualMarket/BTC-USD", 200);
        assertEquals("[{\"price\":\"59999\",\"size\":\"0.002\"}]", book.get("bids").toString());
        assertEquals("[{\"price\":\"60001\",\"size\":\"0.001\"}]", book.get("asks").toString());

        final JsonNode trades = getJson("/v4/trades/perpetualMarket/BTC-USD", 200).get("trades");
        assertEquals(2, trades.size());
        final JsonNode newest = trades.get(0);
        assertEquals("2", newest.get("id").asText());
        assertEquals("BUY", newest.get("side").asText());
        assertEquals("0.002", newest.get("size").asText());
        assertEquals("60001", newest.get("price").asText());
        assertEquals("LIMIT", newest.get("type").asText());
        assertEquals(Long.toString(lastSequence), newest.get("createdAtHeight").asText());
        assertTrue(newest.get("createdAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals(1, getJson("/v4/trades/perpetualMarket/BTC-USD?limit=1", 200).get("trades").size());

        final JsonNode candles = getJson("/v4/candles/perpetualMarkets/BTC-USD?resolution=1MIN", 200).get("candles");
        assertEquals(1, candles.size());
        final JsonNode candle = candles.get(0);
        assertEquals("60000.5", candle.get("open").asText());
        assertEquals("60001", candle.get("close").asText());
        assertEquals("0.005", candle.get("baseTokenVolume").asText());
        assertEquals("300.0035", candle.get("usdVolume").asText());
        assertEquals(2, candle.get("trades").asInt());
        assertEquals("1MIN", candle.get("resolution").asText());
        assertEquals("BTC-USD", candle.get("ticker").asText());
        assertEquals(1, getJson("/v4/candles/perpetualMarkets/BTC-USD?resolution=1DAY", 200).get("candles").size());
        assertEquals(0, getJson("/v4/candles/perpetualMarkets/ETH-USD?resolution=1HOUR", 200).get("candles").size());

        assertEquals("[]", getJson("/v4/historicalFunding/BTC-USD", 200).get("historicalFunding").toString());
        final JsonNode time = getJson("/v4/time", 200);
        assertTrue(time.get("iso").asText().endsWith("Z"));
        assertTrue(time.get("epoch").decimalValue().compareTo(new BigDecimal("1700000000")) > 0);
    }

    @Test
    void badRequestsGetJsonErrors() throws Exception
    {
        assertEquals("no such endpoint: /v4/nothing", getJson("/v4/nothing", 404).get("errors").get(0).get("msg").asText());
        getJson("/no-such-page.html", 404);
        getJson("/v4/orderbooks/perpetualMarket/XRP-USD", 404);
        getJson("/v4/orderbooks/perpetualMarket/", 404);
        getJson("/v4/trades/perpetualMarket/XRP-USD", 404);
        getJson("/v4/historicalFunding/XRP-USD", 404);
        getJson("/v4/candles/perpetualMarkets/XRP-USD?resolution=1MIN", 404);
        assertTrue(getJson("/v4/candles/perpetualMarkets/BTC-USD", 400).toString().contains("resolution is required"));
        assertTrue(getJson("/v4/candles/perpetualMarkets/BTC-USD?resolution=2MIN", 400).toString()
            .contains("invalid resolution: 2MIN"));
        assertTrue(getJson("/v4/candles/perpetualMarkets/BTC-USD?resolution=1MIN&fromISO=yesterday", 400).toString()
            .contains("fromISO must be an ISO-8601 instant"));
        assertTrue(getJson("/v4/trades/perpetualMarket/BTC-USD?limit=0", 400).toString().contains("limit must be"));
        assertTrue(getJson("/v4/trades/perpetualMarket/BTC-USD?limit=abc", 400).toString().contains("limit must be"));
        final HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(exchange.baseUrl() + "/v4/time"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    private WsClient feed() throws Exception
    {
        final WsClient client = new WsClient("ws://127.0.0.1:" + exchange.gateway.port() + Gateway.FEED_PATH);
        final JsonNode connected = client.next();
        assertEquals("connected", connected.get("type").asText());
        assertEquals(0, connected.get("message_id").asLong());
        assertFalse(connected.get("connection_id").asText().isEmpty());
        return client;
    }

    @Test
    void orderBookSnapshotThenDeltas() throws Exception
    {
        try (WsClient client = feed())
        {
            client.send("{\"type\":\"subscribe\",\"channel\":\"v4_orderbook\",\"id\":\"BTC-USD\"}");
            final JsonNode subscribed = client.next();
            assertEquals("subscribed", subscribed.get("type").asText());
            assertEquals("v4_orderbook", subscribed.get("channel").asText());
            assertEquals("BTC-USD", subscribed.get("id").asText());
            assertEquals(1, subscribed.get("message_id").asLong());
            assertEquals("[{\"price\":\"59999\",\"size\":\"0.002\"}]", subscribed.get("contents").get("bids").toString());
            assertEquals(Long.toString(lastSequence), subscribed.get("sequence").asText());

            place(3, 1, Side.BUY, 6_000_100, 100_000);
            final JsonNode delta = client.next();
            assertEquals("channel_data", delta.get("type").asText());
            assertEquals(2, delta.get("message_id").asLong());
            assertEquals("{\"asks\":[[\"60001\",\"0\"]]}", delta.get("contents").toString());
            assertEquals("1.0.0", delta.get("version").asText());
            place(3, 2, Side.BUY, 5_999_950, 100_000);
            assertEquals("{\"bids\":[[\"59999.5\",\"0.001\"]]}", client.next().get("contents").toString());

            client.send("{\"type\":\"unsubscribe\",\"channel\":\"v4_orderbook\",\"id\":\"BTC-USD\"}");
            assertEquals("unsubscribed", client.next().get("type").asText());
            place(3, 3, Side.BUY, 5_999_900, 100_000);
            client.send("PING");
            assertEquals("PONG", client.nextText(), "no delta after unsubscribing");
        }
    }

    @Test
    void batchedTradesCandlesAndMarkets() throws Exception
    {
        try (WsClient client = feed())
        {
            client.send("{\"type\":\"subscribe\",\"channel\":\"v4_trades\",\"id\":\"BTC-USD\",\"batched\":true}");
            final JsonNode trades = client.next();
            assertEquals(2, trades.get("contents").get("trades").size());
            client.send("{\"type\":\"subscribe\",\"channel\":\"v4_candles\",\"id\":\"BTC-USD/1MIN\"}");
            assertEquals("60001", client.next().get("contents").get("candles").get(0).get("close").asText());
            client.send("{\"type\":\"subscribe\",\"channel\":\"v4_markets\"}");
            final JsonNode markets = client.next();
            assertFalse(markets.has("id"));
            assertEquals("BTC-USD", markets.get("contents").get("markets").get("BTC-USD").get("ticker").asText());

            place(3, 1, Side.SELL, 5_999_900, 100_000);
            final Map<String, JsonNode> byChannel = new TreeMap<>();
            long messageId = markets.get("message_id").asLong();
            for (int i = 0; i < 3; i++)
            {
                final JsonNode message = client.next();
                assertTrue(message.get("message_id").asLong() > messageId, "message ids increase");
                messageId = message.get("message_id").asLong();
                byChannel.put(message.get("channel").asText(), message);
            }
            final JsonNode batch = byChannel.get("v4_trades");
            assertEquals("channel_batch_data", batch.get("type").asText());
            assertEquals(1, batch.get("contents").size());
            assertEquals("SELL", batch.get("contents").get(0).get("trades").get(0).get("side").asText());
            assertEquals("channel_data", byChannel.get("v4_candles").get("type").asText());
            assertEquals("59999", byChannel.get("v4_candles").get("contents").get("close").asText());
            assertEquals(3, byChannel.get("v4_markets").get("contents").get("trading").get("BTC-USD").get("trades24H").asInt());
        }
    }

    @Test
    void badMessagesGetErrorsAndTheConnectionStaysUsable() throws Exception
    {
        try (WsClient client = feed())
        {
            final String[][] cases = {
                {"not json", "Invalid message: could not parse"},
                {"[1,2]", "Invalid message: not a JSON object"},
                {"{\"type\":\"subscribe\",\"channel\":\"v4_orderbook\",\"id\":\"BTC-USD\",\"extra\":1}", "unknown field extra"},
                {"{\"type\":\"subscrib\",\"channel\":\"v4_orderbook\",\"id\":\"BTC-USD\"}", "Invalid message type"},
                {"{\"channel\":\"v4_orderbook\",\"id\":\"BTC-USD\"}", "Invalid message type: missing"},
                {"{\"type\":\"subscribe\",\"channel\":\"v4_nothing\",\"id\":\"BTC-USD\"}", "Invalid channel"},
                {"{\"type\":\"subscribe\",\"channel\":\"v4_orderbook\"}", "Invalid id"},
                {"{\"type\":\"subscribe\",\"channel\":\"v4_orderbook\",\"id\":7}", "Invalid id"},
                {"{\"type\":\"subscribe\",\"channel\":\"v4_orderbook\",\"id\":\"XRP-USD\"}", "unknown market: XRP-USD"},
                {"{\"type\":\"subscribe\",\"channel\":\"v4_candles\",\"id\":\"BTC-USD/7MIN\"}", "unknown market or resolution"},
                {"{\"type\":\"subscribe\",\"channel\":\"v4_candles\",\"id\":\"BTC-USD\"}", "unknown market or resolution"},
                {"{\"type\":\"subscribe\",\"channel\":\"v4_trades\",\"id\":\"BTC-USD\",\"batched\":\"yes\"}", "batched must be"},
                {"{\"type\":\"unsubscribe\",\"channel\":\"v4_trades\",\"id\":\"BTC-USD\"}", "not subscribed"},
            };
            long messageId = 0;
            for (final String[] bad : cases)
            {
                client.send(bad[0]);
                final JsonNode error = client.next();
                assertEquals("error", error.get("type").asText(), bad[0]);
                assertTrue(error.get("message").asText().contains(bad[1]), bad[0] + " -> " + error);
                assertTrue(error.get("message_id").asLong() > messageId);
                messageId = error.get("message_id").asLong();
            }
            client.send("{\"type\":\"subscribe\",\"channel\":\"v4_trades\",\"id\":\"BTC-USD\"}");
            assertEquals("subscribed", client.next().get("type").asText());
            client.send("{\"type\":\"subscribe\",\"channel\":\"v4_trades\",\"id\":\"BTC-USD\"}");
            assertTrue(client.next().get("message").asText().contains("already subscribed"));
            client.send("{\"type\":\"ping\",\"id\":42}");
            final JsonNode pong = client.next();
            assertEquals("pong", pong.get("type").asText());
            assertEquals(42, pong.get("id").asInt());
            client.send("PING");
            assertEquals("PONG", client.nextText());
        }
    }

    @Test
    void oversizeMessagesCloseOnlyThatConnection() throws Exception
    {
        try (WsClient big = feed(); WsClient other = feed())
        {
            big.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            other.send("PING");
            assertEquals("PONG", other.nextText());
            final String reason = big.awaitClose();
            assertTrue(String.valueOf(reason).startsWith("1009"), "closed as too big: " + reason);
        }
    }
}
