package io.perpetua.core.engine;

/**
 * Sizing of an engine's pre-allocated state and the order limits that protect it.
 *
 * @param preallocatedOrders      orders created up front so that warm trading allocates nothing
 * @param orderCapacity           hard limit on open orders; beyond it new resting orders get BOOK_FULL
 * @param maxOpenOrdersPerAccount open orders (resting and waiting conditional) one account may hold;
 *                                beyond it new ones get TOO_MANY_OPEN_ORDERS, so that no account can
 *                                take the whole capacity from the others
 */
public record EngineConfig(int preallocatedOrders, int orderCapacity, int maxOpenOrdersPerAccount)
{
    /** 1<<16 orders up front, 1<<22 at most, 1,000 per account (a market maker's ladders fit many times over). */
    public static final EngineConfig DEFAULT = new EngineConfig(1 << 16, 1 << 22, 1_000);

    public EngineConfig
    {
        if (orderCapacity < 1 || preallocatedOrders < 0 || preallocatedOrders > orderCapacity)
        {
            throw new IllegalArgumentException("need 0 <= preallocatedOrders <= orderCapacity and orderCapacity >= 1");
        }
        if (maxOpenOrdersPerAccount < 1)
        {
            throw new IllegalArgumentException("maxOpenOrdersPerAccount must be >= 1: " + maxOpenOrdersPerAccount);
        }
    }

    /** No limit per account beyond the capacity (benchmark streams such as exchange-core's have none). */
    public EngineConfig(final int preallocatedOrders, final int orderCapacity)
    {
        this(preallocatedOrders, orderCapacity, orderCapacity);
    }
}
