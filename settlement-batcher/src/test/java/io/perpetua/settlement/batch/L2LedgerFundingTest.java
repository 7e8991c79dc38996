package io.perpetua.settlement.batch;

import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.InsuranceCause;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.PositionCause;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.ReservedLeaves;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Funding reaches the L2 leaves as the core books it: a position opened after ticks caches the
 * market's index at that moment, a payment moves the account's balance, its cached index and the
 * funding leaf, and dust swept to the insurance fund leaves the funding leaf (not an account).
 */
class L2LedgerFundingTest
{
    private static final int DEPTH = 8;
    private final EventPublisher events = new EventPublisher();
    private final L2Ledger ledger = new L2Ledger(DEPTH);
    private long sequence;

    private void command(final Runnable emit)
    {
        events.begin(++sequence, sequence * 1_000);
        emit.run();
        ledger.onEvents(events.buffer(), 0, events.length());
    }

    @Test
    void paymentsIndexesAndDustReachTheLeaves()
    {
        command(() -> events.marketConfigured(1, 1_000_000, 1, 3, 1, 1_000_000, 0, 0, 0, 0, 0, false, MarketStatus.ACTIVE,
            true, "M1-USD"));
        command(() -> events.accountCreated(7, 0, new UnsafeBuffer(new byte[32]), 0));
        command(() -> events.fundingTickApplied(1, 100_000, 100_000_000, 4_000, 10));
        // Account 7 buys 1 coin after the tick: its position caches index 4,000.
        command(() -> events.positionChanged(7, 1, PositionCause.TRADE, 1, 1_000, -100_000_000, 0, 1_000, 100_000_000, 0,
            -100_000_000));
        assertEquals(List.of(new Leaf.Position(1, 1_000, 4_000)), ledger.leaf(7).positions());

        command(() -> events.fundingTickApplied(1, 100_000, 100_000_000, 9_000, 20));
        // It settles to 9,000 and pays 625 quantums into the funding account.
        command(() -> events.fundingPayment(7, 1, -625, 1_000, 9_000, -100_000_625, 625));
        assertEquals(-100_000_625, ledger.leaf(7).balance());
        assertEquals(List.of(new Leaf.Position(1, 1_000, 9_000)), ledger.leaf(7).positions());
        assertEquals(625, ledger.leaf(ReservedLeaves.funding(DEPTH)).balance());

        // Dust swept to the insurance fund comes out of the funding leaf; no account changes.
        command(() -> events.insuranceFundChanged(0, 1, InsuranceCause.FUNDING_DUST, 5, 5, 0));
        assertEquals(620, ledger.leaf(ReservedLeaves.funding(DEPTH)).balance());
        assertEquals(5, ledger.leaf(ReservedLeaves.insurance(DEPTH)).balance());
        assertEquals(-100_000_625, ledger.leaf(7).balance());
    }
}
