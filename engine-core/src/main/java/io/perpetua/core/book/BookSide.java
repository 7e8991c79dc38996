package io.perpetua.core.book;

import io.perpetua.core.sbe.Side;

/**
 * The price levels of one side of a book, kept in an array sorted by priority with the best level
 * last. Matching consumes from the end (O(1)); new levels usually appear near the top of the book,
 * so inserting shifts only the few better levels. Lookup by price is a binary search.
 *
 * <p>Levels are sorted by a key that is the price for bids and the negated price for asks, so that
 * for both sides a higher key is a better price. The sorted arrays hold only primitives (the key
 * and a slot number); the level objects sit in a slot table that never moves, so shifting the
 * sorted arrays copies plain longs and ints, with no GC write barrier per element.
 */
public final class BookSide
{
    private final Side side;
    private final LevelPool levelPool;
    private long[] keys;
    private int[] slotOfRank;
    private PriceLevel[] slots;
    private int[] freeSlots;
    private int freeSlotCount;
    private int count;

    BookSide(final Side side, final LevelPool levelPool, final int initialLevels)
    {
        this.side = side;
        this.levelPool = levelPool;
        this.keys = new long[initialLevels];
        this.slotOfRank = new int[initialLevels];
        this.slots = new PriceLevel[initialLevels];
        this.freeSlots = new int[initialLevels];
        for (int i = 0; i < initialLevels; i++)
        {
            freeSlots[i] = initialLevels - 1 - i;
        }
        this.freeSlotCount = initialLevels;
    }

    public Side side()
    {
        return side;
    }

    /** Number of non-empty price levels. */
    public int levelCount()
    {
        return count;
    }

    /** The best level, or null if the side is empty. */
    public PriceLevel best()
    {
        return count == 0 ? null : slots[slotOfRank[count - 1]];
    }

    /** The level at depth {@code i} (0 = best). */
    public PriceLevel level(final int depth)
    {
        return slots[slotOfRank[count - 1 - depth]];
    }

    /** True if an order on the other side with limit {@code priceTicks} would trade with this side's best. */
    public boolean crosses(final long priceTicks)
    {
        if (count == 0)
        {
            return false;
        }
        final long best = slots[slotOfRank[count - 1]].priceTicks;
        return side == Side.SELL ? best <= priceTicks : best >= priceTicks;
    }

    /** True if {@code levelPrice} on this side is within the limit of an incoming opposite order. */
    public boolean withinLimit(final long levelPrice, final long limitTicks)
    {
        return side == Side.SELL ? levelPrice <= limitTicks : levelPrice >= limitTicks;
    }

    private long key(final long priceTicks)
    {
        return side == Side.BUY ? priceTicks : -priceTicks;
    }

    /** The level at {@code priceTicks}, or null. */
    public PriceLevel find(final long priceTicks)
    {
        final int index = search(key(priceTicks));
        return index >= 0 ? slots[slotOfRank[index]] : null;
    }

    void add(final Order order)
    {
        final long key = key(order.priceTicks);
        int index = search(key);
        final PriceLevel level;
        if (index >= 0)
        {
            level = slots[slotOfRank[index]];
        }
        else
        {
            index = -index - 1;
            level = levelPool.acquire(order.priceTicks);
            insertAt(index, key, level);
        }
        level.append(order);
    }

    void remove(final Order order)
    {
        final PriceLevel level = order.level;
        level.unlink(order);
        if (level.orderCount == 0)
        {
            removeLevel(level);
        }
    }

    /** Shrinks a resting order in place, keeping its queue position. */
    void reduce(final Order order, final long byLots)
    {
        order.sizeLots -= byLots;
        order.level.totalSizeLots -= byLots;
    }

    private void removeLevel(final PriceLevel level)
    {
        final int index;
        if (count > 0 && slots[slotOfRank[count - 1]] == level)
        {
            index = count - 1;
        }
        else
        {
            index = search(key(level.priceTicks));
        }
        final int slot = slotOfRank[index];
        final int tail = count - index - 1;
        if (tail > 0)
        {
            System.arraycopy(keys, index + 1, keys, index, tail);
            System.arraycopy(slotOfRank, index + 1, slotOfRank, index, tail);
        }
        count--;
        slots[slot] = null;
        freeSlots[freeSlotCount++] = slot;
        levelPool.release(level);
    }

    private void insertAt(final int index, final long key, final PriceLevel level)
    {
        if (count == keys.length)
        {
            grow();
        }
        final int tail = count - index;
        if (tail > 0)
        {
            System.arraycopy(keys, index, keys, index + 1, tail);
            System.arraycopy(slotOfRank, index, slotOfRank, index + 1, tail);
        }
        final int slot = freeSlots[--freeSlotCount];
        slots[slot] = level;
        keys[index] = key;
        slotOfRank[index] = slot;
        count++;
    }

    private void grow()
    {
        final int oldCapacity = keys.length;
        final int capacity = oldCapacity * 2;
        keys = java.util.Arrays.copyOf(keys, capacity);
        slotOfRank = java.util.Arrays.copyOf(slotOfRank, capacity);
        slots = java.util.Arrays.copyOf(slots, capacity);
        freeSlots = java.util.Arrays.copyOf(freeSlots, capacity);
        // Every slot below oldCapacity is in use (the side was full); the new ones are free.
        for (int slot = capacity - 1; slot >= oldCapacity; slot--)
        {
            freeSlots[freeSlotCount++] = slot;
        }
    }

    /**
     * Binary search over the ascending keys: index if found, else -(insertion point) - 1. Written
     * without data-dependent branches in the loop (the JIT turns the select into a conditional
     * move), since the keys a book looks up are close to random and mispredictions dominate.
     */
    private int search(final long key)
    {
        final int n = count;
        if (n == 0)
        {
            return -1;
        }
        // Most lookups hit the best level: check the top before bisecting.
        final long[] keys = this.keys;
        if (keys[n - 1] == key)
        {
            return n - 1;
        }
        int base = 0;
        int length = n;
        while (length > 1)
        {
            final int half = length >>> 1;
            base = keys[base + half] <= key ? base + half : base;
            length -= half;
        }
        final long found = keys[base];
        if (found == key)
        {
            return base;
        }
        return found < key ? -(base + 2) : -(base + 1);
    }
}
