package io.perpetua.risk.ledger;

/**
 * One position's margin figures as {@code MarginCalculator} last computed them: its notional at the
 * mark, the funding it owes, and its initial and maintenance requirements, each exactly as the
 * calculator's formulas give them (including {@code FixedPoint.OVERFLOW}). They are valid while
 * {@link #stamp} equals the ledger's {@link Ledger#marginEpoch()}: the ledger moves the epoch when a
 * mark, a funding index or a market's risk parameters change, and the position clears the stamp
 * when its size, its settled funding index or the account's leverage in its market change.
 * A market with open-interest scaling has {@link #scaledInitial} set: its initial requirement also
 * depends on the open interest, which moves with every trade, so the calculator recomputes it.
 */
public final class MarginCache
{
    /** Never an epoch. */
    static final long INVALID = 0;

    public long stamp = INVALID;
    public long notional;
    public long owedFunding;
    public long initialMargin;
    public long maintenanceMargin;
    public boolean scaledInitial;

    void invalidate()
    {
        stamp = INVALID;
    }
}
