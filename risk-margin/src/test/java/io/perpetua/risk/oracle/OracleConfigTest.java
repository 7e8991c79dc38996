package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.perpetua.risk.oracle.OracleFixture.MARKET;
import static io.perpetua.risk.oracle.OracleFixture.sourceKeys;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OracleConfigTest
{
    @Test
    void defaultsAreAMajorityQuorumAndTheDocumentedGuards()
    {
        final int[] expectedQuorum = {1, 2, 2, 3, 3, 4};
        for (int sources = 1; sources <= 6; sources++)
        {
            assertEquals(expectedQuorum[sources - 1], OracleConfig.builder(MARKET, sourceKeys(sources)).build().quorum());
        }
        final OracleConfig config = OracleFixture.config();
        assertEquals(MARKET, config.marketId());
        assertEquals(5, config.sourceCount());
        assertEquals(10_000_000_000L, config.validityWindowNs());
        assertEquals(1_000_000_000L, config.maxFutureSkewNs());
        assertEquals(100_000, config.maxMovePpm());
        assertEquals(1_000_000_000L, config.moveWindowNs());
        assertEquals(30_000_000_000L, config.staleAfterNs());
    }

    @Test
    void keepsEveryValueGiven()
    {
        final OracleConfig config = OracleConfig.builder(3, sourceKeys(4))
            .quorum(4).validityWindowNs(5).maxFutureSkewNs(0).maxMovePpm(7).moveWindowNs(0).staleAfterNs(9).build();
        assertEquals(3, config.marketId());
        assertEquals(4, config.quorum());
        assertEquals(5, config.validityWindowNs());
        assertEquals(0, config.maxFutureSkewNs());
        assertEquals(7, config.maxMovePpm());
        assertEquals(0, config.moveWindowNs());
        assertEquals(9, config.staleAfterNs());
        assertArrayEquals(sourceKeys(4).get(2), config.sourceKey(2));
    }

    @Test
    void isImmutable()
    {
        final List<byte[]> keys = sourceKeys(3);
        final byte[] original = keys.get(0).clone();
        final OracleConfig config = OracleConfig.builder(MARKET, keys).build();
        keys.get(0)[0] ^= 1;
        keys.clear();
        assertEquals(3, config.sourceCount());
        assertArrayEquals(original, config.sourceKey(0));
        config.sourceKey(0)[0] ^= 1;
        assertArrayEquals(original, config.sourceKey(0));
    }

    @Test
    void refusesInvalidValuesNamingTheMarketAndTheValue()
    {
        assertInvalid("oracle config: market id must be positive, not 0", OracleConfig.builder(0, sourceKeys(3)));
        assertInvalid("oracle config for market 7: needs 1 to 255 sources, not 0",
            OracleConfig.builder(MARKET, List.of()));
        assertInvalid("oracle config for market 7: quorum must be 1 to 3 (the number of sources), not 4",
            config(b -> b.quorum(4)));
        assertInvalid("oracle config for market 7: quorum must be 1 to 3 (the number of sources), not -1",
            config(b -> b.quorum(-1)));
        assertEquals("oracle config for market 7: quorum must be positive",
            assertThrows(IllegalArgumentException.class, () -> config(b -> b.quorum(0))).getMessage());
        assertInvalid("oracle config for market 7: validityWindowNs must be positive, not 0",
            config(b -> b.validityWindowNs(0)));
        assertInvalid("oracle config for market 7: maxFutureSkewNs must not be negative, not -1",
            config(b -> b.maxFutureSkewNs(-1)));
        assertInvalid("oracle config for market 7: maxMovePpm must be positive, not 0", config(b -> b.maxMovePpm(0)));
        assertInvalid("oracle config for market 7: moveWindowNs must not be negative, not -5",
            config(b -> b.moveWindowNs(-5)));
        assertInvalid("oracle config for market 7: staleAfterNs must be positive, not -1",
            config(b -> b.staleAfterNs(-1)));
    }

    @Test
    void refusesMalformedDuplicateAndSmallOrderKeys()
    {
        final List<byte[]> shortKey = new ArrayList<>(sourceKeys(2));
        shortKey.add(new byte[31]);
        assertInvalid("oracle config for market 7: source 2: public key must be 32 bytes, not 31",
            OracleConfig.builder(MARKET, shortKey));

        final List<byte[]> duplicate = new ArrayList<>(sourceKeys(3));
        duplicate.add(duplicate.get(1).clone());
        assertInvalid("oracle config for market 7: sources 1 and 3 have the same key: one signer would count twice",
            OracleConfig.builder(MARKET, duplicate));

        final List<byte[]> identity = new ArrayList<>(sourceKeys(1));
        final byte[] identityKey = new byte[32];
        identityKey[0] = 1;
        identity.add(identityKey);
        assertInvalid("oracle config for market 7: source 1: public key is a point of small order: anyone could sign for it",
            OracleConfig.builder(MARKET, identity));

        final List<byte[]> notAPoint = new ArrayList<>(sourceKeys(1));
        final byte[] two = new byte[32];
        two[0] = 2;
        notAPoint.add(two);
        assertThrows(IllegalArgumentException.class, () -> OracleConfig.builder(MARKET, notAPoint).build());

        final List<byte[]> missing = new ArrayList<>(sourceKeys(1));
        missing.add(null);
        assertInvalid("oracle config for market 7: source 1: public key is missing", OracleConfig.builder(MARKET, missing));
    }

    @Test
    void refusesMoreSourcesThanACommandCanAddress()
    {
        final List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < OracleConfig.MAX_SOURCES + 1; i++)
        {
            keys.add(Ed25519Keys.rawPublicKey(Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("many", i)).getPublic()));
        }
        assertInvalid("oracle config for market 7: needs 1 to 255 sources, not 256", OracleConfig.builder(MARKET, keys));
        assertEquals(255, OracleConfig.builder(MARKET, keys.subList(0, 255)).build().sourceCount());
    }

    private static OracleConfig.Builder config(final UnaryOperator<OracleConfig.Builder> change)
    {
        return change.apply(OracleConfig.builder(MARKET, sourceKeys(3)));
    }

    private static void assertInvalid(final String message, final OracleConfig.Builder builder)
    {
        assertEquals(message, assertThrows(IllegalArgumentException.class, builder::build).getMessage());
    }
}
