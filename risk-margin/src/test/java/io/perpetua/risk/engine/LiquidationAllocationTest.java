package io.perpetua.risk.engine;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.testing.SteadyStateAllocation;
import org.junit.jupiter.api.Test;

import static io.perpetua.risk.engine.RiskHarness.COIN;
import static io.perpetua.risk.engine.RiskHarness.USD;
import static io.perpetua.risk.engine.RiskHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Liquidate command allocates nothing once warm: the slice's exact quotients, the IOC order
 * against the book, the insurance fund's shortfall, and deleveraging against ranked counterparties.
 * Each round opens the same losing long, drops the mark and liquidates it; only the Liquidate
 * commands are measured, because the oracle prices around them verify signatures, which allocate.
 */
class LiquidationAllocationTest
{
    private static final long VICTIM = 42;
    private static final long BIDDER = 48;
    private static final long SELLER = 49;

    private static final long[] SHORTS = {11, 12, 13};

    private final RiskHarness h = new RiskHarness();

    @Test
    void aLiquidationAllocatesNothingAfterWarmUp()
    {
        final com.sun.management.ThreadMXBean threads = SteadyStateAllocation.threads();
        h.market(1, 0, 0, 50_000, 30_000);
        h.deposit(BIDDER, 100_000_000 * USD);
        h.deposit(SELLER, 100_000_000 * USD);
        h.deposit(VICTIM, 25 * USD);
        final SteadyStateAllocation allocation = steadyState(threads, false);
        assertTrue(allocation.reachedZero(), "liquidations allocate in steady state: " + allocation);
    }

    @Test
    void aDeleveragingAllocatesNothingAfterWarmUp()
    {
        final com.sun.management.ThreadMXBean threads = SteadyStateAllocation.threads();
        h.market(1, 0, 0, 50_000, 30_000);
        for (final long shortAccount : SHORTS)
        {
            h.deposit(shortAccount, shortAccount * 1_000 * USD); // unequal collateral, unequal ranks
        }
        h.deposit(VICTIM, 60 * USD);
        final SteadyStateAllocation allocation = steadyState(threads, true);
        assertTrue(allocation.reachedZero(), "deleveragings allocate in steady state: " + allocation);
    }

    /** Warms up, then measures phases of 100 Liquidate commands until one allocates nothing. */
    private SteadyStateAllocation steadyState(final com.sun.management.ThreadMXBean threads, final boolean deleverage)
    {
        for (int round = 0; round < 300; round++)
        {
            liquidateOnce(threads, deleverage);
        }
        final SteadyStateAllocation allocation = SteadyStateAllocation.untilZero(phase ->
        {
            long allocated = 0;
            for (int round = 0; round < 100; round++)
            {
                allocated += liquidateOnce(threads, deleverage);
            }
            return allocated;
        });
        System.out.println((deleverage ? "deleveraging" : "liquidation") + ", 100 Liquidate commands a phase: " + allocation);
        h.checkInvariants();
        return allocation;
    }

    /** One round; returns the bytes the Liquidate command allocated. */
    private long liquidateOnce(final com.sun.management.ThreadMXBean threads, final boolean deleverage)
    {
        return deleverage ? deleverageOnce(threads) : fillOnce(threads);
    }

    /** Account 42 of CascadeTest: a losing long whose slice fills against bids at $95 and $94. */
    private long fillOnce(final com.sun.management.ThreadMXBean threads)
    {
        expectNoReject(h.oracle(1, 100 * USD));
        if (h.balance(VICTIM) < 25 * USD)
        {
            expectNoReject(h.deposit(VICTIM, 25 * USD - h.balance(VICTIM)));
        }
        expectNoReject(h.limit(SELLER, 1, Side.SELL, 100 * USD, 5 * COIN));
        expectNoReject(h.limit(VICTIM, 1, Side.BUY, 100 * USD, 5 * COIN));
        expectNoReject(h.limit(BIDDER, 1, Side.BUY, 95 * USD, 2 * COIN));
        expectNoReject(h.limit(BIDDER, 1, Side.BUY, 94 * USD, 5 * COIN));
        expectNoReject(h.oracle(1, 96 * USD));
        assertEquals(5 * COIN, h.size(VICTIM, 1));

        final long allocated = measuredLiquidate(threads);
        assertEquals(0, h.size(VICTIM, 1), "the liquidation closed the position");
        assertTrue(h.balance(VICTIM) >= 0);
        expectNoReject(h.submit(h.orders.cancelAll(h.buffer, 0, BIDDER, 1)));
        return allocated;
    }

    /**
     * A long of 10 coins at $100 bought from three shorts, $60 of collateral: at $92 its NC is -$20 and
     * the book is empty, so the whole position is deleveraged against the shorts, ranked.
     */
    private long deleverageOnce(final com.sun.management.ThreadMXBean threads)
    {
        expectNoReject(h.oracle(1, 100 * USD));
        if (h.balance(VICTIM) < 60 * USD)
        {
            expectNoReject(h.deposit(VICTIM, 60 * USD - h.balance(VICTIM)));
        }
        final long[] lots = {4 * COIN, 3 * COIN, 3 * COIN};
        for (int i = 0; i < SHORTS.length; i++)
        {
            expectNoReject(h.limit(SHORTS[i], 1, Side.SELL, 100 * USD, lots[i]));
        }
        expectNoReject(h.limit(VICTIM, 1, Side.BUY, 100 * USD, 10 * COIN));
        expectNoReject(h.oracle(1, 92 * USD));
        assertEquals(10 * COIN, h.size(VICTIM, 1));

        final long allocated = measuredLiquidate(threads);
        assertEquals(0, h.size(VICTIM, 1), "the deleveraging closed the position");
        for (final long shortAccount : SHORTS)
        {
            assertEquals(0, h.size(shortAccount, 1), "account " + shortAccount + " was deleveraged");
        }
        return allocated;
    }

    private long measuredLiquidate(final com.sun.management.ThreadMXBean threads)
    {
        final long threadId = Thread.currentThread().getId();
        final int length = h.accounts.liquidate(h.buffer, 0, VICTIM);
        h.nowNs += 1_000_000;
        CommandAdapter.stamp(h.buffer, 0, ++h.sequence, h.nowNs);
        final long before = threads.getThreadAllocatedBytes(threadId);
        h.adapter.apply(h.buffer, 0, length);
        return threads.getThreadAllocatedBytes(threadId) - before;
    }
}
