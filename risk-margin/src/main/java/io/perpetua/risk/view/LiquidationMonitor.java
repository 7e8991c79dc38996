package io.perpetua.risk.view;

import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * Finds liquidatable accounts ({@code NC < MMR} at the marks the events report) after fills,
 * collateral changes and mark-price changes, and submits {@code Liquidate} for each through the
 * sequencer like any client (MECHANICS §5): it decides, the core re-checks and acts. An account
 * has at most one Liquidate in flight; when its result comes back (a liquidation step or a reject)
 * it is checked again, so a large position is closed slice after slice.
 */
final class LiquidationMonitor
{
    private final MarginState state;
    private final LongPredicate submitter;
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private final TreeSet<Long> candidates = new TreeSet<>();
    private long submitted;

    /** {@code submitter} publishes a Liquidate command and says whether it was accepted for sequencing. */
    LiquidationMonitor(final MarginState state, final LongPredicate submitter)
    {
        this.state = state;
        this.submitter = submitter;
    }

    long submitted()
    {
        return submitted;
    }

    /** Called after each events document. */
    void afterEvents()
    {
        for (final long accountId : state.drainLiquidationResults())
        {
            inFlight.remove(accountId);
            candidates.add(accountId);
        }
        candidates.addAll(state.drainTouchedAccounts());
        for (final int marketId : state.drainRepricedMarkets())
        {
            candidates.addAll(state.accountsIn(marketId));
        }
        for (final long accountId : candidates)
        {
            if (!inFlight.contains(accountId) && state.liquidatable(accountId) && submitter.test(accountId))
            {
                inFlight.add(accountId);
                submitted++;
            }
        }
        candidates.clear();
    }
}
