package io.perpetua.settlement.stark.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerkleTreeTest
{
    private static long[][] columns(final int width, final int rows, final SplittableRandom rnd)
    {
        final long[][] c = new long[width][rows];
        for (final long[] col : c)
        {
            for (int i = 0; i < rows; i++)
            {
                col[i] = rnd.nextLong() >>> 1;
            }
        }
        return c;
    }

    private static byte[][] leafHashes(final long[][] cols, final int[] idx)
    {
        final byte[][] h = new byte[idx.length][];
        for (int i = 0; i < idx.length; i++)
        {
            final long[] row = new long[cols.length];
            for (int c = 0; c < cols.length; c++)
            {
                row[c] = cols[c][idx[i]];
            }
            h[i] = Sha256.hashLeaf(Sha256.newDigest(), row, 0, row.length);
        }
        return h;
    }

    @Test
    void batchedOpeningsRecomputeTheRootAndNothingElse()
    {
        final long seed = 21;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (int log = 0; log <= 9; log++)
        {
            final int n = 1 << log;
            final long[][] cols = columns(3, n, rnd);
            final MerkleTree tree = MerkleTree.commitColumns(cols, n);
            for (int trial = 0; trial < 20; trial++)
            {
                final TreeSet<Integer> set = new TreeSet<>();
                final int q = 1 + rnd.nextInt(Math.min(n, 30));
                while (set.size() < q)
                {
                    set.add(rnd.nextInt(n));
                }
                final int[] idx = set.stream().mapToInt(Integer::intValue).toArray();
                final BatchOpening opening = tree.open(idx);
                final byte[][] leaves = leafHashes(cols, idx);
                assertArrayEquals(tree.root(), opening.computeRoot(idx, leaves, n), "seed=" + seed + " n=" + n);

                // a changed leaf changes the root
                final byte[][] bad = leaves.clone();
                bad[0] = bad[0].clone();
                bad[0][0] ^= 1;
                assertTrue(!Arrays.equals(tree.root(), opening.computeRoot(idx, bad, n)));
                if (!opening.siblings().isEmpty())
                {
                    // a changed sibling changes the root; a missing or extra sibling is refused
                    final List<byte[]> s = new ArrayList<>(opening.siblings());
                    final byte[] flipped = s.get(s.size() - 1).clone();
                    flipped[31] ^= (byte)0x80;
                    s.set(s.size() - 1, flipped);
                    assertTrue(!Arrays.equals(tree.root(), new BatchOpening(s).computeRoot(idx, leaves, n)));
                    assertNull(new BatchOpening(opening.siblings().subList(1, opening.siblings().size())).computeRoot(idx, leaves, n));
                }
                final List<byte[]> extra = new ArrayList<>(opening.siblings());
                extra.add(new byte[32]);
                assertNull(new BatchOpening(extra).computeRoot(idx, leaves, n));
            }
        }
    }

    @Test
    void openingsOfSiblingPairsShareNodes()
    {
        final long[][] cols = columns(1, 16, new SplittableRandom(3));
        final MerkleTree tree = MerkleTree.commitColumns(cols, 16);
        // leaves 4 and 5 share a parent: 3 siblings above it; a lone leaf needs 4
        assertTrue(tree.open(new int[] {4, 5}).siblings().size() == 3);
        assertTrue(tree.open(new int[] {4}).siblings().size() == 4);
    }
}
