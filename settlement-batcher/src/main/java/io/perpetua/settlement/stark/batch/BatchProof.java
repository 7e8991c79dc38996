package io.perpetua.settlement.stark.batch;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.merkle.Sha256;

import static io.perpetua.settlement.stark.VerificationException.Reason.MALFORMED_PROOF;

/**
 * A settlement batch proof: one {@link BatchAir} proof and a chain of {@link StateUpdateAir} chunk
 * proofs, with the intermediate roots and sponge states that join the chunks.
 *
 * <p>Why the joints travel with the proof: they are not trusted, they are the public inputs of the
 * chunk proofs, and the verifier checks that they chain from the batch's prevRoot and initial sponge
 * state to its newRoot and commitment D. Encoding: magic "PBAT", version, the batch proof, chunk
 * count, then per chunk its update count, output root, output sponge state and proof; parsing is
 * strict (bounded lengths, canonical elements, no trailing bytes).
 */
public final class BatchProof
{
    /** One state-update chunk. */
    public record Chunk(int updates, long[] rootOut, long[] daStateOut, byte[] proof)
    {
        public Chunk
        {
            rootOut = rootOut.clone();
            daStateOut = daStateOut.clone();
            proof = proof.clone();
        }
    }

    private static final byte[] MAGIC = {'P', 'B', 'A', 'T'};
    private static final byte VERSION = 1;

    private final byte[] batchProof;
    private final List<Chunk> chunks;

    public BatchProof(final byte[] batchProof, final List<Chunk> chunks)
    {
        this.batchProof = batchProof.clone();
        this.chunks = List.copyOf(chunks);
    }

    public byte[] batchProof()
    {
        return batchProof.clone();
    }

    public List<Chunk> chunks()
    {
        return chunks;
    }

    public byte[] toBytes()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(VERSION);
        writeInt(out, batchProof.length);
        out.writeBytes(batchProof);
        writeInt(out, chunks.size());
        final byte[] buf = new byte[8];
        for (final Chunk c : chunks)
        {
            writeInt(out, c.updates());
            for (final long v : c.rootOut())
            {
                Sha256.putLong(buf, 0, v);
                out.writeBytes(buf);
            }
            for (final long v : c.daStateOut())
            {
                Sha256.putLong(buf, 0, v);
                out.writeBytes(buf);
            }
            writeInt(out, c.proof().length);
            out.writeBytes(c.proof());
        }
        return out.toByteArray();
    }

    private static void writeInt(final ByteArrayOutputStream out, final int v)
    {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    /** Strict parse; any deviation is MALFORMED_PROOF. */
    public static BatchProof fromBytes(final byte[] bytes) throws VerificationException
    {
        final int[] pos = {0};
        if (!Arrays.equals(take(bytes, pos, 4), MAGIC) || take(bytes, pos, 1)[0] != VERSION)
        {
            throw new VerificationException(MALFORMED_PROOF, "bad batch proof magic or version");
        }
        final byte[] batch = take(bytes, pos, readInt(bytes, pos));
        final int count = readInt(bytes, pos);
        if (count < 0 || count > BatchPublicInputs.MAX_RECORDS)
        {
            throw new VerificationException(MALFORMED_PROOF, "chunk count out of range");
        }
        final List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int updates = readInt(bytes, pos);
            final long[] root = elements(bytes, pos, 4);
            final long[] da = elements(bytes, pos, 12);
            final byte[] proof = take(bytes, pos, readInt(bytes, pos));
            chunks.add(new Chunk(updates, root, da, proof));
        }
        if (pos[0] != bytes.length)
        {
            throw new VerificationException(MALFORMED_PROOF, "trailing bytes after the batch proof");
        }
        return new BatchProof(batch, chunks);
    }

    private static byte[] take(final byte[] b, final int[] pos, final int n) throws VerificationException
    {
        if (n < 0 || n > b.length - pos[0])
        {
            throw new VerificationException(MALFORMED_PROOF, "truncated batch proof");
        }
        final byte[] r = Arrays.copyOfRange(b, pos[0], pos[0] + n);
        pos[0] += n;
        return r;
    }

    private static int readInt(final byte[] b, final int[] pos) throws VerificationException
    {
        final byte[] x = take(b, pos, 4);
        return ((x[0] & 0xFF) << 24) | ((x[1] & 0xFF) << 16) | ((x[2] & 0xFF) << 8) | (x[3] & 0xFF);
    }

    private static long[] elements(final byte[] b, final int[] pos, final int n) throws VerificationException
    {
        final long[] r = new long[n];
        for (int i = 0; i < n; i++)
        {
            r[i] = Sha256.getLong(take(b, pos, 8), 0);
            if (!Goldilocks.isCanonical(r[i]))
            {
                throw new VerificationException(MALFORMED_PROOF, "non-canonical element in batch proof");
            }
        }
        return r;
    }
}
