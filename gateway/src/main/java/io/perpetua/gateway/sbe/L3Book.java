package io.perpetua.gateway.sbe;

import io.perpetua.core.sbe.Side;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One market's resting orders as the events journal shows them: price levels per side, best first,
 * each a queue in time priority. An order joins at the back of its level and keeps its place while
 * its size decreases; anything else that changes it is a removal (and a new add if it rests again),
 * which is how the engine's own book orders them.
 */
final class L3Book
{
    /** A resting order, linked into its price level's queue. */
    static final class Order
    {
        final long orderId;
        final Side side;
        final long price;
        long size;
        private Level level;
        private Order previous;
        private Order next;

        private Order(final long orderId, final Side side, final long price, final long size)
        {
            this.orderId = orderId;
            this.side = side;
            this.price = price;
            this.size = size;
        }
    }

    /** The orders at one price, oldest first. */
    static final class Level
    {
        private Order head;
        private Order tail;
    }

    private final Long2ObjectHashMap<Order> orders = new Long2ObjectHashMap<>();
    private final NavigableMap<Long, Level> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<Long, Level> asks = new TreeMap<>();

    Order order(final long orderId)
    {
        return orders.get(orderId);
    }

    /**
     * Puts the order at the back of its price level.
     *
     * @throws IllegalStateException if the order rests already: the journal and this book disagree
     */
    void add(final long orderId, final Side side, final long price, final long size)
    {
        if (orders.containsKey(orderId))
        {
            throw new IllegalStateException("order " + orderId + " rests already and rests again");
        }
        final Order order = new Order(orderId, side, price, size);
        final Level level = levels(side).computeIfAbsent(price, p -> new Level());
        order.level = level;
        order.previous = level.tail;
        if (level.tail == null)
        {
            level.head = order;
        }
        else
        {
            level.tail.next = order;
        }
        level.tail = order;
        orders.put(orderId, order);
    }

    void remove(final Order order)
    {
        orders.remove(order.orderId);
        final Level level = order.level;
        if (order.previous == null)
        {
            level.head = order.next;
        }
        else
        {
            order.previous.next = order.next;
        }
        if (order.next == null)
        {
            level.tail = order.previous;
        }
        else
        {
            order.next.previous = order.previous;
        }
        if (level.head == null)
        {
            levels(order.side).remove(order.price);
        }
    }

    private NavigableMap<Long, Level> levels(final Side side)
    {
        return side == Side.BUY ? bids : asks;
    }

    /** Every resting order: bids, then asks, each best price first and in time priority. */
    List<Order> inPriorityOrder()
    {
        final List<Order> inOrder = new ArrayList<>(orders.size());
        for (final NavigableMap<Long, Level> side : List.of(bids, asks))
        {
            for (final Level level : side.values())
            {
                for (Order order = level.head; order != null; order = order.next)
                {
                    inOrder.add(order);
                }
            }
        }
        return inOrder;
    }
}
