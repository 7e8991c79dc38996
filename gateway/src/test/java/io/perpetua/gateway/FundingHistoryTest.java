package io.perpetua.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.core.sbe.FundingTickAppliedDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.gateway.indexer.IndexerJson;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Funding in the indexer: {@code /v4/historicalFunding} lists the journal's FundingTickApplied events
 * in dYdX's shape and the markets' {@code nextFundingRate}/{@code nextFundingAt} follow the latest
 * ticks, over REST and {@code v4_markets}; the unmodified ccxt {@code dydx} class reads the history.
 * Rates are exact: a tick charges an eighth of its 8-hour rate.
 */
class FundingHistoryTest
{
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir
    Path journal;

    private final HttpClient http = HttpClient.newHttpClient();
    private final FundingCommandEncoder funding = new FundingCommandEncoder();

    @Test
    void historyAndNextFundingFollowTheAppliedTicks() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal, null, 1024, UnaryOperator.identity(), TestExchange::withRisk);
            WsClient feed = new WsClient("ws://127.0.0.1:" + exchange.gateway.port() + Gateway.FEED_PATH))
        {
            final RiskSetup risk = new RiskSetup(exchange);
            risk.configure(TestExchange.BTC);
            exchange.awaitMarketData(risk.markPrice(TestExchange.BTC, 6_000_000));
            JsonNode btc = market(exchange);
            assertTrue(btc.get("nextFundingRate").isNull(), "no tick yet, so no rate: " + btc);
            assertTrue(btc.get("nextFundingAt").isNull(), btc.toString());
            assertEquals("{\"historicalFunding\":[]}", get(exchange, "/v4/historicalFunding/BTC-USD", 200).toString());

            feed.next("connected");
            feed.send("{\"type\":\"subscribe\",\"channel\":\"v4_markets\"}");
            feed.next("subscribed");

            // 0.01% per 8 hours at 60,000: the tick charges 0.0000125 of the price.
            final Tick first = tick(exchange, 100_000, HOUR_NS);
            btc = market(exchange);
            assertEquals("0.0000125", btc.get("nextFundingRate").asText());
            assertTrue(btc.get("nextFundingAt").isNull(), "one period does not give the period length: " + btc);
            assertEquals("0.0000125", marketsUpdate(feed, first.sequence).get("nextFundingRate").asText());

            exchange.awaitMarketData(risk.markPrice(TestExchange.BTC, 6_010_050));
            final Tick second = tick(exchange, -250_000, 2 * HOUR_NS);
            btc = market(exchange);
            assertEquals("-0.00003125", btc.get("nextFundingRate").asText());
            assertEquals("1970-01-01T03:00:00.000Z", btc.get("nextFundingAt").asText());
            final JsonNode update = marketsUpdate(feed, second.sequence);
            assertEquals("-0.00003125", update.get("nextFundingRate").asText());
            assertEquals("1970-01-01T03:00:00.000Z", update.get("nextFundingAt").asText());

            // A period without a tick in between: the next end assumes the latest period's length.
            final Tick third = tick(exchange, 7, 4 * HOUR_NS);
            btc = market(exchange);
            assertEquals("0.000000000875", btc.get("nextFundingRate").asText());
            assertEquals("1970-01-01T06:00:00.000Z", btc.get("nextFundingAt").asText());

            final String all = "{\"historicalFunding\":[" +
                entry("0.000000000875", "60100.5", third) + "," +
                entry("-0.00003125", "60100.5", second) + "," +
                entry("0.0000125", "60000", first) + "]}";
            assertEquals(all, get(exchange, "/v4/historicalFunding/BTC-USD", 200).toString());
            assertEquals("{\"historicalFunding\":[" + entry("0.000000000875", "60100.5", third) + "," +
                    entry("-0.00003125", "60100.5", second) + "]}",
                get(exchange, "/v4/historicalFunding/BTC-USD?limit=2", 200).toString());
            assertEquals("{\"historicalFunding\":[" + entry("-0.00003125", "60100.5", second) + "," +
                    entry("0.0000125", "60000", first) + "]}",
                get(exchange, "/v4/historicalFunding/BTC-USD?effectiveBeforeOrAtHeight=" + second.sequence, 200).toString());
            // A tick's own effectiveAt (milliseconds) selects it.
            assertEquals("{\"historicalFunding\":[" + entry("0.0000125", "60000", first) + "]}",
                get(exchange, "/v4/historicalFunding/BTC-USD?effectiveBeforeOrAt=" + IndexerJson.iso(first.timestampNs) +
                    "&effectiveBeforeOrAtHeight=" + (second.sequence - 1), 200).toString());
            assertEquals("{\"historicalFunding\":[]}",
                get(exchange, "/v4/historicalFunding/BTC-USD?effectiveBeforeOrAt=1970-01-01T00:00:00Z", 200).toString());
            assertEquals("{\"historicalFunding\":[]}", get(exchange, "/v4/historicalFunding/ETH-USD", 200).toString());

            // A tick the core refuses (the same period again) leaves the history as it was.
            final TestExchange.Result refused = exchange.submit(
                funding.fundingTick(exchange.buffer(), 0, TestExchange.BTC, 1_000_000, 4 * HOUR_NS));
            assertEquals("FUNDING_TICK_NOT_NEW", refused.rejectReason());
            exchange.awaitMarketData(refused.sequence());
            assertEquals(all, get(exchange, "/v4/historicalFunding/BTC-USD", 200).toString());
            assertEquals("0.000000000875", market(exchange).get("nextFundingRate").asText());

            checkCcxt(exchange, first, second, third);
        }
    }

    /** ccxt's {@code fetchFundingRateHistory} (oldest first) with no options, a limit and {@code until}. */
    private static void checkCcxt(final TestExchange exchange, final Tick first, final Tick second, final Tick third)
        throws Exception
    {
        NodeScript.installCcxt();
        try (NodeScript script = NodeScript.start("ccxt-dydx-funding.mjs",
            List.of(exchange.baseUrl(), "BTC/USDC:USDC", Long.toString(second.timestampNs / 1_000_000))))
        {
            final JsonNode all = JSON.readTree(script.nextLine(120));
            assertEquals("all", all.get("kind").asText(), all.toString());
            checkRates(all.get("rates"), new String[] {"0.0000125", "-0.00003125", "0.000000000875"}, first, second, third);
            final JsonNode limited = JSON.readTree(script.nextLine(60));
            checkRates(limited.get("rates"), new String[] {"-0.00003125", "0.000000000875"}, second, third);
            final JsonNode until = JSON.readTree(script.nextLine(60));
            checkRates(until.get("rates"), new String[] {"0.0000125", "-0.00003125"}, first, second);
        }
    }

    private static void checkRates(final JsonNode rates, final String[] expected, final Tick... ticks)
    {
        assertEquals(ticks.length, rates.size(), rates.toString());
        for (int i = 0; i < ticks.length; i++)
        {
            final JsonNode rate = rates.get(i);
            assertEquals("BTC/USDC:USDC", rate.get("symbol").asText(), rate.toString());
            assertEquals(0, new BigDecimal(expected[i]).compareTo(rate.get("fundingRate").decimalValue()), rate.toString());
            assertEquals(ticks[i].timestampNs / 1_000_000, rate.get("timestamp").asLong(), rate.toString());
            assertEquals(Long.toString(ticks[i].sequence), rate.get("height").asText(), rate.toString());
        }
    }

    @Test
    void badParametersAreSpecificErrors() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal))
        {
            assertEquals("No perpetual market found with ticker XRP-USD", errorOf(get(exchange, "/v4/historicalFunding/XRP-USD", 404)));
            assertEquals("limit must be an integer from 1 to 1000: 0", errorOf(get(exchange, "/v4/historicalFunding/BTC-USD?limit=0", 400)));
            assertEquals("effectiveBeforeOrAt must be an ISO-8601 instant: yesterday",
                errorOf(get(exchange, "/v4/historicalFunding/BTC-USD?effectiveBeforeOrAt=yesterday", 400)));
            assertEquals("effectiveBeforeOrAtHeight must be a non-negative integer: -1",
                errorOf(get(exchange, "/v4/historicalFunding/BTC-USD?effectiveBeforeOrAtHeight=-1", 400)));
            assertEquals("effectiveBeforeOrAtHeight must be a non-negative integer: 1.5",
                errorOf(get(exchange, "/v4/historicalFunding/BTC-USD?effectiveBeforeOrAtHeight=1.5", 400)));
        }
    }

    private record Tick(long sequence, long timestampNs)
    {
    }

    /** Submits a tick, checks the core applied it and waits until the market data has it. */
    private Tick tick(final TestExchange exchange, final long rate8hPpb, final long fundingTimeNs) throws Exception
    {
        final TestExchange.Result result = exchange.submit(
            funding.fundingTick(exchange.buffer(), 0, TestExchange.BTC, rate8hPpb, fundingTimeNs));
        assertNull(result.rejectReason(), "funding tick at sequence " + result.sequence());
        final UnsafeBuffer events = new UnsafeBuffer(result.events());
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(events, 0);
        assertEquals(FundingTickAppliedDecoder.TEMPLATE_ID, header.templateId());
        final FundingTickAppliedDecoder applied = new FundingTickAppliedDecoder().wrapAndApplyHeader(events, 0, header);
        assertEquals(rate8hPpb, applied.rate8hPpb());
        exchange.awaitMarketData(result.sequence());
        return new Tick(result.sequence(), applied.timestampNs());
    }

    private static String entry(final String rate, final String price, final Tick tick)
    {
        return "{\"ticker\":\"BTC-USD\",\"rate\":\"" + rate + "\",\"price\":\"" + price + "\",\"effectiveAt\":\"" +
            IndexerJson.iso(tick.timestampNs) + "\",\"effectiveAtHeight\":\"" + tick.sequence + "\"}";
    }

    /** BTC-USD in the first {@code v4_markets} update of {@code sequence}. */
    private static JsonNode marketsUpdate(final WsClient feed, final long sequence) throws Exception
    {
        while (true)
        {
            final JsonNode message = feed.next("channel_data");
            if (message.get("sequence").asLong() == sequence)
            {
                return message.get("contents").get("trading").get("BTC-USD");
            }
        }
    }

    private JsonNode market(final TestExchange exchange) throws Exception
    {
        return get(exchange, "/v4/perpetualMarkets?ticker=BTC-USD", 200).get("markets").get("BTC-USD");
    }

    private static String errorOf(final JsonNode body)
    {
        return body.get("errors").get(0).get("msg").asText();
    }

    private JsonNode get(final TestExchange exchange, final String path, final int status) throws Exception
    {
        final HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(URI.create(exchange.baseUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        return WsClient.JSON.readTree(response.body());
    }
}
