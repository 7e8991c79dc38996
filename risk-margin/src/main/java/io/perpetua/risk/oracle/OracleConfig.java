package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.Ed25519PublicKey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One market's oracle rules: who may sign its prices, how many must agree, and the guards of
 * MECHANICS section 6. Immutable; every value is checked when built, with a message naming the market
 * and the value.
 *
 * <p>Defaults, chosen for a liquid crypto perpetual fed about once a second by each source:
 * <ul>
 *   <li>{@code quorum} = a majority of the sources. The median of q signed values stays between honest
 *       values while fewer than half of them lie, and n - q sources may be silent; a majority balances
 *       the two. The max-move guard bounds what a lying minority can still do.</li>
 *   <li>{@code validityWindowNs} = 10 s. An observation reaches the core within milliseconds; ten
 *       seconds tolerates a slow source or a paused aggregator while keeping the index close to the
 *       market.</li>
 *   <li>{@code maxFutureSkewNs} = 1 s. Sources' clocks are NTP-synchronised to milliseconds; a second
 *       forgives a poorly synchronised host without letting a source pre-sign prices for later.</li>
 *   <li>{@code maxMovePpm} = 100,000 (10%) within {@code moveWindowNs} = 1 s. A real market almost
 *       never moves 10% in a second, a faulty or hostile feed easily does; a genuine move is only
 *       delayed, since once a second has passed since the last accepted price any move is accepted.</li>
 *   <li>{@code staleAfterNs} = 30 s, three validity windows: a feed that missed a couple of rounds is
 *       not yet stale, one silent for half a minute must not drive liquidations.</li>
 * </ul>
 */
public final class OracleConfig
{
    /** Sources per market; an index fits an unsigned byte in the command. */
    public static final int MAX_SOURCES = 255;

    public static final long DEFAULT_VALIDITY_WINDOW_NS = 10_000_000_000L;
    public static final long DEFAULT_MAX_FUTURE_SKEW_NS = 1_000_000_000L;
    public static final int DEFAULT_MAX_MOVE_PPM = 100_000;
    public static final long DEFAULT_MOVE_WINDOW_NS = 1_000_000_000L;
    public static final long DEFAULT_STALE_AFTER_NS = 30_000_000_000L;

    private final int marketId;
    private final byte[][] sourceKeys;
    private final Ed25519PublicKey[] sourcePublicKeys;
    private final int quorum;
    private final long validityWindowNs;
    private final long maxFutureSkewNs;
    private final int maxMovePpm;
    private final long moveWindowNs;
    private final long staleAfterNs;

    private OracleConfig(final Builder builder)
    {
        marketId = builder.marketId;
        final int sourceCount = builder.sourceKeys.size();
        if (marketId < 1)
        {
            throw new IllegalArgumentException("oracle config: market id must be positive, not " + marketId);
        }
        if (sourceCount == 0 || sourceCount > MAX_SOURCES)
        {
            throw invalid("needs 1 to " + MAX_SOURCES + " sources, not " + sourceCount);
        }
        sourceKeys = new byte[sourceCount][];
        sourcePublicKeys = new Ed25519PublicKey[sourceCount];
        for (int i = 0; i < sourceCount; i++)
        {
            final byte[] key = builder.sourceKeys.get(i);
            try
            {
                sourcePublicKeys[i] = Ed25519Keys.publicKey(key);
            }
            catch (final IllegalArgumentException ex)
            {
                throw invalid("source " + i + ": " + ex.getMessage());
            }
            sourceKeys[i] = key.clone();
            for (int j = 0; j < i; j++)
            {
                if (Arrays.equals(sourceKeys[j], sourceKeys[i]))
                {
                    throw invalid("sources " + j + " and " + i + " have the same key: one signer would count twice");
                }
            }
        }
        quorum = builder.quorum == 0 ? sourceCount / 2 + 1 : builder.quorum;
        if (quorum < 1 || quorum > sourceCount)
        {
            throw invalid("quorum must be 1 to " + sourceCount + " (the number of sources), not " + quorum);
        }
        validityWindowNs = builder.validityWindowNs;
        maxFutureSkewNs = builder.maxFutureSkewNs;
        maxMovePpm = builder.maxMovePpm;
        moveWindowNs = builder.moveWindowNs;
        staleAfterNs = builder.staleAfterNs;
        requirePositive("validityWindowNs", validityWindowNs);
        requireNonNegative("maxFutureSkewNs", maxFutureSkewNs);
        requirePositive("maxMovePpm", maxMovePpm);
        requireNonNegative("moveWindowNs", moveWindowNs);
        requirePositive("staleAfterNs", staleAfterNs);
    }

    /**
     * Starts a config for {@code marketId} with the sources' raw 32-byte public keys; the position of a
     * key in the list is the source's index in oracle commands.
     */
    public static Builder builder(final int marketId, final List<byte[]> sourceKeys)
    {
        return new Builder(marketId, sourceKeys);
    }

    public int marketId()
    {
        return marketId;
    }

    public int sourceCount()
    {
        return sourceKeys.length;
    }

    /** The raw 32-byte public key of source {@code index} (a copy). */
    public byte[] sourceKey(final int index)
    {
        return sourceKeys[index].clone();
    }

    Ed25519PublicKey sourcePublicKey(final int index)
    {
        return sourcePublicKeys[index];
    }

    /** Distinct sources needed for a price. */
    public int quorum()
    {
        return quorum;
    }

    /** An observation older than the command time minus this is out of the window. */
    public long validityWindowNs()
    {
        return validityWindowNs;
    }

    /** An observation newer than the command time plus this is out of the window. */
    public long maxFutureSkewNs()
    {
        return maxFutureSkewNs;
    }

    /** Largest move, in ppm of the last accepted price, accepted within {@link #moveWindowNs()}. */
    public int maxMovePpm()
    {
        return maxMovePpm;
    }

    /** How long after an accepted price the max-move guard applies; 0 turns the guard off. */
    public long moveWindowNs()
    {
        return moveWindowNs;
    }

    /** The market's price is stale once no price has been accepted for this long. */
    public long staleAfterNs()
    {
        return staleAfterNs;
    }

    @Override
    public String toString()
    {
        return "OracleConfig{market=" + marketId + ", sources=" + sourceKeys.length + ", quorum=" + quorum +
            ", validityWindowNs=" + validityWindowNs + ", maxFutureSkewNs=" + maxFutureSkewNs +
            ", maxMovePpm=" + maxMovePpm + ", moveWindowNs=" + moveWindowNs + ", staleAfterNs=" + staleAfterNs + '}';
    }

    private IllegalArgumentException invalid(final String problem)
    {
        return new IllegalArgumentException("oracle config for market " + marketId + ": " + problem);
    }

    private void requirePositive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw invalid(name + " must be positive, not " + value);
        }
    }

    private void requireNonNegative(final String name, final long value)
    {
        if (value < 0)
        {
            throw invalid(name + " must not be negative, not " + value);
        }
    }

    /** Collects a config's values; {@link #build()} checks them all. */
    public static final class Builder
    {
        private final int marketId;
        private final List<byte[]> sourceKeys;
        private int quorum;
        private long validityWindowNs = DEFAULT_VALIDITY_WINDOW_NS;
        private long maxFutureSkewNs = DEFAULT_MAX_FUTURE_SKEW_NS;
        private int maxMovePpm = DEFAULT_MAX_MOVE_PPM;
        private long moveWindowNs = DEFAULT_MOVE_WINDOW_NS;
        private long staleAfterNs = DEFAULT_STALE_AFTER_NS;

        private Builder(final int marketId, final List<byte[]> sourceKeys)
        {
            this.marketId = marketId;
            this.sourceKeys = new ArrayList<>(sourceKeys);
        }

        /** Distinct sources needed; default a majority ({@code sources / 2 + 1}). */
        public Builder quorum(final int quorum)
        {
            if (quorum == 0)
            {
                throw new IllegalArgumentException(
                    "oracle config for market " + marketId + ": quorum must be positive");
            }
            this.quorum = quorum;
            return this;
        }

        public Builder validityWindowNs(final long validityWindowNs)
        {
            this.validityWindowNs = validityWindowNs;
            return this;
        }

        public Builder maxFutureSkewNs(final long maxFutureSkewNs)
        {
            this.maxFutureSkewNs = maxFutureSkewNs;
            return this;
        }

        public Builder maxMovePpm(final int maxMovePpm)
        {
            this.maxMovePpm = maxMovePpm;
            return this;
        }

        public Builder moveWindowNs(final long moveWindowNs)
        {
            this.moveWindowNs = moveWindowNs;
            return this;
        }

        public Builder staleAfterNs(final long staleAfterNs)
        {
            this.staleAfterNs = staleAfterNs;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the market and the first invalid value
         */
        public OracleConfig build()
        {
            return new OracleConfig(this);
        }
    }
}
