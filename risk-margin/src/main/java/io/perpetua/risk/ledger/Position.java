package io.perpetua.risk.ledger;

/**
 * One account's position in one market: a signed size in lots (long > 0, short < 0) and the quote
 * it cost. The cost basis is kept for display and ADL ranking (entry price, PnL); balances never
 * depend on it: every fill moves quote between balances directly (MECHANICS §3).
 */
public final class Position
{
    int marketId;
    long sizeLots;
    /** Quote paid to open the current size, signed like the size (a short's basis is negative). */
    long costBasis;
    /** Cumulative funding index the position last settled at (issue 7 moves it). */
    long fundingIndex;
    /** The account's leverage in this market (0: the tier maximum), kept here so margin checks need no lookup. */
    int leverage;
    final MarginCache marginCache = new MarginCache();

    Position(final int marketId)
    {
        this.marketId = marketId;
    }

    /** Makes a closed position object new again for another market (accounts reuse them). */
    void reset(final int marketId)
    {
        this.marketId = marketId;
        this.sizeLots = 0;
        this.costBasis = 0;
        this.fundingIndex = 0;
        this.leverage = 0;
        marginCache.invalidate();
    }

    public int marketId()
    {
        return marketId;
    }

    public long sizeLots()
    {
        return sizeLots;
    }

    public long costBasis()
    {
        return costBasis;
    }

    public long fundingIndex()
    {
        return fundingIndex;
    }

    /** The account's leverage in this market, 0 if it chose none (as {@link Account#leverage(int)}). */
    public int leverage()
    {
        return leverage;
    }

    /** The margin figures the calculator keeps for this position. */
    public MarginCache marginCache()
    {
        return marginCache;
    }

    /**
     * Applies a trade of {@code deltaLots} (signed, buy > 0) for {@code quote} (the trade's
     * quote, positive) and returns the PnL it realizes. Reducing releases cost basis pro rata
     * (rounded toward zero); a flip closes the old side whole and opens the rest at the trade price.
     */
    long trade(final long deltaLots, final long quote)
    {
        marginCache.invalidate();
        final long before = sizeLots;
        final long after = before + deltaLots;
        final long signedQuote = deltaLots > 0 ? quote : -quote;
        if (before == 0 || Long.signum(before) == Long.signum(deltaLots))
        {
            costBasis += signedQuote;
            sizeLots = after;
            return 0;
        }
        final long closedLots = Math.min(Math.abs(deltaLots), Math.abs(before));
        // Cost of the closed part, pro rata; the quote of the closing part, pro rata over the trade.
        final long closedBasis = ProRata.share(costBasis, closedLots, Math.abs(before));
        final long closingQuote = ProRata.share(signedQuote, closedLots, Math.abs(deltaLots));
        // Closing a long sells (signedQuote < 0): pnl = received - cost = -closingQuote - closedBasis.
        final long realized = -closingQuote - closedBasis;
        costBasis -= closedBasis;
        if (Long.signum(after) != Long.signum(before) && after != 0)
        {
            costBasis = signedQuote - closingQuote;
        }
        sizeLots = after;
        if (after == 0)
        {
            costBasis = 0;
        }
        return realized;
    }
}
