package io.perpetua.core.book;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * An account's open orders across markets, oldest first, and its client order ids in use.
 * Created on the account's first order and kept for reuse, so a trading account allocates nothing.
 */
final class AccountOrders
{
    /** Sized for 40 open client ids before the first resize, so ordinary accounts never grow it while trading. */
    final Long2ObjectHashMap<Order> orderByClientId = new Long2ObjectHashMap<>(64, 0.65f);
    Order head;
    Order tail;
    int count;

    void append(final Order order)
    {
        order.accountPrev = tail;
        order.accountNext = null;
        if (tail == null)
        {
            head = order;
        }
        else
        {
            tail.accountNext = order;
        }
        tail = order;
        count++;
        if (order.clientOrderId != 0)
        {
            orderByClientId.put(order.clientOrderId, order);
        }
    }

    void unlink(final Order order)
    {
        if (order.accountPrev == null)
        {
            head = order.accountNext;
        }
        else
        {
            order.accountPrev.accountNext = order.accountNext;
        }
        if (order.accountNext == null)
        {
            tail = order.accountPrev;
        }
        else
        {
            order.accountNext.accountPrev = order.accountPrev;
        }
        order.accountPrev = null;
        order.accountNext = null;
        count--;
        if (order.clientOrderId != 0)
        {
            orderByClientId.remove(order.clientOrderId);
        }
    }
}
