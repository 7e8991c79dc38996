package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.Ed25519PublicKey;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;

/**
 * The exact bytes an oracle source signs for one price observation:
 *
 * <pre>
 * offset size field
 *      0   18 "perpetua/oracle/v1"   ASCII domain tag
 *     18    4 marketId     int32     little-endian
 *     22    8 priceTicks   int64     little-endian, in the market's price ticks
 *     30    8 timestampNs  int64     little-endian, nanoseconds since the Unix epoch
 * </pre>
 *
 * The tag keeps an oracle signature from ever passing as a signed account request (and the reverse).
 */
public final class OracleMessage
{
    /** Domain tag: 18 ASCII bytes. */
    public static final String TAG = "perpetua/oracle/v1";

    private static final byte[] TAG_BYTES = TAG.getBytes(StandardCharsets.US_ASCII);

    /** Length of the signed bytes. */
    public static final int LENGTH = TAG_BYTES.length + Integer.BYTES + 2 * Long.BYTES;

    private static final VarHandle INT_LE =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private OracleMessage()
    {
    }

    /**
     * Writes the signed bytes into {@code dst} at {@code offset}.
     *
     * @return {@link #LENGTH}
     */
    public static int encode(
        final byte[] dst, final int offset, final int marketId, final long priceTicks, final long timestampNs)
    {
        System.arraycopy(TAG_BYTES, 0, dst, offset, TAG_BYTES.length);
        int at = offset + TAG_BYTES.length;
        INT_LE.set(dst, at, marketId);
        at += Integer.BYTES;
        LONG_LE.set(dst, at, priceTicks);
        at += Long.BYTES;
        LONG_LE.set(dst, at, timestampNs);
        return at + Long.BYTES - offset;
    }

    /** The signed bytes in a new array. */
    public static byte[] bytes(final int marketId, final long priceTicks, final long timestampNs)
    {
        final byte[] bytes = new byte[LENGTH];
        encode(bytes, 0, marketId, priceTicks, timestampNs);
        return bytes;
    }

    /** A source's 64-byte signature of one observation. */
    public static byte[] sign(
        final PrivateKey sourceKey, final int marketId, final long priceTicks, final long timestampNs)
    {
        return Ed25519Keys.sign(sourceKey, bytes(marketId, priceTicks, timestampNs));
    }

    /** True iff {@code signature} is the source's signature of exactly this observation; never throws. */
    public static boolean verify(
        final Ed25519PublicKey sourceKey,
        final int marketId,
        final long priceTicks,
        final long timestampNs,
        final byte[] signature)
    {
        return Ed25519Keys.verify(sourceKey, bytes(marketId, priceTicks, timestampNs), signature);
    }
}
