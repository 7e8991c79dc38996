package io.perpetua.node;

import io.perpetua.core.book.BookSide;
import io.perpetua.core.book.OrderBook;
import io.perpetua.core.book.PriceLevel;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.journal.Replayer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's market-data view, rebuilt from events alone, equals the engine's own price levels
 * after every few hundred commands of the demo flow (rests, fills, cancels, amends and GTT expiries).
 */
class MarketDataViewTest
{
    @Test
    void levelsRebuiltFromEventsEqualTheEnginesBook()
    {
        final String fixed = System.getenv("PERPETUA_SEED");
        final long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
        final MatchingEngine engine = Replayer.standardEngine();
        final CommandAdapter adapter = new CommandAdapter(engine);
        final EventPublisher events = engine.events();
        final MarketDataView view = new MarketDataView();
        final DemoTraffic traffic = new DemoTraffic(seed, DemoMarket.MARKETS);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        long sequence = 0;
        for (final DemoMarket market : DemoMarket.MARKETS)
        {
            final int length = traffic.addMarket(market);
            command.putBytes(0, traffic.buffer(), 0, length);
            sequence++;
            CommandAdapter.stamp(command, 0, sequence, sequence * 1_000_000);
            adapter.apply(command, 0, length);
            view.onEvents(events.buffer(), 0, events.length());
        }
        for (int i = 0; i < 30_000; i++)
        {
            sequence++;
            // One command per millisecond: GTT orders (2-10 s) expire within the run.
            final long nowNs = sequence * 1_000_000;
            final int length = traffic.next(nowNs);
            command.putBytes(0, traffic.buffer(), 0, length);
            CommandAdapter.stamp(command, 0, sequence, nowNs);
            adapter.apply(command, 0, length);
            view.onEvents(events.buffer(), 0, events.length());
            if (i % 250 == 0)
            {
                assertSameLevels(engine, view, "after sequence " + sequence + " (seed " + seed + ")");
            }
        }
        assertSameLevels(engine, view, "at the end (seed " + seed + ")");
        assertTrue(view.fills() > 1_000, "the flow trades (seed " + seed + ")");
    }

    private static void assertSameLevels(final MatchingEngine engine, final MarketDataView view, final String when)
    {
        for (final DemoMarket market : DemoMarket.MARKETS)
        {
            final OrderBook book = engine.state().book(market.marketId());
            final MarketDataView.Book rebuilt = view.book(market.marketId());
            assertEquals(levels(book.bids(), market), levels(rebuilt.bids), market.symbol() + " bids " + when);
            assertEquals(levels(book.asks(), market), levels(rebuilt.asks), market.symbol() + " asks " + when);
            assertEquals(book.bids().levelCount() == 0 ? 0 : book.bids().best().priceTicks() * market.tickSize(),
                rebuilt.bestBid(), market.symbol() + " best bid " + when);
            assertEquals(book.asks().levelCount() == 0 ? 0 : book.asks().best().priceTicks() * market.tickSize(),
                rebuilt.bestAsk(), market.symbol() + " best ask " + when);
        }
    }

    private static Map<Long, Long> levels(final BookSide side, final DemoMarket market)
    {
        final Map<Long, Long> levels = new TreeMap<>();
        for (PriceLevel level = side.best(); level != null; level = level.worse())
        {
            levels.put(level.priceTicks() * market.tickSize(), level.totalSizeLots() * market.lotSize());
        }
        return levels;
    }

    private static Map<Long, Long> levels(final Long2LongHashMap side)
    {
        final Map<Long, Long> levels = new TreeMap<>();
        side.forEachLong(levels::put);
        return levels;
    }
}
