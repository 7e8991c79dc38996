package io.perpetua.risk.ledger;

/**
 * An account's margin figures summed over its positions ({@link MarginCache} of each), kept by
 * {@code MarginCalculator} so that a check costs the same for one position or fifty. Valid while
 * {@link #stamp} equals the ledger's {@link Ledger#marginEpoch()}; the account clears the stamp when
 * any of its positions changes (size, settled funding, leverage, opened or closed).
 *
 * <p>{@link #bounded} says whether the sums may be used: every position's figures are known (no
 * overflow, no open-interest scaling) and small enough that no order of adding them, to a net
 * collateral within the calculator's bound, can overflow. Only then is a sum the same number the
 * position-by-position evaluation reaches; otherwise the calculator evaluates position by position.
 */
public final class MarginTotals
{
    public long stamp = MarginCache.INVALID;
    public boolean bounded;
    public long owedFunding;
    public long notional;
    public long initialMargin;
    public long maintenanceMargin;

    void invalidate()
    {
        stamp = MarginCache.INVALID;
    }
}
