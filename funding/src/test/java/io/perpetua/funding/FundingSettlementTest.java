package io.perpetua.funding;

import io.perpetua.risk.ledger.Position;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.perpetua.funding.FundingHarness.USD;
import static io.perpetua.funding.FundingHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's side of funding worked by hand (MECHANICS §4). One lot at $100 is 100,000 quantums;
 * the index is in 1/(8e9) quantum per lot, so a tick at rate r (ppb) and mark $100 adds
 * {@code r * 100 * 1,000} and a position of s lots pays {@code ceil(delta * s / 8e9)}.
 */
class FundingSettlementTest
{
    private static final long HOUR = 3_600_000_000_000L;

    /** A long 3 lots against shorts of 1 (B) and 2 (C) lots at $100, each with $1,000. */
    private static FundingHarness threeAccounts()
    {
        final FundingHarness h = new FundingHarness();
        h.market(1, 100_000, 50_000);
        expectNoReject(h.oracle(1, 100 * USD));
        for (long account = 1; account <= 3; account++)
        {
            expectNoReject(h.deposit(account, 1_000 * USD));
        }
        h.trade(2, 1, 1, 100 * USD, 1);
        h.trade(3, 1, 1, 100 * USD, 2);
        return h;
    }

    @Test
    void longsPayShortsAtAPositiveRateRoundedForTheExchangeAndTheDustGoesToTheFund()
    {
        final FundingHarness h = threeAccounts();
        // 0.01% at $100: index += 100,000 x 100 x 1,000 = 1e10 (1.25 quantums per lot). O(1): no payment yet.
        assertEquals(List.of("FundingTick market=1 rate=100000 mark=100000000 index=10000000000"),
            h.fundingTick(1, 100_000, HOUR));
        assertEquals(0, h.risk.ledger().fundingBalance());

        // A pays ceil(3 x 1.25) = ceil(3.75) = 4, on its next touch (a leverage change).
        List<String> events = h.setLeverage(1, 1, 5);
        assertEquals("FundingPayment account=1 market=1 amount=-4 size=3 index=10000000000 balance=999699996 funding=4",
            events.get(0));
        // B receives floor(1.25) = 1, C floor(2.5) = 2.
        assertEquals("FundingPayment account=2 market=1 amount=1 size=-1 index=10000000000 balance=1000100001 funding=3",
            h.setLeverage(2, 1, 5).get(0));
        events = h.setLeverage(3, 1, 5);
        assertEquals("FundingPayment account=3 market=1 amount=2 size=-2 index=10000000000 balance=1000200002 funding=1",
            events.get(0));
        // Everyone settled: the 1 quantum left is dust, swept to the insurance fund.
        assertEquals("Insurance account=0 FUNDING_DUST 1 fund=1", events.get(1));
        assertEquals(0, h.risk.ledger().fundingBalance());
        assertEquals(1, h.risk.ledger().insuranceBalance());
    }

    @Test
    void shortsPayLongsAtANegativeRateAndTheFundingAccountMayGoNegativeWhileReceiversSettleFirst()
    {
        final FundingHarness h = threeAccounts();
        // -0.01%: index -1e10. A receives floor(3.75) = 3 first: the funding account is at -3 for a while.
        expectNoReject(h.fundingTick(1, -100_000, HOUR));
        assertEquals("FundingPayment account=1 market=1 amount=3 size=3 index=-10000000000 balance=999700003 funding=-3",
            h.setLeverage(1, 1, 5).get(0));
        // B pays ceil(1.25) = 2, C pays ceil(2.5) = 3: 2 quantums of dust.
        assertEquals("FundingPayment account=2 market=1 amount=-2 size=-1 index=-10000000000 balance=1000099998 funding=-1",
            h.setLeverage(2, 1, 5).get(0));
        final List<String> events = h.setLeverage(3, 1, 5);
        assertEquals("FundingPayment account=3 market=1 amount=-3 size=-2 index=-10000000000 balance=1000199997 funding=2",
            events.get(0));
        assertEquals("Insurance account=0 FUNDING_DUST 2 fund=2", events.get(1));
    }

    @Test
    void twoTicksSettleInOnePaymentAndTradesSettleBeforeTheyMoveThePosition()
    {
        final FundingHarness h = threeAccounts();
        expectNoReject(h.fundingTick(1, 100_000, HOUR));
        // Mark $140, 0.02%: index += 200,000 x 140 x 1,000 = 2.8e10 -> 3.8e10 (4.75 quantums per lot in all).
        expectNoReject(h.oracle(1, 140 * USD));
        assertEquals(List.of("FundingTick market=1 rate=200000 mark=140000000 index=38000000000"),
            h.fundingTick(1, 200_000, 2 * HOUR));
        // A sells its 3 lots to B at $140. Each side settles before its position moves: B (the maker) receives
        // floor(4.75) = 4, A pays ceil(3 x 4.75) = ceil(14.25) = 15.
        expectNoReject(h.limit(2, 1, io.perpetua.core.sbe.Side.BUY, 140 * USD, 3));
        final List<String> events = h.ioc(1, 1, io.perpetua.core.sbe.Side.SELL, 140 * USD, 3);
        final int payment = events.indexOf("FundingPayment account=2 market=1 amount=4 size=-1 index=38000000000 " +
            "balance=1000100004 funding=-4");
        final int paymentA = events.indexOf("FundingPayment account=1 market=1 amount=-15 size=3 index=38000000000 " +
            "balance=999699985 funding=11");
        assertTrue(payment >= 0 && paymentA > payment, events.toString());
        // A receives 3 x 140,000 = 420,000 for the lots.
        assertTrue(events.indexOf("Position account=1 size=0 balance=1000119985") > paymentA, events.toString());
    }

    @Test
    void aPositionOpenedAfterATickPaysNothingForItAndAReopenedOnePaysOnlyLaterTicks()
    {
        final FundingHarness h = threeAccounts();
        expectNoReject(h.deposit(4, 1_000 * USD));
        expectNoReject(h.fundingTick(1, 100_000, HOUR));
        // Account 4 buys 4 lots from B after the tick: opened at the index, nothing owed.
        h.trade(2, 4, 1, 100 * USD, 4);
        final Position opened = h.account(4).position(1);
        assertEquals(h.risk.ledger().fundingIndex(1), opened.fundingIndex());
        assertTrue(h.setLeverage(4, 1, 5).stream().noneMatch(line -> line.startsWith("FundingPayment")));

        // A closes (settling tick 1: 4 quantums), a tick passes, A reopens 3 lots: it owes nothing for tick 2.
        h.trade(3, 1, 1, 100 * USD, -3);
        assertFalse(h.account(1).positionCount() > 0);
        expectNoReject(h.fundingTick(1, 100_000, 2 * HOUR));
        h.trade(3, 1, 1, 100 * USD, 3);
        assertTrue(h.setLeverage(1, 1, 5).stream().noneMatch(line -> line.startsWith("FundingPayment")));
        // Tick 3: A pays for it alone, ceil(3.75) = 4.
        expectNoReject(h.fundingTick(1, 100_000, 3 * HOUR));
        final long before = h.balance(1);
        assertTrue(h.setLeverage(1, 1, 4).get(0).startsWith("FundingPayment account=1 market=1 amount=-4 size=3 "));
        assertEquals(before - 4, h.balance(1));
    }

    @Test
    void checksCountUnsettledFundingAndARejectedCommandLeavesNoTrace()
    {
        final FundingHarness h = new FundingHarness();
        h.market(1, 100_000, 50_000);
        expectNoReject(h.oracle(1, 100 * USD));
        expectNoReject(h.deposit(1, 20 * USD));
        expectNoReject(h.deposit(2, 10_000 * USD));
        // Account 1 buys 1 coin at $100: balance -$80, NC $20, IMR $10.
        h.trade(2, 1, 1, 100 * USD, 1_000);
        // 8% per 8 h at $100: index += 8e7 x 100 x 1,000 = 8e12 -> exactly $1 per coin.
        expectNoReject(h.fundingTick(1, 80_000_000, HOUR));
        // NC after funding is $19: withdrawing $9.50 would leave $9.50 < IMR $10. Refused, nothing settled.
        final long hash = h.engine.stateHash();
        assertEquals(List.of("Rejected INSUFFICIENT_COLLATERAL"), h.withdraw(1, 9_500_000));
        assertEquals(hash, h.engine.stateHash());
        assertEquals(-80 * USD, h.balance(1));
        // $9 leaves exactly $10: accepted; the settlement is reported before the withdrawal.
        final List<String> events = h.withdraw(1, 9 * USD);
        assertEquals("FundingPayment account=1 market=1 amount=-1000000 size=1000 index=8000000000000 " +
            "balance=-81000000 funding=1000000", events.get(0));
        assertEquals(-90 * USD, h.balance(1));
    }

    @Test
    void badTicksAreRefusedWithASpecificReasonAndChangeNothing()
    {
        final FundingHarness h = threeAccounts();
        h.market(2, 100_000, 50_000);
        expectNoReject(h.fundingTick(1, 100_000, HOUR));
        final long hash = h.engine.stateHash();
        assertEquals(List.of("Rejected UNKNOWN_MARKET"), h.fundingTick(99, 100_000, 2 * HOUR));
        assertEquals(List.of("Rejected INVALID_FUNDING_RATE"), h.fundingTick(1, 1_000_000_001L, 2 * HOUR));
        assertEquals(List.of("Rejected INVALID_FUNDING_RATE"), h.fundingTick(1, -1_000_000_001L, 2 * HOUR));
        assertEquals(List.of("Rejected FUNDING_TICK_NOT_NEW"), h.fundingTick(1, 100_000, HOUR));
        assertEquals(List.of("Rejected FUNDING_TICK_NOT_NEW"), h.fundingTick(1, 100_000, HOUR - 1));
        assertEquals(List.of("Rejected FUNDING_TICK_NOT_NEW"), h.fundingTick(1, 100_000, 0));
        assertEquals(List.of("Rejected NO_MARK_PRICE"), h.fundingTick(2, 100_000, HOUR));
        assertEquals(hash, h.engine.stateHash());
    }
}
