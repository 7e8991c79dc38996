package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.Ed25519PublicKey;

import java.util.Arrays;
import java.util.HexFormat;

/** One price observation as a source publishes it: what it observed, when, and its signature of both. */
public final class SignedPrice
{
    private final int marketId;
    private final long priceTicks;
    private final long timestampNs;
    private final byte[] signature;

    /**
     * @param signature the source's signature of {@link OracleMessage} over the other fields (copied)
     */
    public SignedPrice(final int marketId, final long priceTicks, final long timestampNs, final byte[] signature)
    {
        if (signature == null || signature.length != Ed25519Keys.SIGNATURE_LENGTH)
        {
            throw new IllegalArgumentException("a signature is " + Ed25519Keys.SIGNATURE_LENGTH + " bytes, not " +
                (signature == null ? "missing" : signature.length));
        }
        this.marketId = marketId;
        this.priceTicks = priceTicks;
        this.timestampNs = timestampNs;
        this.signature = signature.clone();
    }

    public int marketId()
    {
        return marketId;
    }

    public long priceTicks()
    {
        return priceTicks;
    }

    public long timestampNs()
    {
        return timestampNs;
    }

    /** A copy of the 64-byte signature. */
    public byte[] signature()
    {
        return signature.clone();
    }

    /** Copies the 64-byte signature into {@code dst} (at most its length); returns 64. */
    public int copySignature(final byte[] dst)
    {
        System.arraycopy(signature, 0, dst, 0, Math.min(dst.length, signature.length));
        return signature.length;
    }

    /** True iff the signature is {@code sourceKey}'s over (market, price, timestamp). */
    public boolean isSignedBy(final Ed25519PublicKey sourceKey)
    {
        return OracleMessage.verify(sourceKey, marketId, priceTicks, timestampNs, signature);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof SignedPrice that && marketId == that.marketId && priceTicks == that.priceTicks &&
            timestampNs == that.timestampNs && Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode()
    {
        return 31 * (31 * (31 * marketId + Long.hashCode(priceTicks)) + Long.hashCode(timestampNs)) +
            Arrays.hashCode(signature);
    }

    @Override
    public String toString()
    {
        return "SignedPrice{market=" + marketId + ", priceTicks=" + priceTicks + ", timestampNs=" + timestampNs +
            ", signature=" + HexFormat.of().formatHex(signature) + '}';
    }
}
