package io.perpetua.core.engine;

import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.perpetua.core.sbe.Side.BUY;
import static io.perpetua.core.sbe.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed or out-of-range input gets its reject code and changes nothing. */
class BadInputTest
{
    private final EngineHarness h = EngineHarness.withMarket();

    @Test
    void sizesThatAreZeroNegativeOffLotOrOutOfRange()
    {
        h.limit(9, 0, SELL, 100_000, 100);
        final long before = h.engine.stateHash();
        assertEquals(List.of("Rejected cmd=1 SIZE_OUT_OF_RANGE acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, BUY, 100_000, 0));
        assertEquals(List.of("Rejected cmd=1 SIZE_OUT_OF_RANGE acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, BUY, 100_000, -100));
        assertEquals(List.of("Rejected cmd=1 SIZE_OUT_OF_RANGE acct=1 mkt=1 id=0 cid=0"),
            h.limit(1, 0, BUY, 100_000, Long.MIN_VALUE));
        assertEquals(List.of("Rejected cmd=1 BAD_LOT acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, BUY, 100_000, 150));
        assertEquals(List.of("Rejected cmd=1 SIZE_OUT_OF_RANGE acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, BUY, 100_000, 1_000_100));
        assertEquals(List.of("Rejected cmd=1 SIZE_OUT_OF_RANGE acct=1 mkt=1 id=0 cid=0"),
            h.limit(1, 0, BUY, 100_000, Long.MAX_VALUE - Long.MAX_VALUE % 100));
        assertEquals(before, h.engine.stateHash());
    }

    @Test
    void pricesThatAreZeroNegativeOffTickOrOutsideTheBand()
    {
        assertEquals(List.of("Rejected cmd=1 BAD_TICK acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, BUY, 0, 100));
        assertEquals(List.of("Rejected cmd=1 BAD_TICK acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, BUY, -100_000, 100));
        assertEquals(List.of("Rejected cmd=1 BAD_TICK acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, BUY, 100_005, 100));
        assertEquals(List.of("Rejected cmd=1 PRICE_BAND acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, BUY, 89_990, 100));
        assertEquals(List.of("Rejected cmd=1 PRICE_BAND acct=1 mkt=1 id=0 cid=0"), h.limit(1, 0, SELL, 110_010, 100));
        assertEquals(2, h.limit(1, 0, BUY, 90_000, 100).size());
        assertEquals(2, h.limit(1, 0, SELL, 110_000, 100).size());
    }

    @Test
    void overflowingProductsAreRejectedNotWrapped()
    {
        final EngineHarness wide = new EngineHarness();
        wide.submit(wide.encoder.addMarket(wide.buffer, 0, 1, "WIDE", 1, 1, 0, 1, 1L << 38, 0, 0, 0, 0, 0, false,
            MarketStatus.ACTIVE));
        assertEquals(List.of("Rejected cmd=1 OVERFLOW acct=1 mkt=1 id=0 cid=0"), wide.submit(
            wide.encoder.limitOrder(wide.buffer, 0, 1, 1, 0, BUY, Long.MAX_VALUE / 2, 1L << 30)));
        assertEquals(0, wide.engine.state().openOrderCount());
    }

    @Test
    void restingPricesFurtherApartThanTheBookCanIndexAreRejected()
    {
        final EngineHarness wide = new EngineHarness();
        wide.submit(wide.encoder.addMarket(wide.buffer, 0, 1, "WIDE", 1, 1, 0, 1, 1_000, 0, 0, 0, 0, 0, false,
            MarketStatus.ACTIVE));
        final long low = 1_000;
        final long span = io.perpetua.core.book.BookSide.MAX_SPAN_TICKS;
        assertEquals(2, wide.submit(wide.encoder.limitOrder(wide.buffer, 0, 1, 1, 0, BUY, low, 1)).size());
        assertEquals(2, wide.submit(wide.encoder.limitOrder(wide.buffer, 0, 1, 1, 0, BUY, low + span - 1, 1)).size());
        assertEquals(List.of("Rejected cmd=1 PRICE_OUT_OF_RANGE acct=2 mkt=1 id=0 cid=0"),
            wide.submit(wide.encoder.limitOrder(wide.buffer, 0, 2, 1, 0, BUY, low + span, 1)));
        // An IOC never rests, so its price is not limited by the index.
        assertEquals(2, wide.submit(wide.encoder.placeOrder(wide.buffer, 0, 2, 1, 0, SELL, OrderType.LIMIT, TimeInForce.IOC,
            (byte)0, SelfTradePrevention.CANCEL_MAKER, low + span + 5, 1, 0)).size());
        // Prices far apart over time are fine: the index follows the book.
        wide.submit(wide.encoder.cancelAll(wide.buffer, 0, 1, 1));
        assertEquals(2, wide.submit(wide.encoder.limitOrder(wide.buffer, 0, 1, 1, 0, BUY, low + 3 * span, 1)).size());
        assertEquals(low + 3 * span, wide.engine.state().book(1).bids().best().priceTicks());
    }

    @Test
    void maxNotionalIsAFatFingerLimit()
    {
        final EngineHarness capped = new EngineHarness();
        capped.submit(capped.encoder.addMarket(capped.buffer, 0, 1, "CAP", 10, 100, 3, 100, 1_000_000, 50_000, 0, 0, 0, 0,
            false, MarketStatus.ACTIVE));
        assertEquals(List.of("Rejected cmd=1 NOTIONAL_TOO_LARGE acct=1 mkt=1 id=0 cid=0"),
            capped.submit(capped.encoder.limitOrder(capped.buffer, 0, 1, 1, 0, BUY, 100_000, 600)));
        assertEquals(2, capped.submit(capped.encoder.limitOrder(capped.buffer, 0, 1, 1, 0, BUY, 100_000, 500)).size());
    }

    @Test
    void unknownMarketsAccountsAndEnumValues()
    {
        assertEquals(List.of("Rejected cmd=1 UNKNOWN_MARKET acct=1 mkt=42 id=0 cid=0"),
            h.submit(h.encoder.limitOrder(h.buffer, 0, 1, 42, 0, BUY, 100_000, 100)));
        assertEquals(List.of("Rejected cmd=2 UNKNOWN_MARKET acct=1 mkt=42 id=5 cid=0"),
            h.submit(h.encoder.cancelOrder(h.buffer, 0, 1, 42, 5, 0)));
        assertEquals(List.of("Rejected cmd=4 UNKNOWN_MARKET acct=1 mkt=42 id=5 cid=0"),
            h.submit(h.encoder.amendOrder(h.buffer, 0, 1, 42, 5, 0, 100_000, 0, 0)));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=0 mkt=1 id=0 cid=0"), h.limit(0, 0, BUY, 100_000, 100));
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=-3 mkt=1 id=0 cid=0"), h.limit(-3, 0, BUY, 100_000, 100));

        final int length = h.encoder.limitOrder(h.buffer, 0, 1, 1, 0, BUY, 100_000, 100);
        h.buffer.putByte(8 + io.perpetua.core.sbe.PlaceOrderEncoder.sideEncodingOffset(), (byte)7);
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=1 mkt=1 id=0 cid=0"), h.submit(length));
        h.encoder.limitOrder(h.buffer, 0, 1, 1, 0, BUY, 100_000, 100);
        h.buffer.putByte(8 + io.perpetua.core.sbe.PlaceOrderEncoder.flagsEncodingOffset(), (byte)0x80);
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=1 mkt=1 id=0 cid=0"), h.submit(length));
        // The first value past TAKE_PROFIT_MARKET, the last order type.
        h.encoder.limitOrder(h.buffer, 0, 1, 1, 0, BUY, 100_000, 100);
        h.buffer.putByte(8 + io.perpetua.core.sbe.PlaceOrderEncoder.orderTypeEncodingOffset(), (byte)6);
        assertEquals(List.of("Rejected cmd=1 INVALID_ORDER acct=1 mkt=1 id=0 cid=0"), h.submit(length));
        assertEquals(0, h.engine.state().openOrderCount());
    }

    @Test
    void haltedMarketsRefuseNewOrdersButAllowCancels()
    {
        h.limit(1, 0, SELL, 100_000, 100);
        assertEquals(List.of("Market updated mkt=1 BTC-USD HALTED"), h.submit(h.encoder.updateMarket(h.buffer, 0, 1, 100,
            1_000_000, 0, 100_000, -100, 500, false, MarketStatus.HALTED)));
        assertEquals(List.of("Rejected cmd=1 MARKET_HALTED acct=2 mkt=1 id=0 cid=0"), h.limit(2, 0, BUY, 100_000, 100));
        assertEquals(List.of("Rejected cmd=4 MARKET_HALTED acct=1 mkt=1 id=1 cid=0"), h.amend(1, 1, 100_100, 0, 0));
        assertEquals(List.of("Cancelled acct=1 mkt=1 id=1 cid=0 SELL 100@100000 USER resting"), h.cancel(1, 1, 0));
    }

    @Test
    void badMarketSpecsAreRejected()
    {
        assertEquals(List.of("Rejected cmd=5 MARKET_EXISTS acct=0 mkt=1 id=0 cid=0"), h.addMarket(1, "DUP", 0, false));
        // tick 10 * lot 100 = 1000 is not divisible by 10^4
        assertEquals(List.of("Rejected cmd=5 INVALID_MARKET_SPEC acct=0 mkt=2 id=0 cid=0"), h.submit(h.encoder.addMarket(
            h.buffer, 0, 2, "ETH-USD", 10, 100, 4, 100, 1_000, 0, 0, 0, 0, 0, false, MarketStatus.ACTIVE)));
        assertEquals(List.of("Rejected cmd=5 INVALID_MARKET_SPEC acct=0 mkt=2 id=0 cid=0"), h.submit(h.encoder.addMarket(
            h.buffer, 0, 2, "ETH-USD", 10, 100, 3, 150, 1_000, 0, 0, 0, 0, 0, false, MarketStatus.ACTIVE)));
        assertEquals(List.of("Rejected cmd=5 INVALID_MARKET_SPEC acct=0 mkt=2 id=0 cid=0"), h.submit(h.encoder.addMarket(
            h.buffer, 0, 2, "ETH-USD", 10, 100, 3, 100, 1_000, 0, 0, -600, 500, 0, false, MarketStatus.ACTIVE)));
        assertEquals(List.of("Rejected cmd=5 INVALID_MARKET_SPEC acct=0 mkt=2 id=0 cid=0"), h.submit(h.encoder.addMarket(
            h.buffer, 0, 2, "ETH USD", 10, 100, 3, 100, 1_000, 0, 0, 0, 0, 0, false, MarketStatus.ACTIVE)));
        assertEquals(List.of("Rejected cmd=5 INVALID_MARKET_SPEC acct=0 mkt=0 id=0 cid=0"), h.submit(h.encoder.addMarket(
            h.buffer, 0, 0, "ZERO", 10, 100, 3, 100, 1_000, 0, 0, 0, 0, 0, false, MarketStatus.ACTIVE)));
        assertEquals(List.of("Rejected cmd=6 UNKNOWN_MARKET acct=0 mkt=7 id=0 cid=0"), h.submit(h.encoder.updateMarket(
            h.buffer, 0, 7, 100, 1_000, 0, 0, 0, 0, false, MarketStatus.ACTIVE)));
        assertEquals(List.of("Rejected cmd=6 INVALID_MARKET_SPEC acct=0 mkt=1 id=0 cid=0"), h.submit(h.encoder.updateMarket(
            h.buffer, 0, 1, 1_000, 100, 0, 0, 0, 0, false, MarketStatus.ACTIVE)));
        assertEquals(1, h.engine.state().marketCount());
        assertEquals(100, h.engine.state().book(1).spec().minSizeLots() * 100);
    }

    @Test
    void fullBookRejectsRestingOrdersButStillTrades()
    {
        final EngineHarness small = new EngineHarness(new OrderLimitsGate(), new EngineConfig(2, 2));
        small.addMarket(1, "BTC-USD", 0, false);
        small.limit(1, 0, SELL, 100_000, 100);
        small.limit(1, 0, SELL, 100_100, 100);
        assertEquals(List.of("Rejected cmd=1 BOOK_FULL acct=2 mkt=1 id=0 cid=0"), small.limit(2, 0, SELL, 100_200, 100));
        assertEquals(2, small.place(2, 0, BUY, OrderType.LIMIT, TimeInForce.IOC, (byte)0, SelfTradePrevention.CANCEL_MAKER,
            100_000, 100, 0).size());
        assertEquals(2, small.limit(2, 0, SELL, 100_200, 100).size());
    }

    @Test
    void anAccountAtItsOpenOrderLimitIsRefusedNewRestingAndConditionalOrdersButStillTrades()
    {
        final MarkFeed feed = new MarkFeed();
        final EngineHarness capped = new EngineHarness(feed, new EngineConfig(16, 64, 3));
        capped.addMarket(1, "BTC-USD", 100_000, false);
        capped.mark(100_000);
        capped.limit(1, 0, SELL, 100_100, 100);
        capped.limit(1, 0, SELL, 100_200, 100);
        capped.conditional(1, 0, SELL, OrderType.STOP_LIMIT, TimeInForce.GTC, (byte)0, 99_000, 100, 0, 99_500);
        assertEquals(3, capped.engine.state().openOrderCount(1));
        assertEquals(List.of("Rejected cmd=1 TOO_MANY_OPEN_ORDERS acct=1 mkt=1 id=0 cid=0"),
            capped.limit(1, 0, SELL, 100_300, 100));
        assertEquals(List.of("Rejected cmd=1 TOO_MANY_OPEN_ORDERS acct=1 mkt=1 id=0 cid=0"),
            capped.conditional(1, 0, BUY, OrderType.STOP_MARKET, TimeInForce.IOC, (byte)0, 0, 100, 0, 100_500));
        // An order that cannot rest is not held, so the limit does not apply to it.
        assertEquals(2, capped.place(1, 0, BUY, OrderType.LIMIT, TimeInForce.IOC, (byte)0, SelfTradePrevention.CANCEL_TAKER,
            99_900, 100, 0).size());
        // Others are not affected, and trading against the capped account's orders frees its slots.
        assertEquals(2, capped.place(2, 0, BUY, OrderType.LIMIT, TimeInForce.IOC, (byte)0, SelfTradePrevention.CANCEL_MAKER,
            100_100, 100, 0).size());
        assertEquals(2, capped.engine.state().openOrderCount(1));
        assertEquals(2, capped.limit(1, 0, SELL, 100_300, 100).size());
        // A waiting conditional order that fires replaces itself: it is not refused for the limit.
        assertEquals(3, capped.engine.state().openOrderCount(1));
        capped.limit(3, 0, BUY, 99_000, 100);
        assertEquals(List.of(
            "Mark mkt=1 99500",
            "Triggered acct=1 mkt=1 id=3 trigger=99500 mark=99500",
            "Accepted acct=1 mkt=1 id=3 cid=0 SELL LIMIT GTC 100@99000 trigger=99500",
            "Fill mkt=1 trade=2 maker=3/7 taker=1/3 SELL 100@99000 quote=9900 makerLeft=0 takerLeft=0"), capped.mark(99_500));
        assertEquals(2, capped.engine.state().openOrderCount(1));
    }

    @Test
    void structuralCheckRefusesTruncatedForeignAndGarbageBytes()
    {
        final int length = h.encoder.limitOrder(h.buffer, 0, 1, 1, 0, BUY, 100_000, 100);
        assertTrue(CommandAdapter.isWellFormed(h.buffer, 0, length));
        assertFalse(CommandAdapter.isWellFormed(h.buffer, 0, length - 1), "truncated body");
        assertFalse(CommandAdapter.isWellFormed(h.buffer, 0, 7), "shorter than a header");
        assertFalse(CommandAdapter.isWellFormed(h.buffer, 0, 0), "empty");

        h.buffer.putShort(4, (short)99);
        assertFalse(CommandAdapter.isWellFormed(h.buffer, 0, length), "foreign schema id");
        h.encoder.limitOrder(h.buffer, 0, 1, 1, 0, BUY, 100_000, 100);
        h.buffer.putShort(2, (short)101);
        assertFalse(CommandAdapter.isWellFormed(h.buffer, 0, length), "an event template is not a command");
        h.encoder.limitOrder(h.buffer, 0, 1, 1, 0, BUY, 100_000, 100);
        h.buffer.putShort(0, (short)8);
        assertFalse(CommandAdapter.isWellFormed(h.buffer, 0, length), "block shorter than the template's");
        h.encoder.limitOrder(h.buffer, 0, 1, 1, 0, BUY, 100_000, 100);
        h.buffer.putShort(6, (short)(io.perpetua.core.sbe.PlaceOrderEncoder.SCHEMA_VERSION + 1));
        assertFalse(CommandAdapter.isWellFormed(h.buffer, 0, length), "schema version from the future");

        final int addLength = h.encoder.addMarket(h.buffer, 0, 3, "SOL-USD", 10, 100, 3, 100, 1_000, 0, 0, 0, 0, 0, false,
            MarketStatus.ACTIVE);
        assertTrue(CommandAdapter.isWellFormed(h.buffer, 0, addLength));
        assertFalse(CommandAdapter.isWellFormed(h.buffer, 0, addLength - 1), "symbol cut short");

        final long seed = Seeds.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        final UnsafeBuffer garbage = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        final MatchingEngine engine = new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate(), new EventPublisher());
        final CommandAdapter adapter = new CommandAdapter(engine);
        for (int i = 0; i < 20_000; i++)
        {
            final int garbageLength = random.nextInt(CommandAdapter.MAX_COMMAND_LENGTH + 1);
            for (int b = 0; b < garbageLength; b++)
            {
                garbage.putByte(b, (byte)random.nextInt(256));
            }
            if (random.nextBoolean() && garbageLength >= 8)
            {
                garbage.putShort(2, (short)(1 + random.nextInt(8)));
                garbage.putShort(4, (short)1);
                garbage.putShort(6, (short)0);
            }
            if (CommandAdapter.isWellFormed(garbage, 0, garbageLength))
            {
                adapter.apply(garbage, 0, garbageLength);
            }
            else
            {
                final int n = garbageLength;
                assertThrows(IllegalArgumentException.class, () -> adapter.apply(garbage, 0, n), "seed " + seed);
            }
        }
        engine.stateHash();
    }
}
