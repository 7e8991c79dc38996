package io.perpetua.settlement.stark.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A SHA-256 Merkle tree over the rows of a table of field elements, with batched openings.
 *
 * <p>Why: the prover commits to whole evaluation tables (trace rows, composition rows, FRI cosets)
 * with one 32-byte root and later opens only the queried rows. Opening many rows of one tree
 * separately would repeat the shared upper path nodes; a {@link BatchOpening} carries each needed
 * sibling once. Nodes live in one flat byte array (node i at offset 32 i, root at node 1).
 */
public final class MerkleTree
{
    /** Rows or nodes per parallel task: large enough that scheduling costs nothing measurable. */
    private static final int PARALLEL_CHUNK = 1 << 10;
    /**
     * Levels of a committed table that are not stored but re-hashed from its rows when opened: a
     * stored node then covers 8 rows, which cuts the tree's memory by 8 (a tree of 32-byte nodes
     * over a 2^23-row LDE is half a gigabyte) for 8 extra leaf hashes per query.
     */
    private static final int RECOMPUTED_LEVELS = 3;

    private final int leafCount;
    /** Nodes 1 .. storedLimit - 1 (heap order: children of i are 2i and 2i + 1, leaves from leafCount). */
    private final byte[] nodes;
    private final int storedLimit;
    /** The committed rows, for re-hashing the levels not stored; null when every level is stored. */
    private final long[][] columns;

    private MerkleTree(final int leafCount, final byte[] nodes, final int storedLimit, final long[][] columns)
    {
        this.leafCount = leafCount;
        this.nodes = nodes;
        this.storedLimit = storedLimit;
        this.columns = columns;
    }

    /** Builds the tree from pre-computed leaf hashes (count must be a power of two); stores every level. */
    public static MerkleTree fromLeafHashes(final byte[][] leafHashes)
    {
        final int n = leafHashes.length;
        checkLeafCount(n);
        final byte[] nodes = new byte[2 * n * Sha256.DIGEST_BYTES];
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(leafHashes[i], 0, nodes, (n + i) * Sha256.DIGEST_BYTES, Sha256.DIGEST_BYTES);
        }
        hashInternalNodes(nodes, n);
        return new MerkleTree(n, nodes, 2 * n, null);
    }

    /**
     * Builds the tree whose leaf i hashes row i: {@code width} elements of each column array. The
     * tree keeps a reference to {@code columns} (they must not change afterwards) and stores only the
     * levels from 2^RECOMPUTED_LEVELS rows per node up.
     */
    public static MerkleTree commitColumns(final long[][] columns, final int rows)
    {
        checkLeafCount(rows);
        final int width = columns.length;
        final int group = Math.min(rows, 1 << RECOMPUTED_LEVELS);
        final int bottom = rows / group;
        final byte[] nodes = new byte[2 * bottom * Sha256.DIGEST_BYTES];
        // each task hashes its rows and their groups' subtrees into its own slots of the node array,
        // so the result does not depend on how the tasks are scheduled
        final int chunk = Math.max(group, Math.min(rows, PARALLEL_CHUNK));
        IntStream.range(0, rows / chunk).parallel().forEach(ch ->
        {
            final MessageDigest md = Sha256.newDigest();
            final byte[] buf = new byte[1 + 8 * width];
            final byte[] subtree = new byte[2 * group * Sha256.DIGEST_BYTES];
            // rows copied column by column first: equal power-of-two columns put one row's elements
            // in one cache set, so reading across a row directly misses on nearly every element
            final long[] tile = new long[chunk * width];
            for (int c = 0; c < width; c++)
            {
                final long[] column = columns[c];
                for (int r = 0, at = c; r < chunk; r++, at += width)
                {
                    tile[at] = column[ch * chunk + r];
                }
            }
            for (int g = 0; g < chunk / group; g++)
            {
                for (int r = 0; r < group; r++)
                {
                    Sha256.hashLeaf(md, tile, (g * group + r) * width, width, buf, subtree, (group + r) * Sha256.DIGEST_BYTES);
                }
                for (int i = group - 1; i >= 1; i--)
                {
                    Sha256.hashNode(md, subtree, 2 * i * Sha256.DIGEST_BYTES, (2 * i + 1) * Sha256.DIGEST_BYTES, subtree,
                        i * Sha256.DIGEST_BYTES);
                }
                final int node = bottom + (ch * chunk) / group + g;
                System.arraycopy(subtree, Sha256.DIGEST_BYTES, nodes, node * Sha256.DIGEST_BYTES,
                    Sha256.DIGEST_BYTES);
            }
        });
        hashInternalNodes(nodes, bottom);
        return new MerkleTree(rows, nodes, 2 * bottom, columns);
    }

    private static void checkLeafCount(final int leaves)
    {
        if (leaves == 0 || Integer.bitCount(leaves) != 1)
        {
            throw new IllegalArgumentException("leaf count must be a power of two: " + leaves);
        }
    }

    /** Fills nodes 1..n-1 from the nodes at n..2n-1, level by level, wide levels in parallel. */
    private static void hashInternalNodes(final byte[] nodes, final int n)
    {
        for (int levelStart = n / 2; levelStart >= 1; levelStart /= 2)
        {
            final int first = levelStart;
            final int chunk = Math.min(levelStart, PARALLEL_CHUNK);
            IntStream.range(0, levelStart / chunk).parallel().forEach(ch ->
            {
                final MessageDigest md = Sha256.newDigest();
                for (int i = first + ch * chunk; i < first + (ch + 1) * chunk; i++)
                {
                    Sha256.hashNode(md, nodes, 2 * i * Sha256.DIGEST_BYTES, (2 * i + 1) * Sha256.DIGEST_BYTES, nodes,
                        i * Sha256.DIGEST_BYTES);
                }
            });
        }
    }

    /** Node i: stored, or re-hashed from the committed rows below the stored levels. */
    private byte[] node(final int i, final MessageDigest md)
    {
        if (i < storedLimit)
        {
            return Arrays.copyOfRange(nodes, i * Sha256.DIGEST_BYTES, (i + 1) * Sha256.DIGEST_BYTES);
        }
        if (i >= leafCount)
        {
            final int width = columns.length;
            final long[] row = new long[width];
            for (int c = 0; c < width; c++)
            {
                row[c] = columns[c][i - leafCount];
            }
            return Sha256.hashLeaf(md, row, 0, width);
        }
        final byte[] children = new byte[2 * Sha256.DIGEST_BYTES];
        System.arraycopy(node(2 * i, md), 0, children, 0, Sha256.DIGEST_BYTES);
        System.arraycopy(node(2 * i + 1, md), 0, children, Sha256.DIGEST_BYTES, Sha256.DIGEST_BYTES);
        final byte[] out = new byte[Sha256.DIGEST_BYTES];
        Sha256.hashNode(md, children, 0, Sha256.DIGEST_BYTES, out, 0);
        return out;
    }

    public int leafCount()
    {
        return leafCount;
    }

    /** The 32-byte root (for a single leaf, the leaf hash itself). */
    public byte[] root()
    {
        return Arrays.copyOfRange(nodes, Sha256.DIGEST_BYTES, 2 * Sha256.DIGEST_BYTES);
    }

    /**
     * The sibling nodes needed to recompute the root from the leaves at {@code sortedIndices}
     * (strictly increasing), in the order {@link BatchOpening#computeRoot} consumes them.
     */
    public BatchOpening open(final int[] sortedIndices)
    {
        final List<byte[]> siblings = new ArrayList<>();
        final MessageDigest md = Sha256.newDigest();
        int[] level = toNodeIndices(sortedIndices, leafCount);
        while (level.length > 0 && level[0] > 1)
        {
            final int[] parents = new int[level.length];
            int pc = 0;
            for (int i = 0; i < level.length; i++)
            {
                final int node = level[i];
                final int sibling = node ^ 1;
                if (i + 1 < level.length && level[i + 1] == sibling)
                {
                    i++;
                }
                else
                {
                    siblings.add(node(sibling, md));
                }
                final int parent = node >>> 1;
                if (pc == 0 || parents[pc - 1] != parent)
                {
                    parents[pc++] = parent;
                }
            }
            level = Arrays.copyOf(parents, pc);
        }
        return new BatchOpening(siblings);
    }

    static int[] toNodeIndices(final int[] sortedIndices, final int leafCount)
    {
        final int[] level = new int[sortedIndices.length];
        for (int i = 0; i < sortedIndices.length; i++)
        {
            if (sortedIndices[i] < 0 || sortedIndices[i] >= leafCount || (i > 0 && sortedIndices[i] <= sortedIndices[i - 1]))
            {
                throw new IllegalArgumentException("indices must be strictly increasing and in range");
            }
            level[i] = leafCount + sortedIndices[i];
        }
        return level;
    }
}
