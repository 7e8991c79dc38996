package io.perpetua.risk.auth;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ed25519KeysTest
{
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void derivesKeysAndSignaturesOfRfc8032TestVector1()
    {
        final KeyPair keys = Ed25519Keys.keyPairFromSeed(
            HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            HEX.formatHex(Ed25519Keys.rawPublicKey(keys.getPublic())));
        final byte[] signature = Ed25519Keys.sign(keys.getPrivate(), new byte[0]);
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b" +
            "d25bf5f0595bbe24655141438e7a100b", HEX.formatHex(signature));
        assertTrue(Ed25519Keys.verify(Ed25519Keys.publicKey(keys.getPublic()), new byte[0], signature));
    }

    @Test
    void keysFromTheSameSeedAreTheSameAndRawKeysRoundTrip()
    {
        final byte[] seed = Ed25519Keys.deriveSeed("test", 1);
        final KeyPair first = Ed25519Keys.keyPairFromSeed(seed);
        final KeyPair second = Ed25519Keys.keyPairFromSeed(seed.clone());
        assertArrayEquals(first.getPublic().getEncoded(), second.getPublic().getEncoded());
        assertArrayEquals(first.getPrivate().getEncoded(), second.getPrivate().getEncoded());

        final byte[] raw = Ed25519Keys.rawPublicKey(first.getPublic());
        assertEquals(Ed25519Keys.PUBLIC_KEY_LENGTH, raw.length);
        assertArrayEquals(raw, Ed25519Keys.publicKey(raw).encoded());

        final KeyPair other = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("test", 2));
        assertNotEquals(HEX.formatHex(raw), HEX.formatHex(Ed25519Keys.rawPublicKey(other.getPublic())));
    }

    @Test
    void derivedSeedsAreReproducibleAndDistinct()
    {
        assertArrayEquals(Ed25519Keys.deriveSeed("label", 7), Ed25519Keys.deriveSeed("label", 7));
        assertEquals(Ed25519Keys.SEED_LENGTH, Ed25519Keys.deriveSeed("label", 7).length);
        final Set<String> seeds = new LinkedHashSet<>();
        for (final String label : new String[] {"label", "label2", ""})
        {
            for (final long index : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE})
            {
                seeds.add(HEX.formatHex(Ed25519Keys.deriveSeed(label, index)));
            }
        }
        assertEquals(15, seeds.size());
    }

    @Test
    void seedsOfTheWrongLengthAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.keyPairFromSeed(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.keyPairFromSeed(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.keyPairFromSeed(null));
    }

    @Test
    void verifiesOnlyTheSignersSignatureOfTheExactMessage()
    {
        final KeyPair signer = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("test", 1));
        final KeyPair other = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("test", 2));
        final byte[] message = "withdraw everything".getBytes(StandardCharsets.US_ASCII);
        final byte[] signature = Ed25519Keys.sign(signer.getPrivate(), message);
        final byte[] raw = Ed25519Keys.rawPublicKey(signer.getPublic());
        final Ed25519PublicKey key = Ed25519Keys.publicKey(raw);

        assertTrue(Ed25519Keys.verify(key, message, signature));
        assertTrue(Ed25519Keys.verify(raw, message, 0, message.length, signature));
        assertFalse(Ed25519Keys.verify(Ed25519Keys.publicKey(other.getPublic()), message, signature));
        assertFalse(Ed25519Keys.verify(Ed25519Keys.rawPublicKey(other.getPublic()), message, 0, message.length, signature));

        for (int i = 0; i < signature.length; i++)
        {
            final byte[] flipped = signature.clone();
            flipped[i] ^= 0x01;
            assertFalse(Ed25519Keys.verify(key, message, flipped), "flipped signature byte " + i);
        }
        for (int i = 0; i < message.length; i++)
        {
            final byte[] changed = message.clone();
            changed[i] ^= 0x20;
            assertFalse(Ed25519Keys.verify(key, changed, signature), "changed message byte " + i);
        }
        assertFalse(Ed25519Keys.verify(key, message, 0, message.length - 1, signature));
    }

    @Test
    void signsAndVerifiesASliceOfABuffer()
    {
        final KeyPair signer = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("test", 1));
        final byte[] buffer = "xxpayloadyy".getBytes(StandardCharsets.US_ASCII);
        final byte[] signature = Ed25519Keys.sign(signer.getPrivate(), buffer, 2, 7);
        final Ed25519PublicKey key = Ed25519Keys.publicKey(signer.getPublic());
        assertArrayEquals(Ed25519Keys.sign(signer.getPrivate(), "payload".getBytes(StandardCharsets.US_ASCII)), signature);
        assertTrue(Ed25519Keys.verify(key, buffer, 2, 7, signature));
        assertFalse(Ed25519Keys.verify(key, buffer, 1, 7, signature));
    }

    @Test
    void malformedKeysAndSignaturesVerifyNothingAndNeverThrow()
    {
        final KeyPair signer = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("test", 1));
        final byte[] message = {1, 2, 3};
        final byte[] signature = Ed25519Keys.sign(signer.getPrivate(), message);
        final byte[] raw = Ed25519Keys.rawPublicKey(signer.getPublic());
        final Ed25519PublicKey key = Ed25519Keys.publicKey(raw);

        assertFalse(Ed25519Keys.verify(key, message, Arrays.copyOf(signature, 63)));
        assertFalse(Ed25519Keys.verify(key, message, Arrays.copyOf(signature, 65)));
        assertFalse(Ed25519Keys.verify(key, message, new byte[0]));
        assertFalse(Ed25519Keys.verify(key, message, null));
        assertFalse(Ed25519Keys.verify((Ed25519PublicKey)null, message, signature));
        assertFalse(Ed25519Keys.verify(key, message, -1, 3, signature));
        assertFalse(Ed25519Keys.verify(key, message, 0, -1, signature));
        assertFalse(Ed25519Keys.verify(raw, message, 1, Integer.MAX_VALUE, signature));
        assertFalse(Ed25519Keys.verify(key, null, signature));
        assertFalse(Ed25519Keys.verify(key, message, 2, 5, signature));
        assertFalse(Ed25519Keys.verify(Arrays.copyOf(raw, 31), message, 0, 3, signature));
        assertFalse(Ed25519Keys.verify(Arrays.copyOf(raw, 33), message, 0, 3, signature));
        assertFalse(Ed25519Keys.verify((byte[])null, message, 0, 3, signature));
        assertFalse(Ed25519Keys.verify(notACurvePoint(), message, 0, 3, signature));
        // A signature whose S is not reduced below the group order.
        final byte[] unreduced = signature.clone();
        Arrays.fill(unreduced, 32, 64, (byte)0xff);
        assertFalse(Ed25519Keys.verify(key, message, unreduced));
    }

    @Test
    void publicKeysThatAreNotCurvePointsAreRefusedWithAReason()
    {
        assertEquals("public key must be 32 bytes, not 31",
            assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.publicKey(new byte[31])).getMessage());
        assertEquals("public key is missing",
            assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.publicKey((byte[])null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.publicKey(notACurvePoint()))
            .getMessage().startsWith("public key is not an Ed25519 curve point"));
        final byte[] yTooLarge = new byte[32];
        Arrays.fill(yTooLarge, (byte)0xff);
        yTooLarge[31] = 0x7f;
        assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.publicKey(yTooLarge));
        assertFalse(Ed25519Keys.isValidPublicKey(yTooLarge));
        assertTrue(Ed25519Keys.isValidPublicKey(
            Ed25519Keys.rawPublicKey(Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("test", 1)).getPublic())));
    }

    @Test
    void theJdkAcceptsAForgeryUnderTheIdentityKeyWhichIsWhyItIsRefused() throws Exception
    {
        final byte[] identity = new byte[32];
        identity[0] = 1;
        final byte[] forged = new byte[64];
        forged[0] = 1; // R = identity, S = 0: [S]B = R + [h]A holds for every message when A is the identity
        final PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
            HEX.parseHex("302a300506032b6570032100" + HEX.formatHex(identity))));
        final Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(jdkKey);
        jdk.update("any message at all".getBytes(StandardCharsets.US_ASCII));
        assertTrue(jdk.verify(forged), "the JDK verifies the forgery");

        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.publicKey(identity))
            .getMessage().contains("small order"));
        assertFalse(Ed25519Keys.verify(identity, new byte[] {1}, 0, 1, forged));
    }

    @Test
    void everyEncodingOfEveryPointOfSmallOrderIsRefused()
    {
        final Set<String> refused = new LinkedHashSet<>();
        for (final byte[] encoding : Edwards25519.smallOrderEncodings())
        {
            assertFalse(Ed25519Keys.isValidPublicKey(encoding), HEX.formatHex(encoding));
            refused.add(HEX.formatHex(encoding));
        }
        // 8 points with 5 distinct y (1, -1, 0 and two for the order-8 points), each spelled with the x sign
        // bit clear and set.
        assertEquals(10, refused.size());
    }

    private static byte[] notACurvePoint()
    {
        final byte[] key = new byte[32];
        key[0] = 2; // y = 2: (y^2 - 1) / (d y^2 + 1) has no square root mod p
        return key;
    }

    /**
     * Just enough edwards25519 arithmetic (affine, BigInteger) to find the points of small order from
     * first principles, independently of the table in Ed25519Keys: [L]P of a point P off the prime-order
     * subgroup is a torsion point; one of order 8 generates them all.
     */
    static final class Edwards25519
    {
        private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        private static final BigInteger L =
            BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        private static final BigInteger D =
            BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
        private static final BigInteger SQRT_MINUS_ONE = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
        private static final BigInteger[] IDENTITY = {BigInteger.ZERO, BigInteger.ONE};

        static List<byte[]> smallOrderEncodings()
        {
            BigInteger[] generator = null;
            for (int y = 3; generator == null; y++)
            {
                final BigInteger[] point = decode(BigInteger.valueOf(y));
                if (point != null)
                {
                    final BigInteger[] torsion = multiply(point, L);
                    if (!isIdentity(multiply(torsion, BigInteger.valueOf(4))))
                    {
                        generator = torsion;
                    }
                }
            }
            final List<byte[]> encodings = new ArrayList<>();
            BigInteger[] point = IDENTITY;
            for (int k = 0; k < 8; k++)
            {
                encodings.add(encode(point, false));
                encodings.add(encode(point, true));
                point = add(point, generator);
            }
            if (!isIdentity(point))
            {
                throw new AssertionError("generator is not of order 8");
            }
            return encodings;
        }

        static BigInteger[] decode(final BigInteger y)
        {
            final BigInteger y2 = y.multiply(y).mod(P);
            final BigInteger u = y2.subtract(BigInteger.ONE).multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(P)).mod(P);
            BigInteger x = u.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
            if (!x.multiply(x).mod(P).equals(u))
            {
                x = x.multiply(SQRT_MINUS_ONE).mod(P);
            }
            return x.multiply(x).mod(P).equals(u) ? new BigInteger[] {x, y} : null;
        }

        static byte[] encode(final BigInteger[] point, final boolean signBit)
        {
            final byte[] bigEndian = point[1].toByteArray();
            final byte[] little = new byte[32];
            for (int i = 0; i < bigEndian.length && i < 32; i++)
            {
                little[i] = bigEndian[bigEndian.length - 1 - i];
            }
            if (signBit)
            {
                little[31] |= (byte)0x80;
            }
            return little;
        }

        static BigInteger[] add(final BigInteger[] a, final BigInteger[] b)
        {
            final BigInteger t = D.multiply(a[0]).multiply(b[0]).multiply(a[1]).multiply(b[1]).mod(P);
            final BigInteger x = a[0].multiply(b[1]).add(a[1].multiply(b[0]))
                .multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P);
            final BigInteger y = a[1].multiply(b[1]).add(a[0].multiply(b[0]))
                .multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P)).mod(P);
            return new BigInteger[] {x, y};
        }

        static BigInteger[] multiply(final BigInteger[] point, final BigInteger scalar)
        {
            BigInteger[] result = IDENTITY;
            for (int i = scalar.bitLength() - 1; i >= 0; i--)
            {
                result = add(result, result);
                if (scalar.testBit(i))
                {
                    result = add(result, point);
                }
            }
            return result;
        }

        private static boolean isIdentity(final BigInteger[] point)
        {
            return point[0].signum() == 0 && point[1].equals(BigInteger.ONE);
        }
    }
}
