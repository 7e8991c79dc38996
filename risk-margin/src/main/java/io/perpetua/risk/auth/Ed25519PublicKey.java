package io.perpetua.risk.auth;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key checked once and decoded once, for verifying many signatures: its raw
 * 32-byte encoding and the curve point BouncyCastle verifies against, so a verification does not
 * decode the key again. Immutable; made by {@link Ed25519Keys#publicKey(byte[])}.
 */
public final class Ed25519PublicKey
{
    private final byte[] encoded;
    final Ed25519.PublicPoint point;

    Ed25519PublicKey(final byte[] encoded, final Ed25519.PublicPoint point)
    {
        this.encoded = encoded.clone();
        this.point = point;
    }

    /** The raw 32-byte encoding (RFC 8032 section 5.1.2), a copy. */
    public byte[] encoded()
    {
        return encoded.clone();
    }
}
