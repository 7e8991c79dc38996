package io.perpetua.core.book;

import org.agrona.collections.Long2LongHashMap;

/**
 * An account's open orders across markets, oldest first, and its client order ids in use.
 * Created on the account's first order and kept for reuse, so a trading account allocates nothing.
 */
final class AccountOrders
{
    static final long NO_ORDER = 0;

    /** Sized for 40 open client ids before the first resize, so ordinary accounts never grow it while trading. */
    final Long2LongHashMap orderIdByClientId = new Long2LongHashMap(64, 0.65f, NO_ORDER);
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
            orderIdByClientId.put(order.clientOrderId, order.orderId);
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
            orderIdByClientId.remove(order.clientOrderId);
        }
    }
}
