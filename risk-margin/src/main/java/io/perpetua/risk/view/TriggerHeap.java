package io.perpetua.risk.view;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * A binary min-heap of accounts by a long key, at most one entry per account, with removal and
 * replacement by account id (an index from account to heap slot). Primitive arrays and an Agrona
 * map: nothing is allocated once the arrays and the index have grown to the number of accounts.
 * Ties are broken by account id, so the heap's shape is a function of its contents.
 */
final class TriggerHeap
{
    private static final long ABSENT = -1;

    private long[] keys = new long[16];
    private long[] accounts = new long[16];
    private int size;
    private final Long2LongHashMap slots = new Long2LongHashMap(ABSENT);

    int size()
    {
        return size;
    }

    boolean contains(final long accountId)
    {
        return slots.get(accountId) != ABSENT;
    }

    /** The account's key; only for an account the heap contains. */
    long keyOf(final long accountId)
    {
        return keys[(int)slots.get(accountId)];
    }

    /** Adds the account with the key, or moves it to the key if it is already in. */
    void put(final long accountId, final long key)
    {
        final long slot = slots.get(accountId);
        if (slot != ABSENT)
        {
            keys[(int)slot] = key;
            siftDown(siftUp((int)slot));
            return;
        }
        if (size == keys.length)
        {
            keys = Arrays.copyOf(keys, size * 2);
            accounts = Arrays.copyOf(accounts, size * 2);
        }
        keys[size] = key;
        accounts[size] = accountId;
        slots.put(accountId, size);
        siftUp(size++);
    }

    /** Removes the account if it is in. */
    void remove(final long accountId)
    {
        final long slot = slots.remove(accountId);
        if (slot == ABSENT)
        {
            return;
        }
        final int last = --size;
        if ((int)slot != last)
        {
            move(last, (int)slot);
            siftDown(siftUp((int)slot));
        }
    }

    /** Whether the smallest key is below {@code bound}. */
    boolean hasKeyBelow(final long bound)
    {
        return size > 0 && keys[0] < bound;
    }

    /** Removes the entry with the smallest key and returns its account; only when the heap is not empty. */
    long poll()
    {
        final long accountId = accounts[0];
        remove(accountId);
        return accountId;
    }

    private boolean before(final int a, final int b)
    {
        return keys[a] < keys[b] || keys[a] == keys[b] && accounts[a] < accounts[b];
    }

    private int siftUp(final int start)
    {
        int slot = start;
        while (slot > 0)
        {
            final int parent = (slot - 1) >>> 1;
            if (!before(slot, parent))
            {
                break;
            }
            swap(slot, parent);
            slot = parent;
        }
        return slot;
    }

    private void siftDown(final int start)
    {
        int slot = start;
        while (true)
        {
            final int left = 2 * slot + 1;
            if (left >= size)
            {
                return;
            }
            final int right = left + 1;
            final int child = right < size && before(right, left) ? right : left;
            if (!before(child, slot))
            {
                return;
            }
            swap(slot, child);
            slot = child;
        }
    }

    private void swap(final int a, final int b)
    {
        final long key = keys[a];
        final long account = accounts[a];
        keys[a] = keys[b];
        accounts[a] = accounts[b];
        keys[b] = key;
        accounts[b] = account;
        slots.put(accounts[a], a);
        slots.put(accounts[b], b);
    }

    private void move(final int from, final int to)
    {
        keys[to] = keys[from];
        accounts[to] = accounts[from];
        slots.put(accounts[to], to);
    }
}
