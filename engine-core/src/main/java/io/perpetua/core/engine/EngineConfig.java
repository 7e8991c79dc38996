package io.perpetua.core.engine;

/**
 * Sizing of an engine's pre-allocated state.
 *
 * @param preallocatedOrders orders created up front so that warm trading allocates nothing
 * @param orderCapacity      hard limit on open orders; beyond it new resting orders get BOOK_FULL
 */
public record EngineConfig(int preallocatedOrders, int orderCapacity)
{
    /** 1<<16 orders up front, 1<<22 at most. */
    public static final EngineConfig DEFAULT = new EngineConfig(1 << 16, 1 << 22);

    public EngineConfig
    {
        if (orderCapacity < 1 || preallocatedOrders < 0 || preallocatedOrders > orderCapacity)
        {
            throw new IllegalArgumentException("need 0 <= preallocatedOrders <= orderCapacity and orderCapacity >= 1");
        }
    }
}
