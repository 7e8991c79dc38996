package io.perpetua.settlement.tree;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.perpetua.settlement.stark.rescue.RescuePrime;

/**
 * A sparse binary Merkle tree of 4-element leaf digests, hashed with Rescue-Prime's 2-to-1
 * {@link RescuePrime#merge}; an untouched leaf is the zero digest, so an empty tree of depth d has the
 * same root as the STARK package's balance tree of depth d.
 *
 * <p>Why a second tree type: the STARK package's {@code RescueMerkleTree} fixes the leaf to a balance;
 * the position tree's leaf is the digest of a whole {@link Leaf} (key, balance, positions), and the
 * contract checks its updates with {@link #rootFromPath}, so it must not need the tree itself.
 */
public final class SparseRescueTree
{
    /** The digest of a leaf that was never set. */
    public static final long[] EMPTY_LEAF = new long[4];

    private final int depth;
    private final long[][] empty;
    private final Map<Long, long[]> nodes = new HashMap<>();

    public SparseRescueTree(final int depth)
    {
        if (depth < 2 || depth > 32)
        {
            throw new IllegalArgumentException("depth must be in [2, 32]: " + depth);
        }
        this.depth = depth;
        this.empty = emptyDigests(depth);
    }

    private static long[][] emptyDigests(final int depth)
    {
        final long[][] e = new long[depth + 1][];
        e[0] = EMPTY_LEAF.clone();
        for (int l = 1; l <= depth; l++)
        {
            e[l] = RescuePrime.merge(e[l - 1], e[l - 1]);
        }
        return e;
    }

    /** The root of an empty tree of this depth. */
    public static long[] emptyRoot(final int depth)
    {
        return emptyDigests(depth)[depth];
    }

    public int depth()
    {
        return depth;
    }

    public long capacity()
    {
        return 1L << depth;
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

    public long[] root()
    {
        return node(depth, 0).clone();
    }

    public long[] leaf(final long index)
    {
        checkIndex(index);
        return node(0, index).clone();
    }

    /** Sibling digests from the leaf level upwards. */
    public long[][] path(final long index)
    {
        checkIndex(index);
        final long[][] p = new long[depth][];
        long i = index;
        for (int l = 0; l < depth; l++)
        {
            p[l] = node(l, i ^ 1).clone();
            i >>>= 1;
        }
        return p;
    }

    /** Sets a leaf digest and rehashes its path. */
    public void set(final long index, final long[] leafDigest)
    {
        checkIndex(index);
        if (leafDigest.length != 4)
        {
            throw new IllegalArgumentException("a leaf digest has 4 elements");
        }
        long[] h = leafDigest.clone();
        long i = index;
        nodes.put(key(0, i), h);
        for (int l = 0; l < depth; l++)
        {
            final long[] sibling = node(l, i ^ 1);
            h = (i & 1) == 0 ? RescuePrime.merge(h, sibling) : RescuePrime.merge(sibling, h);
            i >>>= 1;
            nodes.put(key(l + 1, i), h);
        }
    }

    /** The root implied by a leaf digest at {@code index} and its sibling path (leaf level first). */
    public static long[] rootFromPath(final long index, final long[] leafDigest, final long[][] path)
    {
        if (index < 0 || path.length > 62 || index >= (1L << path.length) || leafDigest.length != 4)
        {
            throw new IllegalArgumentException("index " + index + " outside a depth-" + path.length + " path");
        }
        long[] h = leafDigest;
        long i = index;
        for (final long[] sibling : path)
        {
            if (sibling.length != 4)
            {
                throw new IllegalArgumentException("a sibling digest has 4 elements");
            }
            h = (i & 1) == 0 ? RescuePrime.merge(h, sibling) : RescuePrime.merge(sibling, h);
            i >>>= 1;
        }
        return h;
    }

    /** True iff {@code path} proves {@code leafDigest} at {@code index} under {@code root}. */
    public static boolean verify(final long[] root, final long index, final long[] leafDigest, final long[][] path)
    {
        try
        {
            return Arrays.equals(root, rootFromPath(index, leafDigest, path));
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private void checkIndex(final long index)
    {
        if (index < 0 || index >= (1L << depth))
        {
            throw new IllegalArgumentException("leaf " + index + " outside a depth-" + depth + " tree");
        }
    }
}
