package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.perpetua.core.sbe.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The indexer's market figures come from risk-margin's events: {@code oraclePrice} from
 * MarkPriceUpdated, {@code openInterest} from PositionChanged, the margin fractions from
 * RiskConfigured; a market without them says null (and open interest 0), never a stand-in.
 */
class MarketFiguresTest
{
    private static final long USDC = 1_000_000L;
    private static final long LOT = 100_000;

    @TempDir
    Path journal;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void markPriceOpenInterestAndMarginFractionsFollowTheEvents() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal, null, 1024, UnaryOperator.identity(), TestExchange::withRisk))
        {
            final RiskSetup risk = new RiskSetup(exchange);
            risk.configure(TestExchange.BTC);
            exchange.awaitMarketData(risk.markPrice(TestExchange.BTC, 6_000_000));
            JsonNode btc = market(exchange, "BTC-USD");
            assertEquals("60000", btc.get("oraclePrice").asText());
            assertEquals("0.05", btc.get("initialMarginFraction").asText());
            assertEquals("0.03", btc.get("maintenanceMarginFraction").asText());
            assertEquals("0", btc.get("openInterest").asText());

            final JsonNode eth = market(exchange, "ETH-USD");
            assertTrue(eth.get("oraclePrice").isNull(), eth.toString());
            assertTrue(eth.get("initialMarginFraction").isNull(), eth.toString());
            assertTrue(eth.get("maintenanceMarginFraction").isNull(), eth.toString());
            assertEquals("0", eth.get("openInterest").asText());

            for (long account = 1; account <= 3; account++)
            {
                risk.deposit(account, 10_000 * USDC);
            }
            // 1 sells 0.003 resting; 2 buys 0.002 and 3 buys 0.001 from it: open interest 0.003.
            place(exchange, 1, Side.SELL, 6_000_000, 3 * LOT);
            place(exchange, 2, Side.BUY, 6_000_000, 2 * LOT);
            exchange.awaitMarketData(place(exchange, 3, Side.BUY, 6_000_000, LOT));
            assertEquals("0.003", market(exchange, "BTC-USD").get("openInterest").asText());

            // 3 bids 0.002 more; 2 sells its 0.002 into it: 2 is flat, 3 holds 0.003, 1 is short 0.003.
            place(exchange, 3, Side.BUY, 5_999_950, 2 * LOT);
            exchange.awaitMarketData(place(exchange, 2, Side.SELL, 5_999_950, 2 * LOT));
            assertEquals("0.003", market(exchange, "BTC-USD").get("openInterest").asText());

            // 1 buys back 0.001 of its short from a new seller 2: 2 opens a short, so open interest stays.
            place(exchange, 2, Side.SELL, 6_000_000, LOT);
            exchange.awaitMarketData(place(exchange, 1, Side.BUY, 6_000_000, LOT));
            assertEquals("0.003", market(exchange, "BTC-USD").get("openInterest").asText());

            // 3 sells 0.001 to 1: both reduce, open interest falls to 0.002.
            place(exchange, 1, Side.BUY, 5_999_900, LOT);
            exchange.awaitMarketData(place(exchange, 3, Side.SELL, 5_999_900, LOT));
            btc = market(exchange, "BTC-USD");
            assertEquals("0.002", btc.get("openInterest").asText());

            exchange.awaitMarketData(risk.markPrice(TestExchange.BTC, 6_010_000));
            assertEquals("60100", market(exchange, "BTC-USD").get("oraclePrice").asText());
        }
    }

    private long place(final TestExchange exchange, final long account, final Side side, final long price, final long size)
        throws Exception
    {
        final TestExchange.Result result = exchange.submit(
            exchange.encoder().limitOrder(exchange.buffer(), 0, account, TestExchange.BTC, 0, side, price, size));
        assertNull(result.rejectReason(), "order of account " + account + " at sequence " + result.sequence());
        return result.sequence();
    }

    private JsonNode market(final TestExchange exchange, final String ticker) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create(exchange.baseUrl() + "/v4/perpetualMarkets?ticker=" + ticker)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return WsClient.JSON.readTree(response.body()).get("markets").get(ticker);
    }
}
