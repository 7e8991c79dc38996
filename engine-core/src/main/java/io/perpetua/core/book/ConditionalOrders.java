package io.perpetua.core.book;

import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.Side;


/**
 * One market's conditional orders waiting for their trigger, off the book. Orders that fire on a
 * rising mark (stop buys, take-profit sells: mark &gt;= trigger) sit in a min-heap by (trigger, order
 * id); orders that fire on a falling mark (stop sells, take-profit buys: mark &lt;= trigger) in a
 * max-heap by trigger, then min by order id. The top of each heap is the next order the mark can
 * reach, so a mark update touches only the orders that fire (O(log n) each) and never scans the
 * rest. Each order stores its heap index, so cancels and expiries remove it in O(log n).
 *
 * <p>The heaps' internal layout depends on history; anything that reaches output (snapshots,
 * hashes) must visit the orders in a defined order, e.g. by {@link #collectOrderIds} and a sort.
 */
public final class ConditionalOrders
{
    private final Heap rising = new Heap(true);
    private final Heap falling = new Heap(false);

    /**
     * Whether a conditional order fires when the mark rises to its trigger (mark &gt;= trigger), as
     * stop buys and take-profit sells do; otherwise it fires when the mark falls to it (mark &lt;= trigger).
     */
    public static boolean firesOnRise(final Side side, final OrderType orderType)
    {
        final boolean stop = orderType == OrderType.STOP_LIMIT || orderType == OrderType.STOP_MARKET;
        return stop == (side == Side.BUY);
    }

    /** Whether an order with this trigger fires at mark price {@code markTicks}. */
    public static boolean firesAt(final Side side, final OrderType orderType, final long triggerTicks, final long markTicks)
    {
        return firesOnRise(side, orderType) ? markTicks >= triggerTicks : markTicks <= triggerTicks;
    }

    /** Number of waiting orders. */
    public int count()
    {
        return rising.size() + falling.size();
    }

    /**
     * The waiting order that fires first at {@code markTicks}, or null if none does: on the rising
     * side the lowest trigger, on the falling side the highest, ties by order id. Both sides cannot
     * have orders to fire at once: every update fires all it reaches, and placement refuses triggers
     * the current mark has already reached.
     */
    public Order nextToFire(final long markTicks)
    {
        final Order up = rising.peek();
        if (up != null && up.triggerPriceTicks <= markTicks)
        {
            return up;
        }
        final Order down = falling.peek();
        if (down != null && down.triggerPriceTicks >= markTicks)
        {
            return down;
        }
        return null;
    }

    /**
     * Copies the ids of all waiting orders into {@code into} (at least {@link #count()} long), in no
     * particular order.
     *
     * @return the number of ids copied
     */
    public int collectOrderIds(final long[] into)
    {
        final int count = rising.collectOrderIds(into, 0);
        return falling.collectOrderIds(into, count);
    }

    void add(final Order order)
    {
        heapOf(order).add(order);
    }

    void remove(final Order order)
    {
        heapOf(order).remove(order);
    }

    private Heap heapOf(final Order order)
    {
        return firesOnRise(order.side, order.orderType) ? rising : falling;
    }

    /** Orders by trigger (ascending or descending), then ascending order id. */
    private static final class Heap extends OrderHeap
    {
        private final boolean ascending;

        Heap(final boolean ascending)
        {
            this.ascending = ascending;
        }

        boolean before(final Order a, final Order b)
        {
            if (a.triggerPriceTicks != b.triggerPriceTicks)
            {
                return ascending == (a.triggerPriceTicks < b.triggerPriceTicks);
            }
            return a.orderId < b.orderId;
        }

        int indexOf(final Order order)
        {
            return order.triggerHeapIndex;
        }

        void indexOf(final Order order, final int index)
        {
            order.triggerHeapIndex = index;
        }
    }
}
