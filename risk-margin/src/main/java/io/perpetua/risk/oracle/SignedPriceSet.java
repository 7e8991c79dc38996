package io.perpetua.risk.oracle;

import java.util.Arrays;

/**
 * What the aggregator submits for one market: a quorum of signed observations, one per source, in
 * ascending source index. The core verifies it as {@link OracleObservations}.
 */
public final class SignedPriceSet implements OracleObservations
{
    private final int marketId;
    private final int[] sourceIndexes;
    private final SignedPrice[] prices;

    /**
     * @param sourceIndexes strictly ascending source indexes, one per price
     * @param prices        the sources' signed prices, all for {@code marketId}
     */
    public SignedPriceSet(final int marketId, final int[] sourceIndexes, final SignedPrice[] prices)
    {
        if (sourceIndexes.length != prices.length || prices.length == 0)
        {
            throw new IllegalArgumentException("a price set needs one source index per price and at least one " +
                "price, not " + sourceIndexes.length + " indexes for " + prices.length + " prices");
        }
        for (int i = 0; i < prices.length; i++)
        {
            if (prices[i].marketId() != marketId)
            {
                throw new IllegalArgumentException("price " + i + " is for market " + prices[i].marketId() + ", not " +
                    marketId);
            }
            if (sourceIndexes[i] < 0 || (i > 0 && sourceIndexes[i] <= sourceIndexes[i - 1]))
            {
                throw new IllegalArgumentException("source indexes must be non-negative and strictly ascending: " +
                    Arrays.toString(sourceIndexes));
            }
        }
        this.marketId = marketId;
        this.sourceIndexes = sourceIndexes.clone();
        this.prices = prices.clone();
    }

    public int marketId()
    {
        return marketId;
    }

    /** The signed price of observation {@code i}. */
    public SignedPrice price(final int i)
    {
        return prices[i];
    }

    @Override
    public int count()
    {
        return prices.length;
    }

    @Override
    public int sourceIndex(final int i)
    {
        return sourceIndexes[i];
    }

    @Override
    public long priceTicks(final int i)
    {
        return prices[i].priceTicks();
    }

    @Override
    public long timestampNs(final int i)
    {
        return prices[i].timestampNs();
    }

    @Override
    public int signature(final int i, final byte[] dst)
    {
        return prices[i].copySignature(dst);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof SignedPriceSet that && marketId == that.marketId &&
            Arrays.equals(sourceIndexes, that.sourceIndexes) && Arrays.equals(prices, that.prices);
    }

    @Override
    public int hashCode()
    {
        return 31 * (31 * marketId + Arrays.hashCode(sourceIndexes)) + Arrays.hashCode(prices);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("SignedPriceSet{market=").append(marketId);
        for (int i = 0; i < prices.length; i++)
        {
            text.append(", ").append(sourceIndexes[i]).append(':').append(prices[i].priceTicks())
                .append('@').append(prices[i].timestampNs());
        }
        return text.append('}').toString();
    }
}
