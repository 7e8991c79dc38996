package io.perpetua.risk.view;

import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.CollateralCause;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.PositionCause;
import io.perpetua.core.testing.SteadyStateAllocation;
import io.perpetua.risk.margin.RiskParams;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mark-price update through the margin state and the indexed liquidation monitor allocates nothing
 * once warm, including the updates whose mark crosses triggers (accounts popped, re-evaluated,
 * re-indexed, found liquidatable and offered to the submitter), measured with the JVM's per-thread
 * allocation counter. 2,000 accounts with $100-$1,000 hold a long of up to $3,000 in one market and a
 * short of up to $500 in another;
 * the first market's mark walks between -12% and +12% of its start.
 */
class MarkUpdateAllocationTest
{
    private static final long USD = 1_000_000L;
    private static final int ACCOUNTS = 2_000;
    private static final long TICK = 10_000;

    @Test
    void markUpdatesAllocateNothingAfterWarmUp()
    {
        final MarginState state = new MarginState();
        final long[] offered = new long[1];
        // Refuses every Liquidate (a full ring): liquidatable accounts are then offered again on every update.
        final LiquidationMonitor monitor = new LiquidationMonitor(state, accountId ->
        {
            offered[0]++;
            return false;
        });
        final EventPublisher events = new EventPublisher();
        events.begin(1, 1);
        for (int m = 1; m <= 2; m++)
        {
            events.marketConfigured(m, TICK, 1, 3, 1, Long.MAX_VALUE / 4, 0, 0, 0, 0, 0, false, MarketStatus.ACTIVE, true,
                "M" + m + "-USD");
            events.riskConfigured(m, RiskParams.DEFAULT_IMF_PPM, RiskParams.DEFAULT_MMF_PPM, 0, 0,
                RiskParams.DEFAULT_LIQUIDATION_FEE_PPM, RiskParams.DEFAULT_SLICE_PPM, RiskParams.DEFAULT_MIN_SLICE_NOTIONAL,
                RiskParams.DEFAULT_MAX_LIQUIDATION_NOTIONAL, RiskParams.DEFAULT_FILLABLE_FACTOR_PPM);
            events.markPriceUpdated(m, 10_000 * TICK, 10_000 * TICK, 1);
        }
        apply(state, monitor, events);
        final SplittableRandom random = new SplittableRandom(7);
        for (long a = 1; a <= ACCOUNTS; a++)
        {
            final long collateral = (100 + random.nextInt(901)) * USD;
            final long longLots = 1_000 * (1 + random.nextInt(30));
            final long shortLots = -1_000 * (1 + random.nextInt(5));
            events.begin(1 + a, 1 + a);
            events.collateralChanged(a, CollateralCause.DEPOSIT, collateral, collateral, a);
            events.positionChanged(a, 1, PositionCause.TRADE, a, longLots, -longLots * 100_000, 0, longLots,
                longLots * 100_000, 0, collateral - longLots * 100_000);
            events.positionChanged(a, 2, PositionCause.TRADE, a, shortLots, -shortLots * 100_000, 0, shortLots,
                shortLots * 100_000, 0, collateral - longLots * 100_000 - shortLots * 100_000);
            apply(state, monitor, events);
        }
        final long[] sequence = {ACCOUNTS + 1};
        final long[] mark = {10_000};
        walk(state, monitor, events, random, sequence, mark, 10_000);

        final long[] evaluated = new long[SteadyStateAllocation.MAX_PHASES];
        final SteadyStateAllocation allocation = SteadyStateAllocation.measure(phase ->
        {
            final long evaluatedBefore = monitor.evaluated();
            walk(state, monitor, events, random, sequence, mark, 2_000);
            evaluated[phase] = monitor.evaluated() - evaluatedBefore;
        });
        final long evaluatedInPhases = Arrays.stream(evaluated).sum();
        System.out.println("mark updates, 2,000 a phase: " + allocation + "; accounts re-evaluated " +
            evaluatedInPhases + ", liquidations offered so far " + offered[0]);
        assertTrue(evaluatedInPhases > 1_000, "the measured updates must cross triggers: " + evaluatedInPhases);
        assertTrue(offered[0] > 0, "and find liquidatable accounts");
        assertTrue(allocation.reachedZero(), "mark updates allocate in steady state: " + allocation);
    }

    /** A mark walk of market 1 in steps of up to 1%, kept within 12% of the start. */
    private static void walk(
        final MarginState state, final LiquidationMonitor monitor, final EventPublisher events, final SplittableRandom random,
        final long[] sequence, final long[] mark, final int updates)
    {
        for (int i = 0; i < updates; i++)
        {
            mark[0] = Math.min(11_200, Math.max(8_800, mark[0] + random.nextInt(201) - 100));
            events.begin(++sequence[0], sequence[0]);
            events.markPriceUpdated(1, mark[0] * TICK, mark[0] * TICK, 1);
            apply(state, monitor, events);
        }
    }

    private static void apply(final MarginState state, final LiquidationMonitor monitor, final EventPublisher events)
    {
        state.onEvents(events.buffer(), 0, events.length());
        monitor.afterEvents();
    }
}
