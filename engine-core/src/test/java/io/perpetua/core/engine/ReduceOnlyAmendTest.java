package io.perpetua.core.engine;

import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.perpetua.core.engine.EngineHarness.BTC;
import static io.perpetua.core.sbe.Side.BUY;
import static io.perpetua.core.sbe.Side.SELL;
import static io.perpetua.core.sbe.TimeInForce.GTC;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An amend that crosses the book changes the amending account's position while its own order is
 * off the book (matched as a taker, still indexed): reduce-only orders are trimmed only after that
 * order is back on the book or gone, so the trim sees it in the state it ends in. Market 1 as in
 * {@link ConditionalOrderTest}: lot 100, so a size of 300 is 3 lots.
 */
class ReduceOnlyAmendTest
{
    private final MarkFeed feed = new MarkFeed();
    private final EngineHarness h = new EngineHarness(feed, EngineConfig.DEFAULT);

    ReduceOnlyAmendTest()
    {
        h.addMarket(BTC, "BTC-USD", 100_000, false);
        h.mark(100_000);
    }

    /** Account 2 goes long {@code size} against account 1 (orders 1 and 2). */
    private void longPosition(final long size)
    {
        h.limit(1, 0, SELL, 100_000, size);
        h.limit(2, 0, BUY, 100_000, size);
        assertEquals(size / 100, feed.position(2, BTC));
    }

    private List<String> reduceOnlySell(final long price, final long size)
    {
        return h.place(2, 0, SELL, OrderType.LIMIT, GTC, CommandEncoder.REDUCE_ONLY, SelfTradePrevention.CANCEL_MAKER,
            price, size, 0);
    }

    @Test
    void aReduceOnlyOrderAmendedPartlyThroughTheBookRestsWhatIsLeft()
    {
        longPosition(500);
        reduceOnlySell(101_000, 500);
        h.limit(3, 0, BUY, 99_500, 300);
        assertEquals(List.of(
            "Amended acct=2 mkt=1 id=3 SELL 500@101000 -> 500@99500 requeued",
            "Fill mkt=1 trade=2 maker=3/4 taker=2/3 SELL 300@99500 quote=29850 makerLeft=0 takerLeft=200",
            "Rested acct=2 mkt=1 id=3 SELL 200@99500"), h.amend(2, 3, 99_500, 0, 0));
        assertEquals(2, feed.position(2, BTC));
        assertEquals(1, h.engine.state().openOrderCount());
    }

    @Test
    void aReduceOnlyOrderAmendedFullyThroughTheBookIsGoneWithoutACancel()
    {
        longPosition(300);
        reduceOnlySell(101_000, 300);
        h.limit(3, 0, BUY, 99_500, 300);
        assertEquals(List.of(
            "Amended acct=2 mkt=1 id=3 SELL 300@101000 -> 300@99500 requeued",
            "Fill mkt=1 trade=2 maker=3/4 taker=2/3 SELL 300@99500 quote=29850 makerLeft=0 takerLeft=0"),
            h.amend(2, 3, 99_500, 0, 0));
        assertEquals(0, feed.position(2, BTC));
        assertEquals(0, h.engine.state().openOrderCount());
    }

    @Test
    void theAmendingAccountsOtherReduceOnlyOrdersAreCutAfterTheAmendedOrderRests()
    {
        longPosition(500);
        reduceOnlySell(101_000, 300);
        reduceOnlySell(102_000, 400);
        h.limit(3, 0, BUY, 99_500, 300);
        assertEquals(List.of(
            "Amended acct=2 mkt=1 id=3 SELL 300@101000 -> 300@99500 requeued",
            "Fill mkt=1 trade=2 maker=3/5 taker=2/3 SELL 300@99500 quote=29850 makerLeft=0 takerLeft=0",
            "Amended acct=2 mkt=1 id=4 SELL 400@102000 -> 200@102000 kept"), h.amend(2, 3, 99_500, 0, 0));
        assertEquals(2, feed.position(2, BTC));
    }
}
