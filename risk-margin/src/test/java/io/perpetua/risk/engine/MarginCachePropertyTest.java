package io.perpetua.risk.engine;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The margin calculator's per-position caches never go stale: random traffic with funding ticks,
 * leverage changes, oracle moves, deposits, withdrawals, transfers, trading and liquidations, and
 * after every command the harness compares every account's figures (as it stands, and after a buy
 * and a sell in every market) with {@link ReferenceMargin}, which recomputes them from scratch.
 * Seeds are printed on failure; {@code -Dmargin.seed=N} runs one.
 */
class MarginCachePropertyTest
{
    private static final int COMMANDS_PER_SEED = 800;

    @Test
    void cachedMarginEqualsRecomputedMarginAfterEveryCommand()
    {
        final String only = System.getProperty("margin.seed");
        final long[] seeds = only != null ? new long[] {Long.parseLong(only)} : new long[] {11, 12, 13};
        final Map<String, Integer> totals = new TreeMap<>();
        for (final long seed : seeds)
        {
            final RiskHarness h = new RiskHarness();
            final RandomRiskSession session = new RandomRiskSession(h, seed, true);
            try
            {
                session.setUp();
                session.run(COMMANDS_PER_SEED);
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("seed " + seed + " failed after " + h.journal.size() + " commands: " + ex, ex);
            }
            session.counts.forEach((kind, n) -> totals.merge(kind, n, Integer::sum));
        }
        System.out.println("margin cache session totals: " + totals);
        for (final String kind : new String[] {"Fill", "FundingTick", "FundingPayment", "Leverage", "LiquidationStep"})
        {
            assertTrue(totals.getOrDefault(kind, 0) > 0, "no " + kind + " in " + totals);
        }
    }
}
