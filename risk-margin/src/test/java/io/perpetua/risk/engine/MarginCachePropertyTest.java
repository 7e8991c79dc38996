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

    /**
     * Figures beyond the bounds within which the calculator sums its totals (a balance above 2^61, a
     * notional above 2^43 quantums): it falls back to position-by-position evaluation and still agrees
     * with the reference after every command (the harness checks it).
     */
    @Test
    void hugeAccountsAgreeWithTheReference()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 500, 50_000, 30_000);
        h.market(2, 0, 500, 50_000, 30_000);
        RiskHarness.expectNoReject(h.oracle(1, 100 * RiskHarness.USD));
        RiskHarness.expectNoReject(h.oracle(2, 100 * RiskHarness.USD));
        RiskHarness.expectNoReject(h.deposit(1, (1L << 61) + (1L << 60)));
        RiskHarness.expectNoReject(h.deposit(2, 1_000_000_000 * RiskHarness.USD));
        // 100,000 coins at $100: $10M of notional, 1e13 quantums, above the 2^43 bound.
        final long size = 100_000 * RiskHarness.COIN;
        RiskHarness.expectNoReject(h.limit(1, 1, io.perpetua.core.sbe.Side.SELL, 100 * RiskHarness.USD, size));
        RiskHarness.expectNoReject(h.limit(2, 1, io.perpetua.core.sbe.Side.BUY, 100 * RiskHarness.USD, size));
        RiskHarness.expectNoReject(h.limit(2, 2, io.perpetua.core.sbe.Side.SELL, 100 * RiskHarness.USD, RiskHarness.COIN));
        RiskHarness.expectNoReject(h.limit(1, 2, io.perpetua.core.sbe.Side.BUY, 100 * RiskHarness.USD, RiskHarness.COIN));
        RiskHarness.expectNoReject(h.oracle(1, 97 * RiskHarness.USD));
        RiskHarness.expectNoReject(h.oracle(2, 103 * RiskHarness.USD));
        assertTrue(h.account(1).positionCount() == 2 && h.account(2).positionCount() == 2, "both hold two positions");
    }
}
