package io.perpetua.settlement.stark.batch;

import java.util.HashMap;
import java.util.Map;

import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.rescue.RescuePrime;

/**
 * A sparse Rescue Merkle tree of account balances: leaf i is (balance_i, 0, 0, 0), an internal
 * node is {@link RescuePrime#merge} of its children, and untouched subtrees take precomputed
 * empty-subtree digests.
 *
 * <p>Why sparse: a depth-20 tree has a million leaves but a batch touches a few thousand; storing
 * only touched paths keeps updates at depth merges each. Leaf positions are account ids, so the
 * path bits of an update are the account id itself ({@link StateUpdateAir} checks that).
 */
public final class RescueMerkleTree
{
    private final int depth;
    private final long[][] empty;
    private final Map<Long, long[]> nodes = new HashMap<>();
    private final Map<Long, Long> balances = new HashMap<>();

    public RescueMerkleTree(final int depth)
    {
        if (depth < 2 || depth > 32)
        {
            throw new IllegalArgumentException("depth must be in [2, 32]: " + depth);
        }
        this.depth = depth;
        this.empty = new long[depth + 1][];
        empty[0] = new long[4];
        for (int l = 1; l <= depth; l++)
        {
            empty[l] = RescuePrime.merge(empty[l - 1], empty[l - 1]);
        }
    }

    public int depth()
    {
        return depth;
    }

    private static long key(final int level, final long index)
    {
        return ((long)level << 40) | index;
    }

    private long[] node(final int level, final long index)
    {
        final long[] v = nodes.get(key(level, index));
        return v != null ? v : empty[level];
    }

    /** The leaf value for a balance. */
    static long[] leaf(final long balance)
    {
        return new long[] {Goldilocks.fromSigned(balance), 0, 0, 0};
    }

    public long[] root()
    {
        return node(depth, 0).clone();
    }

    /** The balance of an account (0 if never set). */
    public long balance(final long account)
    {
        checkAccount(account);
        final Long b = balances.get(account);
        return b == null ? 0 : b;
    }

    /** Siblings from the leaf level upwards. */
    public long[][] path(final long account)
    {
        checkAccount(account);
        final long[][] p = new long[depth][];
        long index = account;
        for (int l = 0; l < depth; l++)
        {
            p[l] = node(l, index ^ 1).clone();
            index >>>= 1;
        }
        return p;
    }

    /** Sets an account's balance and rehashes its path. */
    public void set(final long account, final long balance)
    {
        checkAccount(account);
        balances.put(account, balance);
        long[] h = leaf(balance);
        long index = account;
        nodes.put(key(0, index), h);
        for (int l = 0; l < depth; l++)
        {
            final long[] sibling = node(l, index ^ 1);
            h = (index & 1) == 0 ? RescuePrime.merge(h, sibling) : RescuePrime.merge(sibling, h);
            index >>>= 1;
            nodes.put(key(l + 1, index), h);
        }
    }

    private void checkAccount(final long account)
    {
        if (account < 0 || account >= (1L << depth))
        {
            throw new IllegalArgumentException("account " + account + " outside a depth-" + depth + " tree");
        }
    }
}
