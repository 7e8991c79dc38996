package io.perpetua.risk.ledger;

/**
 * The ledger's funding state of one market: the cumulative index, the period of the last applied
 * tick, the market's share of the funding account, and how many open positions have not yet
 * settled to the index (when that reaches zero, the share is rounding dust for the insurance fund).
 */
public final class MarketFunding
{
    final int marketId;
    long index;
    long lastFundingTimeNs;
    long balance;
    long openPositions;
    long unsettledPositions;

    MarketFunding(final int marketId)
    {
        this.marketId = marketId;
    }

    public int marketId()
    {
        return marketId;
    }

    /** Cumulative funding index in {@code 1 / Funding.INDEX_SCALE} quantum per lot. */
    public long index()
    {
        return index;
    }

    /** End of the funding period of the last applied tick, 0 before the first. */
    public long lastFundingTimeNs()
    {
        return lastFundingTimeNs;
    }

    /** This market's payments held by the funding account (negative while receivers settled first). */
    public long balance()
    {
        return balance;
    }

    public long openPositions()
    {
        return openPositions;
    }

    /**
     * Open positions that have not settled since the index last changed. Exact, except after the
     * index returns to a value some positions are cached at: those then count until the next tick
     * recounts, which can only delay a dust sweep, never sweep early.
     */
    public long unsettledPositions()
    {
        return unsettledPositions;
    }
}
