package io.perpetua.core.book;

/**
 * An account's open orders across markets, oldest first (for cancel-all), and among them its resting
 * reduce-only orders in a second list, oldest first: every fill of the account re-checks those, so
 * that walk must not pass its other orders (a market maker may hold thousands of quotes). Created on
 * the account's first order and kept for reuse, so a trading account allocates nothing.
 */
final class AccountOrders
{
    Order head;
    Order tail;
    int count;
    /** Resting reduce-only orders (conditional ones are cut when they trigger, not while they wait). */
    Order reduceOnlyHead;
    Order reduceOnlyTail;

    void append(final Order order)
    {
        if (isRestingReduceOnly(order))
        {
            appendReduceOnly(order);
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
        if (isRestingReduceOnly(order))
        {
            unlinkReduceOnly(order);
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

    /** An order's type and flags never change while it is open, so it stays in or out of the second list. */
    static boolean isRestingReduceOnly(final Order order)
    {
        return order.isReduceOnly() && !order.isConditional();
    }

    private void appendReduceOnly(final Order order)
    {
        order.reduceOnlyPrev = reduceOnlyTail;
        order.reduceOnlyNext = null;
        if (reduceOnlyTail == null)
        {
            reduceOnlyHead = order;
        }
        else
        {
            reduceOnlyTail.reduceOnlyNext = order;
        }
        reduceOnlyTail = order;
    }

    private void unlinkReduceOnly(final Order order)
    {
        if (order.reduceOnlyPrev == null)
        {
            reduceOnlyHead = order.reduceOnlyNext;
        }
        else
        {
            order.reduceOnlyPrev.reduceOnlyNext = order.reduceOnlyNext;
        }
        if (order.reduceOnlyNext == null)
        {
            reduceOnlyTail = order.reduceOnlyPrev;
        }
        else
        {
            order.reduceOnlyNext.reduceOnlyPrev = order.reduceOnlyPrev;
        }
        order.reduceOnlyPrev = null;
        order.reduceOnlyNext = null;
    }
}
