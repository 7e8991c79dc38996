package io.perpetua.core.book;

import io.perpetua.core.sbe.Side;

/**
 * The price levels of one side of a book. Levels are addressed directly by price: a window array
 * holds the level at {@code base + i} in slot {@code i}, with a bitmap of occupied slots, so finding
 * a price is one array load. The non-empty levels are also linked in priority order (best first),
 * so matching walks from the best level and iteration costs nothing per step. A new level finds
 * its neighbours in O(1) when it is above the best or below the worst level, otherwise by scanning
 * the bitmap a word (64 prices) at a time.
 *
 * <p>The window grows and re-centres as prices spread, up to {@link #MAX_SPAN_TICKS} between the
 * lowest and highest resting price; {@link #canHold(long)} tells the engine whether a price fits.
 */
public final class BookSide
{
    /** Widest distance, in ticks, between the lowest and highest resting price of one side. */
    public static final int MAX_SPAN_TICKS = 1 << 22;
    private static final int INITIAL_WINDOW = 1024;

    private final Side side;
    private final LevelPool levelPool;
    private long base;
    private PriceLevel[] window = new PriceLevel[INITIAL_WINDOW];
    private long[] occupied = new long[INITIAL_WINDOW >>> 6];
    private int count;
    private PriceLevel best;
    private PriceLevel worst;

    BookSide(final Side side, final LevelPool levelPool)
    {
        this.side = side;
        this.levelPool = levelPool;
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

    /** The best level, or null if the side is empty; continue with {@link PriceLevel#worse()}. */
    public PriceLevel best()
    {
        return best;
    }

    /** True if an order on the other side with limit {@code priceTicks} would trade with this side's best. */
    public boolean crosses(final long priceTicks)
    {
        return best != null && withinLimit(best.priceTicks, priceTicks);
    }

    /** True if {@code levelPrice} on this side is within the limit of an incoming opposite order. */
    public boolean withinLimit(final long levelPrice, final long limitTicks)
    {
        return side == Side.SELL ? levelPrice <= limitTicks : levelPrice >= limitTicks;
    }

    /** The level at {@code priceTicks}, or null. */
    public PriceLevel find(final long priceTicks)
    {
        final long index = priceTicks - base;
        return index >= 0 && index < window.length ? window[(int)index] : null;
    }

    /** True if an order at {@code priceTicks} can rest here without the side spanning more than {@link #MAX_SPAN_TICKS}. */
    public boolean canHold(final long priceTicks)
    {
        // Every level lies inside the window, so a price inside a window no wider than the limit
        // fits without looking at the extreme levels.
        if (count == 0 || (window.length <= MAX_SPAN_TICKS && priceTicks >= base && priceTicks - base < window.length))
        {
            return true;
        }
        final long low = Math.min(lowest().priceTicks, priceTicks);
        final long high = Math.max(highest().priceTicks, priceTicks);
        return high - low < MAX_SPAN_TICKS;
    }

    void add(final Order order)
    {
        PriceLevel level = find(order.priceTicks);
        if (level == null)
        {
            level = createLevel(order.priceTicks);
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

    private PriceLevel lowest()
    {
        return side == Side.BUY ? worst : best;
    }

    private PriceLevel highest()
    {
        return side == Side.BUY ? best : worst;
    }

    private PriceLevel createLevel(final long priceTicks)
    {
        if (count == 0)
        {
            recentre(priceTicks, priceTicks);
        }
        else if (priceTicks < base || priceTicks >= base + window.length)
        {
            recentre(Math.min(lowest().priceTicks, priceTicks), Math.max(highest().priceTicks, priceTicks));
        }
        final int index = (int)(priceTicks - base);
        final PriceLevel level = levelPool.acquire(priceTicks);
        final PriceLevel higher;
        final PriceLevel lower;
        if (count == 0)
        {
            higher = null;
            lower = null;
        }
        else if (priceTicks > highest().priceTicks)
        {
            higher = null;
            lower = highest();
        }
        else if (priceTicks < lowest().priceTicks)
        {
            higher = lowest();
            lower = null;
        }
        else
        {
            higher = nextAbove(index);
            lower = nextBelow(index);
        }
        window[index] = level;
        occupied[index >>> 6] |= 1L << index;

        final PriceLevel better = side == Side.BUY ? higher : lower;
        final PriceLevel worse = side == Side.BUY ? lower : higher;
        level.better = better;
        level.worse = worse;
        if (better == null)
        {
            best = level;
        }
        else
        {
            better.worse = level;
        }
        if (worse == null)
        {
            worst = level;
        }
        else
        {
            worse.better = level;
        }
        count++;
        return level;
    }

    private void removeLevel(final PriceLevel level)
    {
        final int index = (int)(level.priceTicks - base);
        window[index] = null;
        occupied[index >>> 6] &= ~(1L << index);
        if (level.better == null)
        {
            best = level.worse;
        }
        else
        {
            level.better.worse = level.worse;
        }
        if (level.worse == null)
        {
            worst = level.better;
        }
        else
        {
            level.worse.better = level.better;
        }
        count--;
        levelPool.release(level);
    }

    /** The nearest occupied slot above {@code index}; one exists (the highest level is above it). */
    private PriceLevel nextAbove(final int index)
    {
        int from = index + 1;
        int word = from >>> 6;
        long bits = occupied[word] & (-1L << from);
        while (bits == 0)
        {
            bits = occupied[++word];
        }
        return window[(word << 6) + Long.numberOfTrailingZeros(bits)];
    }

    /** The nearest occupied slot below {@code index}; one exists (the lowest level is below it). */
    private PriceLevel nextBelow(final int index)
    {
        final int from = index - 1;
        int word = from >>> 6;
        long bits = occupied[word] & (-1L >>> (63 - (from & 63)));
        while (bits == 0)
        {
            bits = occupied[--word];
        }
        return window[(word << 6) + 63 - Long.numberOfLeadingZeros(bits)];
    }

    /**
     * Moves the window to cover {@code [low, high]} with room on both sides, and re-places the
     * existing levels. The window never shrinks, so prices drifting back and forth re-use it and
     * only a span wider than ever before allocates.
     */
    private void recentre(final long low, final long high)
    {
        final long span = high - low + 1;
        int capacity = window.length;
        while (capacity < span * 2 && capacity < MAX_SPAN_TICKS * 2)
        {
            capacity <<= 1;
        }
        final long newBase = low - (capacity - span) / 2;
        final PriceLevel[] newWindow = capacity == window.length ? window : new PriceLevel[capacity];
        final long[] newOccupied = capacity == window.length ? occupied : new long[capacity >>> 6];
        if (newWindow == window)
        {
            java.util.Arrays.fill(newWindow, null);
            java.util.Arrays.fill(newOccupied, 0);
        }
        for (PriceLevel level = best; level != null; level = level.worse)
        {
            final int index = (int)(level.priceTicks - newBase);
            newWindow[index] = level;
            newOccupied[index >>> 6] |= 1L << index;
        }
        base = newBase;
        window = newWindow;
        occupied = newOccupied;
    }
}
