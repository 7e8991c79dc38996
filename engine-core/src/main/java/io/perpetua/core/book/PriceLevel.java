package io.perpetua.core.book;

/**
 * All resting orders at one price on one side, in time priority, with incrementally kept L2 totals.
 */
public final class PriceLevel
{
    long priceTicks;
    long totalSizeLots;
    int orderCount;
    Order head;
    Order tail;
    PriceLevel better;
    PriceLevel worse;

    /** Next free level in the pool. */
    PriceLevel nextFree;

    public long priceTicks()
    {
        return priceTicks;
    }

    /** Sum of the open sizes of the orders at this price, in lots. */
    public long totalSizeLots()
    {
        return totalSizeLots;
    }

    public int orderCount()
    {
        return orderCount;
    }

    /** The next level away from the top of the book, or null if this is the worst. */
    public PriceLevel worse()
    {
        return worse;
    }

    /** The oldest order at this price (first to fill). */
    public Order head()
    {
        return head;
    }

    void append(final Order order)
    {
        order.level = this;
        order.prev = tail;
        order.next = null;
        if (tail == null)
        {
            head = order;
        }
        else
        {
            tail.next = order;
        }
        tail = order;
        totalSizeLots += order.sizeLots;
        orderCount++;
    }

    /** Gives an order of this level a new size and moves it to the back of the queue. */
    void requeue(final Order order, final long sizeLots)
    {
        totalSizeLots += sizeLots - order.sizeLots;
        order.sizeLots = sizeLots;
        if (order == tail)
        {
            return;
        }
        if (order.prev == null)
        {
            head = order.next;
        }
        else
        {
            order.prev.next = order.next;
        }
        order.next.prev = order.prev;
        order.prev = tail;
        order.next = null;
        tail.next = order;
        tail = order;
    }

    void unlink(final Order order)
    {
        if (order.prev == null)
        {
            head = order.next;
        }
        else
        {
            order.prev.next = order.next;
        }
        if (order.next == null)
        {
            tail = order.prev;
        }
        else
        {
            order.next.prev = order.prev;
        }
        order.prev = null;
        order.next = null;
        order.level = null;
        totalSizeLots -= order.sizeLots;
        orderCount--;
    }
}
