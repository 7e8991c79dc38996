package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;

import static io.perpetua.risk.oracle.OracleFixture.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OracleMessageTest
{
    @Test
    void layoutIsTheTagThenMarketPriceAndTimestampLittleEndian()
    {
        final byte[] bytes = OracleMessage.bytes(0x01020304, 65_000_00L, 1_700_000_000_123_456_789L);
        assertEquals(38, bytes.length);
        assertEquals(OracleMessage.LENGTH, bytes.length);
        assertEquals("perpetua/oracle/v1", new String(bytes, 0, 18, StandardCharsets.US_ASCII));
        final ByteBuffer fields = ByteBuffer.wrap(bytes, 18, 20).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x01020304, fields.getInt());
        assertEquals(65_000_00L, fields.getLong());
        assertEquals(1_700_000_000_123_456_789L, fields.getLong());
        assertEquals(0x04, bytes[18]);

        final byte[] buffer = new byte[50];
        assertEquals(38, OracleMessage.encode(buffer, 5, 0x01020304, 65_000_00L, 1_700_000_000_123_456_789L));
        assertArrayEquals(bytes, Arrays.copyOfRange(buffer, 5, 43));
    }

    @Test
    void verifiesOnlyTheSourcesSignatureOfTheExactObservation()
    {
        final KeyPair source = key(0);
        final byte[] signature = OracleMessage.sign(source.getPrivate(), 7, 100_000, 5_000);
        assertTrue(OracleMessage.verify(Ed25519Keys.publicKey(source.getPublic()), 7, 100_000, 5_000, signature));

        assertFalse(OracleMessage.verify(Ed25519Keys.publicKey(source.getPublic()), 8, 100_000, 5_000, signature), "market");
        assertFalse(OracleMessage.verify(Ed25519Keys.publicKey(source.getPublic()), 7, 100_001, 5_000, signature), "price");
        assertFalse(OracleMessage.verify(Ed25519Keys.publicKey(source.getPublic()), 7, 100_000, 5_001, signature), "timestamp");
        assertFalse(OracleMessage.verify(Ed25519Keys.publicKey(key(1).getPublic()), 7, 100_000, 5_000, signature), "other key");

        for (int i = 0; i < signature.length; i += 7)
        {
            final byte[] flipped = signature.clone();
            flipped[i] ^= (byte)0x80;
            assertFalse(OracleMessage.verify(Ed25519Keys.publicKey(source.getPublic()), 7, 100_000, 5_000, flipped), "flipped byte " + i);
        }
        assertFalse(OracleMessage.verify(Ed25519Keys.publicKey(source.getPublic()), 7, 100_000, 5_000, Arrays.copyOf(signature, 63)));
        assertFalse(OracleMessage.verify(Ed25519Keys.publicKey(source.getPublic()), 7, 100_000, 5_000, Arrays.copyOf(signature, 65)));
        assertFalse(OracleMessage.verify(null, 7, 100_000, 5_000, signature));
    }

    @Test
    void signedPriceChecksItsSignatureAndCopiesIt()
    {
        final SignedPrice price = OracleFixture.signed(2, 123, 456);
        assertTrue(price.isSignedBy(Ed25519Keys.publicKey(key(2).getPublic())));
        assertFalse(price.isSignedBy(Ed25519Keys.publicKey(key(3).getPublic())));
        final byte[] copy = price.signature();
        copy[0] ^= 1;
        assertTrue(price.isSignedBy(Ed25519Keys.publicKey(key(2).getPublic())), "the returned signature is a copy");
        assertEquals(price, OracleFixture.signed(2, 123, 456)); // Ed25519 signatures are deterministic
    }
}
