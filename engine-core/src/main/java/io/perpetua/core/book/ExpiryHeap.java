package io.perpetua.core.book;

/**
 * GTT orders on the book ordered by (expiry, order id): a binary min-heap with each order's index
 * stored in the order, so removal on cancel or fill is O(log n). The tie-break on order id makes
 * the expiry order total, hence deterministic.
 */
final class ExpiryHeap
{
    private Order[] heap = new Order[256];
    private int size;

    int size()
    {
        return size;
    }

    Order peek()
    {
        return size == 0 ? null : heap[0];
    }

    void add(final Order order)
    {
        if (size == heap.length)
        {
            heap = java.util.Arrays.copyOf(heap, size * 2);
        }
        heap[size] = order;
        order.expiryHeapIndex = size;
        size++;
        siftUp(size - 1);
    }

    void remove(final Order order)
    {
        final int index = order.expiryHeapIndex;
        if (index < 0)
        {
            return;
        }
        size--;
        final Order last = heap[size];
        heap[size] = null;
        order.expiryHeapIndex = -1;
        if (index != size)
        {
            heap[index] = last;
            last.expiryHeapIndex = index;
            siftDown(index);
            siftUp(last.expiryHeapIndex);
        }
    }

    private static boolean before(final Order a, final Order b)
    {
        return a.expiryNs < b.expiryNs || (a.expiryNs == b.expiryNs && a.orderId < b.orderId);
    }

    private void siftUp(final int start)
    {
        int index = start;
        final Order order = heap[index];
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            if (!before(order, heap[parent]))
            {
                break;
            }
            heap[index] = heap[parent];
            heap[index].expiryHeapIndex = index;
            index = parent;
        }
        heap[index] = order;
        order.expiryHeapIndex = index;
    }

    private void siftDown(final int start)
    {
        int index = start;
        final Order order = heap[index];
        while (true)
        {
            final int left = 2 * index + 1;
            if (left >= size)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < size && before(heap[right], heap[left]) ? right : left;
            if (!before(heap[child], order))
            {
                break;
            }
            heap[index] = heap[child];
            heap[index].expiryHeapIndex = index;
            index = child;
        }
        heap[index] = order;
        order.expiryHeapIndex = index;
    }
}
