package io.perpetua.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.perpetua.gateway.marketdata.Candle;
import io.perpetua.gateway.marketdata.CandleResolution;
import io.perpetua.gateway.marketdata.MarketDataState;
import io.perpetua.gateway.marketdata.MarketState;
import io.perpetua.gateway.marketdata.MarketUnits;
import io.perpetua.gateway.marketdata.Trade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unmodified ccxt {@code dydx} class against the gateway: it loads the markets, fetches trades
 * and candles, and builds an order book with {@code watchOrderBook}; every book it builds, first on
 * a quiet exchange and then while orders keep changing the book, equals the engine's own L2 at the
 * sequence number of the last message ccxt applied.
 */
class CcxtDydxTest
{
    private static final long SEED = Long.getLong("perpetua.seed",
        System.getenv("PERPETUA_SEED") != null ? Long.parseLong(System.getenv("PERPETUA_SEED")) : System.nanoTime());
    private static final int BOOK_UPDATES = 150;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir
    Path journal;

    @Test
    void ccxtBuildsTheEnginesBook() throws Exception
    {
        NodeScript.installCcxt();
        final List<JsonNode> books = new ArrayList<>();
        final MarketUnits units;
        try (TestExchange exchange = new TestExchange(journal))
        {
            final OrderFlow flow = new OrderFlow(SEED, exchange.encoder());
            long sequence = 0;
            for (int i = 0; i < 400; i++)
            {
                sequence = exchange.submit(flow.next(exchange.buffer())).sequence();
            }
            exchange.awaitMarketData(sequence);
            final MarketDataState state = exchange.gateway.marketData();
            synchronized (state)
            {
                units = state.market("BTC-USD").info().units();
            }
            final String base = exchange.baseUrl();
            try (NodeScript script = NodeScript.start("ccxt-dydx.mjs", List.of(base,
                "ws://127.0.0.1:" + exchange.gateway.port() + Gateway.FEED_PATH, "BTC/USDC:USDC",
                Integer.toString(BOOK_UPDATES))))
            {
                checkMarkets(JSON.readTree(script.nextLine(120)));
                checkTrades(JSON.readTree(script.nextLine(60)), state);
                checkCandles(JSON.readTree(script.nextLine(60)), state);

                final JsonNode first = JSON.readTree(script.nextLine(60));
                assertEquals("book", first.get("kind").asText(), first.toString());
                assertEquals(sequence, first.get("sequence").asLong(), "the snapshot reflects the quiet exchange");
                books.add(first);

                // Now keep changing the book while ccxt applies deltas.
                final AtomicBoolean stop = new AtomicBoolean();
                final AtomicReference<Throwable> flowFailure = new AtomicReference<>();
                final Thread traffic = new Thread(() ->
                {
                    final OrderFlow more = new OrderFlow(SEED + 1, exchange.encoder());
                    try
                    {
                        while (!stop.get())
                        {
                            exchange.submit(more.next(exchange.buffer()));
                        }
                    }
                    catch (final Exception ex)
                    {
                        flowFailure.set(ex);
                    }
                }, "ccxt-test-traffic");
                traffic.start();
                try
                {
                    while (true)
                    {
                        final JsonNode line = JSON.readTree(script.nextLine(120));
                        if (line.get("kind").asText().equals("done"))
                        {
                            break;
                        }
                        books.add(line);
                    }
                }
                finally
                {
                    stop.set(true);
                    traffic.join();
                }
                assertNull(flowFailure.get(), () -> "order flow failed: " + flowFailure.get());
            }
        }

        assertEquals(BOOK_UPDATES, books.size());
        final TreeSet<Long> sequences = new TreeSet<>();
        for (final JsonNode book : books)
        {
            assertTrue(book.hasNonNull("sequence"), () -> "seed " + SEED + ": no sequence recorded for " + book);
            sequences.add(book.get("sequence").asLong());
        }
        assertTrue(sequences.size() > 20, "seed " + SEED + ": ccxt saw the book at many sequences: " + sequences.size());
        final Map<Long, EngineBooks.Book> engine = EngineBooks.at(journal, TestExchange.BTC, sequences);
        for (final JsonNode book : books)
        {
            final long sequence = book.get("sequence").asLong();
            final EngineBooks.Book reference = engine.get(sequence);
            assertEquals(decimal(reference.bids(), units), ccxtSide(book.get("bids")),
                "seed " + SEED + ": bids ccxt built at sequence " + sequence + " (nonce " + book.get("nonce") + ")");
            assertEquals(decimal(reference.asks(), units), ccxtSide(book.get("asks")),
                "seed " + SEED + ": asks ccxt built at sequence " + sequence + " (nonce " + book.get("nonce") + ")");
        }
    }

    private static void checkMarkets(final JsonNode line)
    {
        assertEquals("markets", line.get("kind").asText(), line.toString());
        final Map<String, JsonNode> bySymbol = new TreeMap<>();
        line.get("markets").forEach(market -> bySymbol.put(market.get("symbol").asText(), market));
        assertEquals(List.of("BTC/USDC:USDC", "ETH/USDC:USDC"), new ArrayList<>(bySymbol.keySet()));
        final JsonNode btc = bySymbol.get("BTC/USDC:USDC");
        assertEquals("BTC-USD", btc.get("id").asText());
        assertTrue(btc.get("active").asBoolean());
        assertEquals("swap", btc.get("type").asText());
        assertEquals(0, new BigDecimal("0.5").compareTo(btc.get("precision").get("price").decimalValue()));
        assertEquals(0, new BigDecimal("0.001").compareTo(btc.get("precision").get("amount").decimalValue()));
    }

    private static void checkTrades(final JsonNode line, final MarketDataState state)
    {
        assertEquals("trades", line.get("kind").asText(), line.toString());
        final List<String> expected = new ArrayList<>();
        synchronized (state)
        {
            final MarketState btc = state.market("BTC-USD");
            final MarketUnits units = btc.info().units();
            for (final Iterator<Trade> it = btc.tradesNewestFirst(); it.hasNext() && expected.size() < 100; )
            {
                final Trade trade = it.next();
                expected.add(trade.tradeId() + " " + trade.takerSide().name().toLowerCase() + " " +
                    new BigDecimal(units.price(trade.price())).stripTrailingZeros().toPlainString() + " " +
                    new BigDecimal(units.size(trade.size())).stripTrailingZeros().toPlainString() + " " +
                    trade.timestampNs() / 1_000_000);
            }
        }
        assertFalse(expected.isEmpty(), "seed " + SEED + ": the flow traded");
        final List<String> actual = new ArrayList<>();
        line.get("trades").forEach(trade -> actual.add(trade.get("id").asText() + " " + trade.get("side").asText() + " " +
            trade.get("price").decimalValue().stripTrailingZeros().toPlainString() + " " +
            trade.get("amount").decimalValue().stripTrailingZeros().toPlainString() + " " +
            trade.get("timestamp").asLong()));
        // ccxt sorts by millisecond timestamp, so trades of the same millisecond may come in either order.
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual);
    }

    private static void checkCandles(final JsonNode line, final MarketDataState state)
    {
        assertEquals("ohlcv", line.get("kind").asText(), line.toString());
        final List<String> expected = new ArrayList<>();
        synchronized (state)
        {
            final MarketState btc = state.market("BTC-USD");
            final MarketUnits units = btc.info().units();
            for (final Iterator<Candle> it = btc.candlesNewestFirst(CandleResolution.ONE_MINUTE); it.hasNext(); )
            {
                final Candle candle = it.next();
                expected.add(0, candle.startedAtNs() / 1_000_000 + " " + units.price(candle.open()) + " " +
                    units.price(candle.high()) + " " + units.price(candle.low()) + " " + units.price(candle.close()) + " " +
                    units.size(candle.baseVolume()));
            }
        }
        final List<String> actual = new ArrayList<>();
        line.get("candles").forEach(candle ->
        {
            final StringBuilder row = new StringBuilder().append(candle.get(0).asLong());
            for (int i = 1; i <= 5; i++)
            {
                row.append(' ').append(candle.get(i).decimalValue().stripTrailingZeros().toPlainString());
            }
            actual.add(row.toString());
        });
        assertFalse(actual.isEmpty());
        assertEquals(expected, actual);
    }

    private static Map<BigDecimal, BigDecimal> decimal(final Map<Long, Long> levels, final MarketUnits units)
    {
        final Map<BigDecimal, BigDecimal> out = new TreeMap<>();
        levels.forEach((price, size) -> out.put(new BigDecimal(units.price(price)).stripTrailingZeros(),
            new BigDecimal(units.size(size)).stripTrailingZeros()));
        return out;
    }

    private static Map<BigDecimal, BigDecimal> ccxtSide(final JsonNode side)
    {
        assertNotNull(side);
        final Map<BigDecimal, BigDecimal> out = new TreeMap<>();
        side.forEach(level -> out.put(level.get(0).decimalValue().stripTrailingZeros(),
            level.get(1).decimalValue().stripTrailingZeros()));
        return out;
    }
}
