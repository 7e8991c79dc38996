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

    private final int leafCount;
    private final byte[] nodes;

    private MerkleTree(final int leafCount, final byte[] nodes)
    {
        this.leafCount = leafCount;
        this.nodes = nodes;
    }

    /** Builds the tree from pre-computed leaf hashes (count must be a power of two). */
    public static MerkleTree fromLeafHashes(final byte[][] leafHashes)
    {
        final int n = leafHashes.length;
        final byte[] nodes = allocate(n);
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(leafHashes[i], 0, nodes, (n + i) * Sha256.DIGEST_BYTES, Sha256.DIGEST_BYTES);
        }
        hashInternalNodes(nodes, n);
        return new MerkleTree(n, nodes);
    }

    /** Builds the tree whose leaf i hashes row i: {@code width} elements of each column array. */
    public static MerkleTree commitColumns(final long[][] columns, final int rows)
    {
        final int width = columns.length;
        final byte[] nodes = allocate(rows);
        // leaf hashes go straight into the node array; chunks are disjoint, so the result does not
        // depend on how the chunks are scheduled
        final int chunk = Math.min(rows, PARALLEL_CHUNK);
        IntStream.range(0, rows / chunk).parallel().forEach(ch ->
        {
            final MessageDigest md = Sha256.newDigest();
            final byte[] buf = new byte[1 + 8 * width];
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
            for (int r = 0; r < chunk; r++)
            {
                Sha256.hashLeaf(md, tile, r * width, width, buf, nodes, (rows + ch * chunk + r) * Sha256.DIGEST_BYTES);
            }
        });
        hashInternalNodes(nodes, rows);
        return new MerkleTree(rows, nodes);
    }

    private static byte[] allocate(final int leaves)
    {
        if (leaves == 0 || Integer.bitCount(leaves) != 1)
        {
            throw new IllegalArgumentException("leaf count must be a power of two: " + leaves);
        }
        return new byte[2 * leaves * Sha256.DIGEST_BYTES];
    }

    /** Fills nodes 1..n-1 from the leaves at n..2n-1, level by level, wide levels in parallel. */
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
                    siblings.add(Arrays.copyOfRange(nodes, sibling * Sha256.DIGEST_BYTES, (sibling + 1) * Sha256.DIGEST_BYTES));
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
