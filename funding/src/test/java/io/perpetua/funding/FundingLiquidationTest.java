package io.perpetua.funding;

import io.perpetua.core.sbe.Side;
import io.perpetua.risk.view.AccountView;
import io.perpetua.risk.view.MarginViews;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.perpetua.funding.FundingHarness.COIN;
import static io.perpetua.funding.FundingHarness.USD;
import static io.perpetua.funding.FundingHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Funding alone moves an account toward liquidation: the mark never moves, yet persistent capped
 * funding drains a long below maintenance. The margin views (fed by the events journal) see the
 * funding owed before the position ever settles, the liquidation monitor submits Liquidate, and
 * the core, which counts the same unsettled funding, liquidates.
 */
class FundingLiquidationTest
{
    private static final long HOUR = 3_600_000_000_000L;

    @Test
    void persistentFundingBringsALongBelowMaintenanceAndItIsLiquidated()
    {
        final FundingHarness h = new FundingHarness();
        final List<Long> submitted = new ArrayList<>();
        final MarginViews views = new MarginViews(accountId -> submitted.add(accountId));
        h.market(1, 50_000, 30_000);
        expectNoReject(h.oracle(1, 100 * USD));
        expectNoReject(h.deposit(1, 6 * USD));
        expectNoReject(h.deposit(2, 10_000 * USD));
        // Account 1 buys 1 coin at $100: NC $6, IMR 5% = $5, MMR 3% = $3.
        h.trade(2, 1, 1, 100 * USD, COIN);
        // The cap 6 x (5% - 3%) = 12% per 8 h; a tick at $100 adds 1.2e8 x 100 x 1,000 = 1.2e13: $1.50 per coin.
        final long cap = FundingConfig.defaults().capPpb(50_000, 30_000);
        int fed = feed(h, views, 0);

        // Two ticks: NC = 6 - 3 = $3, not below MMR $3. The core agrees and refuses without a trace.
        expectNoReject(h.fundingTick(1, cap, HOUR));
        expectNoReject(h.fundingTick(1, cap, 2 * HOUR));
        fed = feed(h, views, fed);
        assertEquals(List.of(), submitted);
        assertEquals(3 * USD, views.account(1).netCollateral());
        final long hash = h.engine.stateHash();
        assertEquals(List.of("Rejected NOT_LIQUIDATABLE"), h.liquidate(1));
        assertEquals(hash, h.engine.stateHash());
        fed = feed(h, views, fed);

        // Third tick: NC $1.50 < $3. Nothing has settled; the view counts the $4.50 owed and the monitor acts.
        expectNoReject(h.fundingTick(1, cap, 3 * HOUR));
        fed = feed(h, views, fed);
        final AccountView view = views.account(1);
        assertEquals(-94 * USD, view.balance());
        assertEquals(1_500_000, view.netCollateral());
        assertEquals(List.of(1L), submitted);

        // The core liquidates into account 2's bid at $99; the fill settles both sides' funding first (the maker
        // receives its $4.50, then the liquidated long pays it: exact, no dust).
        expectNoReject(h.limit(2, 1, Side.BUY, 99 * USD, COIN));
        final List<String> events = h.liquidate(submitted.get(0));
        final int makerPayment = events.indexOf("FundingPayment account=2 market=1 amount=4500000 size=-1000 " +
            "index=36000000000000 balance=10104500000 funding=-4500000");
        final int payment = events.indexOf("FundingPayment account=1 market=1 amount=-4500000 size=1000 " +
            "index=36000000000000 balance=-98500000 funding=0");
        assertTrue(makerPayment >= 0 && payment > makerPayment, events.toString());
        assertTrue(events.indexOf("LiquidationStep account=1") > payment, events.toString());
        assertEquals(0, h.account(1).positionCount());
        feed(h, views, fed);
        assertEquals(0, views.account(1).positions().size());
    }

    private static int feed(final FundingHarness h, final MarginViews views, final int from)
    {
        for (int i = from; i < h.documents.size(); i++)
        {
            final byte[] document = h.documents.get(i);
            views.onDocument(new UnsafeBuffer(document), 0, document.length);
        }
        return h.documents.size();
    }
}
