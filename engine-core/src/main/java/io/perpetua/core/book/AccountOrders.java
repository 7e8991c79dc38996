package io.perpetua.core.book;

/**
 * An account's open orders across markets, oldest first (for cancel-all). Created on the account's
 * first order and kept for reuse, so a trading account allocates nothing.
 */
final class AccountOrders
{
    Order head;
    Order tail;
    int count;
    /**
     * Resting reduce-only orders: fills of this account must re-check them only when there are some.
     * Conditional ones are not counted: they are cut when they trigger.
     */
    int reduceOnlyCount;

    void append(final Order order)
    {
        if (order.isReduceOnly() && !order.isConditional())
        {
            reduceOnlyCount++;
        }
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
    }

    void unlink(final Order order)
    {
        if (order.isReduceOnly() && !order.isConditional())
        {
            reduceOnlyCount--;
        }
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
    }
}
