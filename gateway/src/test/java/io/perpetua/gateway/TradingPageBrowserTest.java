package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.gateway.trading.LoginVerifier;
import io.perpetua.gateway.trading.TradingEndpoint;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The trading page in a real browser (headless Debian chromium driven by playwright-core, see
 * {@code src/test/browser}): it builds the book from the public feed, logs in with the form (the
 * signature computed by WebCrypto), refuses a mistyped size without sending it, places a limit
 * order that shows in open orders and in the book, cancels it, shows an engine reject with its
 * code, takes a fill that becomes a position, amends an order, sets a leverage, places a reduce-only
 * stop that waits off the book, cancels all, reconnects (and logs in again) when the gateway
 * restarts, logs in from a {@code #key=...&secret=...} link (seeing that account's earlier order)
 * and switches to the other market.
 * After each step the exchange's own order book (REST, from the journal) is checked here. A
 * screenshot goes to {@code target/trading-page.png}.
 *
 * <p>Without {@code /usr/bin/chromium} the test is skipped with the reason printed, except under
 * CI ({@code CI=true}), where that is a failure ({@code .ci/run} installs it).
 */
class TradingPageBrowserTest
{
    static final Path DIRECTORY = Path.of("src", "test", "browser").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOT = Path.of("target", "trading-page.png").toAbsolutePath();
    private static final byte[] ALICE_SECRET = "alice-page-secret-0123".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOB_SECRET = "bob-page-secret-456789".getBytes(StandardCharsets.US_ASCII);
    private static final long ALICE = 11;
    private static final long BOB = 12;
    private static final long USDC = 1_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path journal;

    @Test
    void tradeThroughThePage() throws Exception
    {
        requireChromium();
        install();
        final ApiKeyStore keys = new ApiKeyStore();
        keys.add("alice-page", ALICE_SECRET, ALICE);
        keys.add("bob-page-1", BOB_SECRET, BOB);
        try (TestExchange exchange = new TestExchange(journal, keys, 1024, config -> config, TestExchange::withRisk))
        {
            final RiskSetup risk = new RiskSetup(exchange);
            risk.configure(TestExchange.BTC);
            risk.markPrice(TestExchange.BTC, 6_000_000);
            risk.deposit(ALICE, 10_000 * USDC);
            risk.deposit(BOB, 10_000 * USDC);
            restSell(exchange);
            Files.deleteIfExists(SCREENSHOT);

            try (NodeScript page = NodeScript.start(DIRECTORY, "trade-page.mjs", List.of(exchange.baseUrl(),
                "alice-page", new String(ALICE_SECRET, StandardCharsets.US_ASCII),
                "bob-page-1", new String(BOB_SECRET, StandardCharsets.US_ASCII), SCREENSHOT.toString())))
            {
                JsonNode step = next(page, "market-data");
                assertEquals("BTC-USD", step.get("market").asText());
                assertEquals("0.005", step.get("ask").asText());

                step = next(page, "logged-in");
                assertEquals("trading: account 11", step.get("status").asText());
                assertEquals("10000.00", step.get("balance").asText());

                step = next(page, "input-refused");
                assertTrue(step.get("result").asText().contains("size must be a plain decimal"), step.toString());

                step = next(page, "placed");
                final String orderId = step.get("orderId").asText();
                assertEquals("0.003", step.get("open").asText());
                assertEquals("0.003", step.get("bookSize").asText());
                assertTrue(step.get("result").asText().startsWith("order " + orderId + ": accepted BUY 0.003 LIMIT @ 59000"),
                    step.toString());
                assertEquals("0.003", bookLevel(exchange, "bids", "59000"), "the exchange's book has the order");
                page.send("next");

                step = next(page, "cancelled");
                assertTrue(step.get("result").asText().contains("cancelled 0.003 (user)"), step.toString());
                assertEquals(null, bookLevel(exchange, "bids", "59000"), "the exchange's book no longer has it");
                page.send("next");

                step = next(page, "rejected");
                assertTrue(step.get("result").asText().startsWith("POST_ONLY_WOULD_CROSS: "), step.toString());

                step = next(page, "filled");
                assertEquals("60500.0", step.get("fillPrice").asText());
                assertEquals("0.002", step.get("fillSize").asText());
                assertEquals("0.002", step.get("position").asText());
                assertTrue(step.get("trades").asInt() >= 1, step.toString());
                assertEquals("0.003", bookLevel(exchange, "asks", "60500"), "the exchange's ask after the fill");
                page.send("next");

                step = next(page, "amended");
                assertTrue(step.get("result").asText().startsWith("leverage 5"), step.toString());
                assertEquals("0.002", bookLevel(exchange, "bids", "59500"), "the exchange's bid after the amend");
                page.send("next");

                next(page, "before-restart");
                final int port = exchange.gateway.port();
                exchange.stopGateway();
                page.send("next");
                step = next(page, "down");
                assertTrue(step.get("feed").asText().startsWith("market data: reconnecting"), step.toString());
                assertTrue(step.get("trading").asText().startsWith("trading: reconnecting"), step.toString());
                exchange.restartGateway(port);
                page.send("next");
                step = next(page, "reconnected");
                assertEquals("trading: account 11", step.get("trading").asText());
                page.send("next");

                step = next(page, "stop-waiting");
                assertEquals("reduce-only", step.get("flags").asText());
                assertEquals(1, step.get("asks").asInt(), "a waiting stop is not on the book: " + step);
                assertEquals(null, bookLevel(exchange, "asks", "58000"));
                page.send("next");

                step = next(page, "cancelled-all");
                assertTrue(step.get("result").asText().contains("cancelled 0.002 (cancel all)"), step.toString());
                assertEquals(null, bookLevel(exchange, "bids", "59500"), "cancel-all emptied the account's bids");
                page.send("next");

                step = next(page, "fragment-login");
                assertEquals("trading: account 12", step.get("status").asText());
                assertFalse(step.get("url").asText().contains("secret"), "the secret left the address bar: " + step);
                assertEquals(1, step.get("orders").asInt(), "bob's order placed before the page: " + step);
                assertEquals("OPEN", step.get("orderStatus").asText());

                step = next(page, "other-market");
                assertTrue(step.get("url").asText().endsWith("/?market=ETH-USD"), step.toString());
                assertEquals(0, step.get("asks").asInt() + step.get("bids").asInt(), step.toString());

                next(page, "done");
                assertEquals(0, page.awaitExit(60), () -> "the browser script failed:\n" + page.stderr());
            }
        }
        assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot of the page in " + SCREENSHOT);
        System.out.println("trading page screenshot: " + SCREENSHOT);
    }

    /** Skips (printing why) without chromium, except under CI, where its absence fails. */
    static void requireChromium()
    {
        if (Files.isExecutable(CHROMIUM))
        {
            return;
        }
        final String reason = CHROMIUM + " is missing: the browser test needs Debian's chromium " +
            "(src/test/browser/install.sh installs it; .ci/run runs that script)";
        if ("true".equals(System.getenv("CI")))
        {
            fail(reason);
        }
        System.out.println("SKIPPED TradingPageBrowserTest: " + reason);
        Assumptions.abort(reason);
    }

    /** npm ci of the pinned playwright-core when it is missing (chromium is there already). */
    private static void install() throws IOException, InterruptedException
    {
        final Process install = new ProcessBuilder("bash", DIRECTORY.resolve("install.sh").toString())
            .redirectErrorStream(true).start();
        final String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0)
        {
            install.destroyForcibly();
            fail("cannot install playwright-core for the browser test (node 20+ and npm are needed and the npm " +
                "registry reachable):\n" + output);
        }
    }

    private static JsonNode next(final NodeScript page, final String expected) throws Exception
    {
        final String line = page.nextLine(180);
        final JsonNode step;
        try
        {
            step = JSON.readTree(line);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not a step: " + line + "\nstderr:\n" + page.stderr(), ex);
        }
        assertEquals(expected, step.path("step").asText(), () -> "step " + line + "\nstderr:\n" + page.stderr());
        return step;
    }

    /** Bob's resting sell of 0.005 at 60500, sent through the trading API like any client. */
    private static void restSell(final TestExchange exchange) throws Exception
    {
        try (WsClient bob = new WsClient("ws://127.0.0.1:" + exchange.gateway.port() + TradingEndpoint.PATH))
        {
            final long timestamp = System.currentTimeMillis();
            final String nonce = "page-test-bob-" + timestamp;
            bob.send(JSON.createObjectNode().put("op", "login").put("requestId", "1").put("apiKey", "bob-page-1")
                .put("timestamp", timestamp).put("nonce", nonce)
                .put("signature", LoginVerifier.sign(BOB_SECRET, "bob-page-1", timestamp, nonce)).toString());
            assertEquals("result", bob.next().get("type").asText());
            bob.send("{\"op\":\"place\",\"requestId\":\"2\",\"market\":\"BTC-USD\",\"side\":\"SELL\"," +
                "\"price\":\"60500\",\"size\":\"0.005\"}");
            final JsonNode placed = bob.next();
            assertEquals("result", placed.get("type").asText(), placed.toString());
            exchange.awaitMarketData(placed.get("sequence").asLong());
        }
    }

    /** The size at {@code price} in the exchange's REST order book, or null if there is no such level. */
    private static String bookLevel(final TestExchange exchange, final String side, final String price) throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(exchange.baseUrl() + "/v4/orderbooks/perpetualMarket/BTC-USD")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        for (final JsonNode level : JSON.readTree(response.body()).get(side))
        {
            if (level.get("price").asText().equals(price))
            {
                return level.get("size").asText();
            }
        }
        return null;
    }
}
