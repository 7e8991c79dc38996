package io.perpetua.core.book;

import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;

/**
 * An open order: a pooled, mutable node linked into its account's list and either into its price
 * level's queue (a resting order) or into its market's {@link ConditionalOrders} (a conditional
 * order waiting for its trigger, off the book). Fields are package-private for the book; other
 * packages read them through accessors.
 */
public final class Order
{
    /** Flag bits, as the schema's OrderFlags set encodes them. */
    public static final byte FLAG_POST_ONLY = 1;
    public static final byte FLAG_REDUCE_ONLY = 2;

    long orderId;
    long accountId;
    long clientOrderId;
    int marketId;
    Side side;
    TimeInForce timeInForce;
    byte flags;
    SelfTradePrevention selfTradePrevention;
    long priceTicks;
    long sizeLots;
    long expiryNs;
    /** LIMIT for a resting order; the conditional type while waiting for the trigger. */
    OrderType orderType;
    /** The mark price in ticks that triggers a conditional order; 0 for a resting order. */
    long triggerPriceTicks;

    PriceLevel level;
    Order prev;
    Order next;

    /** The account's open orders this order is linked into. */
    AccountOrders account;
    Order accountPrev;
    Order accountNext;
    /** Neighbours among the account's resting reduce-only orders (only such orders are linked). */
    Order reduceOnlyPrev;
    Order reduceOnlyNext;

    /** Position in the expiry heap, or -1 when not a GTT order on the book. */
    int expiryHeapIndex = -1;
    /** Position in its market's trigger heap, or -1 when not a conditional order. */
    int triggerHeapIndex = -1;

    /** Next free order in the pool. */
    Order nextFree;

    public long orderId()
    {
        return orderId;
    }

    public long accountId()
    {
        return accountId;
    }

    public long clientOrderId()
    {
        return clientOrderId;
    }

    public int marketId()
    {
        return marketId;
    }

    public Side side()
    {
        return side;
    }

    public TimeInForce timeInForce()
    {
        return timeInForce;
    }

    public byte flags()
    {
        return flags;
    }

    public boolean isReduceOnly()
    {
        return (flags & FLAG_REDUCE_ONLY) != 0;
    }

    public SelfTradePrevention selfTradePrevention()
    {
        return selfTradePrevention;
    }

    public long priceTicks()
    {
        return priceTicks;
    }

    /** Open size in lots. */
    public long sizeLots()
    {
        return sizeLots;
    }

    public long expiryNs()
    {
        return expiryNs;
    }

    public OrderType orderType()
    {
        return orderType;
    }

    /** Trigger price in ticks of a conditional order, 0 for a resting one. */
    public long triggerPriceTicks()
    {
        return triggerPriceTicks;
    }

    /** True while the order waits off the book for its trigger. */
    public boolean isConditional()
    {
        return triggerPriceTicks != 0;
    }

    /** The next order at the same price in time priority, or null. */
    public Order nextInLevel()
    {
        return next;
    }

    void clear()
    {
        orderId = 0;
        accountId = 0;
        clientOrderId = 0;
        marketId = 0;
        side = null;
        timeInForce = null;
        flags = 0;
        selfTradePrevention = null;
        priceTicks = 0;
        sizeLots = 0;
        expiryNs = 0;
        orderType = null;
        triggerPriceTicks = 0;
        level = null;
        prev = null;
        next = null;
        account = null;
        accountPrev = null;
        accountNext = null;
        reduceOnlyPrev = null;
        reduceOnlyNext = null;
        expiryHeapIndex = -1;
        triggerHeapIndex = -1;
    }
}
