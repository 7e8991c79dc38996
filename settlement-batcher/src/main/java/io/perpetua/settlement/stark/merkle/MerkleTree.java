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
        if (n == 0 || Integer.bitCount(n) != 1)
        {
            throw new IllegalArgumentException("leaf count must be a power of two: " + n);
        }
        final byte[] nodes = new byte[2 * n * Sha256.DIGEST_BYTES];
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(leafHashes[i], 0, nodes, (n + i) * Sha256.DIGEST_BYTES, Sha256.DIGEST_BYTES);
        }
        final MessageDigest md = Sha256.newDigest();
        for (int i = n - 1; i >= 1; i--)
        {
            Sha256.hashNode(md, nodes, 2 * i * Sha256.DIGEST_BYTES, (2 * i + 1) * Sha256.DIGEST_BYTES, nodes,
                i * Sha256.DIGEST_BYTES);
        }
        return new MerkleTree(n, nodes);
    }

    /** Builds the tree whose leaf i hashes row i: {@code width} elements of each column array. */
    public static MerkleTree commitColumns(final long[][] columns, final int rows)
    {
        final int width = columns.length;
        final byte[][] leaves = new byte[rows][];
        final int chunk = Math.min(rows, 1 << 12);
        IntStream.range(0, rows / chunk).parallel().forEach(ch ->
        {
            final MessageDigest md = Sha256.newDigest();
            final long[] row = new long[width];
            for (int i = ch * chunk; i < (ch + 1) * chunk; i++)
            {
                for (int c = 0; c < width; c++)
                {
                    row[c] = columns[c][i];
                }
                leaves[i] = Sha256.hashLeaf(md, row, 0, width);
            }
        });
        return fromLeafHashes(leaves);
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
