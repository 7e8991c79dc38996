package io.perpetua.core.engine;

import io.perpetua.core.book.OrderBook;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.Side;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.perpetua.core.sbe.Side.BUY;
import static io.perpetua.core.sbe.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The risk gate seam: order checks, fill vetoes for makers and takers, composition. */
class RiskGateTest
{
    /** A gate that refuses some accounts outright, some as makers and some as takers, and records fills. */
    private static final class ScriptedGate implements RiskGate
    {
        final List<String> seen = new ArrayList<>();
        final long refusedAccount;
        final long failingMaker;
        final long failingTaker;

        ScriptedGate(final long refusedAccount, final long failingMaker, final long failingTaker)
        {
            this.refusedAccount = refusedAccount;
            this.failingMaker = failingMaker;
            this.failingTaker = failingTaker;
        }

        public RejectReason checkOrder(final OrderRequest request, final OrderBook book)
        {
            seen.add("check " + request.accountId() + (request.isAmend() ? " amend from " + request.previousSizeLots() : ""));
            return request.accountId() == refusedAccount ? RejectReason.INSUFFICIENT_MARGIN : null;
        }

        public FillVerdict checkFill(final OrderBook book, final long makerAccountId, final long takerAccountId,
            final Side takerSide, final long priceTicks, final long sizeLots)
        {
            if (makerAccountId == failingMaker)
            {
                return FillVerdict.REMOVE_MAKER;
            }
            return takerAccountId == failingTaker ? FillVerdict.STOP_TAKER : FillVerdict.PROCEED;
        }

        public void onFill(final OrderBook book, final long tradeId, final long makerAccountId, final long takerAccountId,
            final Side takerSide, final long priceTicks, final long sizeLots, final long quote, final long makerFee,
            final long takerFee)
        {
            seen.add("fill " + makerAccountId + "->" + takerAccountId + " " + sizeLots + "@" + priceTicks + " q" + quote);
        }
    }

    @Test
    void refusedOrdersGetTheGatesReason()
    {
        final ScriptedGate gate = new ScriptedGate(5, 0, 0);
        final EngineHarness h = new EngineHarness(gate, EngineConfig.DEFAULT);
        h.addMarket(1, "BTC-USD", 100_000, false);
        assertEquals(List.of("Rejected cmd=1 INSUFFICIENT_MARGIN acct=5 mkt=1 id=0 cid=0"), h.limit(5, 0, BUY, 100_000, 100));
        h.limit(6, 0, BUY, 100_000, 300);
        h.amend(6, 1, 0, 200, 0);
        assertEquals(List.of("check 5", "check 6", "check 6 amend from 3"), gate.seen);
    }

    @Test
    void failingMakerIsRemovedAndMatchingContinues()
    {
        final ScriptedGate gate = new ScriptedGate(0, 1, 0);
        final EngineHarness h = new EngineHarness(gate, EngineConfig.DEFAULT);
        h.addMarket(1, "BTC-USD", 100_000, false);
        h.limit(1, 0, SELL, 100_000, 100);
        h.limit(2, 0, SELL, 100_000, 100);
        assertEquals(List.of(
            "Accepted acct=3 mkt=1 id=3 cid=0 BUY LIMIT GTC 200@100000",
            "Cancelled acct=1 mkt=1 id=1 cid=0 SELL 100@100000 RISK resting",
            "Fill mkt=1 trade=1 maker=2/2 taker=3/3 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=100",
            "Rested acct=3 mkt=1 id=3 BUY 100@100000"), h.limit(3, 0, BUY, 100_000, 200));
        assertEquals("fill 2->3 1@10000 q10000", gate.seen.get(gate.seen.size() - 1));
    }

    @Test
    void failingTakerStopsAndItsRemainderIsCancelled()
    {
        final ScriptedGate gate = new ScriptedGate(0, 0, 3);
        final EngineHarness h = new EngineHarness(gate, EngineConfig.DEFAULT);
        h.addMarket(1, "BTC-USD", 100_000, false);
        h.limit(1, 0, SELL, 100_000, 100);
        assertEquals(List.of(
            "Accepted acct=3 mkt=1 id=2 cid=0 BUY LIMIT GTC 200@100000",
            "Cancelled acct=3 mkt=1 id=2 cid=0 BUY 200@100000 RISK"), h.limit(3, 0, BUY, 100_000, 200));
        assertEquals(1, h.engine.state().book(1).asks().best().orderCount());
    }

    @Test
    void composedGatesCheckInOrderAndBothSeeFills()
    {
        final ScriptedGate first = new ScriptedGate(7, 0, 0);
        final ScriptedGate second = new ScriptedGate(8, 0, 0);
        final EngineHarness h = new EngineHarness(first.andThen(second), EngineConfig.DEFAULT);
        h.addMarket(1, "BTC-USD", 100_000, false);
        assertEquals(List.of("Rejected cmd=1 INSUFFICIENT_MARGIN acct=7 mkt=1 id=0 cid=0"), h.limit(7, 0, BUY, 100_000, 100));
        assertEquals(List.of("Rejected cmd=1 INSUFFICIENT_MARGIN acct=8 mkt=1 id=0 cid=0"), h.limit(8, 0, BUY, 100_000, 100));
        h.limit(1, 0, SELL, 100_000, 100);
        h.limit(2, 0, BUY, 100_000, 100);
        assertEquals(List.of("check 7", "check 8", "check 1", "check 2", "fill 1->2 1@10000 q10000"), first.seen);
        assertEquals(List.of("check 8", "check 1", "check 2", "fill 1->2 1@10000 q10000"), second.seen);
    }
}
