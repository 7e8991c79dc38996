package io.perpetua.core.engine;

import io.perpetua.core.book.BookSide;
import io.perpetua.core.book.BookState;
import io.perpetua.core.book.Order;
import io.perpetua.core.book.OrderBook;
import io.perpetua.core.book.PriceLevel;
import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tens of thousands of random commands across three differently configured markets, applied to
 * the optimised engine and to {@link ReferenceExchange}; after every command the events and the
 * whole book (resting and conditional orders, last trade and mark prices) must be identical. Mark
 * prices arrive as oracle commands through {@link MarkFeed}. The seed is in every failure message.
 */
class RandomBookTest
{
    private static final int COMMANDS = 40_000;
    /** Oracle prices start only after this many commands, so conditional orders meet markets without a mark. */
    private static final int FIRST_MARK = 500;
    private static final SelfTradePrevention[] STP = SelfTradePrevention.values();
    private static final OrderType[] CONDITIONAL_TYPES =
        {OrderType.STOP_LIMIT, OrderType.STOP_MARKET, OrderType.TAKE_PROFIT_LIMIT, OrderType.TAKE_PROFIT_MARKET};
    private static final TimeInForce[] TIME_IN_FORCE = {TimeInForce.GTC, TimeInForce.GTT, TimeInForce.IOC, TimeInForce.FOK};

    private record MarketParams(int id, long tick, long lot, int exponent, long min, long max, long maxNotional, int band,
        long reference, boolean selfTrade, long center)
    {
    }

    private static final MarketParams[] MARKETS = {
        new MarketParams(1, 10, 100, 3, 100, 100_000, 0, 100_000, 100_000, false, 100_000),
        new MarketParams(2, 1, 1, 0, 1, 1_000, 0, 0, 0, true, 1_000),
        new MarketParams(3, 5, 10, 1, 10, 10_000, 40_000, 50_000, 2_000, false, 2_000),
    };

    @Test
    void optimisedBookMatchesTheReferenceAfterEveryCommand()
    {
        final long baseSeed = Seeds.seed();
        for (int run = 0; run < 3; run++)
        {
            runSeed(baseSeed + run);
        }
    }

    private void runSeed(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final EngineHarness engine = new EngineHarness(new MarkFeed(), EngineConfig.DEFAULT);
        final ReferenceExchange reference = new ReferenceExchange();
        for (final MarketParams p : MARKETS)
        {
            engine.submit(engine.encoder.addMarket(engine.buffer, 0, p.id, "M" + p.id, p.tick, p.lot, p.exponent, p.min, p.max,
                p.maxNotional, p.band, 0, 0, p.reference, p.selfTrade, MarketStatus.ACTIVE));
            reference.addMarket(new ReferenceExchange.Market(p.id, p.tick, p.lot, p.exponent, p.min, p.max, p.maxNotional,
                p.band, p.reference, p.selfTrade));
        }

        final List<Long> knownIds = new ArrayList<>();
        final java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        for (int i = 0; i < COMMANDS; i++)
        {
            engine.nowNs += random.nextInt(100) == 0 ? 50_000_000L : random.nextLong(2_000_000L);
            final long commandTime = engine.nowNs + 1_000_000L;
            reference.begin(commandTime);
            final String description;
            final List<String> actual;

            final MarketParams p = MARKETS[random.nextInt(MARKETS.length)];
            final int marketId = random.nextInt(200) == 0 ? 9 : p.id;
            final long account = 1 + random.nextInt(12);
            final int kind = random.nextInt(100);
            if (kind < 55)
            {
                final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                final int typeRoll = random.nextInt(100);
                OrderType type = OrderType.LIMIT;
                TimeInForce tif = TimeInForce.GTC;
                byte flags = 0;
                long expiry = 0;
                if (typeRoll < 12)
                {
                    tif = TimeInForce.IOC;
                }
                else if (typeRoll < 20)
                {
                    tif = TimeInForce.FOK;
                }
                else if (typeRoll < 32)
                {
                    tif = TimeInForce.GTT;
                    expiry = commandTime + random.nextLong(-5_000_000L, 200_000_000L);
                }
                else if (typeRoll < 42)
                {
                    flags = CommandEncoder.POST_ONLY;
                }
                else if (typeRoll < 48)
                {
                    type = OrderType.MARKET;
                    tif = random.nextBoolean() ? TimeInForce.IOC : TimeInForce.FOK;
                }
                long trigger = 0;
                if (typeRoll >= 48 && typeRoll < 64)
                {
                    type = CONDITIONAL_TYPES[random.nextInt(CONDITIONAL_TYPES.length)];
                    final boolean market = type == OrderType.STOP_MARKET || type == OrderType.TAKE_PROFIT_MARKET;
                    tif = market ? (random.nextBoolean() ? TimeInForce.IOC : TimeInForce.FOK) :
                        TIME_IN_FORCE[random.nextInt(TIME_IN_FORCE.length)];
                    expiry = tif == TimeInForce.GTT ? commandTime + random.nextLong(-5_000_000L, 200_000_000L) : 0;
                    flags = !market && tif == TimeInForce.GTC && random.nextInt(5) == 0 ? CommandEncoder.POST_ONLY : 0;
                    trigger = random.nextInt(100) == 0 ? 0 : price(random, p);
                }
                final boolean marketType = type == OrderType.MARKET || type == OrderType.STOP_MARKET ||
                    type == OrderType.TAKE_PROFIT_MARKET;
                final long price = marketType ? 0 : price(random, p);
                final long size = size(random, p);
                final long cid = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(40);
                final SelfTradePrevention stp = STP[random.nextInt(3)];
                description = "place acct=" + account + " mkt=" + marketId + " cid=" + cid + " " + side + " " + type + " " +
                    tif + " flags=" + flags + " " + stp + " " + size + "@" + price + " exp=" + expiry + " trigger=" + trigger;
                actual = engine.submit(engine.encoder.placeOrder(engine.buffer, 0, account, marketId, cid, side, type, tif,
                    flags, stp, price, size, expiry, trigger));
                reference.place(account, marketId, cid, side, type, tif, flags, stp, price, size, expiry, trigger);
                knownIds.add(engine.engine.nextOrderId() - 1);
            }
            else if (kind < 72)
            {
                final long id = pickId(random, knownIds);
                final boolean byClientId = random.nextInt(4) == 0;
                final long cid = byClientId ? 1 + random.nextInt(40) : 0;
                final long orderId = byClientId ? 0 : id;
                description = "cancel acct=" + account + " mkt=" + marketId + " id=" + orderId + " cid=" + cid;
                actual = engine.submit(engine.encoder.cancelOrder(engine.buffer, 0, account, marketId, orderId, cid));
                reference.cancel(account, marketId, orderId, cid);
            }
            else if (kind < 75)
            {
                final int target = random.nextInt(3) == 0 ? 0 : marketId;
                description = "cancelAll acct=" + account + " mkt=" + target;
                actual = engine.submit(engine.encoder.cancelAll(engine.buffer, 0, account, target));
                reference.cancelAll(account, target);
            }
            else if (kind < 92)
            {
                final long id = pickId(random, knownIds);
                final Order resting = engine.engine.state().order(id);
                final long owner = resting != null && random.nextInt(10) != 0 ? resting.accountId() : account;
                final int market = resting != null && random.nextInt(10) != 0 ? resting.marketId() : marketId;
                final MarketParams mp = market >= 1 && market <= 3 ? MARKETS[market - 1] : p;
                final int mode = random.nextInt(4);
                final long newPrice = mode == 0 || mode == 3 ? price(random, mp) : 0;
                final long newSize = mode == 1 || mode == 3 ? size(random, mp) : 0;
                final long reduceBy = mode == 2 ? size(random, mp) / 2 : 0;
                description = "amend acct=" + owner + " mkt=" + market + " id=" + id + " price=" + newPrice + " size=" + newSize +
                    " reduceBy=" + reduceBy;
                actual = engine.submit(engine.encoder.amendOrder(engine.buffer, 0, owner, market, id, 0, newPrice, newSize,
                    reduceBy));
                reference.amend(owner, market, id, 0, newPrice, newSize, reduceBy);
            }
            else if (kind < 98 && i >= FIRST_MARK)
            {
                final long mark = price(random, p);
                description = "mark mkt=" + marketId + " " + mark;
                actual = engine.submit(((MarkFeed)engine.engine.extension()).encode(engine.buffer, 0, marketId, mark));
                reference.markPrice(marketId, mark);
            }
            else
            {
                description = "heartbeat";
                actual = engine.submit(engine.encoder.heartbeat(engine.buffer, 0));
            }

            final String context = "seed " + seed + " command #" + i + " (" + description + ")";
            assertEquals(reference.out, actual, context);
            assertEquals(reference.dump(), dump(engine.engine.state()), context);
            assertEquals(reference.nextOrderId, engine.engine.nextOrderId(), context);
            for (final String line : actual)
            {
                seen.merge(line.startsWith("Rejected") ? line.split(" ")[2] : line.split(" ")[0], 1, Integer::sum);
                if (line.contains("SELF_TRADE"))
                {
                    seen.merge("SELF_TRADE", 1, Integer::sum);
                }
                if (line.startsWith("Rejected cmd=1 ") && !line.contains(" id=0 "))
                {
                    seen.merge("rejected at trigger", 1, Integer::sum);
                }
            }
        }
        // The generator must keep reaching every outcome, or the comparison proves little.
        for (final String outcome : List.of("Accepted", "Fill", "Rested", "Cancelled", "Amended", "Expired", "SELF_TRADE",
            "FOK_NOT_FILLABLE", "POST_ONLY_WOULD_CROSS", "PRICE_BAND", "UNKNOWN_ORDER", "BAD_TICK", "BAD_LOT",
            "DUPLICATE_CLIENT_ID", "EXPIRED_ON_ARRIVAL", "UNKNOWN_MARKET", "NOTIONAL_TOO_LARGE", "INVALID_AMEND",
            "Mark", "Triggered", "rejected at trigger", "INVALID_TRIGGER", "NO_MARK_PRICE", "ORACLE_BAD_PRICE"))
        {
            assertEquals(true, seen.getOrDefault(outcome, 0) > 0, "seed " + seed + ": no " + outcome + " in " + seen);
        }
    }

    private static long pickId(final SplittableRandom random, final List<Long> knownIds)
    {
        if (knownIds.isEmpty() || random.nextInt(20) == 0)
        {
            return random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(100_000);
        }
        return knownIds.get(knownIds.size() - 1 - random.nextInt(Math.min(knownIds.size(), 300)));
    }

    private static long price(final SplittableRandom random, final MarketParams p)
    {
        final long spread = p.center * 8 / 100;
        long price = p.center + random.nextLong(-spread, spread + 1);
        if (random.nextInt(50) != 0)
        {
            price -= price % p.tick;
        }
        return random.nextInt(500) == 0 ? -price : price;
    }

    private static long size(final SplittableRandom random, final MarketParams p)
    {
        final long lots = 1 + random.nextLong(Math.min(40, p.max / p.lot + 2));
        long size = lots * p.lot;
        if (random.nextInt(60) == 0)
        {
            size += 1;
        }
        return random.nextInt(400) == 0 ? 0 : size;
    }

    /** The engine's books in the same text form as {@link ReferenceExchange#dump()}. */
    static String dump(final BookState state)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < state.marketCount(); i++)
        {
            final OrderBook book = state.book(state.marketIdAt(i));
            final MarketSpec spec = book.spec();
            sb.append("market ").append(spec.marketId()).append(" last ").append(spec.toPrice(book.lastTradePriceTicks()))
                .append(" mark ").append(spec.toPrice(book.markPriceTicks())).append('\n');
            for (final BookSide side : new BookSide[]{book.bids(), book.asks()})
            {
                int depth = 0;
                int levels = 0;
                for (PriceLevel level = side.best(); level != null; level = level.worse(), depth++)
                {
                    levels++;
                    if (level.worse() != null && (side.side() == Side.BUY ?
                        level.worse().priceTicks() >= level.priceTicks() : level.worse().priceTicks() <= level.priceTicks()))
                    {
                        sb.append("levels out of priority order at ").append(side.side()).append(' ').append(depth).append('\n');
                    }
                    long total = 0;
                    int count = 0;
                    for (Order o = level.head(); o != null; o = o.nextInLevel())
                    {
                        total += o.sizeLots();
                        count++;
                        sb.append(side.side()).append(' ').append(spec.toPrice(o.priceTicks())).append(' ').append(o.orderId())
                            .append(' ').append(o.accountId()).append(' ').append(o.clientOrderId()).append(' ')
                            .append(spec.toSize(o.sizeLots())).append(' ').append(o.expiryNs()).append('\n');
                    }
                    if (total != level.totalSizeLots() || count != level.orderCount() || side.find(level.priceTicks()) != level)
                    {
                        sb.append("L2 aggregate or price index out of step at ").append(side.side()).append(' ').append(depth)
                            .append('\n');
                    }
                }
                if (levels != side.levelCount())
                {
                    sb.append("level count ").append(side.levelCount()).append(" but ").append(levels).append(" linked\n");
                }
            }
            final long[] ids = new long[book.conditionals().count()];
            Arrays.sort(ids, 0, book.conditionals().collectOrderIds(ids));
            for (final long id : ids)
            {
                final Order o = state.order(id);
                sb.append("waiting ").append(o.orderId()).append(' ').append(o.accountId()).append(' ')
                    .append(o.clientOrderId()).append(' ').append(o.side()).append(' ').append(o.orderType()).append(' ')
                    .append(o.timeInForce()).append(' ').append(spec.toPrice(o.priceTicks())).append(' ')
                    .append(spec.toSize(o.sizeLots())).append(' ').append(o.expiryNs()).append(' ')
                    .append(spec.toPrice(o.triggerPriceTicks())).append('\n');
            }
        }
        return sb.toString();
    }
}
