package io.perpetua.settlement.stark.merkle;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * The sibling nodes that, with a set of leaf hashes, determine a Merkle root.
 *
 * <p>Why a batch: queried rows share upper paths, so the opening for q leaves carries each needed
 * sibling once. Verification is strict: every sibling must be consumed exactly, so a proof with
 * spare or missing nodes is rejected rather than tolerated.
 */
public final class BatchOpening
{
    private final List<byte[]> siblings;

    public BatchOpening(final List<byte[]> siblings)
    {
        for (final byte[] s : siblings)
        {
            if (s.length != Sha256.DIGEST_BYTES)
            {
                throw new IllegalArgumentException("sibling must be 32 bytes");
            }
        }
        this.siblings = List.copyOf(siblings);
    }

    public List<byte[]> siblings()
    {
        return siblings;
    }

    /**
     * Recomputes the root from leaf hashes at strictly increasing {@code sortedIndices} of a tree
     * with {@code leafCount} leaves. Returns null when the number of siblings does not match
     * exactly what those indices need.
     */
    public byte[] computeRoot(final int[] sortedIndices, final byte[][] leafHashes, final int leafCount)
    {
        if (sortedIndices.length == 0 || sortedIndices.length != leafHashes.length || Integer.bitCount(leafCount) != 1)
        {
            return null;
        }
        final int[] level;
        try
        {
            level = MerkleTree.toNodeIndices(sortedIndices, leafCount);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
        final MessageDigest md = Sha256.newDigest();
        int[] idx = level;
        byte[][] hashes = leafHashes.clone();
        int next = 0;
        final byte[] pair = new byte[2 * Sha256.DIGEST_BYTES];
        while (idx[0] > 1)
        {
            final int[] parents = new int[idx.length];
            final byte[][] parentHashes = new byte[idx.length][];
            int pc = 0;
            for (int i = 0; i < idx.length; i++)
            {
                final int node = idx[i];
                final byte[] left;
                final byte[] right;
                if (i + 1 < idx.length && idx[i + 1] == (node ^ 1))
                {
                    left = hashes[i];
                    right = hashes[i + 1];
                    i++;
                }
                else
                {
                    if (next >= siblings.size())
                    {
                        return null;
                    }
                    final byte[] sibling = siblings.get(next++);
                    left = (node & 1) == 0 ? hashes[i] : sibling;
                    right = (node & 1) == 0 ? sibling : hashes[i];
                }
                System.arraycopy(left, 0, pair, 0, Sha256.DIGEST_BYTES);
                System.arraycopy(right, 0, pair, Sha256.DIGEST_BYTES, Sha256.DIGEST_BYTES);
                final byte[] parentHash = new byte[Sha256.DIGEST_BYTES];
                Sha256.hashNode(md, pair, 0, Sha256.DIGEST_BYTES, parentHash, 0);
                parents[pc] = node >>> 1;
                parentHashes[pc] = parentHash;
                pc++;
            }
            idx = Arrays.copyOf(parents, pc);
            hashes = Arrays.copyOf(parentHashes, pc);
        }
        return next == siblings.size() ? hashes[0] : null;
    }
}
