package io.perpetua.settlement.stark.merkle;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 with domain-separated leaf and node hashing.
 *
 * <p>Why the prefixes: a leaf hash (0x00 || data) can never be confused with an internal node
 * (0x01 || left || right), which closes the second-preimage trick of presenting an internal node
 * as a leaf. Every JDK ships SHA-256, so this needs no dependency.
 */
public final class Sha256
{
    /** Digest length in bytes. */
    public static final int DIGEST_BYTES = 32;
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private static final VarHandle LITTLE_ENDIAN_LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Sha256()
    {
    }

    /** A fresh SHA-256 instance (every JDK is required to provide one). */
    public static MessageDigest newDigest()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required by the Java platform", ex);
        }
    }

    /** Hash of a leaf holding field elements, each as 8 little-endian bytes. */
    public static byte[] hashLeaf(final MessageDigest md, final long[] values, final int from, final int count)
    {
        final byte[] buf = new byte[1 + 8 * count];
        buf[0] = LEAF_PREFIX;
        for (int i = 0; i < count; i++)
        {
            putLong(buf, 1 + 8 * i, values[from + i]);
        }
        md.reset();
        return md.digest(buf);
    }

    /**
     * Hash of a leaf holding field elements, written to {@code dst} at {@code dstOff}; {@code buf}
     * is scratch of at least {@code 1 + 8 * count} bytes, so that hashing a table allocates nothing.
     */
    public static void hashLeaf(final MessageDigest md, final long[] values, final int from, final int count,
        final byte[] buf, final byte[] dst, final int dstOff)
    {
        buf[0] = LEAF_PREFIX;
        for (int i = 0; i < count; i++)
        {
            putLong(buf, 1 + 8 * i, values[from + i]);
        }
        md.reset();
        md.update(buf, 0, 1 + 8 * count);
        finish(md, dst, dstOff);
    }

    /** Hash of an internal node from its two children. */
    public static void hashNode(final MessageDigest md, final byte[] src, final int leftOff, final int rightOff,
        final byte[] dst, final int dstOff)
    {
        md.reset();
        md.update(NODE_PREFIX);
        md.update(src, leftOff, DIGEST_BYTES);
        md.update(src, rightOff, DIGEST_BYTES);
        finish(md, dst, dstOff);
    }

    private static void finish(final MessageDigest md, final byte[] dst, final int dstOff)
    {
        try
        {
            md.digest(dst, dstOff, DIGEST_BYTES);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException("a 32-byte buffer always fits a SHA-256 digest", ex);
        }
    }

    /** Little-endian store of a long. */
    public static void putLong(final byte[] buf, final int off, final long v)
    {
        LITTLE_ENDIAN_LONG.set(buf, off, v);
    }

    /** Little-endian load of a long. */
    public static long getLong(final byte[] buf, final int off)
    {
        long v = 0;
        for (int k = 7; k >= 0; k--)
        {
            v = (v << 8) | (buf[off + k] & 0xFF);
        }
        return v;
    }
}
