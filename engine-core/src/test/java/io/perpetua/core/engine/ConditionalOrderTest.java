package io.perpetua.core.engine;

import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.perpetua.core.engine.EngineHarness.BTC;
import static io.perpetua.core.sbe.OrderType.STOP_LIMIT;
import static io.perpetua.core.sbe.OrderType.STOP_MARKET;
import static io.perpetua.core.sbe.OrderType.TAKE_PROFIT_LIMIT;
import static io.perpetua.core.sbe.OrderType.TAKE_PROFIT_MARKET;
import static io.perpetua.core.sbe.Side.BUY;
import static io.perpetua.core.sbe.Side.SELL;
import static io.perpetua.core.sbe.TimeInForce.GTC;
import static io.perpetua.core.sbe.TimeInForce.IOC;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stop and take-profit orders, each rule with its exact events. Market 1: tick 10, lot 100, 1 quote
 * quantum per tick-lot, band 10%; the mark price comes from {@link MarkFeed} (OraclePrice commands),
 * starting at 100,000.
 */
class ConditionalOrderTest
{
    private final MarkFeed feed = new MarkFeed();
    private final EngineHarness h = new EngineHarness(feed, EngineConfig.DEFAULT);

    ConditionalOrderTest()
    {
        h.addMarket(BTC, "BTC-USD", 100_000, false);
        h.mark(100_000);
    }

    @Test
    void stopBuyFiresWhenTheMarkRisesToItsTriggerAndNotBefore()
    {
        h.limit(1, 0, SELL, 101_000, 300);
        assertEquals(List.of("Accepted acct=2 mkt=1 id=2 cid=21 BUY STOP_LIMIT GTC 200@101000 trigger=100500"),
            h.conditional(2, 21, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 200, 0, 100_500));
        assertEquals(0, h.engine.state().book(BTC).bids().levelCount(), "waits off the book");
        assertEquals(List.of("Mark mkt=1 100490"), h.mark(100_490));
        assertEquals(List.of("Mark mkt=1 99000"), h.mark(99_000));
        assertEquals(List.of(
            "Mark mkt=1 100500",
            "Triggered acct=2 mkt=1 id=2 trigger=100500 mark=100500",
            "Accepted acct=2 mkt=1 id=2 cid=21 BUY LIMIT GTC 200@101000 trigger=100500",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/2 BUY 200@101000 quote=20200 makerLeft=100 takerLeft=0"),
            h.mark(100_500));
        assertEquals(List.of("Mark mkt=1 100600"), h.mark(100_600), "fires once");
    }

    @Test
    void stopSellFiresWhenTheMarkFallsToItsTriggerAsAMarketOrder()
    {
        h.limit(1, 0, BUY, 99_000, 500);
        assertEquals(List.of("Accepted acct=2 mkt=1 id=2 cid=0 SELL STOP_MARKET IOC 300@0 trigger=99500"),
            h.conditional(2, 0, SELL, STOP_MARKET, IOC, (byte)0, 0, 300, 0, 99_500));
        assertEquals(List.of("Mark mkt=1 99510"), h.mark(99_510));
        assertEquals(List.of("Mark mkt=1 101000"), h.mark(101_000));
        // The protective limit comes from the mark at the trigger: 99,500 - 10% = 89,550.
        assertEquals(List.of(
            "Mark mkt=1 99500",
            "Triggered acct=2 mkt=1 id=2 trigger=99500 mark=99500",
            "Accepted acct=2 mkt=1 id=2 cid=0 SELL MARKET IOC 300@89550 trigger=99500",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/2 SELL 300@99000 quote=29700 makerLeft=200 takerLeft=0"),
            h.mark(99_500));
    }

    @Test
    void takeProfitSellFiresOnARiseAndTakeProfitBuyOnAFall()
    {
        assertEquals(List.of("Accepted acct=2 mkt=1 id=1 cid=0 SELL TAKE_PROFIT_LIMIT GTC 100@102000 trigger=101000"),
            h.conditional(2, 0, SELL, TAKE_PROFIT_LIMIT, GTC, (byte)0, 102_000, 100, 0, 101_000));
        assertEquals(List.of("Accepted acct=3 mkt=1 id=2 cid=0 BUY TAKE_PROFIT_MARKET IOC 100@0 trigger=99000"),
            h.conditional(3, 0, BUY, TAKE_PROFIT_MARKET, IOC, (byte)0, 0, 100, 0, 99_000));
        assertEquals(List.of("Mark mkt=1 99010"), h.mark(99_010));
        assertEquals(List.of("Mark mkt=1 100990"), h.mark(100_990));
        assertEquals(List.of(
            "Mark mkt=1 101000",
            "Triggered acct=2 mkt=1 id=1 trigger=101000 mark=101000",
            "Accepted acct=2 mkt=1 id=1 cid=0 SELL LIMIT GTC 100@102000 trigger=101000",
            "Rested acct=2 mkt=1 id=1 SELL 100@102000"), h.mark(101_000));
        // 99,000 + 10% = 108,900: the buy reaches the resting sell at 102,000.
        assertEquals(List.of(
            "Mark mkt=1 99000",
            "Triggered acct=3 mkt=1 id=2 trigger=99000 mark=99000",
            "Accepted acct=3 mkt=1 id=2 cid=0 BUY MARKET IOC 100@108900 trigger=99000",
            "Fill mkt=1 trade=1 maker=2/1 taker=3/2 BUY 100@102000 quote=10200 makerLeft=0 takerLeft=0"),
            h.mark(99_000));
    }

    @Test
    void limitUnderlyingRestsItsRemainderAndMarketUnderlyingCancelsIt()
    {
        h.limit(1, 0, SELL, 100_100, 200);
        h.limit(1, 0, SELL, 100_200, 200);
        h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 100_100, 500, 0, 100_050);
        h.conditional(3, 0, BUY, STOP_MARKET, IOC, (byte)0, 0, 500, 0, 100_060);
        assertEquals(List.of(
            "Mark mkt=1 100100",
            "Triggered acct=2 mkt=1 id=3 trigger=100050 mark=100100",
            "Accepted acct=2 mkt=1 id=3 cid=0 BUY LIMIT GTC 500@100100 trigger=100050",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/3 BUY 200@100100 quote=20020 makerLeft=0 takerLeft=300",
            "Rested acct=2 mkt=1 id=3 BUY 300@100100",
            "Triggered acct=3 mkt=1 id=4 trigger=100060 mark=100100",
            "Accepted acct=3 mkt=1 id=4 cid=0 BUY MARKET IOC 500@110110 trigger=100060",
            "Fill mkt=1 trade=2 maker=1/2 taker=3/4 BUY 200@100200 quote=20040 makerLeft=0 takerLeft=300",
            "Cancelled acct=3 mkt=1 id=4 cid=0 BUY 300@110110 IOC_REMAINDER"), h.mark(100_100));
    }

    @Test
    void placementRejectsTriggersAlreadyReachedOrMissingAndTheUnderlyingOrdersFaults()
    {
        h.conditional(2, 7, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 100, 0, 100_500);
        final long hash = h.engine.stateHash();
        assertEquals(List.of("Rejected cmd=1 INVALID_TRIGGER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 100, 0, 100_000));
        assertEquals(List.of("Rejected cmd=1 INVALID_TRIGGER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_MARKET, IOC, (byte)0, 0, 100, 0, 99_990));
        assertEquals(List.of("Rejected cmd=1 INVALID_TRIGGER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, SELL, STOP_LIMIT, GTC, (byte)0, 99_000, 100, 0, 100_010));
        assertEquals(List.of("Rejected cmd=1 INVALID_TRIGGER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, TAKE_PROFIT_LIMIT, GTC, (byte)0, 99_000, 100, 0, 100_000));
        assertEquals(List.of("Rejected cmd=1 INVALID_TRIGGER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, SELL, TAKE_PROFIT_MARKET, IOC, (byte)0, 0, 100, 0, 99_000));
        assertEquals(List.of("Rejected cmd=1 INVALID_TRIGGER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 100, 0, 0));
        assertEquals(List.of("Rejected cmd=1 INVALID_TRIGGER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 100, 0, 100_505));
        assertEquals(List.of("Rejected cmd=1 INVALID_TRIGGER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, SELL, STOP_LIMIT, GTC, (byte)0, 99_000, 100, 0, -99_000));
        // The underlying order's own faults, with its codes.
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, OrderType.LIMIT, GTC, (byte)0, 99_000, 100, 0, 100_500));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_MARKET, GTC, (byte)0, 0, 100, 0, 100_500));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_MARKET, IOC, (byte)0, 101_000, 100, 0, 100_500));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_LIMIT, IOC, CommandEncoder.POST_ONLY, 101_000, 100, 0, 100_500));
        assertEquals(List.of("Rejected cmd=1 BAD_TICK acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_005, 100, 0, 100_500));
        assertEquals(List.of("Rejected cmd=1 BAD_LOT acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 150, 0, 100_500));
        assertEquals(List.of("Rejected cmd=1 SIZE_OUT_OF_RANGE acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 2_000_000, 0, 100_500));
        // The band is checked against the reference (the mark) at placement too.
        assertEquals(List.of("Rejected cmd=1 PRICE_BAND acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, SELL, STOP_LIMIT, GTC, (byte)0, 80_000, 100, 0, 95_000));
        assertEquals(List.of("Rejected cmd=1 DUPLICATE_CLIENT_ID acct=2 mkt=1 id=0 cid=7"),
            h.conditional(2, 7, SELL, STOP_LIMIT, GTC, (byte)0, 99_000, 100, 0, 99_500));
        assertEquals(List.of("Rejected cmd=1 DUPLICATE_CLIENT_ID acct=2 mkt=1 id=0 cid=7"), h.limit(2, 7, BUY, 99_000, 100));
        assertEquals(List.of("Rejected cmd=1 EXPIRED_ON_ARRIVAL acct=2 mkt=1 id=0 cid=0"),
            h.conditional(2, 0, BUY, STOP_LIMIT, TimeInForce.GTT, (byte)0, 101_000, 100, h.nowNs, 100_500));
        assertEquals(hash, h.engine.stateHash(), "rejects change nothing");
        assertEquals(1, h.engine.state().openOrderCount());
    }

    @Test
    void aMarketWithoutMarkPriceRefusesConditionalOrders()
    {
        final EngineHarness fresh = new EngineHarness(new MarkFeed(), EngineConfig.DEFAULT);
        fresh.addMarket(BTC, "BTC-USD", 100_000, false);
        assertEquals(List.of("Rejected cmd=1 NO_MARK_PRICE acct=2 mkt=1 id=0 cid=0"),
            fresh.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 100, 0, 100_500));
        assertEquals(List.of("Rejected cmd=1 INVALID_TRIGGER acct=2 mkt=1 id=0 cid=0"),
            fresh.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 100, 0, 100_505),
            "a malformed trigger is reported before the missing mark");
        // Without an oracle the engine has no mark at all.
        final EngineHarness plain = EngineHarness.withMarket();
        assertEquals(List.of("Rejected cmd=1 NO_MARK_PRICE acct=2 mkt=1 id=0 cid=0"),
            plain.conditional(2, 0, SELL, TAKE_PROFIT_MARKET, IOC, (byte)0, 0, 100, 0, 100_500));
    }

    @Test
    void reduceOnlyConditionalIsCutAtTheTriggerOrRefusedWhenNothingIsLeftToReduce()
    {
        h.limit(1, 0, SELL, 100_000, 300);
        h.limit(2, 0, BUY, 100_000, 300);
        assertEquals(3, feed.position(2, BTC));
        // Placed larger than the position: the cut happens at the trigger, against the position then.
        assertEquals(List.of("Accepted acct=2 mkt=1 id=3 cid=0 SELL STOP_MARKET IOC REDUCE_ONLY 500@0 trigger=99000"),
            h.conditional(2, 0, SELL, STOP_MARKET, IOC, CommandEncoder.REDUCE_ONLY, 0, 500, 0, 99_000));
        h.conditional(2, 0, SELL, STOP_LIMIT, GTC, CommandEncoder.REDUCE_ONLY, 98_000, 100, 0, 98_900);
        h.limit(3, 0, BUY, 98_500, 1000);
        assertEquals(List.of(
            "Mark mkt=1 98900",
            "Triggered acct=2 mkt=1 id=3 trigger=99000 mark=98900",
            "Accepted acct=2 mkt=1 id=3 cid=0 SELL MARKET IOC REDUCE_ONLY 300@89010 trigger=99000",
            "Fill mkt=1 trade=2 maker=3/5 taker=2/3 SELL 300@98500 quote=29550 makerLeft=700 takerLeft=0",
            "Triggered acct=2 mkt=1 id=4 trigger=98900 mark=98900",
            "Rejected cmd=1 REDUCE_ONLY_WOULD_INCREASE acct=2 mkt=1 id=4 cid=0"), h.mark(98_900));
        assertEquals(0, feed.position(2, BTC));
        assertEquals(1, h.engine.state().openOrderCount(), "only the resting bid is left");
    }

    @Test
    void untriggeredOrdersCancelByIdOrClientIdAndOnlyForTheirOwner()
    {
        h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 200, 0, 100_500);
        h.conditional(2, 22, SELL, TAKE_PROFIT_MARKET, IOC, (byte)0, 0, 300, 0, 100_800);
        assertEquals(List.of("Rejected cmd=2 UNKNOWN_ORDER acct=3 mkt=1 id=1 cid=0"), h.cancel(3, 1, 0));
        assertEquals(List.of("Cancelled acct=2 mkt=1 id=1 cid=0 BUY 200@101000 USER"), h.cancel(2, 1, 0));
        assertEquals(List.of("Cancelled acct=2 mkt=1 id=2 cid=22 SELL 300@0 USER"), h.cancel(2, 0, 22));
        assertEquals(List.of("Rejected cmd=2 UNKNOWN_ORDER acct=2 mkt=1 id=0 cid=22"), h.cancel(2, 0, 22));
        assertEquals(List.of("Mark mkt=1 101000"), h.mark(101_000));
        assertEquals(0, h.engine.state().openOrderCount());
        assertEquals(0, h.engine.state().book(BTC).conditionals().count());
    }

    @Test
    void cancelAllTakesRestingAndUntriggeredOrdersInIdOrder()
    {
        h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 101_000, 200, 0, 100_500);
        h.limit(2, 0, BUY, 99_000, 100);
        h.conditional(2, 0, SELL, STOP_MARKET, IOC, (byte)0, 0, 300, 0, 99_000);
        h.conditional(3, 0, SELL, STOP_MARKET, IOC, (byte)0, 0, 300, 0, 99_000);
        assertEquals(List.of(
            "Cancelled acct=2 mkt=1 id=1 cid=0 BUY 200@101000 CANCEL_ALL",
            "Cancelled acct=2 mkt=1 id=2 cid=0 BUY 100@99000 CANCEL_ALL resting",
            "Cancelled acct=2 mkt=1 id=3 cid=0 SELL 300@0 CANCEL_ALL"), h.cancelAll(2, BTC));
        assertEquals(1, h.engine.state().book(BTC).conditionals().count(), "another account's order stays");
    }

    @Test
    void untriggeredGttOrderExpiresInCommandTime()
    {
        final long expiry = h.nowNs + 10_000_000L;
        assertEquals(List.of("Accepted acct=2 mkt=1 id=1 cid=0 BUY STOP_LIMIT GTT 200@101000 exp=" + expiry + " trigger=100500"),
            h.conditional(2, 0, BUY, STOP_LIMIT, TimeInForce.GTT, (byte)0, 101_000, 200, expiry, 100_500));
        assertEquals(List.of(), h.heartbeatAt(expiry - 1));
        assertEquals(List.of("Expired acct=2 mkt=1 id=1 BUY 200@101000"), h.heartbeatAt(expiry));
        assertEquals(List.of("Mark mkt=1 100500"), h.mark(100_500));
        assertEquals(0, h.engine.state().openOrderCount());
    }

    @Test
    void oneUpdateFiresEveryReachedOrderInPricePathOrderThenByOrderId()
    {
        h.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 99_000, 100, 0, 100_300);
        h.conditional(3, 0, BUY, STOP_LIMIT, GTC, (byte)0, 99_000, 100, 0, 100_200);
        h.conditional(4, 0, SELL, TAKE_PROFIT_LIMIT, GTC, (byte)0, 101_000, 100, 0, 100_200);
        h.conditional(5, 0, SELL, TAKE_PROFIT_LIMIT, GTC, (byte)0, 101_000, 100, 0, 100_100);
        h.conditional(6, 0, BUY, STOP_LIMIT, GTC, (byte)0, 99_000, 100, 0, 100_600);
        h.conditional(7, 0, SELL, STOP_LIMIT, GTC, (byte)0, 101_000, 100, 0, 99_500);
        h.conditional(8, 0, BUY, TAKE_PROFIT_LIMIT, GTC, (byte)0, 99_000, 100, 0, 99_500);
        h.conditional(9, 0, SELL, STOP_LIMIT, GTC, (byte)0, 101_000, 100, 0, 99_800);
        // Rising: ascending trigger, ties by order id; orders beyond the mark and falling orders wait.
        assertEquals(List.of(
            "Mark mkt=1 100500",
            "Triggered acct=5 mkt=1 id=4 trigger=100100 mark=100500",
            "Accepted acct=5 mkt=1 id=4 cid=0 SELL LIMIT GTC 100@101000 trigger=100100",
            "Rested acct=5 mkt=1 id=4 SELL 100@101000",
            "Triggered acct=3 mkt=1 id=2 trigger=100200 mark=100500",
            "Accepted acct=3 mkt=1 id=2 cid=0 BUY LIMIT GTC 100@99000 trigger=100200",
            "Rested acct=3 mkt=1 id=2 BUY 100@99000",
            "Triggered acct=4 mkt=1 id=3 trigger=100200 mark=100500",
            "Accepted acct=4 mkt=1 id=3 cid=0 SELL LIMIT GTC 100@101000 trigger=100200",
            "Rested acct=4 mkt=1 id=3 SELL 100@101000",
            "Triggered acct=2 mkt=1 id=1 trigger=100300 mark=100500",
            "Accepted acct=2 mkt=1 id=1 cid=0 BUY LIMIT GTC 100@99000 trigger=100300",
            "Rested acct=2 mkt=1 id=1 BUY 100@99000"), h.mark(100_500));
        // Falling: descending trigger, ties by order id.
        assertEquals(List.of(
            "Mark mkt=1 99400",
            "Triggered acct=9 mkt=1 id=8 trigger=99800 mark=99400",
            "Accepted acct=9 mkt=1 id=8 cid=0 SELL LIMIT GTC 100@101000 trigger=99800",
            "Rested acct=9 mkt=1 id=8 SELL 100@101000",
            "Triggered acct=7 mkt=1 id=6 trigger=99500 mark=99400",
            "Accepted acct=7 mkt=1 id=6 cid=0 SELL LIMIT GTC 100@101000 trigger=99500",
            "Rested acct=7 mkt=1 id=6 SELL 100@101000",
            "Triggered acct=8 mkt=1 id=7 trigger=99500 mark=99400",
            "Accepted acct=8 mkt=1 id=7 cid=0 BUY LIMIT GTC 100@99000 trigger=99500",
            "Rested acct=8 mkt=1 id=7 BUY 100@99000"), h.mark(99_400));
        assertEquals(1, h.engine.state().book(BTC).conditionals().count(), "the stop buy at 100,600 still waits");
    }

    @Test
    void onlyTheMarkTriggersNotTradesAndFiredOrdersDoNotFireOthers()
    {
        h.limit(1, 0, SELL, 101_000, 100);
        h.limit(1, 0, SELL, 104_000, 100);
        h.conditional(2, 0, BUY, STOP_MARKET, IOC, (byte)0, 0, 200, 0, 100_200);
        h.conditional(3, 0, BUY, STOP_LIMIT, GTC, (byte)0, 105_000, 100, 0, 100_400);
        // The first stop trades up to 104,000, past the second's trigger: the mark (100,300) is what counts.
        assertEquals(List.of(
            "Mark mkt=1 100300",
            "Triggered acct=2 mkt=1 id=3 trigger=100200 mark=100300",
            "Accepted acct=2 mkt=1 id=3 cid=0 BUY MARKET IOC 200@110330 trigger=100200",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/3 BUY 100@101000 quote=10100 makerLeft=0 takerLeft=100",
            "Fill mkt=1 trade=2 maker=1/2 taker=2/3 BUY 100@104000 quote=10400 makerLeft=0 takerLeft=0"),
            h.mark(100_300));
        assertEquals(10_400, h.engine.state().book(BTC).lastTradePriceTicks());
        assertEquals(1, h.engine.state().book(BTC).conditionals().count());
    }

    @Test
    void aTriggerThatFailsACheckEndsInARejectForThatOrder()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        h.conditional(2, 31, BUY, STOP_LIMIT, GTC, CommandEncoder.POST_ONLY, 100_000, 100, 0, 100_100);
        h.conditional(3, 0, BUY, STOP_LIMIT, TimeInForce.FOK, (byte)0, 100_000, 500, 0, 100_100);
        h.conditional(4, 0, BUY, STOP_LIMIT, GTC, (byte)0, 91_000, 100, 0, 100_200);
        // 91,000 is 10.3% below the new mark of 101,500: outside the band when it triggers.
        assertEquals(List.of(
            "Mark mkt=1 101500",
            "Triggered acct=2 mkt=1 id=2 trigger=100100 mark=101500",
            "Rejected cmd=1 POST_ONLY_WOULD_CROSS acct=2 mkt=1 id=2 cid=31",
            "Triggered acct=3 mkt=1 id=3 trigger=100100 mark=101500",
            "Rejected cmd=1 FOK_NOT_FILLABLE acct=3 mkt=1 id=3 cid=0",
            "Triggered acct=4 mkt=1 id=4 trigger=100200 mark=101500",
            "Rejected cmd=1 PRICE_BAND acct=4 mkt=1 id=4 cid=0"), h.mark(101_500));
        assertEquals(1, h.engine.state().openOrderCount());
        // The client id is free again once its order is gone.
        assertEquals(List.of(
            "Accepted acct=2 mkt=1 id=5 cid=31 BUY LIMIT GTC 100@99000",
            "Rested acct=2 mkt=1 id=5 BUY 100@99000"), h.limit(2, 31, BUY, 99_000, 100));
    }

    @Test
    void aTriggerInAHaltedMarketIsRejected()
    {
        h.conditional(2, 0, SELL, STOP_MARKET, IOC, (byte)0, 0, 100, 0, 99_000);
        h.submit(h.encoder.updateMarket(h.buffer, 0, BTC, 100, 1_000_000, 0, 100_000, -100, 500, false, MarketStatus.HALTED));
        assertEquals(List.of(
            "Mark mkt=1 98000",
            "Triggered acct=2 mkt=1 id=1 trigger=99000 mark=98000",
            "Rejected cmd=1 MARKET_HALTED acct=2 mkt=1 id=1 cid=0"), h.mark(98_000));
    }

    @Test
    void untriggeredOrdersCannotBeAmendedButKeepTheirClientIdAfterTheTrigger()
    {
        h.conditional(2, 5, BUY, STOP_LIMIT, GTC, (byte)0, 99_000, 200, 0, 100_500);
        assertEquals(List.of("Rejected cmd=4 INVALID_AMEND acct=2 mkt=1 id=1 cid=0"), h.amend(2, 1, 0, 100, 0));
        assertEquals(List.of("Rejected cmd=4 INVALID_AMEND acct=2 mkt=1 id=1 cid=0"), h.amend(2, 1, 98_000, 0, 0));
        h.mark(100_500);
        assertEquals(List.of("Amended acct=2 mkt=1 id=1 BUY 200@99000 -> 100@99000 kept"), h.amend(2, 1, 0, 100, 0));
        assertEquals(List.of("Cancelled acct=2 mkt=1 id=1 cid=5 BUY 100@99000 USER resting"), h.cancel(2, 0, 5));
    }

    @Test
    void untriggeredOrdersCountAgainstTheOrderCapacity()
    {
        final EngineHarness small = new EngineHarness(new MarkFeed(), new EngineConfig(2, 2));
        small.addMarket(BTC, "BTC-USD", 100_000, false);
        small.mark(100_000);
        small.conditional(2, 0, BUY, STOP_LIMIT, GTC, (byte)0, 99_000, 100, 0, 100_500);
        small.limit(2, 0, BUY, 99_000, 100);
        assertEquals(List.of("Rejected cmd=1 BOOK_FULL acct=2 mkt=1 id=0 cid=0"),
            small.conditional(2, 0, SELL, STOP_MARKET, IOC, (byte)0, 0, 100, 0, 99_500));
        small.cancel(2, 1, 0);
        assertEquals(List.of("Accepted acct=2 mkt=1 id=3 cid=0 SELL STOP_MARKET IOC 100@0 trigger=99500"),
            small.conditional(2, 0, SELL, STOP_MARKET, IOC, (byte)0, 0, 100, 0, 99_500));
    }
}
