package io.perpetua.settlement.batch;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.perpetua.settlement.stark.batch.BatchPublicInputs;

/**
 * What the batcher submits to the settlement contract and persists: the data-availability blob and
 * its SHA-256, the position-tree roots before and after, the STARK public inputs (whose roots are
 * the balance tree's), the Merkle witness of every update, and the proof.
 *
 * <p>Why a witness: the STARK statement covers balances only (the STARK package's tree leaf is a
 * balance), so the contract checks the position tree itself, the way an L1 contract checks a Merkle
 * update: each entry's sibling path must lead from its old leaf to the running root, and from its
 * new leaf to the next one. In re-execution mode the balance paths play the same part for the
 * balance tree. File layout: magic "PSB1", u16 version, then length-prefixed blob, 32-byte blob
 * hash, both position roots, the public inputs, u32 + paths for entries, u32 + paths for records,
 * length-prefixed proof.
 *
 * @param blob             encoded {@link BatchBlob}
 * @param blobHash         SHA-256 of {@code blob}
 * @param prevPositionRoot position-tree root before the batch
 * @param newPositionRoot  position-tree root after the batch
 * @param inputs           STARK public inputs (prevRoot/newRoot are the balance tree's)
 * @param positionPaths    per blob entry, its sibling path (depth x 4) at the moment of its update
 * @param balancePaths     per STARK record, its balance-tree sibling path at the moment of its update
 * @param proof            {@code BatchProofs} proof bytes
 */
public record SettlementBatch(byte[] blob, byte[] blobHash, long[] prevPositionRoot, long[] newPositionRoot,
    BatchPublicInputs inputs, long[][][] positionPaths, long[][][] balancePaths, byte[] proof)
{
    public static final int MAGIC = 0x31425350; // "PSB1" little-endian
    public static final short VERSION = 1;
    private static final int MAX_BYTES = 1 << 30;

    public long batchId()
    {
        return inputs.batchId();
    }

    public BatchBlob decodedBlob()
    {
        return BatchBlob.decode(blob);
    }

    /** A copy with another proof (tests and tamper checks build variants this way). */
    public SettlementBatch withProof(final byte[] otherProof)
    {
        return new SettlementBatch(blob, blobHash, prevPositionRoot, newPositionRoot, inputs, positionPaths, balancePaths, otherProof);
    }

    public SettlementBatch withBlob(final byte[] otherBlob)
    {
        return new SettlementBatch(otherBlob, blobHash, prevPositionRoot, newPositionRoot, inputs, positionPaths, balancePaths, proof);
    }

    public SettlementBatch withInputs(final BatchPublicInputs otherInputs)
    {
        return new SettlementBatch(blob, blobHash, prevPositionRoot, newPositionRoot, otherInputs, positionPaths, balancePaths, proof);
    }

    public SettlementBatch withNewPositionRoot(final long[] root)
    {
        return new SettlementBatch(blob, blobHash, prevPositionRoot, root, inputs, positionPaths, balancePaths, proof);
    }

    public byte[] encode()
    {
        final int depth = depthOf(positionPaths, balancePaths);
        final int length = 4 + 2 + 4 + blob.length + 32 + 8 * 8 + (8 + 12 * 8 + 4 + 3 * 8) + 4 + 4
            + (positionPaths.length + balancePaths.length) * depth * 32 + 4 + 1 + 4 + proof.length;
        final ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putShort(VERSION).putInt(blob.length).put(blob).put(blobHash);
        putDigest(out, prevPositionRoot);
        putDigest(out, newPositionRoot);
        out.putLong(inputs.batchId());
        putDigest(out, inputs.prevRoot());
        putDigest(out, inputs.newRoot());
        putDigest(out, inputs.daCommitment());
        out.putInt(inputs.recordCount()).putLong(inputs.netDeposits()).putLong(inputs.feeDelta()).putLong(inputs.insuranceDelta());
        out.put((byte)depth);
        putPaths(out, positionPaths);
        putPaths(out, balancePaths);
        out.putInt(proof.length).put(proof);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static int depthOf(final long[][][] a, final long[][][] b)
    {
        return a.length > 0 ? a[0].length : b.length > 0 ? b[0].length : 0;
    }

    private static void putDigest(final ByteBuffer out, final long[] d)
    {
        for (int i = 0; i < 4; i++)
        {
            out.putLong(d[i]);
        }
    }

    private static void putPaths(final ByteBuffer out, final long[][][] paths)
    {
        out.putInt(paths.length);
        for (final long[][] path : paths)
        {
            for (final long[] sibling : path)
            {
                putDigest(out, sibling);
            }
        }
    }

    /** Decodes a batch file; malformed input throws {@link IllegalArgumentException}. */
    public static SettlementBatch decode(final byte[] bytes)
    {
        final ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try
        {
            if (in.getInt() != MAGIC)
            {
                throw new IllegalArgumentException("not a settlement batch (magic)");
            }
            final short version = in.getShort();
            if (version != VERSION)
            {
                throw new IllegalArgumentException("unsupported batch version " + version);
            }
            final byte[] blob = bytes(in);
            final byte[] hash = new byte[32];
            in.get(hash);
            final long[] prevPositionRoot = digest(in);
            final long[] newPositionRoot = digest(in);
            final long batchId = in.getLong();
            final long[] prevRoot = digest(in);
            final long[] newRoot = digest(in);
            final long[] d = digest(in);
            final BatchPublicInputs inputs = new BatchPublicInputs(batchId, prevRoot, newRoot, d, in.getInt(), in.getLong(),
                in.getLong(), in.getLong());
            final int depth = in.get();
            if (depth < 0 || depth > 32)
            {
                throw new IllegalArgumentException("path depth out of range: " + depth);
            }
            final long[][][] positionPaths = paths(in, depth);
            final long[][][] balancePaths = paths(in, depth);
            final byte[] proof = bytes(in);
            if (in.hasRemaining())
            {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after the batch");
            }
            return new SettlementBatch(blob, hash, prevPositionRoot, newPositionRoot, inputs, positionPaths, balancePaths, proof);
        }
        catch (final BufferUnderflowException ex)
        {
            throw new IllegalArgumentException("batch file truncated", ex);
        }
    }

    private static byte[] bytes(final ByteBuffer in)
    {
        final int n = in.getInt();
        if (n < 0 || n > MAX_BYTES || n > in.remaining())
        {
            throw new IllegalArgumentException("length out of range: " + n);
        }
        final byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static long[] digest(final ByteBuffer in)
    {
        return new long[] {in.getLong(), in.getLong(), in.getLong(), in.getLong()};
    }

    private static long[][][] paths(final ByteBuffer in, final int depth)
    {
        final int n = in.getInt();
        if (n < 0 || (long)n * depth * 32 > in.remaining())
        {
            throw new IllegalArgumentException("path count out of range: " + n);
        }
        final long[][][] paths = new long[n][depth][];
        for (int i = 0; i < n; i++)
        {
            for (int l = 0; l < depth; l++)
            {
                paths[i][l] = digest(in);
            }
        }
        return paths;
    }
}
