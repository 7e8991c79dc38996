package io.perpetua.risk.auth;

import io.perpetua.risk.TestRandom;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignedRequestsTest
{
    private static final KeyPair OWNER = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("owner", 1));
    private static final KeyPair STRANGER = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("owner", 2));
    private static final byte[] OWNER_RAW = Ed25519Keys.rawPublicKey(OWNER.getPublic());
    private static final Ed25519PublicKey OWNER_KEY = Ed25519Keys.publicKey(OWNER_RAW);
    private static final Ed25519PublicKey STRANGER_KEY = Ed25519Keys.publicKey(STRANGER.getPublic());

    @Test
    void withdrawalLayoutIsTheTagThenLittleEndianFields()
    {
        final byte[] bytes = SignedRequests.withdrawal(0x0102030405060708L, 5_000_000L, 42L, -1L);
        assertEquals(52, bytes.length);
        assertEquals(SignedRequests.WITHDRAWAL_LENGTH, bytes.length);
        assertEquals("perpetua/withdraw/v1", new String(bytes, 0, 20, StandardCharsets.US_ASCII));
        final ByteBuffer fields = ByteBuffer.wrap(bytes, 20, 32).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0102030405060708L, fields.getLong());
        assertEquals(5_000_000L, fields.getLong());
        assertEquals(42L, fields.getLong());
        assertEquals(-1L, fields.getLong());
        assertEquals(0x08, bytes[20]); // little-endian: least significant byte first
    }

    @Test
    void transferLayoutIsTheTagThenLittleEndianFields()
    {
        final byte[] bytes = SignedRequests.transfer(7L, 8L, 9L, 10L, 11L);
        assertEquals(60, bytes.length);
        assertEquals(SignedRequests.TRANSFER_LENGTH, bytes.length);
        assertEquals("perpetua/transfer/v1", new String(bytes, 0, 20, StandardCharsets.US_ASCII));
        final ByteBuffer fields = ByteBuffer.wrap(bytes, 20, 40).order(ByteOrder.LITTLE_ENDIAN);
        for (long expected = 7; expected <= 11; expected++)
        {
            assertEquals(expected, fields.getLong());
        }
    }

    @Test
    void encodesAtAnOffsetOfALargerBuffer()
    {
        final byte[] buffer = new byte[100];
        Arrays.fill(buffer, (byte)0x55);
        assertEquals(52, SignedRequests.encodeWithdrawal(buffer, 3, 1, 2, 3, 4));
        assertArrayEquals(SignedRequests.withdrawal(1, 2, 3, 4), Arrays.copyOfRange(buffer, 3, 55));
        assertEquals(0x55, buffer[2]);
        assertEquals(0x55, buffer[55]);
        assertEquals(60, SignedRequests.encodeTransfer(buffer, 10, 1, 2, 3, 4, 5));
        assertArrayEquals(SignedRequests.transfer(1, 2, 3, 4, 5), Arrays.copyOfRange(buffer, 10, 70));
    }

    @Test
    void tagsAreDistinctAndNoneIsAPrefixOfAnother()
    {
        final String[] tags = {SignedRequests.WITHDRAW_TAG, SignedRequests.TRANSFER_TAG, io.perpetua.risk.oracle.OracleMessage.TAG};
        for (int i = 0; i < tags.length; i++)
        {
            for (int j = 0; j < tags.length; j++)
            {
                assertTrue(i == j || !tags[j].startsWith(tags[i]), tags[i] + " / " + tags[j]);
            }
        }
    }

    @Test
    void aWithdrawalVerifiesOnlyForTheExactFieldsAndTheOwnersKey()
    {
        final byte[] signature = SignedRequests.signWithdrawal(OWNER.getPrivate(), 11, 1_000_000, 5, 9_000);
        assertTrue(SignedRequests.verifyWithdrawal(OWNER_KEY, 11, 1_000_000, 5, 9_000, signature));
        assertTrue(SignedRequests.verifyWithdrawal(OWNER_RAW, 11, 1_000_000, 5, 9_000, signature));

        assertFalse(SignedRequests.verifyWithdrawal(OWNER_KEY, 12, 1_000_000, 5, 9_000, signature), "account");
        assertFalse(SignedRequests.verifyWithdrawal(OWNER_KEY, 11, 1_000_001, 5, 9_000, signature), "amount");
        assertFalse(SignedRequests.verifyWithdrawal(OWNER_KEY, 11, 1_000_000, 6, 9_000, signature), "nonce");
        assertFalse(SignedRequests.verifyWithdrawal(OWNER_KEY, 11, 1_000_000, 5, 9_001, signature), "expiry");
        assertFalse(SignedRequests.verifyWithdrawal(STRANGER_KEY, 11, 1_000_000, 5, 9_000, signature), "key");
        assertFalse(SignedRequests.verifyWithdrawal(OWNER_RAW, 12, 1_000_000, 5, 9_000, signature), "raw key, account");

        final byte[] flipped = signature.clone();
        flipped[17] ^= 0x40;
        assertFalse(SignedRequests.verifyWithdrawal(OWNER_KEY, 11, 1_000_000, 5, 9_000, flipped));
        assertFalse(SignedRequests.verifyWithdrawal(OWNER_KEY, 11, 1_000_000, 5, 9_000, Arrays.copyOf(signature, 63)));
        assertFalse(SignedRequests.verifyWithdrawal(OWNER_KEY, 11, 1_000_000, 5, 9_000, null));
        assertFalse(SignedRequests.verifyWithdrawal(Arrays.copyOf(OWNER_RAW, 31), 11, 1_000_000, 5, 9_000, signature));
    }

    @Test
    void aTransferVerifiesOnlyForTheExactFieldsAndTheOwnersKey()
    {
        final byte[] signature = SignedRequests.signTransfer(OWNER.getPrivate(), 11, 12, 250, 3, 8_000);
        assertTrue(SignedRequests.verifyTransfer(OWNER_KEY, 11, 12, 250, 3, 8_000, signature));
        assertTrue(SignedRequests.verifyTransfer(OWNER_RAW, 11, 12, 250, 3, 8_000, signature));

        assertFalse(SignedRequests.verifyTransfer(OWNER_KEY, 12, 11, 250, 3, 8_000, signature), "swapped");
        assertFalse(SignedRequests.verifyTransfer(OWNER_KEY, 10, 12, 250, 3, 8_000, signature), "from");
        assertFalse(SignedRequests.verifyTransfer(OWNER_KEY, 11, 13, 250, 3, 8_000, signature), "to");
        assertFalse(SignedRequests.verifyTransfer(OWNER_KEY, 11, 12, 251, 3, 8_000, signature), "amount");
        assertFalse(SignedRequests.verifyTransfer(OWNER_KEY, 11, 12, 250, 4, 8_000, signature), "nonce");
        assertFalse(SignedRequests.verifyTransfer(OWNER_KEY, 11, 12, 250, 3, 8_001, signature), "expiry");
        assertFalse(SignedRequests.verifyTransfer(STRANGER_KEY, 11, 12, 250, 3, 8_000, signature), "key");
        assertFalse(SignedRequests.verifyTransfer(OWNER_RAW, 11, 12, 250, 3, 8_000, Arrays.copyOf(signature, 65)));
    }

    @Test
    void aSignatureForOneKindOfRequestIsNotValidForAnother()
    {
        final byte[] withdrawal = SignedRequests.signWithdrawal(OWNER.getPrivate(), 11, 250, 3, 8_000);
        final byte[] transfer = SignedRequests.signTransfer(OWNER.getPrivate(), 11, 11, 250, 3, 8_000);
        assertFalse(SignedRequests.verifyTransfer(OWNER_KEY, 11, 11, 250, 3, 8_000, withdrawal));
        assertFalse(SignedRequests.verifyWithdrawal(OWNER_KEY, 11, 250, 3, 8_000, transfer));
    }

    @Test
    void seededChangesOfAnySingleFieldBreakTheSignature()
    {
        final long seed = TestRandom.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 50; round++)
        {
            final long[] fields = new long[5];
            for (int i = 0; i < fields.length; i++)
            {
                fields[i] = random.nextLong();
            }
            final byte[] signature = SignedRequests.signTransfer(
                OWNER.getPrivate(), fields[0], fields[1], fields[2], fields[3], fields[4]);
            final int changed = random.nextInt(fields.length);
            final long[] altered = fields.clone();
            altered[changed] += 1L + random.nextInt(1 << 20);
            assertTrue(SignedRequests.verifyTransfer(
                OWNER_RAW, fields[0], fields[1], fields[2], fields[3], fields[4], signature), "seed " + seed);
            assertFalse(SignedRequests.verifyTransfer(
                OWNER_RAW, altered[0], altered[1], altered[2], altered[3], altered[4], signature),
                "seed " + seed + " round " + round + " field " + changed);
        }
    }
}
