package io.perpetua.gateway;

import io.perpetua.gateway.marketdata.MarketChanges;
import io.perpetua.gateway.marketdata.MarketDataListener;
import io.perpetua.gateway.marketdata.MarketDataState;
import io.perpetua.gateway.marketdata.MarketState;
import io.perpetua.gateway.marketdata.MarketUnits;
import io.perpetua.gateway.marketdata.Trade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarketDataStateTest
{
    private static final long SEED = Long.getLong("perpetua.seed",
        System.getenv("PERPETUA_SEED") != null ? Long.parseLong(System.getenv("PERPETUA_SEED")) : System.nanoTime());

    @TempDir
    Path journal;

    @Test
    void booksBuiltFromEventsEqualTheEnginesAfterEveryCommand() throws Exception
    {
        final Map<Long, EngineBooks.Book> seen = new HashMap<>();
        final long lastSequence;
        final long trades;
        try (TestExchange exchange = new TestExchange(journal))
        {
            final MarketDataState state = exchange.gateway.marketData();
            state.addListener(new MarketDataListener()
            {
                @Override
                public void onChanges(final MarketDataState s, final long sequence, final Collection<MarketChanges> changes)
                {
                    final MarketState btc = s.market(TestExchange.BTC);
                    seen.put(sequence, new EngineBooks.Book(new TreeMap<>(btc.bids()), new TreeMap<>(btc.asks())));
                }
            });
            final OrderFlow flow = new OrderFlow(SEED, exchange.encoder());
            long sequence = 0;
            for (int i = 0; i < 3_000; i++)
            {
                sequence = exchange.submit(flow.next(exchange.buffer())).sequence();
            }
            lastSequence = sequence;
            exchange.awaitMarketData(lastSequence);
            synchronized (state)
            {
                trades = state.market("BTC-USD").trades().spliterator().getExactSizeIfKnown();
            }
        }
        assertTrue(trades > 0, "seed " + SEED + ": the flow traded");
        final TreeMap<Long, EngineBooks.Book> observed = new TreeMap<>(seen);
        observed.keySet().removeIf(sequence -> sequence < 3);
        final Map<Long, EngineBooks.Book> reference =
            EngineBooks.at(journal, TestExchange.BTC, new TreeSet<>(observed.keySet()));
        for (final Map.Entry<Long, EngineBooks.Book> entry : observed.entrySet())
        {
            final EngineBooks.Book engine = reference.get(entry.getKey());
            assertEquals(engine.bids(), entry.getValue().bids(), "seed " + SEED + ": bids at sequence " + entry.getKey());
            assertEquals(engine.asks(), entry.getValue().asks(), "seed " + SEED + ": asks at sequence " + entry.getKey());
        }
        assertTrue(observed.size() > 1_000, "seed " + SEED + ": most commands changed the book");
    }

    @Test
    void tradesAndCandlesFollowTheFills() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal))
        {
            final var encoder = exchange.encoder();
            final var buffer = exchange.buffer();
            exchange.submit(encoder.limitOrder(buffer, 0, 1, TestExchange.BTC, 1, io.perpetua.core.sbe.Side.SELL,
                6_000_050, 300_000));
            exchange.submit(encoder.limitOrder(buffer, 0, 1, TestExchange.BTC, 2, io.perpetua.core.sbe.Side.SELL,
                6_000_100, 300_000));
            final long sequence = exchange.submit(encoder.limitOrder(buffer, 0, 2, TestExchange.BTC, 1,
                io.perpetua.core.sbe.Side.BUY, 6_000_100, 500_000)).sequence();
            exchange.awaitMarketData(sequence);
            final MarketDataState state = exchange.gateway.marketData();
            synchronized (state)
            {
                final MarketState btc = state.market("BTC-USD");
                final var trades = new java.util.ArrayList<Trade>();
                btc.trades().forEach(trades::add);
                assertEquals(2, trades.size());
                assertEquals(6_000_050, trades.get(0).price());
                assertEquals(300_000, trades.get(0).size());
                assertEquals(6_000_100, trades.get(1).price());
                assertEquals(200_000, trades.get(1).size());
                assertEquals(sequence, trades.get(1).sequence());
                final var candle = btc.candlesNewestFirst(io.perpetua.gateway.marketdata.CandleResolution.ONE_MINUTE).next();
                assertEquals(6_000_050, candle.open());
                assertEquals(6_000_100, candle.close());
                assertEquals(6_000_100, candle.high());
                assertEquals(6_000_050, candle.low());
                assertEquals(500_000, candle.baseVolume());
                assertEquals(2, candle.trades());
                // 60000.50 x 0.003 + 60001.00 x 0.002 = 180.0015 + 120.002 USDC
                assertEquals(300_003_500, candle.quoteVolume());
                assertEquals(Map.of(6_000_100L, 100_000L), btc.asks());
                final MarketUnits units = btc.info().units();
                assertEquals("60001", units.price(6_000_100));
                assertEquals("0.001", units.size(100_000));
                assertNotNull(btc.info());
            }
        }
    }

    @Test
    void snapshotsAndMarketUpdatesPassThroughAndHaltIsCancelOnly() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal))
        {
            final var encoder = exchange.encoder();
            final var buffer = exchange.buffer();
            exchange.submit(encoder.limitOrder(buffer, 0, 1, TestExchange.BTC, 1, io.perpetua.core.sbe.Side.BUY,
                5_999_950, 100_000));
            // SnapshotTaken is an event the market data does not decode: it is stepped over by its schema layout.
            exchange.submit(encoder.takeSnapshot(buffer, 0));
            final long sequence = exchange.submit(encoder.updateMarket(buffer, 0, TestExchange.BTC, 100_000, 1_000_000_000,
                0, 50_000, -100, 500, false, io.perpetua.core.sbe.MarketStatus.HALTED)).sequence();
            exchange.awaitMarketData(sequence);
            final MarketDataState state = exchange.gateway.marketData();
            synchronized (state)
            {
                final MarketState btc = state.market("BTC-USD");
                assertEquals(io.perpetua.core.sbe.MarketStatus.HALTED, btc.info().status());
                assertEquals(Map.of(5_999_950L, 100_000L), btc.bids());
                assertEquals("CANCEL_ONLY", io.perpetua.gateway.indexer.IndexerJson.market(btc, state.timestampNs())
                    .get("status").asText());
            }
            assertEquals(null, exchange.gateway.tailer().failure());
        }
    }

    @Test
    void unitsFormatAndParseExactly()
    {
        final MarketUnits btc = new MarketUnits(2, 4);
        assertEquals(8, btc.sizeDecimals());
        assertEquals("60000.5", btc.price(6_000_050));
        assertEquals("0", btc.size(0));
        assertEquals("0.00000001", btc.size(1));
        assertEquals("60000.25", btc.mid(6_000_000, 6_000_050));
        assertEquals(6_000_050, btc.parsePrice("60000.50"));
        assertEquals(100_000, btc.parseSize("0.001"));
        assertThrows(NumberFormatException.class, () -> btc.parsePrice("60000.505"));
        assertThrows(NumberFormatException.class, () -> btc.parsePrice("1e5"));
        assertThrows(NumberFormatException.class, () -> btc.parseSize("99999999999999999999"));
        assertThrows(NumberFormatException.class, () -> btc.parseSize(" 1"));
        assertThrows(IllegalArgumentException.class, () -> new MarketUnits(11, 4));
        assertEquals("-0.5", btc.price(-50));
    }
}
