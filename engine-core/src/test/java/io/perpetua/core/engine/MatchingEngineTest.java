package io.perpetua.core.engine;

import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.perpetua.core.engine.EngineHarness.BTC;
import static io.perpetua.core.sbe.Side.BUY;
import static io.perpetua.core.sbe.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every order type, time in force, self-trade prevention mode and amend rule, each with its exact
 * events. Market 1: tick 10, lot 100, 1 quote quantum per tick-lot, reference 100,000, band 10%.
 */
class MatchingEngineTest
{
    private final EngineHarness h = EngineHarness.withMarket();

    @Test
    void limitOrderRestsWhenNothingCrosses()
    {
        assertEquals(List.of(
            "Accepted acct=7 mkt=1 id=1 cid=70 BUY LIMIT GTC 500@99000",
            "Rested acct=7 mkt=1 id=1 BUY 500@99000"), h.limit(7, 70, BUY, 99_000, 500));
        assertEquals(99_000 / 10, h.engine.state().book(BTC).bids().best().priceTicks());
    }

    @Test
    void crossingOrderFillsAtMakerPriceAndRestsItsRemainder()
    {
        h.limit(1, 0, SELL, 100_000, 300);
        assertEquals(List.of(
            "Accepted acct=2 mkt=1 id=2 cid=0 BUY LIMIT GTC 500@101000",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/2 BUY 300@100000 quote=30000 makerLeft=0 takerLeft=200",
            "Rested acct=2 mkt=1 id=2 BUY 200@101000"), h.limit(2, 0, BUY, 101_000, 500));
        assertEquals(0, h.engine.state().book(BTC).asks().levelCount());
        assertEquals(10_000, h.engine.state().book(BTC).lastTradePriceTicks());
    }

    @Test
    void betterPriceFirstThenOlderFirst()
    {
        h.limit(1, 0, SELL, 100_100, 100);
        h.limit(2, 0, SELL, 100_000, 100);
        h.limit(3, 0, SELL, 100_000, 100);
        assertEquals(List.of(
            "Accepted acct=4 mkt=1 id=4 cid=0 BUY LIMIT GTC 300@100100",
            "Fill mkt=1 trade=1 maker=2/2 taker=4/4 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=200",
            "Fill mkt=1 trade=2 maker=3/3 taker=4/4 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=100",
            "Fill mkt=1 trade=3 maker=1/1 taker=4/4 BUY 100@100100 quote=10010 makerLeft=0 takerLeft=0"),
            h.limit(4, 0, BUY, 100_100, 300));
    }

    @Test
    void partialMakerFillKeepsTheRestOnTheBook()
    {
        h.limit(1, 0, BUY, 100_000, 1000);
        assertEquals(List.of(
            "Accepted acct=2 mkt=1 id=2 cid=0 SELL LIMIT GTC 400@99000",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/2 SELL 400@100000 quote=40000 makerLeft=600 takerLeft=0"),
            h.limit(2, 0, SELL, 99_000, 400));
        assertEquals(6, h.engine.state().book(BTC).bids().best().totalSizeLots());
    }

    @Test
    void marketOrderTradesUpToTheBandAndCancelsTheRest()
    {
        h.limit(1, 0, SELL, 105_000, 100);
        assertEquals(List.of("Rejected cmd=1 PRICE_BAND acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, SELL, 110_010, 100));
        assertEquals(List.of(
            "Accepted acct=2 mkt=1 id=2 cid=0 BUY MARKET IOC 300@110000",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/2 BUY 100@105000 quote=10500 makerLeft=0 takerLeft=200",
            "Cancelled acct=2 mkt=1 id=2 cid=0 BUY 200@110000 IOC_REMAINDER"),
            h.place(2, 0, BUY, OrderType.MARKET, TimeInForce.IOC, (byte)0, SelfTradePrevention.CANCEL_MAKER, 0, 300, 0));
    }

    @Test
    void marketOrderNeedsAReferencePriceAndAnImmediateTimeInForce()
    {
        final EngineHarness noReference = new EngineHarness();
        noReference.addMarket(BTC, "BTC-USD", 0, false);
        assertEquals(List.of("Rejected cmd=1 NO_REFERENCE_PRICE acct=2 mkt=1 id=0 cid=0"),
            noReference.place(2, 0, BUY, OrderType.MARKET, TimeInForce.IOC, (byte)0, SelfTradePrevention.CANCEL_MAKER, 0, 300, 0));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=2 mkt=1 id=0 cid=0"),
            h.place(2, 0, BUY, OrderType.MARKET, TimeInForce.GTC, (byte)0, SelfTradePrevention.CANCEL_MAKER, 0, 300, 0));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=2 mkt=1 id=0 cid=0"),
            h.place(2, 0, BUY, OrderType.MARKET, TimeInForce.IOC, (byte)0, SelfTradePrevention.CANCEL_MAKER, 100_000, 300, 0));
    }

    @Test
    void iocCancelsItsRemainderAndNeverRests()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        assertEquals(List.of(
            "Accepted acct=2 mkt=1 id=2 cid=0 BUY LIMIT IOC 300@100000",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/2 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=200",
            "Cancelled acct=2 mkt=1 id=2 cid=0 BUY 200@100000 IOC_REMAINDER"),
            ioc(2, BUY, 100_000, 300));
        assertEquals(0, h.engine.state().book(BTC).bids().levelCount());
        assertEquals(List.of(
            "Accepted acct=2 mkt=1 id=3 cid=0 BUY LIMIT IOC 300@100000",
            "Cancelled acct=2 mkt=1 id=3 cid=0 BUY 300@100000 IOC_REMAINDER"),
            ioc(2, BUY, 100_000, 300));
    }

    @Test
    void fokFillsCompletelyOrIsRejectedBeforeAnyFill()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        h.limit(3, 0, SELL, 100_500, 100);
        final long hashBefore = h.engine.stateHash();
        assertEquals(List.of("Rejected cmd=1 FOK_NOT_FILLABLE acct=2 mkt=1 id=0 cid=0"), fok(2, BUY, 100_500, 300));
        assertEquals(hashBefore, h.engine.stateHash());
        assertEquals(List.of(
            "Accepted acct=2 mkt=1 id=3 cid=0 BUY LIMIT FOK 200@100500",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/3 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=100",
            "Fill mkt=1 trade=2 maker=3/2 taker=2/3 BUY 100@100500 quote=10050 makerLeft=0 takerLeft=0"),
            fok(2, BUY, 100_500, 200));
    }

    @Test
    void fokDoesNotCountOwnOrdersThatSelfTradePreventionWouldCancel()
    {
        h.limit(2, 0, SELL, 100_000, 100);
        h.limit(1, 0, SELL, 100_000, 100);
        assertEquals(List.of("Rejected cmd=1 FOK_NOT_FILLABLE acct=2 mkt=1 id=0 cid=0"), fok(2, BUY, 100_000, 200));
        assertEquals(2, h.engine.state().book(BTC).asks().best().orderCount());
    }

    @Test
    void postOnlyRestsOrIsRejectedIfItWouldCross()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        assertEquals(List.of("Rejected cmd=1 POST_ONLY_WOULD_CROSS acct=2 mkt=1 id=0 cid=5"),
            h.place(2, 5, BUY, OrderType.LIMIT, TimeInForce.GTC, CommandEncoder.POST_ONLY, SelfTradePrevention.CANCEL_MAKER,
                100_000, 100, 0));
        assertEquals(List.of(
            "Accepted acct=2 mkt=1 id=2 cid=5 BUY LIMIT GTC POST_ONLY 100@99990",
            "Rested acct=2 mkt=1 id=2 BUY 100@99990"),
            h.place(2, 5, BUY, OrderType.LIMIT, TimeInForce.GTC, CommandEncoder.POST_ONLY, SelfTradePrevention.CANCEL_MAKER,
                99_990, 100, 0));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=2 mkt=1 id=0 cid=0"),
            h.place(2, 0, BUY, OrderType.LIMIT, TimeInForce.IOC, CommandEncoder.POST_ONLY, SelfTradePrevention.CANCEL_MAKER,
                99_990, 100, 0));
    }

    @Test
    void gttOrdersExpireInCommandTime()
    {
        final long expiry = h.nowNs + 10_000_000L;
        assertEquals(List.of(
            "Accepted acct=1 mkt=1 id=1 cid=0 SELL LIMIT GTT 100@100000 exp=" + expiry,
            "Rested acct=1 mkt=1 id=1 SELL 100@100000"),
            h.place(1, 0, SELL, OrderType.LIMIT, TimeInForce.GTT, (byte)0, SelfTradePrevention.CANCEL_MAKER, 100_000, 100, expiry));
        assertEquals(List.of(), h.heartbeatAt(expiry - 1));
        assertEquals(List.of("Expired acct=1 mkt=1 id=1 SELL 100@100000"), h.heartbeatAt(expiry));
        assertEquals(0, h.engine.state().book(BTC).asks().levelCount());
    }

    @Test
    void expiryHappensBeforeTheCommandThatCarriesTheTime()
    {
        final long expiry = h.nowNs + 5_000_000L;
        h.place(1, 0, SELL, OrderType.LIMIT, TimeInForce.GTT, (byte)0, SelfTradePrevention.CANCEL_MAKER, 100_000, 100, expiry);
        h.nowNs = expiry;
        assertEquals(List.of(
            "Expired acct=1 mkt=1 id=1 SELL 100@100000",
            "Accepted acct=2 mkt=1 id=2 cid=0 BUY LIMIT GTC 100@100000",
            "Rested acct=2 mkt=1 id=2 BUY 100@100000"), h.limit(2, 0, BUY, 100_000, 100));
    }

    @Test
    void gttRejectsMissingOrPastExpiry()
    {
        assertEquals(List.of("Rejected cmd=1 EXPIRED_ON_ARRIVAL acct=1 mkt=1 id=0 cid=0"),
            h.place(1, 0, SELL, OrderType.LIMIT, TimeInForce.GTT, (byte)0, SelfTradePrevention.CANCEL_MAKER,
                100_000, 100, h.nowNs + 1_000_000L));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=1 mkt=1 id=0 cid=0"),
            h.place(1, 0, SELL, OrderType.LIMIT, TimeInForce.GTT, (byte)0, SelfTradePrevention.CANCEL_MAKER, 100_000, 100, 0));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=1 mkt=1 id=0 cid=0"),
            h.place(1, 0, SELL, OrderType.LIMIT, TimeInForce.GTC, (byte)0, SelfTradePrevention.CANCEL_MAKER, 100_000, 100, 5));
    }

    @Test
    void selfTradeCancelMakerRemovesOwnRestingOrderAndKeepsMatching()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        h.limit(2, 0, SELL, 100_000, 100);
        assertEquals(List.of(
            "Accepted acct=1 mkt=1 id=3 cid=0 BUY LIMIT GTC 100@100000",
            "Cancelled acct=1 mkt=1 id=1 cid=0 SELL 100@100000 SELF_TRADE resting",
            "Fill mkt=1 trade=1 maker=2/2 taker=1/3 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=0"),
            h.limit(1, 0, BUY, 100_000, 100));
    }

    @Test
    void selfTradeCancelTakerStopsTheIncomingOrder()
    {
        h.limit(2, 0, SELL, 100_000, 100);
        h.limit(1, 0, SELL, 100_000, 100);
        h.limit(2, 0, SELL, 100_000, 100);
        assertEquals(List.of(
            "Accepted acct=1 mkt=1 id=4 cid=0 BUY LIMIT GTC 300@100000",
            "Fill mkt=1 trade=1 maker=2/1 taker=1/4 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=200",
            "Cancelled acct=1 mkt=1 id=4 cid=0 BUY 200@100000 SELF_TRADE"),
            h.place(1, 0, BUY, OrderType.LIMIT, TimeInForce.GTC, (byte)0, SelfTradePrevention.CANCEL_TAKER, 100_000, 300, 0));
        assertEquals(2, h.engine.state().book(BTC).asks().best().orderCount());
    }

    @Test
    void selfTradeCancelBothRemovesMakerAndStopsTaker()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        h.limit(2, 0, SELL, 100_000, 100);
        assertEquals(List.of(
            "Accepted acct=1 mkt=1 id=3 cid=0 BUY LIMIT GTC 200@100000",
            "Cancelled acct=1 mkt=1 id=1 cid=0 SELL 100@100000 SELF_TRADE resting",
            "Cancelled acct=1 mkt=1 id=3 cid=0 BUY 200@100000 SELF_TRADE"),
            h.place(1, 0, BUY, OrderType.LIMIT, TimeInForce.GTC, (byte)0, SelfTradePrevention.CANCEL_BOTH, 100_000, 200, 0));
        assertEquals(1, h.engine.state().book(BTC).asks().best().orderCount());
    }

    @Test
    void marketsThatAllowSelfTradesMatchOwnOrders()
    {
        final EngineHarness open = new EngineHarness();
        open.addMarket(BTC, "BTC-USD", 0, true);
        open.limit(1, 0, SELL, 100_000, 100);
        assertEquals(List.of(
            "Accepted acct=1 mkt=1 id=2 cid=0 BUY LIMIT GTC 100@100000",
            "Fill mkt=1 trade=1 maker=1/1 taker=1/2 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=0"),
            open.limit(1, 0, BUY, 100_000, 100));
    }

    @Test
    void amendSizeDownKeepsPriority()
    {
        h.limit(1, 0, SELL, 100_000, 300);
        h.limit(2, 0, SELL, 100_000, 100);
        assertEquals(List.of("Amended acct=1 mkt=1 id=1 SELL 300@100000 -> 200@100000 kept"), h.amend(1, 1, 0, 200, 0));
        assertEquals(List.of("Amended acct=1 mkt=1 id=1 SELL 200@100000 -> 100@100000 kept"), h.amend(1, 1, 0, 0, 100));
        assertEquals(List.of(
            "Accepted acct=3 mkt=1 id=3 cid=0 BUY LIMIT GTC 100@100000",
            "Fill mkt=1 trade=1 maker=1/1 taker=3/3 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=0"),
            h.limit(3, 0, BUY, 100_000, 100));
    }

    @Test
    void amendSizeUpLosesPriority()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        h.limit(2, 0, SELL, 100_000, 100);
        assertEquals(List.of(
            "Amended acct=1 mkt=1 id=1 SELL 100@100000 -> 200@100000 requeued",
            "Rested acct=1 mkt=1 id=1 SELL 200@100000"), h.amend(1, 1, 0, 200, 0));
        assertEquals(List.of(
            "Accepted acct=3 mkt=1 id=3 cid=0 BUY LIMIT GTC 100@100000",
            "Fill mkt=1 trade=1 maker=2/2 taker=3/3 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=0"),
            h.limit(3, 0, BUY, 100_000, 100));
    }

    @Test
    void amendPriceReentersAsTakerAndRestsTheRemainderWithTheSameIds()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        h.limit(2, 22, BUY, 99_000, 300);
        assertEquals(List.of(
            "Amended acct=2 mkt=1 id=2 BUY 300@99000 -> 300@100000 requeued",
            "Fill mkt=1 trade=1 maker=1/1 taker=2/2 BUY 100@100000 quote=10000 makerLeft=0 takerLeft=200",
            "Rested acct=2 mkt=1 id=2 BUY 200@100000"), h.amend(2, 2, 100_000, 0, 0));
        assertEquals(List.of("Cancelled acct=2 mkt=1 id=2 cid=22 BUY 200@100000 USER resting"), h.cancel(2, 0, 22));
    }

    @Test
    void amendRejectsNoChangeConflictsAndPostOnlyCross()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        h.place(2, 0, BUY, OrderType.LIMIT, TimeInForce.GTC, CommandEncoder.POST_ONLY, SelfTradePrevention.CANCEL_MAKER,
            99_000, 100, 0);
        assertEquals(List.of("Rejected cmd=4 INVALID_AMEND acct=2 mkt=1 id=2 cid=0"), h.amend(2, 2, 99_000, 100, 0));
        assertEquals(List.of("Rejected cmd=4 INVALID_AMEND acct=2 mkt=1 id=2 cid=0"), h.amend(2, 2, 0, 200, 100));
        assertEquals(List.of("Rejected cmd=4 POST_ONLY_WOULD_CROSS acct=2 mkt=1 id=2 cid=0"), h.amend(2, 2, 100_000, 0, 0));
        assertEquals(List.of("Rejected cmd=4 UNKNOWN_ORDER acct=3 mkt=1 id=2 cid=0"), h.amend(3, 2, 98_000, 0, 0));
        assertEquals(List.of("Rejected cmd=4 BAD_TICK acct=2 mkt=1 id=2 cid=0"), h.amend(2, 2, 98_005, 0, 0));
        assertEquals(List.of("Rejected cmd=4 BAD_LOT acct=2 mkt=1 id=2 cid=0"), h.amend(2, 2, 0, 0, 50));
        assertEquals(List.of("Rejected cmd=4 PRICE_BAND acct=2 mkt=1 id=2 cid=0"), h.amend(2, 2, 50_000, 0, 0));
        assertEquals(1, h.engine.state().book(BTC).bids().best().orderCount());
    }

    @Test
    void shrinkingAnOrderIsAllowedEvenWhenTheMarketHasMovedPastTheBand()
    {
        h.limit(1, 0, BUY, 91_000, 500);
        h.limit(2, 0, SELL, 105_000, 100);
        h.limit(3, 0, BUY, 105_000, 100);
        h.limit(4, 0, SELL, 112_000, 100);
        h.limit(5, 0, BUY, 112_000, 100);
        // The last trade is now 112,000: 91,000 is outside the 10% band, but shrinking it only lowers risk.
        assertEquals(List.of("Amended acct=1 mkt=1 id=1 BUY 500@91000 -> 300@91000 kept"), h.amend(1, 1, 0, 300, 0));
        assertEquals(List.of("Rejected cmd=4 PRICE_BAND acct=1 mkt=1 id=1 cid=0"), h.amend(1, 1, 0, 400, 0));
    }

    @Test
    void amendReducingEverythingCancels()
    {
        h.limit(1, 0, SELL, 100_000, 200);
        assertEquals(List.of("Cancelled acct=1 mkt=1 id=1 cid=0 SELL 200@100000 REDUCED_TO_ZERO resting"),
            h.amend(1, 1, 0, 0, 300));
        assertEquals(0, h.engine.state().openOrderCount());
    }

    @Test
    void cancelByIdAndByClientIdOnlyForTheOwner()
    {
        h.limit(1, 11, SELL, 100_000, 100);
        h.limit(1, 12, SELL, 100_100, 100);
        assertEquals(List.of("Rejected cmd=2 UNKNOWN_ORDER acct=2 mkt=1 id=1 cid=0"), h.cancel(2, 1, 0));
        assertEquals(List.of("Rejected cmd=2 UNKNOWN_ORDER acct=2 mkt=1 id=0 cid=11"), h.cancel(2, 0, 11));
        assertEquals(List.of("Cancelled acct=1 mkt=1 id=1 cid=11 SELL 100@100000 USER resting"), h.cancel(1, 1, 0));
        assertEquals(List.of("Cancelled acct=1 mkt=1 id=2 cid=12 SELL 100@100100 USER resting"), h.cancel(1, 0, 12));
        assertEquals(List.of("Rejected cmd=2 UNKNOWN_ORDER acct=1 mkt=1 id=1 cid=0"), h.cancel(1, 1, 0));
        assertEquals(List.of("Rejected cmd=2 UNKNOWN_ORDER acct=1 mkt=1 id=0 cid=0"), h.cancel(1, 0, 0));
    }

    @Test
    void clientIdsAreUniqueAmongOpenOrdersAndReusableAfterwards()
    {
        h.limit(1, 5, SELL, 100_000, 100);
        assertEquals(List.of("Rejected cmd=1 DUPLICATE_CLIENT_ID acct=1 mkt=1 id=0 cid=5"), h.limit(1, 5, SELL, 100_100, 100));
        h.limit(2, 5, BUY, 100_000, 100);
        assertEquals(List.of(
            "Accepted acct=1 mkt=1 id=3 cid=5 SELL LIMIT GTC 100@100100",
            "Rested acct=1 mkt=1 id=3 SELL 100@100100"), h.limit(1, 5, SELL, 100_100, 100));
    }

    @Test
    void cancelAllInOneMarketOrAllMarketsInIdOrder()
    {
        h.addMarket(2, "ETH-USD", 0, false);
        h.limit(1, 0, SELL, 100_100, 100);
        h.submit(h.encoder.limitOrder(h.buffer, 0, 1, 2, 0, BUY, 3_000, 100));
        h.limit(1, 0, BUY, 99_000, 100);
        h.limit(2, 0, BUY, 99_000, 100);
        assertEquals(List.of(
            "Cancelled acct=1 mkt=1 id=1 cid=0 SELL 100@100100 CANCEL_ALL resting",
            "Cancelled acct=1 mkt=1 id=3 cid=0 BUY 100@99000 CANCEL_ALL resting"), h.cancelAll(1, BTC));
        assertEquals(List.of("Cancelled acct=1 mkt=2 id=2 cid=0 BUY 100@3000 CANCEL_ALL resting"), h.cancelAll(1, 0));
        assertEquals(List.of(), h.cancelAll(1, 0));
        assertEquals(List.of("Rejected cmd=3 UNKNOWN_MARKET acct=1 mkt=9 id=0 cid=0"), h.cancelAll(1, 9));
        assertEquals(1, h.engine.state().openOrderCount());
    }

    private List<String> ioc(final long account, final Side side, final long price, final long size)
    {
        return h.place(account, 0, side, OrderType.LIMIT, TimeInForce.IOC, (byte)0, SelfTradePrevention.CANCEL_MAKER, price, size, 0);
    }

    private List<String> fok(final long account, final Side side, final long price, final long size)
    {
        return h.place(account, 0, side, OrderType.LIMIT, TimeInForce.FOK, (byte)0, SelfTradePrevention.CANCEL_MAKER, price, size, 0);
    }
}
