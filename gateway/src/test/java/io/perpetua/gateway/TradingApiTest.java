package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.gateway.trading.LoginVerifier;
import io.perpetua.gateway.trading.TradingEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Perpetua's private JSON trading API: login, every order operation, the account channel, every error. */
class TradingApiTest
{
    private static final byte[] ALICE_SECRET = "alice-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOB_SECRET = "bob-secret-0123456789ab".getBytes(StandardCharsets.US_ASCII);
    private static final long ALICE = 11;
    private static final long BOB = 12;
    private static final AtomicLong NONCES = new AtomicLong(10_000_000);

    @TempDir
    Path journal;

    private TestExchange exchange;

    @BeforeEach
    void start() throws Exception
    {
        final ApiKeyStore keys = new ApiKeyStore();
        keys.add("alice-key", ALICE_SECRET, ALICE);
        keys.add("bob-key-1", BOB_SECRET, BOB);
        exchange = new TestExchange(journal, keys);
        exchange.awaitMarketData(2);
    }

    @AfterEach
    void stop()
    {
        if (exchange != null)
        {
            exchange.close();
        }
    }

    /** A trading connection: requests and their responses; account-channel messages are kept aside. */
    private final class Trader implements AutoCloseable
    {
        final WsClient ws;
        final List<JsonNode> account = new ArrayList<>();
        private int requests;

        Trader() throws Exception
        {
            ws = new WsClient("ws://127.0.0.1:" + exchange.gateway.port() + TradingEndpoint.PATH);
        }

        JsonNode send(final String text) throws Exception
        {
            ws.send(text);
            return nextResponse();
        }

        JsonNode nextResponse() throws Exception
        {
            while (true)
            {
                final JsonNode message = ws.next();
                if (message.get("type").asText().equals("account"))
                {
                    account.add(message);
                    continue;
                }
                return message;
            }
        }

        JsonNode request(final String op, final Object... fields) throws Exception
        {
            final ObjectNode request = JsonNodeFactory.instance.objectNode().put("op", op)
                .put("requestId", op + "-" + ++requests);
            for (int i = 0; i < fields.length; i += 2)
            {
                request.set((String)fields[i], WsClient.JSON.valueToTree(fields[i + 1]));
            }
            final JsonNode response = send(request.toString());
            assertEquals(request.get("requestId").asText(), response.get("requestId").asText(), response.toString());
            return response;
        }

        JsonNode login(final String key, final byte[] secret) throws Exception
        {
            final long timestamp = System.currentTimeMillis();
            final String nonce = "n" + NONCES.incrementAndGet();
            return request("login", "apiKey", key, "timestamp", timestamp, "nonce", nonce,
                "signature", LoginVerifier.sign(secret, key, timestamp, nonce));
        }

        /** Waits for the next account-channel message. */
        JsonNode nextAccount() throws Exception
        {
            if (!account.isEmpty())
            {
                return account.remove(0);
            }
            final JsonNode message = ws.next();
            assertEquals("account", message.get("type").asText(), message.toString());
            return message;
        }

        @Override
        public void close()
        {
            ws.close();
        }
    }

    private static void assertError(final JsonNode response, final String code)
    {
        assertEquals("error", response.get("type").asText(), response.toString());
        assertEquals(code, response.get("code").asText(), response.toString());
        assertFalse(response.get("message").asText().isEmpty());
    }

    private static void assertResult(final JsonNode response)
    {
        assertEquals("result", response.get("type").asText(), response.toString());
    }

    private static List<String> events(final JsonNode response)
    {
        final List<String> kinds = new ArrayList<>();
        response.get("events").forEach(event -> kinds.add(event.get("event").asText()));
        return kinds;
    }

    @Test
    void placeFillAndTheAccountChannel() throws Exception
    {
        try (Trader alice = new Trader(); Trader bob = new Trader())
        {
            final JsonNode login = alice.login("alice-key", ALICE_SECRET);
            assertResult(login);
            assertEquals(ALICE, login.get("accountId").asLong());
            assertResult(alice.request("subscribe", "channel", "account"));
            assertResult(bob.login("bob-key-1", BOB_SECRET));
            assertResult(bob.request("subscribe", "channel", "account"));

            final JsonNode placed = alice.request("place", "market", "BTC-USD", "side", "SELL", "price", "60000.5",
                "size", "0.003", "clientOrderId", 7);
            assertResult(placed);
            assertEquals(List.of("accepted", "rested"), events(placed));
            final String orderId = placed.get("orderId").asText();
            final JsonNode accepted = placed.get("events").get(0);
            assertEquals("BTC-USD", accepted.get("market").asText());
            assertEquals("60000.5", accepted.get("price").asText());
            assertEquals("0.003", accepted.get("size").asText());
            assertEquals("GTC", accepted.get("timeInForce").asText());
            assertEquals(7, accepted.get("clientOrderId").asLong());

            final JsonNode taken = bob.request("place", "market", "BTC-USD", "side", "BUY", "price", "60001", "size", "0.002",
                "timeInForce", "IOC");
            assertEquals(List.of("accepted", "fill"), events(taken));
            final JsonNode fill = taken.get("events").get(1);
            assertEquals("TAKER", fill.get("liquidity").asText());
            assertEquals("BUY", fill.get("side").asText());
            assertEquals("60000.5", fill.get("price").asText());
            assertEquals("0.002", fill.get("size").asText());
            assertEquals("120.001", fill.get("quote").asText());
            assertEquals("0", fill.get("remaining").asText());

            final JsonNode aliceOwn = alice.nextAccount();
            assertEquals(List.of("accepted", "rested"), events(aliceOwn));
            final JsonNode aliceFill = alice.nextAccount();
            assertEquals(List.of("fill"), events(aliceFill));
            final JsonNode makerFill = aliceFill.get("events").get(0);
            assertEquals("MAKER", makerFill.get("liquidity").asText());
            assertEquals("SELL", makerFill.get("side").asText());
            assertEquals(orderId, makerFill.get("orderId").asText());
            assertEquals("0.001", makerFill.get("remaining").asText());
            assertEquals(taken.get("sequence").asText(), aliceFill.get("sequence").asText());

            final JsonNode bobOwn = bob.nextAccount();
            assertEquals(List.of("accepted", "fill"), events(bobOwn), "bob sees only his side of the fill");
            bob.request("ping");
            assertTrue(bob.account.isEmpty(), "bob never sees alice's order: " + bob.account);
        }
    }

    @Test
    void everyOrderTypeTimeInForceAndFlag() throws Exception
    {
        try (Trader alice = new Trader(); Trader bob = new Trader())
        {
            alice.login("alice-key", ALICE_SECRET);
            bob.login("bob-key-1", BOB_SECRET);
            assertEquals(List.of("accepted", "rested"), events(alice.request("place", "market", "BTC-USD", "side", "SELL",
                "price", "60010", "size", "0.01")));
            final long inOneHour = System.currentTimeMillis() + 3_600_000;
            final JsonNode gtt = alice.request("place", "market", "BTC-USD", "side", "SELL", "price", "60020", "size", "0.01",
                "timeInForce", "GTT", "expiresAt", inOneHour);
            assertEquals(List.of("accepted", "rested"), events(gtt));
            assertEquals(inOneHour, gtt.get("events").get(0).get("expiresAt").asLong());
            assertError(alice.request("place", "market", "BTC-USD", "side", "SELL", "price", "60020", "size", "0.01",
                "timeInForce", "GTT", "expiresAt", 1_000), "EXPIRED_ON_ARRIVAL");
            assertEquals(List.of("accepted", "rested"), events(alice.request("place", "market", "BTC-USD", "side", "BUY",
                "price", "59990", "size", "0.01", "postOnly", true)));
            assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60010", "size", "0.01",
                "postOnly", true), "POST_ONLY_WOULD_CROSS");
            assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60010", "size", "0.01",
                "postOnly", true, "timeInForce", "IOC"), "INVALID_ORDER");
            assertError(bob.request("place", "market", "BTC-USD", "side", "BUY", "price", "60010", "size", "0.05",
                "timeInForce", "FOK"), "FOK_NOT_FILLABLE");
            final JsonNode ioc = bob.request("place", "market", "BTC-USD", "side", "BUY", "price", "60010", "size", "0.015",
                "timeInForce", "IOC");
            assertEquals(List.of("accepted", "fill", "cancelled"), events(ioc));
            assertEquals("IOC_REMAINDER", ioc.get("events").get(2).get("reason").asText());
            final JsonNode market = bob.request("place", "market", "BTC-USD", "side", "BUY", "type", "MARKET", "size", "0.005");
            assertEquals(List.of("accepted", "fill"), events(market));
            assertEquals("MARKET", market.get("events").get(0).get("type").asText());
            final JsonNode fok = bob.request("place", "market", "BTC-USD", "side", "BUY", "price", "60020", "size", "0.005",
                "timeInForce", "FOK");
            assertEquals(List.of("accepted", "fill"), events(fok));
            // Self-trade prevention: alice's buy meets her own resting sell.
            assertResult(alice.request("place", "market", "BTC-USD", "side", "SELL", "price", "60030", "size", "0.01"));
            final JsonNode selfTrade = alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60030",
                "size", "0.001", "selfTradePrevention", "CANCEL_TAKER");
            assertEquals(List.of("accepted", "cancelled"), events(selfTrade));
            assertEquals("SELF_TRADE", selfTrade.get("events").get(1).get("reason").asText());
            assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000.255", "size", "0.01"),
                "INVALID_FIELD");
            assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000.3", "size", "0.01"),
                "BAD_TICK");
            assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.0015"),
                "BAD_LOT");
            assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0"),
                "SIZE_OUT_OF_RANGE");
            assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "90000", "size", "0.01"),
                "PRICE_BAND");
            assertResult(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "59000", "size", "0.01",
                "clientOrderId", 5));
            assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "59000", "size", "0.01",
                "clientOrderId", 5), "DUPLICATE_CLIENT_ID");
        }
    }

    @Test
    void cancelAmendCancelAllAndOtherAccountsOrders() throws Exception
    {
        try (Trader alice = new Trader(); Trader bob = new Trader())
        {
            alice.login("alice-key", ALICE_SECRET);
            bob.login("bob-key-1", BOB_SECRET);
            final String first = alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "59900", "size", "0.01",
                "clientOrderId", 1).get("orderId").asText();
            alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "59800", "size", "0.01", "clientOrderId", 2);
            alice.request("place", "market", "ETH-USD", "side", "SELL", "price", "3100", "size", "0.5", "clientOrderId", 3);

            // Bob can neither cancel nor amend alice's order, by id or by client id.
            assertError(bob.request("cancel", "market", "BTC-USD", "orderId", first), "UNKNOWN_ORDER");
            assertError(bob.request("cancel", "market", "BTC-USD", "clientOrderId", 1), "UNKNOWN_ORDER");
            assertError(bob.request("amend", "market", "BTC-USD", "orderId", first, "size", "0.001"), "UNKNOWN_ORDER");
            assertError(bob.request("cancel", "market", "BTC-USD", "orderId", first, "accountId", ALICE), "UNKNOWN_FIELD");
            final JsonNode nothing = bob.request("cancelAll");
            assertResult(nothing);
            assertEquals(List.of(), events(nothing));

            final JsonNode shrunk = alice.request("amend", "market", "BTC-USD", "orderId", first, "size", "0.004");
            assertEquals(List.of("amended"), events(shrunk));
            assertTrue(shrunk.get("events").get(0).get("priorityKept").asBoolean());
            final JsonNode moved = alice.request("amend", "market", "BTC-USD", "clientOrderId", 1, "price", "59950");
            assertEquals(List.of("amended", "rested"), events(moved));
            assertFalse(moved.get("events").get(0).get("priorityKept").asBoolean());
            final JsonNode reduced = alice.request("amend", "market", "BTC-USD", "orderId", first, "reduceBy", "0.004");
            assertEquals(List.of("cancelled"), events(reduced));
            assertEquals("REDUCED_TO_ZERO", reduced.get("events").get(0).get("reason").asText());
            assertError(alice.request("amend", "market", "BTC-USD", "orderId", first, "size", "0.002"), "UNKNOWN_ORDER");
            assertError(alice.request("amend", "market", "BTC-USD", "clientOrderId", 2, "size", "0.01"), "INVALID_AMEND");
            assertError(alice.request("amend", "market", "BTC-USD", "clientOrderId", 2, "size", "0.01", "reduceBy", "0.001"),
                "INVALID_AMEND");

            final JsonNode cancelled = alice.request("cancel", "market", "BTC-USD", "clientOrderId", 2);
            assertEquals(List.of("cancelled"), events(cancelled));
            assertEquals("USER", cancelled.get("events").get(0).get("reason").asText());
            assertError(alice.request("cancel", "market", "BTC-USD", "clientOrderId", 2), "UNKNOWN_ORDER");

            alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "59700", "size", "0.01");
            final JsonNode btcOnly = alice.request("cancelAll", "market", "BTC-USD");
            assertEquals(List.of("cancelled"), events(btcOnly));
            assertEquals("CANCEL_ALL", btcOnly.get("events").get(0).get("reason").asText());
            final JsonNode all = alice.request("cancelAll");
            assertEquals(List.of("cancelled"), events(all));
            assertEquals("ETH-USD", all.get("events").get(0).get("market").asText());
        }
    }

    @Test
    void loginRejectsUnknownKeysBadSignaturesStaleTimestampsAndReplays() throws Exception
    {
        try (Trader trader = new Trader())
        {
            final long now = System.currentTimeMillis();
            assertError(trader.request("place", "market", "BTC-USD", "side", "BUY", "price", "1", "size", "0.01"),
                "NOT_LOGGED_IN");
            assertError(trader.request("subscribe", "channel", "account"), "NOT_LOGGED_IN");
            assertError(trader.request("login", "apiKey", "nobody-key", "timestamp", now, "nonce", "nonce-0001",
                "signature", LoginVerifier.sign(ALICE_SECRET, "nobody-key", now, "nonce-0001")), "UNKNOWN_API_KEY");
            assertError(trader.request("login", "apiKey", "alice-key", "timestamp", now, "nonce", "nonce-0002",
                "signature", LoginVerifier.sign(BOB_SECRET, "alice-key", now, "nonce-0002")), "BAD_SIGNATURE");
            assertError(trader.request("login", "apiKey", "alice-key", "timestamp", now, "nonce", "nonce-0003",
                "signature", LoginVerifier.sign(ALICE_SECRET, "alice-key", now + 1, "nonce-0003")), "BAD_SIGNATURE");
            final long stale = now - LoginVerifier.WINDOW_MS - 60_000;
            assertError(trader.request("login", "apiKey", "alice-key", "timestamp", stale, "nonce", "nonce-0004",
                "signature", LoginVerifier.sign(ALICE_SECRET, "alice-key", stale, "nonce-0004")), "STALE_TIMESTAMP");
            final long future = now + LoginVerifier.WINDOW_MS + 60_000;
            assertError(trader.request("login", "apiKey", "alice-key", "timestamp", future, "nonce", "nonce-0005",
                "signature", LoginVerifier.sign(ALICE_SECRET, "alice-key", future, "nonce-0005")), "STALE_TIMESTAMP");
            assertError(trader.request("login", "apiKey", "alice-key", "timestamp", now, "nonce", "short",
                "signature", LoginVerifier.sign(ALICE_SECRET, "alice-key", now, "short")), "INVALID_FIELD");
            assertError(trader.request("login", "apiKey", "alice-key", "timestamp", "now", "nonce", "nonce-0006",
                "signature", "00"), "INVALID_FIELD");
            assertError(trader.request("login", "apiKey", "alice-key", "nonce", "nonce-0006", "signature", "00"),
                "MISSING_FIELD");

            final String signature = LoginVerifier.sign(ALICE_SECRET, "alice-key", now, "nonce-0007");
            assertResult(trader.request("login", "apiKey", "alice-key", "timestamp", now, "nonce", "nonce-0007",
                "signature", signature));
            assertError(trader.login("alice-key", ALICE_SECRET), "ALREADY_LOGGED_IN");
            try (Trader replay = new Trader())
            {
                assertError(replay.request("login", "apiKey", "alice-key", "timestamp", now, "nonce", "nonce-0007",
                    "signature", signature), "REPLAYED_NONCE");
                assertResult(replay.login("alice-key", ALICE_SECRET));
            }
        }
    }

    @Test
    void malformedRequestsGetSpecificErrorsAndNothingIsSubmitted() throws Exception
    {
        try (Trader alice = new Trader())
        {
            alice.login("alice-key", ALICE_SECRET);
            final long before = exchange.gateway.marketData().sequence();
            final String[][] cases = {
                {"not json", "MALFORMED_JSON"},
                {"[1]", "MALFORMED_JSON"},
                {"{\"op\":\"ping\"}", "MISSING_FIELD"},
                {"{\"op\":\"ping\",\"requestId\":5}", "INVALID_FIELD"},
                {"{\"op\":\"ping\",\"requestId\":\"" + "x".repeat(65) + "\"}", "INVALID_FIELD"},
                {"{\"requestId\":\"r\"}", "MISSING_FIELD"},
                {"{\"op\":3,\"requestId\":\"r\"}", "INVALID_FIELD"},
                {"{\"op\":\"trade\",\"requestId\":\"r\"}", "UNKNOWN_OP"},
                {"{\"op\":\"ping\",\"requestId\":\"r\",\"x\":1}", "UNKNOWN_FIELD"},
            };
            for (final String[] bad : cases)
            {
                assertError(alice.send(bad[0]), bad[1]);
            }
            final Object[][] places = {
                {"UNKNOWN_MARKET", "market", "XRP-USD", "side", "BUY", "price", "1", "size", "1"},
                {"MISSING_FIELD", "side", "BUY", "price", "1", "size", "1"},
                {"INVALID_FIELD", "market", 1, "side", "BUY", "price", "1", "size", "1"},
                {"MISSING_FIELD", "market", "BTC-USD", "price", "60000", "size", "0.01"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "buy", "price", "60000", "size", "0.01"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "type", "STOP", "price", "60000", "size", "0.01"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "timeInForce", "DAY", "price", "60000", "size", "0.01"},
                {"MISSING_FIELD", "market", "BTC-USD", "side", "BUY", "size", "0.01"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", 60000, "size", "0.01"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", "6e4", "size", "0.01"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "99999999999999999"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.000000001"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "type", "MARKET", "price", "60000", "size", "0.01"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01", "postOnly", "yes"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01", "clientOrderId", -1},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01", "clientOrderId", 1.5},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01", "expiresAt", 1},
                {"MISSING_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01", "timeInForce", "GTT"},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01", "timeInForce", "GTT",
                    "expiresAt", Long.MAX_VALUE},
                {"INVALID_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01",
                    "selfTradePrevention", "NONE"},
                {"UNKNOWN_FIELD", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01", "icebergSize", "0.001"},
            };
            for (final Object[] place : places)
            {
                final Object[] fields = java.util.Arrays.copyOfRange(place, 1, place.length);
                assertError(alice.request("place", fields), (String)place[0]);
            }
            assertError(alice.request("cancel", "market", "BTC-USD"), "MISSING_FIELD");
            assertError(alice.request("cancel", "market", "BTC-USD", "orderId", "1", "clientOrderId", 1), "INVALID_FIELD");
            assertError(alice.request("cancel", "market", "BTC-USD", "orderId", "abc"), "INVALID_FIELD");
            assertError(alice.request("cancel", "market", "BTC-USD", "orderId", "-3"), "INVALID_FIELD");
            assertError(alice.request("amend", "market", "BTC-USD", "orderId", "1"), "MISSING_FIELD");
            assertError(alice.request("amend", "market", "BTC-USD", "orderId", "1", "price", "1.001"), "INVALID_FIELD");
            assertError(alice.request("cancelAll", "market", "NOPE"), "UNKNOWN_MARKET");
            assertError(alice.request("subscribe", "channel", "orders"), "INVALID_FIELD");
            assertError(alice.request("unsubscribe", "channel", "account"), "NOT_SUBSCRIBED");
            assertResult(alice.request("subscribe", "channel", "account"));
            assertError(alice.request("subscribe", "channel", "account"), "ALREADY_SUBSCRIBED");
            alice.ws.send("{\"op\":\"ping\",\"requestId\":\"last\"}");
            assertEquals("pong", alice.nextResponse().get("type").asText(), "the connection stays usable");
            assertEquals(before, exchange.gateway.marketData().sequence(), "nothing reached the engine");
            assertTrue(alice.account.isEmpty());
        }
    }

    @Test
    void aFullRingAnswersBusyWithoutBlockingTheConnection(@TempDir final Path otherJournal) throws Exception
    {
        final ApiKeyStore keys = new ApiKeyStore();
        keys.add("alice-key", ALICE_SECRET, ALICE);
        exchange.close();
        exchange = null;
        try (TestExchange small = new TestExchange(otherJournal, keys, 16))
        {
            small.awaitMarketData(2);
            exchange = small;
            final CountDownLatch release = new CountDownLatch(1);
            final CountDownLatch holding = new CountDownLatch(1);
            final UnsafeBuffer heartbeat = new UnsafeBuffer(new byte[64]);
            final int length = small.encoder().heartbeat(heartbeat, 0);
            // A listener that waits holds the core thread, so the ring fills up behind it.
            assertEquals(PublishResult.PUBLISHED, small.pipeline.tryPublish(heartbeat, 0, length, (id, seq, buffer, offset, len) ->
            {
                holding.countDown();
                try
                {
                    release.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, 0));
            assertTrue(holding.await(30, TimeUnit.SECONDS));
            int published = 0;
            while (small.pipeline.tryPublish(heartbeat, 0, length, (id, seq, buffer, offset, len) -> { }, 0) ==
                PublishResult.PUBLISHED)
            {
                published++;
            }
            assertTrue(published <= 16, "the ring holds at most its size: " + published);
            try (Trader alice = new Trader())
            {
                alice.login("alice-key", ALICE_SECRET);
                assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01"),
                    "BUSY");
                release.countDown();
                JsonNode placed;
                while ((placed = alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000",
                    "size", "0.01")).get("type").asText().equals("error"))
                {
                    assertEquals("BUSY", placed.get("code").asText(), placed.toString());
                }
                assertEquals(List.of("accepted", "rested"), events(placed));
            }
            finally
            {
                release.countDown();
            }
        }
        finally
        {
            exchange = null;
        }
    }

    private HttpResponse<String> post(final String key, final byte[] secret, final String nonce, final String body,
        final String signedBody) throws Exception
    {
        return SignedPost.send(exchange, key, secret, nonce, body, signedBody);
    }

    @Test
    void aRejectionAfterEventsOfOtherAccountsIsStillAnError() throws Exception
    {
        try (Trader alice = new Trader(); Trader bob = new Trader())
        {
            assertResult(alice.login("alice-key", ALICE_SECRET));
            assertResult(bob.login("bob-key-1", BOB_SECRET));
            final long expiresAt = System.currentTimeMillis() + 200;
            assertResult(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "59000", "size", "0.001",
                "timeInForce", "GTT", "expiresAt", expiresAt));
            // The sequencer stamps commands from the wall clock: wait (bounded) until it has passed the expiry.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.currentTimeMillis() <= expiresAt + 100)
            {
                assertTrue(System.nanoTime() < deadline, "the wall clock did not advance");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            // Bob's command first expires Alice's order, then is rejected: its answer is the rejection.
            final JsonNode rejected = bob.request("place", "market", "BTC-USD", "side", "BUY", "price", "59000.25",
                "size", "0.001");
            assertError(rejected, "BAD_TICK");
            assertTrue(rejected.has("sequence"), rejected.toString());
            final JsonNode placed = bob.request("place", "market", "BTC-USD", "side", "BUY", "price", "59000", "size", "0.001");
            assertEquals(List.of("accepted", "rested"), events(placed));
        }
    }

    @Test
    void signedHttpRequests() throws Exception
    {
        final String place = "{\"op\":\"place\",\"requestId\":\"h1\",\"market\":\"BTC-USD\",\"side\":\"BUY\"," +
            "\"price\":\"59000\",\"size\":\"0.01\",\"clientOrderId\":3}";
        final HttpResponse<String> placed = post("alice-key", ALICE_SECRET, "http-nonce-1", place, place);
        assertEquals(200, placed.statusCode(), placed.body());
        final JsonNode result = WsClient.JSON.readTree(placed.body());
        assertEquals("h1", result.get("requestId").asText());
        assertEquals(List.of("accepted", "rested"), events(result));

        final HttpResponse<String> replayed = post("alice-key", ALICE_SECRET, "http-nonce-1", place, place);
        assertEquals(401, replayed.statusCode());
        assertError(WsClient.JSON.readTree(replayed.body()), "REPLAYED_NONCE");
        final String other = place.replace("59000", "59500");
        final HttpResponse<String> tampered = post("alice-key", ALICE_SECRET, "http-nonce-2", other, place);
        assertEquals(401, tampered.statusCode());
        assertError(WsClient.JSON.readTree(tampered.body()), "BAD_SIGNATURE");
        final HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(exchange.baseUrl() + TradingEndpoint.PATH)).POST(HttpRequest.BodyPublishers.ofString(place)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode());
        assertError(WsClient.JSON.readTree(unsigned.body()), "MISSING_FIELD");

        final HttpResponse<String> duplicate = post("alice-key", ALICE_SECRET, "http-nonce-3", place, place);
        assertEquals(422, duplicate.statusCode());
        assertError(WsClient.JSON.readTree(duplicate.body()), "DUPLICATE_CLIENT_ID");
        // No polling: an HTTP query waits for everything the exchange had answered when it arrived.
        final String openOrders = "{\"op\":\"openOrders\",\"requestId\":\"h5\"}";
        int nonce = 100;
        final HttpResponse<String> response = post("alice-key", ALICE_SECRET, "http-nonce-" + nonce++, openOrders, openOrders);
        assertEquals(200, response.statusCode(), response.body());
        final JsonNode open = WsClient.JSON.readTree(response.body()).get("orders");
        assertEquals(1, open.size(), open.toString());
        assertEquals(3, open.get(0).get("clientOrderId").asLong(), open.toString());
        assertEquals("59000", open.get(0).get("price").asText(), open.toString());
        final HttpResponse<String> bobsOrders = post("bob-key-1", BOB_SECRET, "http-nonce-" + nonce, openOrders, openOrders);
        assertEquals(200, bobsOrders.statusCode(), bobsOrders.body());
        assertTrue(WsClient.JSON.readTree(bobsOrders.body()).get("orders").isEmpty(), "bob sees none of alice's orders");
        final String cancelAsBob = "{\"op\":\"cancel\",\"requestId\":\"h2\",\"market\":\"BTC-USD\",\"clientOrderId\":3}";
        final HttpResponse<String> bobCancel = post("bob-key-1", BOB_SECRET, "http-nonce-4", cancelAsBob, cancelAsBob);
        assertEquals(422, bobCancel.statusCode());
        assertError(WsClient.JSON.readTree(bobCancel.body()), "UNKNOWN_ORDER");
        final String login = "{\"op\":\"subscribe\",\"requestId\":\"h3\",\"channel\":\"account\"}";
        final HttpResponse<String> subscribe = post("alice-key", ALICE_SECRET, "http-nonce-5", login, login);
        assertEquals(400, subscribe.statusCode());
        assertError(WsClient.JSON.readTree(subscribe.body()), "WEBSOCKET_ONLY");
        final HttpResponse<String> garbage = post("alice-key", ALICE_SECRET, "http-nonce-6", "{nope", "{nope");
        assertEquals(400, garbage.statusCode());
        assertError(WsClient.JSON.readTree(garbage.body()), "MALFORMED_JSON");
        final String cancel = "{\"op\":\"cancel\",\"requestId\":\"h4\",\"market\":\"BTC-USD\",\"clientOrderId\":3}";
        final HttpResponse<String> cancelled = post("alice-key", ALICE_SECRET, "http-nonce-7", cancel, cancel);
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals(List.of("cancelled"), events(WsClient.JSON.readTree(cancelled.body())));
    }

    @Test
    void httpQueriesReadTheirOwnWritesWithoutPolling() throws Exception
    {
        final String openOrders = "{\"op\":\"openOrders\",\"requestId\":\"q\",\"market\":\"BTC-USD\"}";
        int nonce = 0;
        for (int i = 1; i <= 60; i++)
        {
            final String place = "{\"op\":\"place\",\"requestId\":\"p\",\"market\":\"BTC-USD\",\"side\":\"BUY\"," +
                "\"price\":\"58000\",\"size\":\"0.001\",\"clientOrderId\":" + (1000 + i) + "}";
            final HttpResponse<String> placed = post("alice-key", ALICE_SECRET, "ryw-nonce-" + nonce++, place, place);
            assertEquals(200, placed.statusCode(), placed.body());
            assertEquals(List.of(1000L + i), clientOrderIds(post("alice-key", ALICE_SECRET, "ryw-nonce-" + nonce++, openOrders,
                openOrders)), "the order placed just before, round " + i);
            final String cancel = "{\"op\":\"cancel\",\"requestId\":\"c\",\"market\":\"BTC-USD\",\"clientOrderId\":" +
                (1000 + i) + "}";
            final HttpResponse<String> cancelled = post("alice-key", ALICE_SECRET, "ryw-nonce-" + nonce++, cancel, cancel);
            assertEquals(200, cancelled.statusCode(), cancelled.body());
            assertEquals(List.of(), clientOrderIds(post("alice-key", ALICE_SECRET, "ryw-nonce-" + nonce++, openOrders, openOrders)),
                "the order cancelled just before, round " + i);
        }
    }

    private static List<Long> clientOrderIds(final HttpResponse<String> response) throws Exception
    {
        assertEquals(200, response.statusCode(), response.body());
        final List<Long> ids = new ArrayList<>();
        WsClient.JSON.readTree(response.body()).get("orders").forEach(order -> ids.add(order.get("clientOrderId").asLong()));
        return ids;
    }

    @Test
    void aStoppedCoreAnswersUnavailable() throws Exception
    {
        try (Trader alice = new Trader())
        {
            alice.login("alice-key", ALICE_SECRET);
            exchange.pipeline.close();
            assertError(alice.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.01"),
                "UNAVAILABLE");
            assertNull(exchange.gateway.tailer().failure());
        }
    }
}
