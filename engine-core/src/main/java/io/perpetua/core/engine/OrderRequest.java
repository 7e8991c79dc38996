package io.perpetua.core.engine;

import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;

/**
 * The order a {@link RiskGate} is asked about: one reusable instance the core fills in before each
 * check, so gates see named fields without an allocation per order. Valid only during the call.
 */
public final class OrderRequest
{
    long accountId;
    long orderId;
    Side side;
    OrderType orderType;
    TimeInForce timeInForce;
    byte flags;
    long priceTicks;
    long sizeLots;
    long triggerPriceTicks;
    boolean amend;
    long previousPriceTicks;
    long previousSizeLots;

    public long accountId()
    {
        return accountId;
    }

    /**
     * The order's id for amends and for conditional orders that just triggered; 0 for a new order
     * (ids are assigned after acceptance).
     */
    public long orderId()
    {
        return orderId;
    }

    public Side side()
    {
        return side;
    }

    public OrderType orderType()
    {
        return orderType;
    }

    public TimeInForce timeInForce()
    {
        return timeInForce;
    }

    public byte flags()
    {
        return flags;
    }

    /**
     * Limit price in ticks (for market orders, the protective limit; for a conditional market order
     * at placement, the protective limit around its trigger price).
     */
    public long priceTicks()
    {
        return priceTicks;
    }

    /** The size that may trade or rest, in lots. */
    public long sizeLots()
    {
        return sizeLots;
    }

    /**
     * The trigger price in ticks of a conditional order, both at placement ({@link #orderType()} is
     * the conditional type) and when it triggers (the underlying LIMIT or MARKET); 0 otherwise.
     */
    public long triggerPriceTicks()
    {
        return triggerPriceTicks;
    }

    /** True if this is an amend of a resting order rather than a new order. */
    public boolean isAmend()
    {
        return amend;
    }

    /** For amends, the price before the amend; 0 otherwise. */
    public long previousPriceTicks()
    {
        return previousPriceTicks;
    }

    /** For amends, the open size before the amend; 0 otherwise. */
    public long previousSizeLots()
    {
        return previousSizeLots;
    }
}
