package io.perpetua.core.book;

import java.util.Arrays;

/**
 * A binary min-heap of orders under a total order the subclass defines, with each order's position
 * kept in the order itself (the subclass says which field), so removal on cancel, fill or trigger is
 * O(log n). Used for GTT expiry and for conditional-order triggers; grows only at a new high-water mark.
 */
abstract class OrderHeap
{
    private Order[] heap = new Order[256];
    private int size;

    /** Whether {@code a} comes out of the heap before {@code b}; must be a total order. */
    abstract boolean before(Order a, Order b);

    /** The order's position in this heap, -1 if it is not in it. */
    abstract int indexOf(Order order);

    abstract void indexOf(Order order, int index);

    final int size()
    {
        return size;
    }

    final Order peek()
    {
        return size == 0 ? null : heap[0];
    }

    /** Copies the ids of the orders, in heap order, into {@code into} from {@code offset}; returns the new end. */
    final int collectOrderIds(final long[] into, final int offset)
    {
        int end = offset;
        for (int i = 0; i < size; i++)
        {
            into[end++] = heap[i].orderId;
        }
        return end;
    }

    final void add(final Order order)
    {
        if (size == heap.length)
        {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = order;
        indexOf(order, size);
        size++;
        siftUp(size - 1);
    }

    /** Removes the order if it is in the heap. */
    final void remove(final Order order)
    {
        final int index = indexOf(order);
        if (index < 0)
        {
            return;
        }
        size--;
        final Order last = heap[size];
        heap[size] = null;
        indexOf(order, -1);
        if (index != size)
        {
            heap[index] = last;
            indexOf(last, index);
            siftDown(index);
            siftUp(indexOf(last));
        }
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
            indexOf(heap[index], index);
            index = parent;
        }
        heap[index] = order;
        indexOf(order, index);
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
            indexOf(heap[index], index);
            index = child;
        }
        heap[index] = order;
        indexOf(order, index);
    }
}
