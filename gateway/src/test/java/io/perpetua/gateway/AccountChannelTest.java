package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.gateway.trading.RateLimiter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account channel with risk-margin's events (collateral, leverage, positions), {@code setLeverage},
 * and per-key rate limits, against the core with risk-margin.
 */
class AccountChannelTest
{
    private static final byte[] ALICE_SECRET = "alice-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOB_SECRET = "bob-secret-0123456789ab".getBytes(StandardCharsets.US_ASCII);
    private static final long ALICE = 11;
    private static final long BOB = 12;
    private static final long USDC = 1_000_000L;
    private static final AtomicLong NONCES = new AtomicLong(30_000_000);

    @TempDir
    Path journal;

    private final AtomicLong clockNs = new AtomicLong(1_000_000_000_000L);

    private TestExchange start(final int perSecond, final int burst) throws Exception
    {
        final ApiKeyStore keys = new ApiKeyStore();
        keys.add("alice-key", ALICE_SECRET, ALICE);
        keys.add("bob-key-1", BOB_SECRET, BOB);
        final TestExchange exchange = new TestExchange(journal, keys, 1024,
            config -> config.rateLimit(perSecond, burst).rateLimitClock(clockNs::get), TestExchange::withRisk);
        final RiskSetup risk = new RiskSetup(exchange);
        risk.configure(TestExchange.BTC);
        exchange.awaitMarketData(risk.markPrice(TestExchange.BTC, 6_000_000));
        return exchange;
    }

    private static List<String> kinds(final JsonNode response)
    {
        final List<String> kinds = new ArrayList<>();
        response.get("events").forEach(event -> kinds.add(event.get("event").asText()));
        return kinds;
    }

    @Test
    void collateralLeveragePositionsAndFillsForTheLoggedInAccountOnly() throws Exception
    {
        try (TestExchange exchange = start(1_000, 1_000);
            JsonTrader alice = new JsonTrader(exchange, "alice-key", ALICE_SECRET);
            JsonTrader bob = new JsonTrader(exchange, "bob-key-1", BOB_SECRET))
        {
            assertEquals("result", alice.request("subscribe", "channel", "account").get("type").asText());
            assertEquals("result", bob.request("subscribe", "channel", "account").get("type").asText());
            final RiskSetup risk = new RiskSetup(exchange);
            risk.deposit(ALICE, 10_000 * USDC);
            risk.deposit(BOB, 5_000 * USDC);
            final JsonNode deposit = alice.awaitEvent("collateral");
            assertEquals("DEPOSIT", deposit.get("cause").asText());
            assertEquals("10000", deposit.get("balance").asText());
            assertEquals("5000", bob.awaitEvent("collateral").get("balance").asText(), "bob sees his own deposit");

            final JsonNode leverage = alice.request("setLeverage", "market", "BTC-USD", "leverage", 5);
            assertEquals("result", leverage.get("type").asText(), leverage.toString());
            assertEquals(List.of("leverage"), kinds(leverage));
            assertEquals(5, leverage.get("events").get(0).get("leverage").asInt());
            final JsonNode tooHigh = alice.request("setLeverage", "market", "BTC-USD", "leverage", 1_001);
            assertEquals("INVALID_LEVERAGE", tooHigh.get("code").asText(), tooHigh.toString());
            final JsonNode negative = alice.request("setLeverage", "market", "BTC-USD", "leverage", -1);
            assertEquals("INVALID_FIELD", negative.get("code").asText(), negative.toString());
            final JsonNode missing = alice.request("setLeverage", "market", "BTC-USD");
            assertEquals("MISSING_FIELD", missing.get("code").asText(), missing.toString());
            final JsonNode unknown = alice.request("setLeverage", "market", "XRP-USD", "leverage", 2);
            assertEquals("UNKNOWN_MARKET", unknown.get("code").asText(), unknown.toString());
            final JsonNode extra = alice.request("setLeverage", "market", "BTC-USD", "leverage", 2, "accountId", BOB);
            assertEquals("UNKNOWN_FIELD", extra.get("code").asText(), extra.toString());

            assertEquals("result", alice.request("place", "market", "BTC-USD", "side", "SELL", "price", "60000",
                "size", "0.01").get("type").asText());
            final JsonNode taken = bob.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000",
                "size", "0.004", "timeInForce", "IOC");
            assertEquals(List.of("accepted", "fill", "position"), kinds(taken), taken.toString());
            final JsonNode bobPosition = taken.get("events").get(2);
            assertEquals("BTC-USD", bobPosition.get("market").asText());
            assertEquals("0.004", bobPosition.get("size").asText());
            assertEquals("0.004", bobPosition.get("sizeDelta").asText());
            assertEquals("240", bobPosition.get("costBasis").asText());

            final JsonNode alicePosition = alice.awaitEvent("position");
            assertEquals("-0.004", alicePosition.get("size").asText());
            assertEquals("-240", alicePosition.get("costBasis").asText());
            final JsonNode aliceMargin = alice.awaitEvent("margin");
            final JsonNode marginPosition = aliceMargin.get("positions").get(0);
            assertEquals("BTC-USD", marginPosition.get("market").asText());
            assertEquals("-0.004", marginPosition.get("size").asText());
            assertEquals("60000", marginPosition.get("markPrice").asText());
            assertEquals("0", marginPosition.get("unrealizedPnl").asText());
            assertEquals("7.2", aliceMargin.get("maintenanceMargin").asText(), "MMF 3% of 240: " + aliceMargin);
            assertEquals("48", aliceMargin.get("initialMargin").asText(), "leverage 5: IMF 20% of 240: " + aliceMargin);
            assertTrue(aliceMargin.get("marginRatio").isTextual(), aliceMargin.toString());

            // A new mark moves alice's margin without any event of hers: the channel sends the view again.
            risk.markPrice(TestExchange.BTC, 6_100_000);
            final JsonNode marked = alice.awaitEvent("margin");
            assertEquals("61000", marked.get("positions").get(0).get("markPrice").asText(), marked.toString());
            assertEquals("-4", marked.get("positions").get(0).get("unrealizedPnl").asText(), marked.toString());

            try (JsonTrader late = new JsonTrader(exchange, "bob-key-1", BOB_SECRET))
            {
                final JsonNode subscribed = late.request("subscribe", "channel", "account");
                assertEquals("0.004", subscribed.get("margin").get("positions").get(0).get("size").asText(),
                    "the subscribe result carries the account's margin now: " + subscribed);
            }
            alice.request("ping");
            for (final JsonNode message : alice.account)
            {
                for (final JsonNode event : message.get("events"))
                {
                    assertFalse(event.get("event").asText().equals("collateral") &&
                        event.get("balance").asText().equals("5000"), "alice never sees bob's collateral: " + message);
                }
            }

            // A funding tick with a positive rate: the long (bob) pays the short (alice), each when
            // the position next changes (lazily, at the fill): here bob's next buy from alice's resting sell.
            final TestExchange.Result tick = exchange.submit(new FundingCommandEncoder().fundingTick(exchange.buffer(), 0,
                TestExchange.BTC, 1_000_000, 3_600_000_000_000L));
            assertEquals(null, tick.rejectReason());
            final JsonNode more = bob.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000",
                "size", "0.001", "timeInForce", "IOC");
            assertEquals(List.of("accepted", "fill", "funding", "position"), kinds(more).stream()
                .filter(kind -> !kind.equals("margin")).toList(), more.toString());
            final JsonNode bobPaid = more.get("events").get(2);
            assertEquals("BTC-USD", bobPaid.get("market").asText());
            assertEquals("0.004", bobPaid.get("size").asText(), bobPaid.toString());
            assertTrue(bobPaid.get("amount").asText().startsWith("-"), "the long pays: " + bobPaid);
            final JsonNode alicePaid = alice.awaitEvent("funding");
            assertEquals("-0.004", alicePaid.get("size").asText(), alicePaid.toString());
            assertFalse(alicePaid.get("amount").asText().startsWith("-"), "the short receives: " + alicePaid);
            assertEquals(bobPaid.get("fundingIndex").asText(), alicePaid.get("fundingIndex").asText());
        }
    }

    @Test
    void eachKeyHasItsOwnTokenBucket() throws Exception
    {
        try (TestExchange exchange = start(2, 3);
            JsonTrader alice = new JsonTrader(exchange, "alice-key", ALICE_SECRET);
            JsonTrader bob = new JsonTrader(exchange, "bob-key-1", BOB_SECRET))
        {
            for (int i = 0; i < 3; i++)
            {
                final JsonNode cancelAll = alice.request("cancelAll");
                assertEquals("result", cancelAll.get("type").asText(), cancelAll.toString());
            }
            final JsonNode limited = alice.request("cancelAll");
            assertEquals("RATE_LIMITED", limited.get("code").asText(), limited.toString());
            assertFalse(limited.has("sequence"), "nothing was submitted: " + limited);
            final JsonNode ping = alice.request("ping");
            assertEquals("pong", ping.get("type").asText(), "pings are not commands and are not limited");
            assertEquals("result", bob.request("cancelAll").get("type").asText(), "bob's bucket is his own");

            clockNs.addAndGet(499_999_999L);
            assertEquals("RATE_LIMITED", alice.request("cancelAll").get("code").asText(), "not yet half a second");
            clockNs.addAndGet(1L);
            assertEquals("result", alice.request("cancelAll").get("type").asText(), "one token after 1/2 s");
            assertEquals("RATE_LIMITED", alice.request("cancelAll").get("code").asText());
            clockNs.addAndGet(10_000_000_000L);
            for (int i = 0; i < 3; i++)
            {
                assertEquals("result", alice.request("cancelAll").get("type").asText(), "a full bucket, no more");
            }
            assertEquals("RATE_LIMITED", alice.request("cancelAll").get("code").asText());

            // Signed HTTP requests of the key draw on the same bucket: 429 with the same code.
            final String body = "{\"op\":\"cancelAll\",\"requestId\":\"h1\"}";
            final HttpResponse<String> limited429 = SignedPost.send(exchange, "alice-key", ALICE_SECRET,
                "h" + NONCES.incrementAndGet(), body);
            assertEquals(429, limited429.statusCode(), limited429.body());
            assertEquals("RATE_LIMITED", WsClient.JSON.readTree(limited429.body()).get("code").asText());
        }
    }

    @Test
    void rateLimitSettingsAreChecked()
    {
        assertThrows(IllegalArgumentException.class, () -> RateLimiter.check(0, 1));
        assertThrows(IllegalArgumentException.class, () -> RateLimiter.check(1, 0));
        final RateLimiter limiter = new RateLimiter(1, 1, () -> 0);
        assertTrue(limiter.tryAcquire("k"));
        assertFalse(limiter.tryAcquire("k"), "a burst of one at a standing clock");
        assertTrue(limiter.tryAcquire("other"));
    }
}
