package io.perpetua.core.book;

/**
 * GTT orders ordered by (expiry, order id). The tie-break on order id makes the expiry order
 * total, hence deterministic.
 */
final class ExpiryHeap extends OrderHeap
{
    boolean before(final Order a, final Order b)
    {
        return a.expiryNs < b.expiryNs || (a.expiryNs == b.expiryNs && a.orderId < b.orderId);
    }

    int indexOf(final Order order)
    {
        return order.expiryHeapIndex;
    }

    void indexOf(final Order order, final int index)
    {
        order.expiryHeapIndex = index;
    }
}
