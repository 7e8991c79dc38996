package io.perpetua.risk.auth;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;

/**
 * The exact bytes an account owner signs to authorise a withdrawal or a transfer, and the sign and
 * verify helpers over them. The layouts are in the {@linkplain io.perpetua.risk.auth package
 * documentation}.
 *
 * <p>Verification here is only cryptographic: it proves the owner signed exactly these fields. Whether
 * the nonce is fresh, the expiry is still ahead and the amount is available is the ledger's decision.
 */
public final class SignedRequests
{
    /** Domain tag of a withdrawal: 20 ASCII bytes. */
    public static final String WITHDRAW_TAG = "perpetua/withdraw/v1";
    /** Domain tag of a transfer: 20 ASCII bytes. */
    public static final String TRANSFER_TAG = "perpetua/transfer/v1";

    private static final byte[] WITHDRAW_TAG_BYTES = WITHDRAW_TAG.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_TAG_BYTES = TRANSFER_TAG.getBytes(StandardCharsets.US_ASCII);

    /** Bytes of a signed withdrawal: tag, accountId, amountQuantums, nonce, expiryNs. */
    public static final int WITHDRAWAL_LENGTH = WITHDRAW_TAG_BYTES.length + 4 * Long.BYTES;
    /** Bytes of a signed transfer: tag, fromAccountId, toAccountId, amountQuantums, nonce, expiryNs. */
    public static final int TRANSFER_LENGTH = TRANSFER_TAG_BYTES.length + 5 * Long.BYTES;

    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SignedRequests()
    {
    }

    /**
     * Writes the signed bytes of a withdrawal into {@code dst} at {@code offset}.
     *
     * @return {@link #WITHDRAWAL_LENGTH}
     */
    public static int encodeWithdrawal(
        final byte[] dst,
        final int offset,
        final long accountId,
        final long amountQuantums,
        final long nonce,
        final long expiryNs)
    {
        int at = putTag(dst, offset, WITHDRAW_TAG_BYTES);
        at = putLong(dst, at, accountId);
        at = putLong(dst, at, amountQuantums);
        at = putLong(dst, at, nonce);
        at = putLong(dst, at, expiryNs);
        return at - offset;
    }

    /** The signed bytes of a withdrawal in a new array. */
    public static byte[] withdrawal(
        final long accountId, final long amountQuantums, final long nonce, final long expiryNs)
    {
        final byte[] bytes = new byte[WITHDRAWAL_LENGTH];
        encodeWithdrawal(bytes, 0, accountId, amountQuantums, nonce, expiryNs);
        return bytes;
    }

    /**
     * Writes the signed bytes of a transfer into {@code dst} at {@code offset}.
     *
     * @return {@link #TRANSFER_LENGTH}
     */
    public static int encodeTransfer(
        final byte[] dst,
        final int offset,
        final long fromAccountId,
        final long toAccountId,
        final long amountQuantums,
        final long nonce,
        final long expiryNs)
    {
        int at = putTag(dst, offset, TRANSFER_TAG_BYTES);
        at = putLong(dst, at, fromAccountId);
        at = putLong(dst, at, toAccountId);
        at = putLong(dst, at, amountQuantums);
        at = putLong(dst, at, nonce);
        at = putLong(dst, at, expiryNs);
        return at - offset;
    }

    /** The signed bytes of a transfer in a new array. */
    public static byte[] transfer(
        final long fromAccountId,
        final long toAccountId,
        final long amountQuantums,
        final long nonce,
        final long expiryNs)
    {
        final byte[] bytes = new byte[TRANSFER_LENGTH];
        encodeTransfer(bytes, 0, fromAccountId, toAccountId, amountQuantums, nonce, expiryNs);
        return bytes;
    }

    /** The owner's 64-byte signature of a withdrawal. */
    public static byte[] signWithdrawal(
        final PrivateKey ownerKey,
        final long accountId,
        final long amountQuantums,
        final long nonce,
        final long expiryNs)
    {
        return Ed25519Keys.sign(ownerKey, withdrawal(accountId, amountQuantums, nonce, expiryNs));
    }

    /** True iff {@code signature} is the owner's signature of exactly this withdrawal; never throws. */
    public static boolean verifyWithdrawal(
        final Ed25519PublicKey ownerKey,
        final long accountId,
        final long amountQuantums,
        final long nonce,
        final long expiryNs,
        final byte[] signature)
    {
        return Ed25519Keys.verify(ownerKey, withdrawal(accountId, amountQuantums, nonce, expiryNs), signature);
    }

    /**
     * As {@link #verifyWithdrawal(Ed25519PublicKey, long, long, long, long, byte[])} with a raw 32-byte key, parsed
     * (and checked) on every call; a ledger verifying often can keep each account's parsed key instead.
     */
    public static boolean verifyWithdrawal(
        final byte[] ownerRawKey,
        final long accountId,
        final long amountQuantums,
        final long nonce,
        final long expiryNs,
        final byte[] signature)
    {
        return Ed25519Keys.verify(
            ownerRawKey, withdrawal(accountId, amountQuantums, nonce, expiryNs), 0, WITHDRAWAL_LENGTH, signature);
    }

    /** The owner's (of {@code fromAccountId}) 64-byte signature of a transfer. */
    public static byte[] signTransfer(
        final PrivateKey ownerKey,
        final long fromAccountId,
        final long toAccountId,
        final long amountQuantums,
        final long nonce,
        final long expiryNs)
    {
        return Ed25519Keys.sign(ownerKey, transfer(fromAccountId, toAccountId, amountQuantums, nonce, expiryNs));
    }

    /** True iff {@code signature} is the owner's signature of exactly this transfer; never throws. */
    public static boolean verifyTransfer(
        final Ed25519PublicKey ownerKey,
        final long fromAccountId,
        final long toAccountId,
        final long amountQuantums,
        final long nonce,
        final long expiryNs,
        final byte[] signature)
    {
        return Ed25519Keys.verify(
            ownerKey, transfer(fromAccountId, toAccountId, amountQuantums, nonce, expiryNs), signature);
    }

    /**
     * As {@link #verifyTransfer(Ed25519PublicKey, long, long, long, long, long, byte[])} with a raw 32-byte key,
     * parsed on every call.
     */
    public static boolean verifyTransfer(
        final byte[] ownerRawKey,
        final long fromAccountId,
        final long toAccountId,
        final long amountQuantums,
        final long nonce,
        final long expiryNs,
        final byte[] signature)
    {
        return Ed25519Keys.verify(
            ownerRawKey,
            transfer(fromAccountId, toAccountId, amountQuantums, nonce, expiryNs),
            0,
            TRANSFER_LENGTH,
            signature);
    }

    private static int putTag(final byte[] dst, final int offset, final byte[] tag)
    {
        System.arraycopy(tag, 0, dst, offset, tag.length);
        return offset + tag.length;
    }

    private static int putLong(final byte[] dst, final int offset, final long value)
    {
        LONG_LE.set(dst, offset, value);
        return offset + Long.BYTES;
    }
}
