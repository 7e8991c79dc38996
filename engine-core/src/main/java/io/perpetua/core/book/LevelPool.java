package io.perpetua.core.book;

/**
 * Free list of price levels shared by all books of an engine, so that levels appearing and
 * vanishing at the top of the book allocate nothing once warm.
 */
final class LevelPool
{
    private PriceLevel free;

    PriceLevel acquire(final long priceTicks)
    {
        PriceLevel level = free;
        if (level == null)
        {
            level = new PriceLevel();
        }
        else
        {
            free = level.nextFree;
            level.nextFree = null;
        }
        level.priceTicks = priceTicks;
        return level;
    }

    void release(final PriceLevel level)
    {
        level.priceTicks = 0;
        level.totalSizeLots = 0;
        level.orderCount = 0;
        level.head = null;
        level.tail = null;
        level.better = null;
        level.worse = null;
        level.nextFree = free;
        free = level;
    }
}
