package io.perpetua.core.book;

import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.Side;

/**
 * One market's book: its spec, both sides, the conditional orders waiting for their trigger, and the
 * last trade and mark prices. Mutated only by the
 * {@link io.perpetua.core.engine.MatchingEngine} on the core thread; readers (tests, snapshots,
 * market data on the same thread) use the L2 and L3 accessors.
 */
public final class OrderBook
{
    private final MarketSpec spec;
    private final BookSide bids;
    private final BookSide asks;
    private final ConditionalOrders conditionals = new ConditionalOrders();
    private long lastTradePriceTicks;
    private long markPriceTicks;

    OrderBook(final MarketSpec spec, final LevelPool levelPool)
    {
        this.spec = spec;
        this.bids = new BookSide(Side.BUY, levelPool);
        this.asks = new BookSide(Side.SELL, levelPool);
    }

    public MarketSpec spec()
    {
        return spec;
    }

    public BookSide bids()
    {
        return bids;
    }

    public BookSide asks()
    {
        return asks;
    }

    public BookSide side(final Side side)
    {
        return side == Side.BUY ? bids : asks;
    }

    /** Conditional orders of this market waiting for their trigger (not on the book). */
    public ConditionalOrders conditionals()
    {
        return conditionals;
    }

    /** The side an incoming order of {@code side} trades against. */
    public BookSide opposite(final Side side)
    {
        return side == Side.BUY ? asks : bids;
    }

    /** Price of the last fill in ticks, 0 before the first. */
    public long lastTradePriceTicks()
    {
        return lastTradePriceTicks;
    }

    void lastTradePriceTicks(final long priceTicks)
    {
        this.lastTradePriceTicks = priceTicks;
    }

    /** The last accepted oracle price in ticks, 0 before the first. */
    public long markPriceTicks()
    {
        return markPriceTicks;
    }

    /** Set by the engine when an oracle price is accepted (or a snapshot restored). */
    public void markPriceTicks(final long priceTicks)
    {
        this.markPriceTicks = priceTicks;
    }

    /**
     * The price limit orders are banded against and market orders are protected by, in ticks:
     * the oracle (mark) price once there is one, else the last trade price, else the reference
     * given at creation, else 0 (none).
     */
    public long referencePriceTicks()
    {
        if (markPriceTicks != 0)
        {
            return markPriceTicks;
        }
        return lastTradePriceTicks != 0 ? lastTradePriceTicks : spec.initialReferencePriceTicks();
    }

    /** Number of resting orders on both sides. */
    public int orderCount()
    {
        int total = 0;
        for (PriceLevel level = bids.best(); level != null; level = level.worse())
        {
            total += level.orderCount();
        }
        for (PriceLevel level = asks.best(); level != null; level = level.worse())
        {
            total += level.orderCount();
        }
        return total;
    }
}
