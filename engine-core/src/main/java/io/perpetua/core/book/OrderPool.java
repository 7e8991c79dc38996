package io.perpetua.core.book;

/**
 * Pre-allocated orders with a hard capacity. Orders are handed out from a free list; the pool
 * grows in chunks up to its capacity, so steady-state trading allocates nothing and a flood of
 * orders meets a clean {@code BOOK_FULL} reject instead of an out-of-memory error.
 */
public final class OrderPool
{
    private static final int CHUNK = 4096;

    private final int capacity;
    private int allocated;
    private int inUse;
    private Order free;

    public OrderPool(final int preallocate, final int capacity)
    {
        if (capacity < 1 || preallocate < 0 || preallocate > capacity)
        {
            throw new IllegalArgumentException("need 0 <= preallocate <= capacity, capacity >= 1");
        }
        this.capacity = capacity;
        grow(preallocate);
    }

    /** An order from the pool, or null when the capacity is exhausted. */
    Order acquire()
    {
        if (free == null)
        {
            if (allocated == capacity)
            {
                return null;
            }
            grow(Math.min(CHUNK, capacity - allocated));
        }
        final Order order = free;
        free = order.nextFree;
        order.nextFree = null;
        inUse++;
        return order;
    }

    void release(final Order order)
    {
        order.clear();
        order.nextFree = free;
        free = order;
        inUse--;
    }

    /** True if at least one more order can be acquired. */
    public boolean hasSpare()
    {
        return free != null || allocated < capacity;
    }

    public int inUse()
    {
        return inUse;
    }

    public int capacity()
    {
        return capacity;
    }

    private void grow(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final Order order = new Order();
            order.nextFree = free;
            free = order;
        }
        allocated += count;
    }
}
