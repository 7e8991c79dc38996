package io.perpetua.settlement.stark;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.merkle.BatchOpening;
import io.perpetua.settlement.stark.merkle.Sha256;

import static io.perpetua.settlement.stark.VerificationException.Reason.MALFORMED_PROOF;
import static io.perpetua.settlement.stark.VerificationException.Reason.OPTIONS_MISMATCH;
import static io.perpetua.settlement.stark.VerificationException.Reason.TRACE_LENGTH_MISMATCH;

/**
 * A STARK proof and its byte encoding.
 *
 * <p>Why strict parsing: the verifier derives the expected shape (widths, layer count, remainder
 * size) from the statement and its pinned options, and the parser accepts exactly that shape:
 * canonical field elements only, bounded counts, no trailing bytes. Anything else is
 * {@link VerificationException.Reason#MALFORMED_PROOF} before any cryptography runs.
 *
 * <p>Layout: magic "PSTK", version, options (7 bytes), trace length (u32), trace root, composition
 * root, out-of-domain frame, FRI layer roots, FRI remainder, nonce, then the openings: position
 * count, trace rows and siblings, composition rows and siblings, and per FRI layer its rows and
 * siblings. Field elements are 8 bytes little-endian, counts are u16 big-endian.
 */
final class StarkProof
{
    static final byte[] MAGIC = {'P', 'S', 'T', 'K'};
    static final byte VERSION = 1;

    byte[] options;
    int traceLength;
    byte[] traceRoot;
    byte[] compositionRoot;
    long[] ood;
    byte[][] friRoots;
    long[] remainder;
    long nonce;
    long[][] traceRows;
    BatchOpening traceOpening;
    long[][] compositionRows;
    BatchOpening compositionOpening;
    long[][][] friRows;
    BatchOpening[] friOpenings;

    byte[] toBytes()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(VERSION);
        out.writeBytes(options);
        writeInt(out, traceLength);
        out.writeBytes(traceRoot);
        out.writeBytes(compositionRoot);
        writeLongs(out, ood);
        for (final byte[] r : friRoots)
        {
            out.writeBytes(r);
        }
        writeLongs(out, remainder);
        writeLongs(out, new long[] {nonce});
        writeU16(out, traceRows.length);
        writeRows(out, traceRows, traceOpening);
        writeRows(out, compositionRows, compositionOpening);
        for (int l = 0; l < friRows.length; l++)
        {
            writeU16(out, friRows[l].length);
            writeRows(out, friRows[l], friOpenings[l]);
        }
        return out.toByteArray();
    }

    private static void writeRows(final ByteArrayOutputStream out, final long[][] rows, final BatchOpening opening)
    {
        for (final long[] row : rows)
        {
            writeLongs(out, row);
        }
        writeU16(out, opening.siblings().size());
        for (final byte[] s : opening.siblings())
        {
            out.writeBytes(s);
        }
    }

    private static void writeLongs(final ByteArrayOutputStream out, final long[] values)
    {
        final byte[] buf = new byte[8];
        for (final long v : values)
        {
            Sha256.putLong(buf, 0, v);
            out.writeBytes(buf);
        }
    }

    private static void writeInt(final ByteArrayOutputStream out, final int v)
    {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeU16(final ByteArrayOutputStream out, final int v)
    {
        if (v < 0 || v > 0xFFFF)
        {
            throw new IllegalStateException("count does not fit u16: " + v);
        }
        out.write(v >>> 8);
        out.write(v);
    }

    /** Parses exactly the shape {@code layout} prescribes; any deviation is a {@link VerificationException}. */
    static StarkProof parse(final byte[] bytes, final ProofLayout layout) throws VerificationException
    {
        final Reader in = new Reader(bytes);
        final StarkProof p = new StarkProof();
        if (!Arrays.equals(in.bytes(4), MAGIC) || in.u8() != VERSION)
        {
            throw new VerificationException(MALFORMED_PROOF, "bad magic or version");
        }
        p.options = in.bytes(ProofOptions.ENCODED_BYTES);
        if (!Arrays.equals(p.options, layout.options.encode()))
        {
            throw new VerificationException(OPTIONS_MISMATCH, "proof options differ from the verifier's pinned preset");
        }
        p.traceLength = in.u32();
        if (p.traceLength != layout.traceLength)
        {
            throw new VerificationException(TRACE_LENGTH_MISMATCH,
                "proof trace length " + p.traceLength + " but statement needs " + layout.traceLength);
        }
        final int d = layout.extDegree;
        final int k = layout.options.foldingFactor();
        p.traceRoot = in.bytes(32);
        p.compositionRoot = in.bytes(32);
        p.ood = in.elements((2 * layout.width + layout.compositionColumns) * d);
        p.friRoots = new byte[layout.friLayers][];
        for (int l = 0; l < layout.friLayers; l++)
        {
            p.friRoots[l] = in.bytes(32);
        }
        p.remainder = in.elements(layout.remainderCoefficients * d);
        p.nonce = in.rawLong();
        final int q = in.u16();
        if (q < 1 || q > layout.options.numQueries())
        {
            throw new VerificationException(MALFORMED_PROOF, "query count out of range: " + q);
        }
        final int maxSiblings = q * 32;
        p.traceRows = in.rows(q, layout.width);
        p.traceOpening = in.opening(maxSiblings);
        p.compositionRows = in.rows(q, layout.compositionColumns * d);
        p.compositionOpening = in.opening(maxSiblings);
        p.friRows = new long[layout.friLayers][][];
        p.friOpenings = new BatchOpening[layout.friLayers];
        for (int l = 0; l < layout.friLayers; l++)
        {
            final int ql = in.u16();
            if (ql < 1 || ql > q)
            {
                throw new VerificationException(MALFORMED_PROOF, "FRI layer " + l + " query count out of range");
            }
            p.friRows[l] = in.rows(ql, k * d);
            p.friOpenings[l] = in.opening(maxSiblings);
        }
        if (in.remaining() != 0)
        {
            throw new VerificationException(MALFORMED_PROOF, in.remaining() + " trailing bytes");
        }
        return p;
    }

    /** Bounds-checked reader that turns every short read into MALFORMED_PROOF. */
    private static final class Reader
    {
        private final byte[] b;
        private int pos;

        Reader(final byte[] b)
        {
            this.b = b;
        }

        int remaining()
        {
            return b.length - pos;
        }

        private void need(final long n) throws VerificationException
        {
            if (n < 0 || n > remaining())
            {
                throw new VerificationException(MALFORMED_PROOF, "truncated at byte " + pos);
            }
        }

        byte[] bytes(final int n) throws VerificationException
        {
            need(n);
            final byte[] r = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return r;
        }

        int u8() throws VerificationException
        {
            need(1);
            return b[pos++] & 0xFF;
        }

        int u16() throws VerificationException
        {
            need(2);
            final int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        int u32() throws VerificationException
        {
            need(4);
            final int v = ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        long rawLong() throws VerificationException
        {
            need(8);
            final long v = Sha256.getLong(b, pos);
            pos += 8;
            return v;
        }

        long[] elements(final int n) throws VerificationException
        {
            need(8L * n);
            final long[] r = new long[n];
            for (int i = 0; i < n; i++)
            {
                r[i] = rawLong();
                if (!Goldilocks.isCanonical(r[i]))
                {
                    throw new VerificationException(MALFORMED_PROOF, "non-canonical field element at byte " + (pos - 8));
                }
            }
            return r;
        }

        long[][] rows(final int count, final int width) throws VerificationException
        {
            need(8L * count * width);
            final long[][] r = new long[count][];
            for (int i = 0; i < count; i++)
            {
                r[i] = elements(width);
            }
            return r;
        }

        BatchOpening opening(final int maxSiblings) throws VerificationException
        {
            final int n = u16();
            if (n > maxSiblings)
            {
                throw new VerificationException(MALFORMED_PROOF, "too many Merkle siblings: " + n);
            }
            need(32L * n);
            final List<byte[]> s = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                s.add(bytes(32));
            }
            return new BatchOpening(s);
        }
    }
}
