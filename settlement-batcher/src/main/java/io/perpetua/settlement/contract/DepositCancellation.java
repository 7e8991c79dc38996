package io.perpetua.settlement.contract;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;

import io.perpetua.risk.auth.Ed25519Keys;

/**
 * The bytes a depositor signs to ask the contract for a pending deposit back: the ASCII tag
 * {@code perpetua/deposit-cancel/v1}, then the deposit id (i64, little-endian). Only the contract
 * reads them; the engine never sees a cancellation.
 */
public final class DepositCancellation
{
    public static final String TAG = "perpetua/deposit-cancel/v1";

    private static final byte[] TAG_BYTES = TAG.getBytes(StandardCharsets.US_ASCII);

    private DepositCancellation()
    {
    }

    /** The signed bytes for a deposit id. */
    public static byte[] bytes(final long depositId)
    {
        return ByteBuffer.allocate(TAG_BYTES.length + Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).put(TAG_BYTES).putLong(depositId)
            .array();
    }

    /** The depositor's 64-byte signature of a cancellation. */
    public static byte[] sign(final PrivateKey ownerKey, final long depositId)
    {
        return Ed25519Keys.sign(ownerKey, bytes(depositId));
    }

    /** True iff {@code signature} is the signature of this cancellation under the raw 32-byte key; never throws. */
    public static boolean verify(final byte[] ownerRawKey, final long depositId, final byte[] signature)
    {
        final byte[] message = bytes(depositId);
        return Ed25519Keys.verify(ownerRawKey, message, 0, message.length, signature);
    }
}
