package io.perpetua.core.engine;

import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain, obviously-correct model of the matching rules: lists sorted on every use, BigInteger
 * for every product, no pools and no indexes. The random test runs it beside the optimised engine
 * and demands the same events and the same book after every command. Conditional orders wait in a
 * plain list and a mark update searches it for the next order to fire, one at a time; mark prices
 * arrive as {@link MarkFeed}'s oracle commands.
 */
final class ReferenceExchange
{
    static final class Market
    {
        final int id;
        final long tick;
        final long lot;
        final long quantumsPerTickLot;
        final long minSize;
        final long maxSize;
        final long maxNotional;
        final int bandPpm;
        final long initialReference;
        final boolean selfTradeAllowed;
        long lastTrade;
        long mark;
        final List<Ord> orders = new ArrayList<>();
        /** Conditional orders waiting for their trigger. */
        final List<Ord> waiting = new ArrayList<>();

        Market(final int id, final long tick, final long lot, final int exponent, final long minSize, final long maxSize,
            final long maxNotional, final int bandPpm, final long initialReference, final boolean selfTradeAllowed)
        {
            this.id = id;
            this.tick = tick;
            this.lot = lot;
            this.quantumsPerTickLot = tick * lot / BigInteger.TEN.pow(exponent).longValueExact();
            this.minSize = minSize;
            this.maxSize = maxSize;
            this.maxNotional = maxNotional;
            this.bandPpm = bandPpm;
            this.initialReference = initialReference;
            this.selfTradeAllowed = selfTradeAllowed;
        }

        long reference()
        {
            if (mark != 0)
            {
                return mark;
            }
            return lastTrade != 0 ? lastTrade : initialReference;
        }

        BigInteger quote(final long price, final long size)
        {
            return BigInteger.valueOf(price / tick).multiply(BigInteger.valueOf(size / lot))
                .multiply(BigInteger.valueOf(quantumsPerTickLot));
        }

        /** Resting orders of one side in priority order. */
        List<Ord> side(final Side side)
        {
            final List<Ord> result = new ArrayList<>();
            for (final Ord o : orders)
            {
                if (o.side == side)
                {
                    result.add(o);
                }
            }
            final Comparator<Ord> byPrice = side == Side.BUY ?
                Comparator.comparingLong((Ord o) -> -o.price) : Comparator.comparingLong((Ord o) -> o.price);
            result.sort(byPrice.thenComparingLong(o -> o.time));
            return result;
        }
    }

    static final class Ord
    {
        long id;
        long account;
        long cid;
        int market;
        Side side;
        OrderType type = OrderType.LIMIT;
        long trigger;
        TimeInForce tif;
        byte flags;
        SelfTradePrevention stp;
        long price;
        long size;
        long expiry;
        long time;
    }

    final Map<Integer, Market> markets = new TreeMap<>();
    final List<String> out = new ArrayList<>();
    long nextOrderId = 1;
    long nextTradeId = 1;
    long now;
    private long clock;

    void begin(final long timestampNs)
    {
        out.clear();
        now = timestampNs;
        while (true)
        {
            Ord first = null;
            for (final Ord o : allOrders())
            {
                if (o.tif == TimeInForce.GTT && o.expiry <= now &&
                    (first == null || o.expiry < first.expiry || (o.expiry == first.expiry && o.id < first.id)))
                {
                    first = o;
                }
            }
            if (first == null)
            {
                return;
            }
            removeOrder(first);
            out.add("Expired acct=" + first.account + " mkt=" + first.market + " id=" + first.id + " " + first.side + " " +
                first.size + "@" + first.price);
        }
    }

    void addMarket(final Market market)
    {
        markets.put(market.id, market);
    }

    /** Every open order, resting or waiting, of every market. */
    private List<Ord> allOrders()
    {
        final List<Ord> all = new ArrayList<>();
        for (final Market m : markets.values())
        {
            all.addAll(m.orders);
            all.addAll(m.waiting);
        }
        return all;
    }

    private void removeOrder(final Ord o)
    {
        final Market m = markets.get(o.market);
        if (o.trigger != 0)
        {
            m.waiting.remove(o);
        }
        else
        {
            m.orders.remove(o);
        }
    }

    private Ord findOwn(final long account, final int market, final long id, final long cid)
    {
        for (final Ord o : allOrders())
        {
            final boolean match = id != 0 ? o.id == id : cid != 0 && o.cid == cid && o.account == account;
            if (match)
            {
                return o.account == account && o.market == market ? o : null;
            }
        }
        return null;
    }

    private boolean cidInUse(final long account, final long cid)
    {
        for (final Ord o : allOrders())
        {
            if (o.account == account && o.cid == cid)
            {
                return true;
            }
        }
        return false;
    }

    private void reject(final int cmd, final String reason, final long account, final int market, final long id, final long cid)
    {
        out.add("Rejected cmd=" + cmd + " " + reason + " acct=" + account + " mkt=" + market + " id=" + id + " cid=" + cid);
    }

    void place(final long account, final int marketId, final long cid, final Side side, final OrderType type,
        final TimeInForce tif, final byte flags, final SelfTradePrevention stp, final long price, final long size,
        final long expiry, final long trigger)
    {
        final String reason = tryPlace(account, marketId, cid, side, type, tif, flags, stp, price, size, expiry, trigger);
        if (reason != null)
        {
            reject(1, reason, account, marketId, 0, cid);
        }
    }

    private static boolean conditional(final OrderType type)
    {
        return type != OrderType.LIMIT && type != OrderType.MARKET;
    }

    private static OrderType underlying(final OrderType type)
    {
        return type == OrderType.STOP_MARKET || type == OrderType.TAKE_PROFIT_MARKET ? OrderType.MARKET :
            type == OrderType.STOP_LIMIT || type == OrderType.TAKE_PROFIT_LIMIT ? OrderType.LIMIT : type;
    }

    /** Stop buys and take-profit sells fire on mark >= trigger; the others on mark <= trigger. */
    private static boolean firesOnRise(final Ord o)
    {
        final boolean stop = o.type == OrderType.STOP_LIMIT || o.type == OrderType.STOP_MARKET;
        return stop == (o.side == Side.BUY);
    }

    private static boolean fires(final Ord o, final long mark)
    {
        return firesOnRise(o) ? mark >= o.trigger : mark <= o.trigger;
    }

    private String tryPlace(final long account, final int marketId, final long cid, final Side side, final OrderType type,
        final TimeInForce tif, final byte flags, final SelfTradePrevention stp, final long price, final long size,
        final long expiry, final long trigger)
    {
        final Market m = markets.get(marketId);
        if (m == null)
        {
            return "UNKNOWN_MARKET";
        }
        if (account <= 0)
        {
            return "INVALID_ORDER";
        }
        final OrderType under = underlying(type);
        final boolean postOnly = flags != 0;
        final boolean immediate = tif == TimeInForce.IOC || tif == TimeInForce.FOK;
        if ((under == OrderType.MARKET && (!immediate || price != 0)) || (postOnly && (immediate || under == OrderType.MARKET)) ||
            ((tif == TimeInForce.GTT) != (expiry != 0)) || (!conditional(type) && trigger != 0))
        {
            return "INVALID_ORDER";
        }
        if (size <= 0)
        {
            return "SIZE_OUT_OF_RANGE";
        }
        if (size % m.lot != 0)
        {
            return "BAD_LOT";
        }
        final Ord o = new Ord();
        o.account = account;
        o.cid = cid;
        o.market = marketId;
        o.side = side;
        o.type = type;
        o.tif = tif;
        o.flags = flags;
        o.stp = stp;
        o.price = price;
        o.size = size;
        o.expiry = expiry;
        o.trigger = trigger;
        return conditional(type) ? tryHold(m, o) : enter(m, o, 0);
    }

    /** A new conditional order: the checks that do not depend on the book at trigger time. */
    private String tryHold(final Market m, final Ord o)
    {
        final boolean market = underlying(o.type) == OrderType.MARKET;
        if (market)
        {
            if (m.bandPpm == 0)
            {
                return "INVALID_ORDER";
            }
        }
        else if (o.price <= 0 || o.price % m.tick != 0)
        {
            return "BAD_TICK";
        }
        if (o.trigger <= 0 || o.trigger % m.tick != 0)
        {
            return "INVALID_TRIGGER";
        }
        if (m.mark == 0)
        {
            return "NO_MARK_PRICE";
        }
        if (fires(o, m.mark))
        {
            return "INVALID_TRIGGER";
        }
        if (o.tif == TimeInForce.GTT && o.expiry <= now)
        {
            return "EXPIRED_ON_ARRIVAL";
        }
        if (o.cid != 0 && cidInUse(o.account, o.cid))
        {
            return "DUPLICATE_CLIENT_ID";
        }
        final String limits = orderLimits(m, market ? protectiveLimit(m, o.side, o.trigger) : o.price, o.size, !market);
        if (limits != null)
        {
            return limits;
        }
        o.id = nextOrderId++;
        accepted(o, o.type, o.price, o.size);
        m.waiting.add(o);
        return null;
    }

    /** Size range, notional and (for orders with a limit price) band, as OrderLimitsGate checks them. */
    private static String orderLimits(final Market m, final long limit, final long size, final boolean banded)
    {
        if (size > m.maxSize || size < m.minSize)
        {
            return "SIZE_OUT_OF_RANGE";
        }
        final BigInteger notional = m.quote(limit, size);
        if (notional.bitLength() > 62)
        {
            return "OVERFLOW";
        }
        if (m.maxNotional != 0 && notional.longValueExact() > m.maxNotional)
        {
            return "NOTIONAL_TOO_LARGE";
        }
        if (banded && !withinBand(m, limit))
        {
            return "PRICE_BAND";
        }
        return null;
    }

    private void accepted(final Ord o, final OrderType type, final long price, final long size)
    {
        out.add("Accepted acct=" + o.account + " mkt=" + o.market + " id=" + o.id + " cid=" + o.cid + " " + o.side + " " +
            type + " " + o.tif + (o.flags != 0 ? " POST_ONLY" : "") + " " + size + "@" + price +
            (o.expiry != 0 ? " exp=" + o.expiry : "") + (o.trigger != 0 ? " trigger=" + o.trigger : ""));
    }

    /**
     * A new limit or market order ({@code triggeredId} 0), or a conditional one that just triggered
     * (its id): the remaining checks, then matching.
     */
    private String enter(final Market m, final Ord o, final long triggeredId)
    {
        final OrderType type = underlying(o.type);
        final long limit;
        if (type == OrderType.MARKET)
        {
            if (m.bandPpm == 0)
            {
                return "INVALID_ORDER";
            }
            if (m.reference() == 0)
            {
                return "NO_REFERENCE_PRICE";
            }
            limit = protectiveLimit(m, o.side, m.reference());
        }
        else
        {
            if (o.price <= 0 || o.price % m.tick != 0)
            {
                return "BAD_TICK";
            }
            limit = o.price;
        }
        if (triggeredId == 0)
        {
            if (o.tif == TimeInForce.GTT && o.expiry <= now)
            {
                return "EXPIRED_ON_ARRIVAL";
            }
            if (o.cid != 0 && cidInUse(o.account, o.cid))
            {
                return "DUPLICATE_CLIENT_ID";
            }
        }
        final String limits = orderLimits(m, limit, o.size, type == OrderType.LIMIT);
        if (limits != null)
        {
            return limits;
        }
        if (o.flags != 0 && crosses(m, o.side, limit))
        {
            return "POST_ONLY_WOULD_CROSS";
        }
        if (o.tif == TimeInForce.FOK && fillable(m, o.account, o.side, limit, o.stp) < o.size)
        {
            return "FOK_NOT_FILLABLE";
        }
        o.id = triggeredId != 0 ? triggeredId : nextOrderId++;
        accepted(o, type, limit, o.size);
        o.type = OrderType.LIMIT;
        o.trigger = 0;
        o.price = limit;
        takeAndRest(m, o);
        return null;
    }

    /** An OraclePrice command as {@link MarkFeed} applies it: the new mark, then every conditional order it reaches. */
    void markPrice(final int marketId, final long price)
    {
        final Market m = markets.get(marketId);
        if (m == null)
        {
            reject(24, "UNKNOWN_MARKET", 0, marketId, 0, 0);
            return;
        }
        if (price <= 0 || price % m.tick != 0)
        {
            reject(24, "ORACLE_BAD_PRICE", 0, marketId, 0, 0);
            return;
        }
        out.add("Mark mkt=" + marketId + " " + price);
        m.mark = price;
        Ord next;
        while ((next = nextToFire(m)) != null)
        {
            out.add("Triggered acct=" + next.account + " mkt=" + marketId + " id=" + next.id + " trigger=" + next.trigger +
                " mark=" + price);
            m.waiting.remove(next);
            final String reason = enter(m, next, next.id);
            if (reason != null)
            {
                reject(1, reason, next.account, marketId, next.id, next.cid);
            }
        }
    }

    /** The order the mark reaches first: rising side lowest trigger, falling side highest, ties by id. */
    private static Ord nextToFire(final Market m)
    {
        Ord best = null;
        for (final Ord o : m.waiting)
        {
            if (!fires(o, m.mark))
            {
                continue;
            }
            if (best == null || (firesOnRise(o) != firesOnRise(best) ? firesOnRise(o) :
                o.trigger != best.trigger ? (firesOnRise(o) ? o.trigger < best.trigger : o.trigger > best.trigger) :
                    o.id < best.id))
            {
                best = o;
            }
        }
        return best;
    }

    private static long protectiveLimit(final Market m, final Side side, final long reference)
    {
        final long refTicks = reference / m.tick;
        final BigInteger million = BigInteger.valueOf(1_000_000);
        final BigInteger scaled = BigInteger.valueOf(refTicks)
            .multiply(BigInteger.valueOf(side == Side.BUY ? 1_000_000 + m.bandPpm : 1_000_000 - m.bandPpm));
        final BigInteger[] qr = scaled.divideAndRemainder(million);
        long ticks = qr[0].longValueExact();
        if (side == Side.SELL && qr[1].signum() != 0)
        {
            ticks++;
        }
        return Math.max(1, ticks) * m.tick;
    }

    private static boolean withinBand(final Market m, final long price)
    {
        if (m.bandPpm == 0 || m.reference() == 0)
        {
            return true;
        }
        final BigInteger deviation = BigInteger.valueOf(Math.abs(price - m.reference()) / m.tick).multiply(BigInteger.valueOf(1_000_000));
        return deviation.compareTo(BigInteger.valueOf(m.reference() / m.tick).multiply(BigInteger.valueOf(m.bandPpm))) <= 0;
    }

    private static boolean crosses(final Market m, final Side side, final long limit)
    {
        for (final Ord o : m.side(side == Side.BUY ? Side.SELL : Side.BUY))
        {
            return side == Side.BUY ? o.price <= limit : o.price >= limit;
        }
        return false;
    }

    private static long fillable(final Market m, final long account, final Side side, final long limit, final SelfTradePrevention stp)
    {
        long total = 0;
        for (final Ord o : m.side(side == Side.BUY ? Side.SELL : Side.BUY))
        {
            if (side == Side.BUY ? o.price > limit : o.price < limit)
            {
                break;
            }
            if (!m.selfTradeAllowed && o.account == account)
            {
                if (stp != SelfTradePrevention.CANCEL_MAKER)
                {
                    break;
                }
                continue;
            }
            total += o.size;
        }
        return total;
    }

    /** Matches {@code taker} (price = its limit) and rests or cancels the rest. */
    private void takeAndRest(final Market m, final Ord taker)
    {
        String stop = null;
        final Side opposite = taker.side == Side.BUY ? Side.SELL : Side.BUY;
        for (final Ord maker : m.side(opposite))
        {
            if (taker.size == 0 || (taker.side == Side.BUY ? maker.price > taker.price : maker.price < taker.price))
            {
                break;
            }
            if (!m.selfTradeAllowed && maker.account == taker.account)
            {
                if (taker.stp != SelfTradePrevention.CANCEL_TAKER)
                {
                    cancelled(maker, "SELF_TRADE", true);
                    m.orders.remove(maker);
                }
                if (taker.stp != SelfTradePrevention.CANCEL_MAKER)
                {
                    stop = "SELF_TRADE";
                    break;
                }
                continue;
            }
            final long fill = Math.min(taker.size, maker.size);
            taker.size -= fill;
            maker.size -= fill;
            out.add("Fill mkt=" + m.id + " trade=" + nextTradeId++ + " maker=" + maker.account + "/" + maker.id + " taker=" +
                taker.account + "/" + taker.id + " " + taker.side + " " + fill + "@" + maker.price + " quote=" +
                m.quote(maker.price, fill) + " makerLeft=" + maker.size + " takerLeft=" + taker.size);
            m.lastTrade = maker.price;
            if (maker.size == 0)
            {
                m.orders.remove(maker);
            }
        }
        if (taker.size == 0)
        {
            return;
        }
        if (stop != null || !(taker.tif == TimeInForce.GTC || taker.tif == TimeInForce.GTT))
        {
            cancelled(taker, stop != null ? stop : "IOC_REMAINDER", false);
            return;
        }
        taker.time = ++clock;
        m.orders.add(taker);
        out.add("Rested acct=" + taker.account + " mkt=" + m.id + " id=" + taker.id + " " + taker.side + " " + taker.size + "@" +
            taker.price);
    }

    private void cancelled(final Ord o, final String reason, final boolean resting)
    {
        out.add("Cancelled acct=" + o.account + " mkt=" + o.market + " id=" + o.id + " cid=" + o.cid + " " + o.side + " " +
            o.size + "@" + o.price + " " + reason + (resting ? " resting" : ""));
    }

    /** Cancels an open order: resting (its size leaves the book) or waiting for its trigger. */
    private void cancelOpen(final Ord o, final String reason)
    {
        cancelled(o, reason, o.trigger == 0);
        removeOrder(o);
    }

    void cancel(final long account, final int marketId, final long id, final long cid)
    {
        if (!markets.containsKey(marketId))
        {
            reject(2, "UNKNOWN_MARKET", account, marketId, id, cid);
            return;
        }
        final Ord o = findOwn(account, marketId, id, cid);
        if (o == null)
        {
            reject(2, "UNKNOWN_ORDER", account, marketId, id, cid);
            return;
        }
        cancelOpen(o, "USER");
    }

    void cancelAll(final long account, final int marketId)
    {
        if (marketId != 0 && !markets.containsKey(marketId))
        {
            reject(3, "UNKNOWN_MARKET", account, marketId, 0, 0);
            return;
        }
        final List<Ord> mine = new ArrayList<>();
        for (final Ord o : allOrders())
        {
            if (o.account == account && (marketId == 0 || o.market == marketId))
            {
                mine.add(o);
            }
        }
        mine.sort(Comparator.comparingLong(o -> o.id));
        for (final Ord o : mine)
        {
            cancelOpen(o, "CANCEL_ALL");
        }
    }

    void amend(final long account, final int marketId, final long id, final long cid, final long newPrice, final long newSize,
        final long reduceBy)
    {
        final String reason = tryAmend(account, marketId, id, cid, newPrice, newSize, reduceBy);
        if (reason != null)
        {
            reject(4, reason, account, marketId, id, cid);
        }
    }

    private String tryAmend(final long account, final int marketId, final long id, final long cid, final long newPrice,
        final long newSize, final long reduceBy)
    {
        final Market m = markets.get(marketId);
        if (m == null)
        {
            return "UNKNOWN_MARKET";
        }
        final Ord o = findOwn(account, marketId, id, cid);
        if (o == null)
        {
            return "UNKNOWN_ORDER";
        }
        if (o.trigger != 0 || newPrice < 0 || newSize < 0 || reduceBy < 0 || (newSize != 0 && reduceBy != 0))
        {
            return "INVALID_AMEND";
        }
        if (newPrice % m.tick != 0)
        {
            return "BAD_TICK";
        }
        if (newSize % m.lot != 0 || reduceBy % m.lot != 0)
        {
            return "BAD_LOT";
        }
        final long price = newPrice != 0 ? newPrice : o.price;
        final long size = newSize != 0 ? newSize : o.size - reduceBy;
        if (size <= 0)
        {
            cancelled(o, "REDUCED_TO_ZERO", true);
            m.orders.remove(o);
            return null;
        }
        if (price == o.price && size == o.size)
        {
            return "INVALID_AMEND";
        }
        if (size > m.maxSize)
        {
            return "SIZE_OUT_OF_RANGE";
        }
        final boolean shrinkInPlace = price == o.price && size < o.size;
        final BigInteger notional = shrinkInPlace ? BigInteger.ZERO : m.quote(price, size);
        if (notional.bitLength() > 62)
        {
            return "OVERFLOW";
        }
        if (m.maxNotional != 0 && notional.longValueExact() > m.maxNotional)
        {
            return "NOTIONAL_TOO_LARGE";
        }
        if (!shrinkInPlace && !withinBand(m, price))
        {
            return "PRICE_BAND";
        }
        if (shrinkInPlace)
        {
            out.add("Amended acct=" + account + " mkt=" + marketId + " id=" + o.id + " " + o.side + " " + o.size + "@" + o.price +
                " -> " + size + "@" + price + " kept");
            o.size = size;
            return null;
        }
        if (o.flags != 0)
        {
            m.orders.remove(o);
            final boolean cross = crosses(m, o.side, price);
            m.orders.add(o);
            if (cross)
            {
                return "POST_ONLY_WOULD_CROSS";
            }
        }
        out.add("Amended acct=" + account + " mkt=" + marketId + " id=" + o.id + " " + o.side + " " + o.size + "@" + o.price +
            " -> " + size + "@" + price + " requeued");
        m.orders.remove(o);
        o.price = price;
        o.size = size;
        takeAndRest(m, o);
        return null;
    }

    /** The book as text, the same shape as {@link RandomBookTest#dump}. */
    String dump()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Market m : markets.values())
        {
            sb.append("market ").append(m.id).append(" last ").append(m.lastTrade).append(" mark ").append(m.mark).append('\n');
            for (final Side side : new Side[]{Side.BUY, Side.SELL})
            {
                for (final Ord o : m.side(side))
                {
                    sb.append(side).append(' ').append(o.price).append(' ').append(o.id).append(' ').append(o.account)
                        .append(' ').append(o.cid).append(' ').append(o.size).append(' ').append(o.expiry).append('\n');
                }
            }
            final List<Ord> waiting = new ArrayList<>(m.waiting);
            waiting.sort(Comparator.comparingLong(o -> o.id));
            for (final Ord o : waiting)
            {
                sb.append("waiting ").append(o.id).append(' ').append(o.account).append(' ').append(o.cid).append(' ')
                    .append(o.side).append(' ').append(o.type).append(' ').append(o.tif).append(' ').append(o.price)
                    .append(' ').append(o.size).append(' ').append(o.expiry).append(' ').append(o.trigger).append('\n');
            }
        }
        return sb.toString();
    }
}
