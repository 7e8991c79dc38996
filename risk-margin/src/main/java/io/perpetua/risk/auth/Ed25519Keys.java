package io.perpetua.risk.auth;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Ed25519 (RFC 8032) on the raw encodings the exchange stores and journals: 32-byte public keys,
 * 32-byte private seeds and 64-byte signatures. Keys are made and messages signed by the JDK's
 * built-in provider (tools, tests, simulated sources); signatures are verified by BouncyCastle's
 * low-level RFC 8032 code ({@code org.bouncycastle.math.ec.rfc8032.Ed25519}), which the core thread
 * calls for every signed oracle price, withdrawal and transfer.
 *
 * <p>The JDK speaks X.509 / PKCS#8; this class adds and strips the fixed X.509 prefix so the rest of
 * the exchange never sees ASN.1. Keys are derived from seeds exactly as RFC 8032 does (the seed is the
 * private key), so a demo that derives its seeds deterministically gets the same keys on every run.
 *
 * <p>{@link #publicKey(byte[])} refuses encodings that are not canonical (y not below p) or not curve
 * points, and the public keys of small order (the identity and the other seven torsion points): the
 * JDK accepts those, and for the identity a fixed signature verifies for <em>every</em> message, so
 * such a key would let anyone sign for its account or oracle source. Verification refuses an S not
 * below the group order and an R whose y is not below p, as the JDK does, and agrees with the JDK's
 * verdict on honest and tampered signatures (Ed25519VerificationTest). They differ on a signature
 * built with the secret key whose {@code [S]B - R - [k]A} is a point of small order (R with a small-order
 * point added): the JDK asks for {@code [S]B = R + [k]A} exactly and refuses it, BouncyCastle accepts
 * the equation up to a point of small order (cofactored, as RFC 8032 allows). Only the key's owner can
 * make such a signature, and every node runs the same code, so the verdict is still deterministic.
 *
 * <p>Verification never throws: a malformed key or signature is simply not a valid signature.
 *
 * <p>Cost, warmed up, on the 2-core development machine: a verification by a parsed
 * {@link Ed25519PublicKey} takes about 80-130 us of CPU and allocates about 6.5 KB (BouncyCastle copies
 * R, S and the key encoding, makes a SHA-512 digest, scalar and point arrays and wNAF tables per
 * call; it has no entry point that reuses them); checking a raw key ({@link #isValidPublicKey}, each
 * new account) about 12 us and 744 bytes. The JDK took about 1 ms and 58-68 KB per verification, 70 us
 * and 27 KB per key check. Signing (JDK) costs about 1 ms.
 */
public final class Ed25519Keys
{
    public static final int PUBLIC_KEY_LENGTH = 32;
    public static final int SEED_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private static final String ALGORITHM = "Ed25519";
    private static final HexFormat HEX = HexFormat.of();

    /** DER of SubjectPublicKeyInfo { AlgorithmIdentifier { 1.3.101.112 }, BIT STRING (33 bytes) }. */
    private static final byte[] X509_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };

    /**
     * The y coordinates (little-endian, sign bit cleared) of the eight points of small order: 1 (the
     * identity), p - 1 (order 2), 0 (the two points of order 4) and the two y values shared by the four
     * points of order 8. Non-canonical encodings (y >= p) are refused by BouncyCastle's validation.
     */
    private static final byte[][] SMALL_ORDER_Y = {
        HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000"),
        HEX.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        HEX.parseHex("0000000000000000000000000000000000000000000000000000000000000000"),
        HEX.parseHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        HEX.parseHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    };

    private Ed25519Keys()
    {
    }

    /**
     * The key pair whose private key is {@code seed} (RFC 8032 section 5.1.5).
     *
     * @throws IllegalArgumentException if the seed is not 32 bytes
     */
    public static KeyPair keyPairFromSeed(final byte[] seed)
    {
        requireLength(seed, SEED_LENGTH, "seed");
        try
        {
            // The JDK generator draws the private key as SEED_LENGTH bytes from the SecureRandom it is
            // given and derives the public key from it; handing it the seed makes generation a pure
            // function of the seed, without reimplementing the curve arithmetic.
            final KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            return generator.generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK's Ed25519 provider is missing", ex);
        }
    }

    /**
     * A 32-byte seed derived from a label and an index: SHA-256(label in UTF-8, 0x00, index as 8 bytes
     * little-endian). For demos and tests, where keys must be reproducible; never for real funds.
     */
    public static byte[] deriveSeed(final String label, final long index)
    {
        try
        {
            final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(label.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte)0);
            for (int i = 0; i < Long.BYTES; i++)
            {
                sha256.update((byte)(index >>> (8 * i)));
            }
            return sha256.digest();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK's SHA-256 is missing", ex);
        }
    }

    /** The raw 32-byte encoding of an Ed25519 public key (RFC 8032 section 5.1.2). */
    public static byte[] rawPublicKey(final PublicKey key)
    {
        final byte[] encoded = key.getEncoded();
        // The algorithm name may be "EdDSA" or "Ed25519"; the prefix's OID 1.3.101.112 is what says Ed25519.
        if (encoded == null || encoded.length != X509_PREFIX.length + PUBLIC_KEY_LENGTH ||
            !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length))
        {
            throw new IllegalArgumentException(
                "not an Ed25519 public key: " + key.getAlgorithm() + " " + key.getFormat());
        }
        return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
    }

    /**
     * Parses a raw 32-byte public key, refusing what could never verify honestly: a wrong length, an
     * encoding that is not a curve point (including a y coordinate not below p), and the points of
     * small order.
     *
     * @throws IllegalArgumentException naming what is wrong with the key
     */
    public static Ed25519PublicKey publicKey(final byte[] raw)
    {
        requireLength(raw, PUBLIC_KEY_LENGTH, "public key");
        if (isSmallOrder(raw))
        {
            throw new IllegalArgumentException("public key is a point of small order: anyone could sign for it");
        }
        // "Partial" validation: canonical, on the curve, not of small order. It does not ask for the
        // prime-order subgroup (nor does the JDK), which costs a scalar multiplication and refuses
        // nothing an honest key generator produces.
        final Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(raw, 0);
        if (point == null)
        {
            throw new IllegalArgumentException("public key is not an Ed25519 curve point");
        }
        return new Ed25519PublicKey(raw, point);
    }

    /** The verification key of a JDK Ed25519 public key (a key pair's, in tools and tests). */
    public static Ed25519PublicKey publicKey(final PublicKey key)
    {
        return publicKey(rawPublicKey(key));
    }

    /** True iff {@code raw} parses as a public key {@link #publicKey(byte[])} accepts. */
    public static boolean isValidPublicKey(final byte[] raw)
    {
        return raw != null && raw.length == PUBLIC_KEY_LENGTH && !isSmallOrder(raw) &&
            Ed25519.validatePublicKeyPartial(raw, 0);
    }

    /** Signs {@code message[offset, offset + length)}; returns the 64-byte signature. */
    public static byte[] sign(final PrivateKey key, final byte[] message, final int offset, final int length)
    {
        try
        {
            final Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(message, offset, length);
            return signer.sign();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("cannot sign with this key: " + ex.getMessage(), ex);
        }
    }

    /** Signs the whole of {@code message}. */
    public static byte[] sign(final PrivateKey key, final byte[] message)
    {
        return sign(key, message, 0, message.length);
    }

    /**
     * True iff {@code signature} is a valid signature by {@code key} of
     * {@code message[offset, offset + length)}; false for anything malformed, never an exception.
     */
    public static boolean verify(
        final Ed25519PublicKey key, final byte[] message, final int offset, final int length, final byte[] signature)
    {
        return key != null && isWellFormed(message, offset, length, signature) &&
            Ed25519.verify(signature, 0, key.point, message, offset, length);
    }

    /** As {@link #verify(Ed25519PublicKey, byte[], int, int, byte[])} over the whole message. */
    public static boolean verify(final Ed25519PublicKey key, final byte[] message, final byte[] signature)
    {
        return message != null && verify(key, message, 0, message.length, signature);
    }

    /**
     * As {@link #verify(Ed25519PublicKey, byte[], int, int, byte[])} with a raw 32-byte public key,
     * decoded for this one verification; a key that {@link #publicKey(byte[])} refuses verifies nothing.
     */
    public static boolean verify(
        final byte[] rawPublicKey, final byte[] message, final int offset, final int length, final byte[] signature)
    {
        // BouncyCastle's raw-key verify refuses non-canonical and small-order keys itself; the explicit
        // check keeps the refusal independent of that.
        return rawPublicKey != null && rawPublicKey.length == PUBLIC_KEY_LENGTH && !isSmallOrder(rawPublicKey) &&
            isWellFormed(message, offset, length, signature) &&
            Ed25519.verify(signature, 0, rawPublicKey, 0, message, offset, length);
    }

    private static boolean isWellFormed(
        final byte[] message, final int offset, final int length, final byte[] signature)
    {
        return message != null && offset >= 0 && length >= 0 && offset <= message.length - length &&
            signature != null && signature.length == SIGNATURE_LENGTH;
    }

    private static boolean isSmallOrder(final byte[] raw)
    {
        for (final byte[] y : SMALL_ORDER_Y)
        {
            if (Arrays.equals(raw, 0, PUBLIC_KEY_LENGTH - 1, y, 0, PUBLIC_KEY_LENGTH - 1) &&
                (raw[PUBLIC_KEY_LENGTH - 1] & 0x7f) == y[PUBLIC_KEY_LENGTH - 1])
            {
                return true;
            }
        }
        return false;
    }

    private static void requireLength(final byte[] bytes, final int length, final String what)
    {
        if (bytes == null)
        {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (bytes.length != length)
        {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, not " + bytes.length);
        }
    }

    /** A SecureRandom that yields the given bytes: the seed handed to the key pair generator. */
    private static final class FixedBytes extends SecureRandom
    {
        private static final long serialVersionUID = 1L;

        FixedBytes(final byte[] bytes)
        {
            super(new FixedBytesSpi(bytes), null);
        }
    }

    private static final class FixedBytesSpi extends SecureRandomSpi
    {
        private static final long serialVersionUID = 1L;

        private final byte[] bytes;

        FixedBytesSpi(final byte[] bytes)
        {
            this.bytes = bytes.clone();
        }

        /** Refused on purpose: mixing in another seed would make a different key than the one asked for. */
        @Override
        protected void engineSetSeed(final byte[] seed)
        {
            throw new UnsupportedOperationException("the bytes are fixed");
        }

        @Override
        protected void engineNextBytes(final byte[] out)
        {
            if (out.length != bytes.length)
            {
                throw new IllegalStateException("asked for " + out.length + " bytes, holds " + bytes.length);
            }
            System.arraycopy(bytes, 0, out, 0, bytes.length);
        }

        /** Refused on purpose: this source holds one key's seed and must not pass for a source of fresh seeds. */
        @Override
        protected byte[] engineGenerateSeed(final int numBytes)
        {
            throw new UnsupportedOperationException("the bytes are fixed");
        }
    }
}
