package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/** Source keys derived from fixed seeds, and helpers to build signed observations and commands. */
final class OracleFixture
{
    static final int MARKET = 7;
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final long MILLI = 1_000_000L;

    private static final KeyPair[] KEYS = new KeyPair[6];

    static
    {
        for (int i = 0; i < KEYS.length; i++)
        {
            KEYS[i] = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("oracle-test-source", i));
        }
    }

    private OracleFixture()
    {
    }

    static KeyPair key(final int source)
    {
        return KEYS[source];
    }

    /** Raw public keys of the first {@code count} test sources. */
    static List<byte[]> sourceKeys(final int count)
    {
        final List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            keys.add(Ed25519Keys.rawPublicKey(KEYS[i].getPublic()));
        }
        return keys;
    }

    /** Five sources, quorum 3, default guards. */
    static OracleConfig config()
    {
        return OracleConfig.builder(MARKET, sourceKeys(5)).build();
    }

    static SignedPrice signed(final int source, final long priceTicks, final long timestampNs)
    {
        return new SignedPrice(MARKET, priceTicks, timestampNs,
            OracleMessage.sign(KEYS[source].getPrivate(), MARKET, priceTicks, timestampNs));
    }

    /** Seeds: fresh each run, or fixed with PERPETUA_SEED to reproduce a failure (messages print them). */
    static long seed()
    {
        final String fixed = System.getenv("PERPETUA_SEED");
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
    }

    /**
     * Observations as a command might carry them, valid or not: any source index, order, signature.
     * Built with {@link #add}.
     */
    static final class Observations implements OracleObservations
    {
        private final List<Integer> sources = new ArrayList<>();
        private final List<Long> prices = new ArrayList<>();
        private final List<Long> timestamps = new ArrayList<>();
        private final List<byte[]> signatures = new ArrayList<>();

        /** Source {@code source}'s correctly signed observation, claimed as {@code source}. */
        Observations signedBy(final int source, final long priceTicks, final long timestampNs)
        {
            return add(source, priceTicks, timestampNs,
                OracleMessage.sign(KEYS[source].getPrivate(), MARKET, priceTicks, timestampNs));
        }

        Observations add(final int source, final long priceTicks, final long timestampNs, final byte[] signature)
        {
            sources.add(source);
            prices.add(priceTicks);
            timestamps.add(timestampNs);
            signatures.add(signature.clone());
            return this;
        }

        @Override
        public int count()
        {
            return sources.size();
        }

        @Override
        public int sourceIndex(final int i)
        {
            return sources.get(i);
        }

        @Override
        public long priceTicks(final int i)
        {
            return prices.get(i);
        }

        @Override
        public long timestampNs(final int i)
        {
            return timestamps.get(i);
        }

        @Override
        public int signature(final int i, final byte[] dst)
        {
            final byte[] signature = signatures.get(i);
            System.arraycopy(signature, 0, dst, 0, Math.min(dst.length, signature.length));
            return signature.length;
        }
    }
}
