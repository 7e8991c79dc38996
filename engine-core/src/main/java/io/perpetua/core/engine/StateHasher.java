package io.perpetua.core.engine;

import io.perpetua.core.book.BookSide;
import io.perpetua.core.book.BookState;
import io.perpetua.core.book.Order;
import io.perpetua.core.book.OrderBook;
import io.perpetua.core.book.PriceLevel;
import io.perpetua.core.market.MarketSpec;

/**
 * The canonical state hash: counters, then markets by ascending id, each with its spec, last trade
 * price, resting orders (bids then asks, best price first, time priority within a price), mark
 * price and conditional orders (ascending order id).
 *
 * <p>The mix is a 64-bit multiply-xorshift (in the style of SplitMix64/xxHash finalisers) over
 * every field, so any change of any field, or of order within the book, changes the hash. It
 * detects divergence; it is not meant to resist an adversary.
 */
public final class StateHasher
{
    private static final long PRIME_1 = 0x9E3779B97F4A7C15L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;

    private long hash = 0x27D4EB2F165667C5L;

    StateHasher()
    {
    }

    static long hash(final MatchingEngine engine)
    {
        final StateHasher hasher = new StateHasher();
        hasher.mix(engine.nextOrderId());
        hasher.mix(engine.nextTradeId());
        final BookState state = engine.state();
        hasher.mix(state.marketCount());
        for (int i = 0; i < state.marketCount(); i++)
        {
            final OrderBook book = state.book(state.marketIdAt(i));
            hasher.mixMarket(book);
            hasher.mixSide(book.bids());
            hasher.mixSide(book.asks());
            hasher.mix(book.markPriceTicks());
            hasher.mixConditionals(state, book);
        }
        if (engine.extension() != null)
        {
            engine.extension().hashInto(hasher);
        }
        return hasher.finish();
    }

    private void mixMarket(final OrderBook book)
    {
        final MarketSpec spec = book.spec();
        mix(spec.marketId());
        final String symbol = spec.symbol();
        mix(symbol.length());
        for (int i = 0; i < symbol.length(); i++)
        {
            mix(symbol.charAt(i));
        }
        mix(spec.tickSize());
        mix(spec.lotSize());
        mix(spec.quoteScaleExponent());
        mix(spec.minSizeLots());
        mix(spec.maxSizeLots());
        mix(spec.maxNotional());
        mix(spec.priceBandPpm());
        mix(spec.makerFeePpm());
        mix(spec.takerFeePpm());
        mix(spec.initialReferencePriceTicks());
        mix(spec.selfTradeAllowed() ? 1 : 0);
        mix(spec.status().value());
        mix(book.lastTradePriceTicks());
    }

    private void mixSide(final BookSide side)
    {
        mix(side.levelCount());
        for (PriceLevel level = side.best(); level != null; level = level.worse())
        {
            mix(level.priceTicks());
            mix(level.totalSizeLots());
            mix(level.orderCount());
            for (Order order = level.head(); order != null; order = order.nextInLevel())
            {
                mixOrder(order);
            }
        }
    }

    private void mixOrder(final Order order)
    {
        mix(order.orderId());
        mix(order.accountId());
        mix(order.clientOrderId());
        mix(order.side().value());
        mix(order.timeInForce().value());
        mix(order.flags());
        mix(order.selfTradePrevention().value());
        mix(order.priceTicks());
        mix(order.sizeLots());
        mix(order.expiryNs());
    }

    private void mixConditionals(final BookState state, final OrderBook book)
    {
        final long[] ids = new long[book.conditionals().count()];
        final int count = book.conditionals().collectOrderIds(ids);
        MatchingEngine.heapSort(ids, count);
        mix(count);
        for (int i = 0; i < count; i++)
        {
            final Order order = state.order(ids[i]);
            mixOrder(order);
            mix(order.orderType().value());
            mix(order.triggerPriceTicks());
        }
    }

    /** Mixes one value into the hash; extensions call it for each field of their canonical state. */
    public void mix(final long value)
    {
        long k = value * PRIME_2;
        k = Long.rotateLeft(k, 31) * PRIME_1;
        hash ^= k;
        hash = Long.rotateLeft(hash, 27) * PRIME_1 + 0x85EBCA77C2B2AE63L;
    }

    private long finish()
    {
        long h = hash;
        h ^= h >>> 33;
        h *= PRIME_2;
        h ^= h >>> 29;
        h *= 0x165667B19E3779F9L;
        h ^= h >>> 32;
        return h;
    }
}
