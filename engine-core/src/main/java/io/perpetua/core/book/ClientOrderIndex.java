package io.perpetua.core.book;

/**
 * Open orders by (account, client order id): one open-addressing table for all accounts, so a
 * lookup touches one or two cache lines instead of an account map, a per-account map and its
 * arrays. Keys sit interleaved in a {@code long[]} (account, client id) beside the order slots;
 * linear probing with backward-shift deletion keeps probe chains short without tombstones. The
 * table doubles (allocating) only when more orders carry client ids than ever before.
 */
final class ClientOrderIndex
{
    private long[] keys;
    private Order[] orders;
    private int mask;
    private int size;

    ClientOrderIndex(final int expectedOrders)
    {
        int capacity = 16;
        while (capacity < expectedOrders * 2)
        {
            capacity <<= 1;
        }
        allocate(capacity);
    }

    private void allocate(final int capacity)
    {
        keys = new long[capacity * 2];
        orders = new Order[capacity];
        mask = capacity - 1;
    }

    private static int hash(final long accountId, final long clientOrderId, final int mask)
    {
        long h = accountId * 0x9E3779B97F4A7C15L ^ clientOrderId * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int)h & mask;
    }

    /** The open order, or null. */
    Order get(final long accountId, final long clientOrderId)
    {
        int index = hash(accountId, clientOrderId, mask);
        Order order;
        while ((order = orders[index]) != null)
        {
            if (keys[index << 1] == accountId && keys[(index << 1) + 1] == clientOrderId)
            {
                return order;
            }
            index = (index + 1) & mask;
        }
        return null;
    }

    /** Adds an order whose (account, client id) is not in the table. */
    void put(final Order order)
    {
        if ((size + 1) * 2 > orders.length)
        {
            grow();
        }
        insert(order);
        size++;
    }

    private void insert(final Order order)
    {
        int index = hash(order.accountId, order.clientOrderId, mask);
        while (orders[index] != null)
        {
            index = (index + 1) & mask;
        }
        keys[index << 1] = order.accountId;
        keys[(index << 1) + 1] = order.clientOrderId;
        orders[index] = order;
    }

    /** Removes the entry of {@code order}, if present. */
    void remove(final Order order)
    {
        int index = hash(order.accountId, order.clientOrderId, mask);
        while (orders[index] != order)
        {
            if (orders[index] == null)
            {
                return;
            }
            index = (index + 1) & mask;
        }
        size--;
        // Backward-shift deletion: move later members of the probe run into the gap.
        int gap = index;
        int next = (gap + 1) & mask;
        Order candidate;
        while ((candidate = orders[next]) != null)
        {
            final int home = hash(keys[next << 1], keys[(next << 1) + 1], mask);
            final boolean homeOutsideGapToNext = gap <= next ? (home <= gap || home > next) : (home <= gap && home > next);
            if (homeOutsideGapToNext)
            {
                keys[gap << 1] = keys[next << 1];
                keys[(gap << 1) + 1] = keys[(next << 1) + 1];
                orders[gap] = candidate;
                gap = next;
            }
            next = (next + 1) & mask;
        }
        orders[gap] = null;
        keys[gap << 1] = 0;
        keys[(gap << 1) + 1] = 0;
    }

    private void grow()
    {
        final Order[] old = orders;
        allocate(old.length * 2);
        for (final Order order : old)
        {
            if (order != null)
            {
                insert(order);
            }
        }
    }

    int size()
    {
        return size;
    }
}
