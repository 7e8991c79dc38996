package io.perpetua.risk.auth;

import io.perpetua.risk.TestRandom;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verifier (BouncyCastle's RFC 8032 code) against the JDK's Ed25519, which signs here and verified
 * before: the same verdict on random keys, messages and tamperings, on the RFC's test vectors, and the
 * same refusals of non-canonical encodings; and what one verification allocates.
 */
class Ed25519VerificationTest
{
    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger L =
        BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    /** RFC 8032 section 7.1, TEST 1 to 3: secret key, public key, message, signature. */
    private static final String[][] RFC8032_VECTORS = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b" +
                "d25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c" +
                "387b2eaeb4302aeeb00d291612bb0c00"},
        {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc659" +
                "4a7c15e9716ed28dc027beceea1ec40a"},
    };

    /**
     * Bytes one verification by a parsed key allocates once warmed up: measured 6,552 with
     * BouncyCastle 1.87 on OpenJDK 17 (the JDK's Signature allocated about 68,000), plus a margin.
     */
    private static final long MAX_BYTES_PER_VERIFICATION = 7_000;

    @Test
    void verifiesTheRfc8032TestVectorsAndTheJdkSignsThemExactly()
    {
        for (final String[] vector : RFC8032_VECTORS)
        {
            final KeyPair keys = Ed25519Keys.keyPairFromSeed(HEX.parseHex(vector[0]));
            final byte[] raw = HEX.parseHex(vector[1]);
            final byte[] message = HEX.parseHex(vector[2]);
            final byte[] signature = HEX.parseHex(vector[3]);
            assertArrayEquals(raw, Ed25519Keys.rawPublicKey(keys.getPublic()), vector[0]);
            assertArrayEquals(signature, Ed25519Keys.sign(keys.getPrivate(), message), vector[0]);
            assertTrue(Ed25519Keys.verify(Ed25519Keys.publicKey(raw), message, signature), vector[0]);
            assertTrue(Ed25519Keys.verify(raw, message, 0, message.length, signature), vector[0]);
            final byte[] tampered = signature.clone();
            tampered[63] ^= 0x01;
            assertFalse(Ed25519Keys.verify(Ed25519Keys.publicKey(raw), message, tampered), vector[0]);
        }
    }

    @Test
    void agreesWithTheJdkOnRandomKeysMessagesAndTamperedSignaturesKeysAndMessages() throws Exception
    {
        final long seed = TestRandom.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        int accepted = 0;
        for (int round = 0; round < 1_000; round++)
        {
            final KeyPair signer = Ed25519Keys.keyPairFromSeed(bytes(random, 32));
            final byte[] raw = Ed25519Keys.rawPublicKey(signer.getPublic());
            final byte[] message = bytes(random, random.nextInt(200));
            final byte[] signature = Ed25519Keys.sign(signer.getPrivate(), message);
            final String where = "seed " + seed + " round " + round;

            accepted += agree(raw, message, signature, where + " genuine") ? 1 : 0;
            final byte[] flippedSignature = signature.clone();
            flippedSignature[random.nextInt(64)] ^= (byte)(1 << random.nextInt(8));
            agree(raw, message, flippedSignature, where + " flipped signature bit");
            agree(raw, message, bytes(random, 64), where + " random signature");
            if (message.length > 0)
            {
                final byte[] changed = message.clone();
                changed[random.nextInt(changed.length)] ^= (byte)(1 << random.nextInt(8));
                agree(raw, changed, signature, where + " flipped message bit");
            }
            final byte[] otherKey = raw.clone();
            otherKey[random.nextInt(32)] ^= (byte)(1 << random.nextInt(8));
            agree(otherKey, message, signature, where + " flipped key bit");
        }
        assertEquals(1_000, accepted, "seed " + seed);
    }

    @Test
    void anSNotReducedBelowTheGroupOrderIsRefusedLikeTheJdkRefusesIt() throws Exception
    {
        final KeyPair signer = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("non-canonical", 1));
        final byte[] raw = Ed25519Keys.rawPublicKey(signer.getPublic());
        final byte[] message = "pay".getBytes(StandardCharsets.US_ASCII);
        final byte[] signature = Ed25519Keys.sign(signer.getPrivate(), message);
        final byte[] plusL = signature.clone();
        System.arraycopy(littleEndian(littleEndian(signature, 32).add(L)), 0, plusL, 32, 32);

        assertEquals("accepted", jdk(raw, message, signature));
        assertEquals("SignatureException: s is too large", jdk(raw, message, plusL), "S + L, same point");
        assertFalse(Ed25519Keys.verify(Ed25519Keys.publicKey(raw), message, plusL));
        assertFalse(Ed25519Keys.verify(raw, message, 0, message.length, plusL));
    }

    @Test
    void aNonCanonicalREncodingIsRefusedLikeTheJdkRefusesIt() throws Exception
    {
        // With the secret scalar a, R = identity and S = k * a verify: [S]B = [k]A = R + [k]A, where
        // k = H(R || A || M) is over R's bytes. Spelled canonically (y = 1) the signature is valid; spelled
        // as y = p + 1 it must be refused, or one signature would have two spellings.
        final byte[] seed = Ed25519Keys.deriveSeed("non-canonical", 2);
        final byte[] raw = Ed25519Keys.rawPublicKey(Ed25519Keys.keyPairFromSeed(seed).getPublic());
        final byte[] message = "pay twice".getBytes(StandardCharsets.US_ASCII);
        final byte[] canonical = identityRSignature(seed, raw, message, BigInteger.ONE);
        final byte[] nonCanonical = identityRSignature(seed, raw, message, P.add(BigInteger.ONE));

        assertEquals("accepted", jdk(raw, message, canonical));
        assertTrue(Ed25519Keys.verify(Ed25519Keys.publicKey(raw), message, canonical));
        assertEquals("SignatureException: y value is too large", jdk(raw, message, nonCanonical));
        assertFalse(Ed25519Keys.verify(Ed25519Keys.publicKey(raw), message, nonCanonical));
        assertFalse(Ed25519Keys.verify(raw, message, 0, message.length, nonCanonical));
    }

    @Test
    void nonCanonicalKeyEncodingsAreRefusedLikeTheJdkRefusesThem() throws Exception
    {
        // y + p < 2^255 only for y < 19; every such spelling of a curve point is refused, by both.
        final byte[] message = {1};
        final byte[] signature = new byte[64];
        int onCurve = 0;
        for (int y = 0; y < 19; y++)
        {
            final byte[] canonical = littleEndian(BigInteger.valueOf(y));
            final byte[] nonCanonical = littleEndian(P.add(BigInteger.valueOf(y)));
            for (final int sign : new int[] {0, 0x80})
            {
                nonCanonical[31] = (byte)((nonCanonical[31] & 0x7f) | sign);
                assertFalse(Ed25519Keys.isValidPublicKey(nonCanonical), HEX.formatHex(nonCanonical));
                assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.publicKey(nonCanonical));
                assertFalse(Ed25519Keys.verify(nonCanonical, message, 0, 1, signature));
                assertTrue(jdk(nonCanonical, message, signature).startsWith("InvalidKeyException"),
                    HEX.formatHex(nonCanonical) + ": " + jdk(nonCanonical, message, signature));
            }
            onCurve += jdk(canonical, message, signature).startsWith("InvalidKeyException") ? 0 : 1;
        }
        assertTrue(onCurve >= 2, "y = 0 and y = 1 at least are curve points: " + onCurve);
    }

    @Test
    void anRWithAPointOfSmallOrderAddedIsRefusedByTheJdkAndAcceptedByBouncyCastle() throws Exception
    {
        // The owner signs with R = [r]B + T for T of order 2, 4 or 8 and S = r + k * a: then
        // [S]B - R - [k]A = -T. The JDK asks for [S]B = R + [k]A exactly and refuses every such
        // signature; BouncyCastle accepts them (it checks the equation up to a point of small order).
        // The one place the two disagree; only the owner of the key can make such a signature.
        final byte[] seed = Ed25519Keys.deriveSeed("torsion", 1);
        final byte[] raw = Ed25519Keys.rawPublicKey(Ed25519Keys.keyPairFromSeed(seed).getPublic());
        final BigInteger a = secretScalar(seed);
        final BigInteger[] base = basePoint();
        assertArrayEquals(raw, encode(Ed25519KeysTest.Edwards25519.multiply(base, a)), "A = [a]B");
        final BigInteger[][] torsion = {
            {BigInteger.ZERO, P.subtract(BigInteger.ONE)},
            Ed25519KeysTest.Edwards25519.decode(BigInteger.ZERO),
            Ed25519KeysTest.Edwards25519.decode(littleEndian(
                HEX.parseHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"), 0)),
        };
        for (int t = 0; t < torsion.length; t++)
        {
            for (int i = 0; i < 8; i++)
            {
                final byte[] message = {(byte)i};
                final BigInteger r = BigInteger.valueOf(1_000_003L * (i + 1));
                final byte[] rEncoded = encode(Ed25519KeysTest.Edwards25519.add(
                    Ed25519KeysTest.Edwards25519.multiply(base, r), torsion[t]));
                final MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
                sha512.update(rEncoded);
                sha512.update(raw);
                sha512.update(message);
                final BigInteger k = new BigInteger(1, reverse(sha512.digest())).mod(L);
                final byte[] signature = Arrays.copyOf(rEncoded, 64);
                System.arraycopy(littleEndian(r.add(k.multiply(a)).mod(L)), 0, signature, 32, 32);

                final String where = "torsion point " + t + ", message " + i;
                assertEquals("rejected", jdk(raw, message, signature), where);
                assertTrue(Ed25519Keys.verify(Ed25519Keys.publicKey(raw), message, signature), where);
                assertTrue(Ed25519Keys.verify(raw, message, 0, 1, signature), where);
            }
        }
    }

    @Test
    void smallOrderKeysAreRefusedEvenWhereTheJdkWouldVerifyUnderThem()
    {
        for (final byte[] encoding : Ed25519KeysTest.Edwards25519.smallOrderEncodings())
        {
            assertFalse(Ed25519Keys.isValidPublicKey(encoding), HEX.formatHex(encoding));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.publicKey(encoding))
                .getMessage().contains("small order"), HEX.formatHex(encoding));
            // R = identity, S = 0 is the forgery under the identity key; no key of small order verifies it.
            final byte[] forged = new byte[64];
            forged[0] = 1;
            assertFalse(Ed25519Keys.verify(encoding, new byte[] {7}, 0, 1, forged), HEX.formatHex(encoding));
        }
    }

    @Test
    void aVerificationAllocatesAtMostTheMeasuredBytes()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final KeyPair signer = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("allocation", 1));
        final Ed25519PublicKey key = Ed25519Keys.publicKey(signer.getPublic());
        final byte[] message = new byte[36];
        final byte[] signature = Ed25519Keys.sign(signer.getPrivate(), message);
        final int count = 2_000;
        int verified = 0;
        for (int i = 0; i < count; i++)
        {
            verified += Ed25519Keys.verify(key, message, 0, message.length, signature) ? 1 : 0;
        }
        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < count; i++)
        {
            verified += Ed25519Keys.verify(key, message, 0, message.length, signature) ? 1 : 0;
        }
        final long perVerification = (threads.getThreadAllocatedBytes(thread) - before) / count;
        assertEquals(2 * count, verified);
        assertTrue(perVerification <= MAX_BYTES_PER_VERIFICATION, perVerification + " bytes per verification");
    }

    /** Asserts our verdict equals the JDK's (a JDK exception counts as a refusal); returns the verdict. */
    private static boolean agree(final byte[] raw, final byte[] message, final byte[] signature, final String where)
        throws Exception
    {
        final boolean jdk = "accepted".equals(jdk(raw, message, signature));
        assertEquals(jdk, Ed25519Keys.verify(raw, message, 0, message.length, signature), where + " (raw key)");
        if (Ed25519Keys.isValidPublicKey(raw))
        {
            assertEquals(jdk, Ed25519Keys.verify(Ed25519Keys.publicKey(raw), message, signature), where);
        }
        return jdk;
    }

    /** What the JDK's Ed25519 makes of it: "accepted", "rejected", or the exception that refused it. */
    private static String jdk(final byte[] raw, final byte[] message, final byte[] signature) throws Exception
    {
        final PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
            HEX.parseHex("302a300506032b6570032100" + HEX.formatHex(raw))));
        try
        {
            final Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature) ? "accepted" : "rejected";
        }
        catch (final GeneralSecurityException ex)
        {
            return ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
    }

    private static byte[] identityRSignature(
        final byte[] seed, final byte[] raw, final byte[] message, final BigInteger rY) throws Exception
    {
        final BigInteger a = secretScalar(seed);
        final byte[] r = littleEndian(rY);
        final MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
        sha512.update(r);
        sha512.update(raw);
        sha512.update(message);
        final BigInteger k = new BigInteger(1, reverse(sha512.digest())).mod(L);
        final byte[] signature = Arrays.copyOf(r, 64);
        System.arraycopy(littleEndian(k.multiply(a).mod(L)), 0, signature, 32, 32);
        return signature;
    }

    private static BigInteger secretScalar(final byte[] seed) throws Exception
    {
        final byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
        h[0] &= (byte)248;
        h[31] &= 127;
        h[31] |= 64;
        return littleEndian(h, 0);
    }

    /** B: y = 4/5, x even (RFC 8032 section 5.1). */
    private static BigInteger[] basePoint()
    {
        final BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
        final BigInteger[] point = Ed25519KeysTest.Edwards25519.decode(y);
        return point[0].testBit(0) ? new BigInteger[] {P.subtract(point[0]), y} : point;
    }

    /** RFC 8032 encoding: y little-endian, the sign bit the parity of x. */
    private static byte[] encode(final BigInteger[] point)
    {
        return Ed25519KeysTest.Edwards25519.encode(point, point[0].testBit(0));
    }

    /** The 32 bytes at {@code offset} as an unsigned little-endian integer. */
    private static BigInteger littleEndian(final byte[] bytes, final int offset)
    {
        return new BigInteger(1, reverse(Arrays.copyOfRange(bytes, offset, offset + 32)));
    }

    /** {@code value} (below 2^256) as 32 little-endian bytes. */
    private static byte[] littleEndian(final BigInteger value)
    {
        final byte[] bigEndian = value.toByteArray();
        final byte[] little = new byte[32];
        for (int i = 0; i < bigEndian.length && i < 32; i++)
        {
            little[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return little;
    }

    private static byte[] reverse(final byte[] bytes)
    {
        final byte[] reversed = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            reversed[i] = bytes[bytes.length - 1 - i];
        }
        return reversed;
    }

    private static byte[] bytes(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
        return bytes;
    }
}
