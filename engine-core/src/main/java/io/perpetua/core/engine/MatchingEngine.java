package io.perpetua.core.engine;

import io.perpetua.core.book.BookSide;
import io.perpetua.core.book.BookState;
import io.perpetua.core.book.ConditionalOrders;
import io.perpetua.core.book.Order;
import io.perpetua.core.book.OrderBook;
import io.perpetua.core.book.PriceLevel;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.market.InvalidSpecException;
import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.AddMarketDecoder;
import io.perpetua.core.sbe.CancelReason;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.PlaceOrderDecoder;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.core.sbe.UpdateMarketDecoder;
import io.perpetua.core.units.FixedPoint;

import java.util.Arrays;

/**
 * The exchange's business logic: validates orders, matches them in price-time priority at the
 * maker's price, applies self-trade prevention, amends and cancels, expires GTT orders in command
 * time, holds conditional orders until the mark price reaches their trigger, and emits an event
 * for every outcome.
 *
 * <p>One thread owns an engine. Every method is a deterministic function of the engine's state and
 * its arguments: time is the command's timestamp, ids come from counters, and nothing iterates in
 * hash order. Commands arrive through {@link CommandAdapter}; each starts with
 * {@link #beginCommand(long, long)}.
 */
public final class MatchingEngine
{
    static final byte FLAG_POST_ONLY = Order.FLAG_POST_ONLY;
    static final byte FLAG_REDUCE_ONLY = Order.FLAG_REDUCE_ONLY;
    private static final byte KNOWN_FLAGS = FLAG_POST_ONLY | FLAG_REDUCE_ONLY;

    private final BookState state;
    private final int maxOpenOrdersPerAccount;
    private final EventPublisher events;
    private final RiskGate gate;
    private final EngineExtension extension;
    private final OrderRequest request = new OrderRequest();
    private SnapshotListener snapshotListener;

    private long nextOrderId = 1;
    private long nextTradeId = 1;
    private long lastSequence;
    private long nowNs;

    /** Why matching stopped before the incoming order was done (null if it ran out of liquidity). */
    private CancelReason takerStopReason;
    /** True while a liquidation slice is matching: its fills are flagged, and the gate knows the taker. */
    private boolean liquidating;
    private long[] scratchOrderIds = new long[64];
    private long[] trimAccounts = new long[8];
    private int trimCount;

    /** An engine with only the order book and {@code gate}: no accounts, no margin. */
    public MatchingEngine(final EngineConfig config, final RiskGate gate, final EventPublisher events)
    {
        this(config, gate, null, events);
    }

    /**
     * An engine whose books are checked by {@code limits} and then by {@code extension}, which also
     * owns the commands the books do not (accounts, oracle, liquidation).
     */
    public MatchingEngine(
        final EngineConfig config, final RiskGate limits, final EngineExtension extension, final EventPublisher events)
    {
        this.state = new BookState(config.preallocatedOrders(), config.orderCapacity());
        this.maxOpenOrdersPerAccount = config.maxOpenOrdersPerAccount();
        this.gate = extension == null ? limits : limits.andThen(extension);
        this.extension = extension;
        this.events = events;
        if (extension != null)
        {
            extension.attach(this);
        }
    }

    /** The extension beside the books, or null. */
    public EngineExtension extension()
    {
        return extension;
    }

    /** Receives the engine at each TakeSnapshot command, to persist it. */
    public interface SnapshotListener
    {
        void onSnapshot(MatchingEngine engine, long stateHash);
    }

    public void snapshotListener(final SnapshotListener listener)
    {
        this.snapshotListener = listener;
    }

    public BookState state()
    {
        return state;
    }

    public EventPublisher events()
    {
        return events;
    }

    /** Sequence number of the last command applied (0 before the first). */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** Timestamp of the last command applied. */
    public long nowNs()
    {
        return nowNs;
    }

    public long nextOrderId()
    {
        return nextOrderId;
    }

    public long nextTradeId()
    {
        return nextTradeId;
    }

    /** Restores counters from a snapshot; only valid on a fresh engine. */
    public void restoreCounters(final long lastSequence, final long nowNs, final long nextOrderId, final long nextTradeId)
    {
        this.lastSequence = lastSequence;
        this.nowNs = nowNs;
        this.nextOrderId = nextOrderId;
        this.nextTradeId = nextTradeId;
    }

    /** 64-bit hash of the canonical state; equal states give equal hashes on any machine. */
    public long stateHash()
    {
        return StateHasher.hash(this);
    }

    /**
     * Starts a command: stamps events with its sequence and time and expires every GTT order whose
     * expiry is at or before the command time.
     */
    public void beginCommand(final long sequence, final long timestampNs)
    {
        lastSequence = sequence;
        nowNs = timestampNs;
        events.begin(sequence, timestampNs);
        expireOrders(timestampNs);
    }

    private void expireOrders(final long timestampNs)
    {
        Order order;
        while ((order = state.nextToExpire()) != null && order.expiryNs() <= timestampNs)
        {
            final OrderBook book = state.book(order.marketId());
            final MarketSpec spec = book.spec();
            events.orderExpired(
                order.accountId(), order.marketId(), order.orderId(), order.clientOrderId(), order.side(),
                spec.toPrice(order.priceTicks()), spec.toSize(order.sizeLots()));
            state.remove(book, order);
        }
    }

    // ------------------------------------------------------------------ place

    /**
     * Applies a PlaceOrder command (after {@link #beginCommand}). {@code triggerPrice} is the mark
     * price that triggers a conditional order, 0 for limit and market orders.
     */
    public void placeOrder(
        final long accountId,
        final int marketId,
        final long clientOrderId,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final byte flags,
        final SelfTradePrevention stp,
        final long price,
        final long size,
        final long expiryNs,
        final long triggerPrice)
    {
        final RejectReason reason = validateAndPlace(
            accountId, marketId, clientOrderId, side, orderType, timeInForce, flags, stp, price, size, expiryNs,
            triggerPrice);
        if (reason != null)
        {
            events.rejected(PlaceOrderDecoder.TEMPLATE_ID, reason, accountId, marketId, 0, clientOrderId);
        }
    }

    private RejectReason validateAndPlace(
        final long accountId,
        final int marketId,
        final long clientOrderId,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final byte flags,
        final SelfTradePrevention stp,
        final long price,
        final long size,
        final long expiryNs,
        final long triggerPrice)
    {
        final OrderBook book = state.book(marketId);
        if (book == null)
        {
            return RejectReason.UNKNOWN_MARKET;
        }
        if (side == null || orderType == null || timeInForce == null || stp == null ||
            (flags & ~KNOWN_FLAGS) != 0 || accountId <= 0)
        {
            return RejectReason.INVALID_ORDER;
        }
        final MarketSpec spec = book.spec();
        if (spec.status() != MarketStatus.ACTIVE)
        {
            return RejectReason.MARKET_HALTED;
        }
        final boolean conditional = isConditional(orderType);
        final OrderType underlying = underlyingType(orderType);
        final boolean postOnly = (flags & FLAG_POST_ONLY) != 0;
        final boolean immediate = timeInForce == TimeInForce.IOC || timeInForce == TimeInForce.FOK;
        if ((underlying == OrderType.MARKET && (!immediate || price != 0)) ||
            (postOnly && (immediate || underlying == OrderType.MARKET)) ||
            ((timeInForce == TimeInForce.GTT) != (expiryNs != 0)) ||
            (!conditional && triggerPrice != 0))
        {
            return RejectReason.INVALID_ORDER;
        }
        if (size <= 0)
        {
            return RejectReason.SIZE_OUT_OF_RANGE;
        }
        if (size % spec.lotSize() != 0)
        {
            return RejectReason.BAD_LOT;
        }
        if (conditional)
        {
            return validateAndHold(
                book, accountId, clientOrderId, side, orderType, timeInForce, flags, stp, price, size / spec.lotSize(),
                expiryNs, triggerPrice);
        }
        return enter(
            book, 0, accountId, clientOrderId, side, orderType, timeInForce, flags, stp, price, size / spec.lotSize(),
            expiryNs, 0);
    }

    /**
     * Cuts a reduce-only order, works out the limit, checks expiry and client id, passes the order
     * through the gates and the book checks and, if accepted, matches it and rests or cancels the
     * remainder. The path of new limit and market orders ({@code triggeredOrderId} 0) and of
     * conditional orders when they trigger (their id; they keep their client id and expiry, which
     * were checked at placement).
     */
    private RejectReason enter(
        final OrderBook book,
        final long triggeredOrderId,
        final long accountId,
        final long clientOrderId,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final byte flags,
        final SelfTradePrevention stp,
        final long price,
        final long orderSizeLots,
        final long expiryNs,
        final long triggerTicks)
    {
        final MarketSpec spec = book.spec();
        final boolean postOnly = (flags & FLAG_POST_ONLY) != 0;
        final boolean immediate = timeInForce == TimeInForce.IOC || timeInForce == TimeInForce.FOK;
        long sizeLots = orderSizeLots;
        if ((flags & FLAG_REDUCE_ONLY) != 0)
        {
            // Cut to the position it closes, so it can never flip it.
            final long reducible = gate.reducibleLots(book, accountId, side);
            if (reducible <= 0)
            {
                return RejectReason.REDUCE_ONLY_WOULD_INCREASE;
            }
            sizeLots = Math.min(sizeLots, reducible);
        }

        final long limitTicks;
        if (orderType == OrderType.MARKET)
        {
            if (spec.priceBandPpm() == 0)
            {
                return RejectReason.INVALID_ORDER;
            }
            final long referenceTicks = book.referencePriceTicks();
            if (referenceTicks == 0)
            {
                return RejectReason.NO_REFERENCE_PRICE;
            }
            limitTicks = protectiveLimit(spec, side, referenceTicks);
            if (limitTicks == FixedPoint.OVERFLOW)
            {
                return RejectReason.OVERFLOW;
            }
        }
        else
        {
            if (price <= 0 || price % spec.tickSize() != 0)
            {
                return RejectReason.BAD_TICK;
            }
            limitTicks = price / spec.tickSize();
        }
        if (triggeredOrderId == 0)
        {
            if (timeInForce == TimeInForce.GTT && expiryNs <= nowNs)
            {
                return RejectReason.EXPIRED_ON_ARRIVAL;
            }
            if (clientOrderId != 0 && state.orderByClientId(accountId, clientOrderId) != null)
            {
                return RejectReason.DUPLICATE_CLIENT_ID;
            }
        }
        final RejectReason gateReason = checkNewOrder(
            book, triggeredOrderId, accountId, side, orderType, timeInForce, flags, limitTicks, sizeLots, triggerTicks);
        if (gateReason != null)
        {
            return gateReason;
        }
        // Checked here too, whatever the gates: fills and resting notional rely on it.
        if (spec.quote(limitTicks, sizeLots) == FixedPoint.OVERFLOW)
        {
            return RejectReason.OVERFLOW;
        }
        if (!immediate && !state.hasOrderCapacity())
        {
            return RejectReason.BOOK_FULL;
        }
        if (!immediate && state.openOrderCount(accountId) >= maxOpenOrdersPerAccount)
        {
            return RejectReason.TOO_MANY_OPEN_ORDERS;
        }
        if (!immediate && !book.side(side).canHold(limitTicks))
        {
            return RejectReason.PRICE_OUT_OF_RANGE;
        }
        if (postOnly && book.opposite(side).crosses(limitTicks))
        {
            return RejectReason.POST_ONLY_WOULD_CROSS;
        }
        if (timeInForce == TimeInForce.FOK &&
            fillableLots(book, accountId, side, limitTicks, stp, sizeLots) < sizeLots)
        {
            return RejectReason.FOK_NOT_FILLABLE;
        }

        final long orderId = triggeredOrderId != 0 ? triggeredOrderId : nextOrderId++;
        events.orderAccepted(
            accountId, spec.marketId(), orderId, clientOrderId, side, orderType, timeInForce, flags,
            spec.toPrice(limitTicks), spec.toSize(sizeLots), expiryNs, spec.toPrice(triggerTicks));
        final long remainingLots = match(book, accountId, orderId, side, limitTicks, sizeLots, stp);
        dispose(book, accountId, orderId, clientOrderId, side, timeInForce, flags, stp, limitTicks, remainingLots, expiryNs);
        return null;
    }

    /** Asks the gates about a new (or just triggered) order. */
    private RejectReason checkNewOrder(
        final OrderBook book,
        final long orderId,
        final long accountId,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final byte flags,
        final long priceTicks,
        final long sizeLots,
        final long triggerTicks)
    {
        final OrderRequest request = this.request;
        request.accountId = accountId;
        request.orderId = orderId;
        request.side = side;
        request.orderType = orderType;
        request.timeInForce = timeInForce;
        request.flags = flags;
        request.priceTicks = priceTicks;
        request.sizeLots = sizeLots;
        request.triggerPriceTicks = triggerTicks;
        request.amend = false;
        request.previousPriceTicks = 0;
        request.previousSizeLots = 0;
        return gate.checkOrder(request, book);
    }

    // ------------------------------------------------------------ conditional

    /** True for the stop and take-profit types, which wait for a trigger. */
    static boolean isConditional(final OrderType orderType)
    {
        return orderType != OrderType.LIMIT && orderType != OrderType.MARKET;
    }

    /** The order a conditional type becomes when it triggers: LIMIT or MARKET (the others map to themselves). */
    static OrderType underlyingType(final OrderType orderType)
    {
        switch (orderType)
        {
            case STOP_LIMIT:
            case TAKE_PROFIT_LIMIT:
                return OrderType.LIMIT;
            case STOP_MARKET:
            case TAKE_PROFIT_MARKET:
                return OrderType.MARKET;
            default:
                return orderType;
        }
    }

    /**
     * Places a conditional order: validates what does not depend on the book at trigger time (price,
     * trigger, expiry, client id, the gates' order checks, capacity) and holds it off the book. What
     * does depend on it (reduce-only cut, post-only, FOK, the market order's protective limit, the
     * margin at that moment) is checked when it triggers.
     */
    private RejectReason validateAndHold(
        final OrderBook book,
        final long accountId,
        final long clientOrderId,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final byte flags,
        final SelfTradePrevention stp,
        final long price,
        final long sizeLots,
        final long expiryNs,
        final long triggerPrice)
    {
        final MarketSpec spec = book.spec();
        final boolean market = underlyingType(orderType) == OrderType.MARKET;
        if (market)
        {
            if (spec.priceBandPpm() == 0)
            {
                return RejectReason.INVALID_ORDER;
            }
        }
        else if (price <= 0 || price % spec.tickSize() != 0)
        {
            return RejectReason.BAD_TICK;
        }
        if (triggerPrice <= 0 || triggerPrice % spec.tickSize() != 0)
        {
            return RejectReason.INVALID_TRIGGER;
        }
        final long triggerTicks = triggerPrice / spec.tickSize();
        final long markTicks = book.markPriceTicks();
        if (markTicks == 0)
        {
            return RejectReason.NO_MARK_PRICE;
        }
        if (ConditionalOrders.firesAt(side, orderType, triggerTicks, markTicks))
        {
            return RejectReason.INVALID_TRIGGER;
        }
        if (timeInForce == TimeInForce.GTT && expiryNs <= nowNs)
        {
            return RejectReason.EXPIRED_ON_ARRIVAL;
        }
        if (clientOrderId != 0 && state.orderByClientId(accountId, clientOrderId) != null)
        {
            return RejectReason.DUPLICATE_CLIENT_ID;
        }
        // A market order's limit is only known at the trigger; the mark will then be near the
        // trigger, so the gates see the protective limit around it.
        final long limitTicks = market ? protectiveLimit(spec, side, triggerTicks) : price / spec.tickSize();
        if (limitTicks == FixedPoint.OVERFLOW)
        {
            return RejectReason.OVERFLOW;
        }
        final RejectReason gateReason = checkNewOrder(
            book, 0, accountId, side, orderType, timeInForce, flags, limitTicks, sizeLots, triggerTicks);
        if (gateReason != null)
        {
            return gateReason;
        }
        if (spec.quote(limitTicks, sizeLots) == FixedPoint.OVERFLOW)
        {
            return RejectReason.OVERFLOW;
        }
        if (!state.hasOrderCapacity())
        {
            return RejectReason.BOOK_FULL;
        }
        if (state.openOrderCount(accountId) >= maxOpenOrdersPerAccount)
        {
            return RejectReason.TOO_MANY_OPEN_ORDERS;
        }
        final long orderId = nextOrderId++;
        final long heldPriceTicks = market ? 0 : limitTicks;
        events.orderAccepted(
            accountId, spec.marketId(), orderId, clientOrderId, side, orderType, timeInForce, flags,
            spec.toPrice(heldPriceTicks), spec.toSize(sizeLots), expiryNs, triggerPrice);
        state.hold(book, orderId, accountId, clientOrderId, side, orderType, timeInForce, flags, stp, heldPriceTicks,
            sizeLots, expiryNs, triggerTicks);
        return null;
    }

    /**
     * Fires a conditional order: {@code OrderTriggered}, then it enters as its underlying limit or
     * market order with the same ids through the path of new orders (halt, reduce-only cut, gates,
     * post-only, FOK, matching, rest or cancel). If a check refuses it, a {@code Rejected} event
     * (command template PlaceOrder, the order's id) ends it.
     */
    private void trigger(final OrderBook book, final Order order, final long markTicks)
    {
        final MarketSpec spec = book.spec();
        final long orderId = order.orderId();
        final long accountId = order.accountId();
        final long clientOrderId = order.clientOrderId();
        final Side side = order.side();
        final OrderType underlying = underlyingType(order.orderType());
        final TimeInForce timeInForce = order.timeInForce();
        final byte flags = order.flags();
        final SelfTradePrevention stp = order.selfTradePrevention();
        final long price = spec.toPrice(order.priceTicks());
        final long sizeLots = order.sizeLots();
        final long expiryNs = order.expiryNs();
        final long triggerTicks = order.triggerPriceTicks();
        events.orderTriggered(accountId, spec.marketId(), orderId, spec.toPrice(triggerTicks), spec.toPrice(markTicks));
        // Frees its pool slot and client id for the order it becomes.
        state.remove(book, order);
        final RejectReason reason = spec.status() != MarketStatus.ACTIVE ? RejectReason.MARKET_HALTED : enter(
            book, orderId, accountId, clientOrderId, side, underlying, timeInForce, flags, stp, price, sizeLots, expiryNs,
            triggerTicks);
        if (reason != null)
        {
            events.rejected(PlaceOrderDecoder.TEMPLATE_ID, reason, accountId, spec.marketId(), orderId, clientOrderId);
        }
    }

    private void markForTrim(final long accountId)
    {
        if (!state.hasReduceOnlyOrders(accountId))
        {
            return;
        }
        for (int i = 0; i < trimCount; i++)
        {
            if (trimAccounts[i] == accountId)
            {
                return;
            }
        }
        if (trimCount == trimAccounts.length)
        {
            trimAccounts = Arrays.copyOf(trimAccounts, trimCount * 2);
        }
        trimAccounts[trimCount++] = accountId;
    }

    /**
     * Resting reduce-only orders shrink when the position does: each is cut to the size its
     * position can still absorb, or cancelled when there is nothing left to reduce.
     */
    private void trimReduceOnly(final OrderBook book, final long accountId)
    {
        final MarketSpec spec = book.spec();
        final int count = collectOrderIds(accountId, spec.marketId(), true);
        for (int i = 0; i < count; i++)
        {
            final Order order = state.order(scratchOrderIds[i]);
            final long reducible = gate.reducibleLots(book, accountId, order.side());
            if (reducible <= 0)
            {
                cancelResting(book, order, CancelReason.REDUCE_ONLY);
            }
            else if (order.sizeLots() > reducible)
            {
                final long oldSize = order.sizeLots();
                state.reduce(book, order, oldSize - reducible);
                events.orderAmended(
                    accountId, spec.marketId(), order.orderId(), order.clientOrderId(), order.side(),
                    spec.toPrice(order.priceTicks()), spec.toSize(oldSize), spec.toPrice(order.priceTicks()),
                    spec.toSize(reducible), true);
            }
        }
    }

    /**
     * Market orders trade up to the reference price plus (buy) or minus (sell) the band, rounded
     * toward the reference so the protection is never looser than configured. A market without a
     * band takes no market orders: there would be nothing to protect the taker.
     *
     * @return the limit in ticks, or {@link FixedPoint#OVERFLOW}
     */
    private static long protectiveLimit(final MarketSpec spec, final Side side, final long referenceTicks)
    {
        final int band = spec.priceBandPpm();
        if (side == Side.BUY)
        {
            return FixedPoint.ppmFloor(referenceTicks, FixedPoint.PPM + band);
        }
        final long limit = FixedPoint.ppmCeil(referenceTicks, FixedPoint.PPM - band);
        return limit == FixedPoint.OVERFLOW ? limit : Math.max(1, limit);
    }

    /** Rests, or cancels, what is left of an incoming order after matching. */
    private void dispose(
        final OrderBook book,
        final long accountId,
        final long orderId,
        final long clientOrderId,
        final Side side,
        final TimeInForce timeInForce,
        final byte flags,
        final SelfTradePrevention stp,
        final long limitTicks,
        final long remainingLots,
        final long expiryNs)
    {
        if (remainingLots == 0)
        {
            return;
        }
        final MarketSpec spec = book.spec();
        final boolean rests = timeInForce == TimeInForce.GTC || timeInForce == TimeInForce.GTT;
        if (takerStopReason != null || !rests)
        {
            events.orderCancelled(
                accountId, spec.marketId(), orderId, clientOrderId, side, spec.toPrice(limitTicks),
                spec.toSize(remainingLots), takerStopReason != null ? takerStopReason : CancelReason.IOC_REMAINDER, false);
            return;
        }
        state.rest(book, orderId, accountId, clientOrderId, side, timeInForce, flags, stp, limitTicks, remainingLots, expiryNs);
        events.orderRested(accountId, spec.marketId(), orderId, side, spec.toPrice(limitTicks), spec.toSize(remainingLots));
    }

    /**
     * How much an incoming order could fill right now, counting what self-trade prevention would
     * skip or stop at, without changing anything. Used for the FOK all-or-nothing check.
     */
    private long fillableLots(
        final OrderBook book,
        final long accountId,
        final Side side,
        final long limitTicks,
        final SelfTradePrevention stp,
        final long wantedLots)
    {
        final BookSide opposite = book.opposite(side);
        final boolean preventSelfTrade = !book.spec().selfTradeAllowed();
        long total = 0;
        for (PriceLevel level = opposite.best(); level != null && total < wantedLots; level = level.worse())
        {
            if (!opposite.withinLimit(level.priceTicks(), limitTicks))
            {
                break;
            }
            if (!preventSelfTrade)
            {
                total += level.totalSizeLots();
                continue;
            }
            for (Order maker = level.head(); maker != null && total < wantedLots; maker = maker.nextInLevel())
            {
                if (maker.accountId() == accountId)
                {
                    if (stp != SelfTradePrevention.CANCEL_MAKER)
                    {
                        return total;
                    }
                    continue;
                }
                total += maker.sizeLots();
            }
        }
        return total;
    }

    /**
     * Matches an incoming order against the opposite side, best price first and oldest first within
     * a price, each fill at the maker's price.
     *
     * @return the unfilled size in lots; {@link #takerStopReason} says if matching was cut short.
     */
    private long match(
        final OrderBook book,
        final long takerAccountId,
        final long takerOrderId,
        final Side takerSide,
        final long limitTicks,
        final long sizeLots,
        final SelfTradePrevention stp)
    {
        final long remaining = matchLevels(book, takerAccountId, takerOrderId, takerSide, limitTicks, sizeLots, stp);
        trimMarkedAccounts(book);
        return remaining;
    }

    private long matchLevels(
        final OrderBook book,
        final long takerAccountId,
        final long takerOrderId,
        final Side takerSide,
        final long limitTicks,
        final long sizeLots,
        final SelfTradePrevention stp)
    {
        takerStopReason = null;
        final MarketSpec spec = book.spec();
        final BookSide opposite = book.opposite(takerSide);
        final boolean preventSelfTrade = !spec.selfTradeAllowed();
        long remaining = sizeLots;

        PriceLevel level;
        while (remaining > 0 && (level = opposite.best()) != null && opposite.withinLimit(level.priceTicks(), limitTicks))
        {
            final long priceTicks = level.priceTicks();
            Order maker = level.head();
            while (maker != null && remaining > 0)
            {
                final Order nextMaker = maker.nextInLevel();
                if (preventSelfTrade && maker.accountId() == takerAccountId)
                {
                    if (stp != SelfTradePrevention.CANCEL_TAKER)
                    {
                        cancelResting(book, maker, CancelReason.SELF_TRADE);
                    }
                    if (stp != SelfTradePrevention.CANCEL_MAKER)
                    {
                        takerStopReason = CancelReason.SELF_TRADE;
                        return remaining;
                    }
                    maker = nextMaker;
                    continue;
                }

                long fillLots = Math.min(remaining, maker.sizeLots());
                if (maker.isReduceOnly())
                {
                    // An earlier fill may already have shrunk the position this order closes.
                    final long reducible = gate.reducibleLots(book, maker.accountId(), maker.side());
                    if (reducible <= 0)
                    {
                        cancelResting(book, maker, CancelReason.REDUCE_ONLY);
                        maker = nextMaker;
                        continue;
                    }
                    fillLots = Math.min(fillLots, reducible);
                }
                final RiskGate.FillVerdict verdict =
                    gate.checkFill(book, maker.accountId(), takerAccountId, takerSide, priceTicks, fillLots);
                if (verdict == RiskGate.FillVerdict.REMOVE_MAKER)
                {
                    cancelResting(book, maker, CancelReason.RISK);
                    maker = nextMaker;
                    continue;
                }
                if (verdict == RiskGate.FillVerdict.STOP_TAKER)
                {
                    takerStopReason = CancelReason.RISK;
                    return remaining;
                }

                // Cannot overflow: the maker's own notional at this price was checked when it rested.
                final long quote = spec.quote(priceTicks, fillLots);
                final long makerAccountId = maker.accountId();
                final long makerFee = gate.fee(book, makerAccountId, quote, true);
                final long takerFee = gate.fee(book, takerAccountId, quote, false);
                remaining -= fillLots;
                final long makerRemaining = maker.sizeLots() - fillLots;
                final long tradeId = nextTradeId++;
                events.fill(
                    spec.marketId(), tradeId, makerAccountId, maker.orderId(), takerAccountId, takerOrderId,
                    takerSide, spec.toPrice(priceTicks), spec.toSize(fillLots), quote,
                    spec.toSize(makerRemaining), spec.toSize(remaining), makerFee, takerFee, liquidating);
                if (makerRemaining == 0)
                {
                    state.remove(book, maker);
                }
                else
                {
                    state.reduce(book, maker, fillLots);
                }
                state.recordTrade(book, priceTicks);
                gate.onFill(book, tradeId, makerAccountId, takerAccountId, takerSide, priceTicks, fillLots, quote,
                    makerFee, takerFee);
                markForTrim(makerAccountId);
                markForTrim(takerAccountId);
                maker = nextMaker;
            }
        }
        return remaining;
    }

    /** Trims the reduce-only orders of every account a match changed, once matching is done. */
    private void trimMarkedAccounts(final OrderBook book)
    {
        for (int i = 0; i < trimCount; i++)
        {
            trimReduceOnly(book, trimAccounts[i]);
        }
        trimCount = 0;
    }

    /** Cancels an open order: a resting one (its size leaves the book) or a conditional one (off the book). */
    private void cancelResting(final OrderBook book, final Order order, final CancelReason reason)
    {
        final MarketSpec spec = book.spec();
        events.orderCancelled(
            order.accountId(), order.marketId(), order.orderId(), order.clientOrderId(), order.side(),
            spec.toPrice(order.priceTicks()), spec.toSize(order.sizeLots()), reason, !order.isConditional());
        state.remove(book, order);
    }

    // ----------------------------------------------------------------- cancel

    /** Cancels by order id, or by client order id when {@code orderId} is 0. */
    public void cancelOrder(
        final int commandTemplateId, final long accountId, final int marketId, final long orderId, final long clientOrderId)
    {
        final OrderBook book = state.book(marketId);
        if (book == null)
        {
            events.rejected(commandTemplateId, RejectReason.UNKNOWN_MARKET, accountId, marketId, orderId, clientOrderId);
            return;
        }
        final Order order = findOwnOrder(accountId, marketId, orderId, clientOrderId);
        if (order == null)
        {
            events.rejected(commandTemplateId, RejectReason.UNKNOWN_ORDER, accountId, marketId, orderId, clientOrderId);
            return;
        }
        cancelResting(book, order, CancelReason.USER);
    }

    /**
     * The account's open order in the market with that id (or client id when {@code orderId} is 0).
     * Another account's order is reported as unknown, so ids reveal nothing.
     */
    private Order findOwnOrder(final long accountId, final int marketId, final long orderId, final long clientOrderId)
    {
        final Order order;
        if (orderId != 0)
        {
            order = state.order(orderId);
        }
        else
        {
            order = clientOrderId == 0 ? null : state.orderByClientId(accountId, clientOrderId);
        }
        if (order == null || order.accountId() != accountId || order.marketId() != marketId)
        {
            return null;
        }
        return order;
    }

    /** Cancels every open order of the account (in one market, or all if {@code marketId} is 0), by ascending id. */
    public void cancelAll(final int commandTemplateId, final long accountId, final int marketId)
    {
        if (marketId != 0 && state.book(marketId) == null)
        {
            events.rejected(commandTemplateId, RejectReason.UNKNOWN_MARKET, accountId, marketId, 0, 0);
            return;
        }
        cancelCollected(collectOrderIds(accountId, marketId, false), CancelReason.CANCEL_ALL);
    }

    /**
     * Puts the ids of the account's open orders (in one market, or all if {@code marketId} is 0;
     * only resting reduce-only ones if asked) into {@link #scratchOrderIds} in ascending order: the
     * account list's order depends on history a snapshot does not keep, id order does not.
     *
     * @return how many
     */
    private int collectOrderIds(final long accountId, final int marketId, final boolean restingReduceOnly)
    {
        int count = 0;
        if (restingReduceOnly)
        {
            // Conditional orders are cut when they trigger, not while they wait: this list holds resting ones only.
            for (Order order = state.firstReduceOnlyOfAccount(accountId); order != null; order = state.nextReduceOnlyOfAccount(order))
            {
                count = collect(order, marketId, count);
            }
        }
        else
        {
            for (Order order = state.firstOfAccount(accountId); order != null; order = state.nextOfAccount(order))
            {
                count = collect(order, marketId, count);
            }
        }
        heapSort(scratchOrderIds, count);
        return count;
    }

    /** Cancels the first {@code count} orders of {@link #scratchOrderIds}. */
    private void cancelCollected(final int count, final CancelReason reason)
    {
        for (int i = 0; i < count; i++)
        {
            final Order order = state.order(scratchOrderIds[i]);
            cancelResting(state.book(order.marketId()), order, reason);
        }
    }

    // ------------------------------------------------------------------ amend

    /**
     * Cancel-replace. A size decrease at the same price keeps time priority; a price change or size
     * increase takes the order off the book and re-enters it as a taker, its remainder resting at
     * the back of the queue with the same ids. Invalid amends change nothing.
     */
    public void amendOrder(
        final int commandTemplateId,
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId,
        final long newPrice,
        final long newSize,
        final long reduceBy)
    {
        final RejectReason reason = validateAndAmend(accountId, marketId, orderId, clientOrderId, newPrice, newSize, reduceBy);
        if (reason != null)
        {
            events.rejected(commandTemplateId, reason, accountId, marketId, orderId, clientOrderId);
        }
    }

    private RejectReason validateAndAmend(
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId,
        final long newPrice,
        final long newSize,
        final long reduceBy)
    {
        final OrderBook book = state.book(marketId);
        if (book == null)
        {
            return RejectReason.UNKNOWN_MARKET;
        }
        final MarketSpec spec = book.spec();
        if (spec.status() != MarketStatus.ACTIVE)
        {
            return RejectReason.MARKET_HALTED;
        }
        final Order order = findOwnOrder(accountId, marketId, orderId, clientOrderId);
        if (order == null)
        {
            return RejectReason.UNKNOWN_ORDER;
        }
        // A conditional order is changed by cancelling it and placing a new one.
        if (order.isConditional() ||
            newPrice < 0 || newSize < 0 || reduceBy < 0 || (newSize != 0 && reduceBy != 0))
        {
            return RejectReason.INVALID_AMEND;
        }
        if (newPrice % spec.tickSize() != 0)
        {
            return RejectReason.BAD_TICK;
        }
        if (newSize % spec.lotSize() != 0 || reduceBy % spec.lotSize() != 0)
        {
            return RejectReason.BAD_LOT;
        }

        final long oldPriceTicks = order.priceTicks();
        final long oldSizeLots = order.sizeLots();
        final long priceTicks = newPrice != 0 ? newPrice / spec.tickSize() : oldPriceTicks;
        final long sizeLots = newSize != 0 ? newSize / spec.lotSize() : oldSizeLots - reduceBy / spec.lotSize();
        if (sizeLots <= 0)
        {
            cancelResting(book, order, CancelReason.REDUCED_TO_ZERO);
            return null;
        }
        if (priceTicks == oldPriceTicks && sizeLots == oldSizeLots)
        {
            return RejectReason.INVALID_AMEND;
        }
        if (order.isReduceOnly() && sizeLots > oldSizeLots && sizeLots > gate.reducibleLots(book, accountId, order.side()))
        {
            return RejectReason.REDUCE_ONLY_WOULD_INCREASE;
        }
        final OrderRequest request = this.request;
        request.accountId = accountId;
        request.orderId = order.orderId();
        request.side = order.side();
        request.orderType = OrderType.LIMIT;
        request.timeInForce = order.timeInForce();
        request.flags = order.flags();
        request.priceTicks = priceTicks;
        request.sizeLots = sizeLots;
        request.triggerPriceTicks = 0;
        request.amend = true;
        request.previousPriceTicks = oldPriceTicks;
        request.previousSizeLots = oldSizeLots;
        final RejectReason gateReason = gate.checkOrder(request, book);
        if (gateReason != null)
        {
            return gateReason;
        }
        if (spec.quote(priceTicks, sizeLots) == FixedPoint.OVERFLOW)
        {
            return RejectReason.OVERFLOW;
        }

        final Side side = order.side();
        if (priceTicks == oldPriceTicks && sizeLots < oldSizeLots)
        {
            state.reduce(book, order, oldSizeLots - sizeLots);
            events.orderAmended(
                accountId, marketId, order.orderId(), order.clientOrderId(), side, spec.toPrice(oldPriceTicks),
                spec.toSize(oldSizeLots), spec.toPrice(priceTicks), spec.toSize(sizeLots), true);
            return null;
        }
        final boolean crosses = book.opposite(side).crosses(priceTicks);
        if ((order.flags() & FLAG_POST_ONLY) != 0 && crosses)
        {
            return RejectReason.POST_ONLY_WOULD_CROSS;
        }
        if (!book.side(side).canHold(priceTicks))
        {
            return RejectReason.PRICE_OUT_OF_RANGE;
        }

        events.orderAmended(
            accountId, marketId, order.orderId(), order.clientOrderId(), side, spec.toPrice(oldPriceTicks),
            spec.toSize(oldSizeLots), spec.toPrice(priceTicks), spec.toSize(sizeLots), false);
        if (!crosses)
        {
            // Nothing to trade: straight to the back of the queue at the new price and size, the
            // events matching would have given (no fills, all of it rests).
            state.requeue(book, order, priceTicks, sizeLots);
            events.orderRested(accountId, marketId, order.orderId(), side, spec.toPrice(priceTicks), spec.toSize(sizeLots));
            return null;
        }
        // Off the book but still indexed: it cannot meet itself, and keeps its ids and expiry.
        state.unlink(book, order);
        final long remainingLots = matchLevels(book, accountId, order.orderId(), side, priceTicks, sizeLots,
            order.selfTradePrevention());
        if (remainingLots == 0)
        {
            state.discard(order);
        }
        else if (takerStopReason != null)
        {
            events.orderCancelled(
                accountId, marketId, order.orderId(), order.clientOrderId(), side, spec.toPrice(priceTicks),
                spec.toSize(remainingLots), takerStopReason, false);
            state.discard(order);
        }
        else
        {
            state.relink(book, order, priceTicks, remainingLots);
            events.orderRested(accountId, marketId, order.orderId(), side, spec.toPrice(priceTicks), spec.toSize(remainingLots));
        }
        // Only now: the trim must see the amended order back on the book or gone, never unlinked.
        trimMarkedAccounts(book);
        return null;
    }

    // ------------------------------------------------- operations for extensions

    /**
     * Cancels every open order of an account in every market, by ascending id, for a reason the
     * extension gives (liquidation). Emits one cancel event per order.
     */
    public void cancelAccountOrders(final long accountId, final CancelReason reason)
    {
        cancelCollected(collectOrderIds(accountId, 0, false), reason);
    }

    /**
     * Places a liquidation slice: an IOC limit order for the account that skips the placement
     * checks (the liquidator has decided it) and whose fills are flagged as liquidation fills. The
     * makers still pass their own fill checks. Self-trades cannot occur: the account's orders were
     * cancelled first.
     *
     * @return the filled size in lots
     */
    public long placeLiquidationOrder(
        final long accountId, final int marketId, final Side side, final long limitTicks, final long sizeLots)
    {
        final OrderBook book = state.book(marketId);
        final MarketSpec spec = book.spec();
        final long orderId = nextOrderId++;
        events.orderAccepted(
            accountId, marketId, orderId, 0, side, OrderType.LIMIT, TimeInForce.IOC, FLAG_REDUCE_ONLY,
            spec.toPrice(limitTicks), spec.toSize(sizeLots), 0, 0);
        liquidating = true;
        final long remainingLots;
        try
        {
            remainingLots = match(book, accountId, orderId, side, limitTicks, sizeLots, SelfTradePrevention.CANCEL_MAKER);
        }
        finally
        {
            liquidating = false;
        }
        if (remainingLots > 0)
        {
            events.orderCancelled(
                accountId, marketId, orderId, 0, side, spec.toPrice(limitTicks), spec.toSize(remainingLots),
                takerStopReason != null ? takerStopReason : CancelReason.IOC_REMAINDER, false);
        }
        return sizeLots - remainingLots;
    }

    /**
     * Re-checks the account's resting reduce-only orders in a market after its position changed
     * outside matching (deleveraging): each is cut to what the position can still absorb, or cancelled.
     */
    public void trimReduceOnlyOrders(final long accountId, final int marketId)
    {
        if (state.hasReduceOnlyOrders(accountId))
        {
            trimReduceOnly(state.book(marketId), accountId);
        }
    }

    /** Whether a liquidation slice is matching right now (for the gate's fill checks). */
    public boolean isLiquidating()
    {
        return liquidating;
    }

    /** A new trade id, for trades that do not come from matching (deleveraging). */
    public long allocateTradeId()
    {
        return nextTradeId++;
    }

    /**
     * Records an accepted oracle price as the market's mark (and reference) price, then fires every
     * conditional order of the market whose trigger condition holds at it: the orders the price
     * path reached first fire first (a rising mark: ascending trigger; a falling one: descending),
     * ties by order id. Orders fired by one update cannot fire one another: only the mark triggers,
     * and it does not change while they trade.
     */
    public void applyMarkPrice(final int marketId, final long markTicks)
    {
        if (markTicks <= 0)
        {
            throw new IllegalArgumentException("mark price must be positive: " + markTicks);
        }
        final OrderBook book = state.book(marketId);
        book.markPriceTicks(markTicks);
        final ConditionalOrders conditionals = book.conditionals();
        Order order;
        while ((order = conditionals.nextToFire(markTicks)) != null)
        {
            trigger(book, order, markTicks);
        }
    }

    // ---------------------------------------------------------------- markets

    /** Creates a market from an AddMarket command. */
    public void addMarket(final AddMarketDecoder command, final String symbol)
    {
        final int marketId = command.marketId();
        if (state.book(marketId) != null)
        {
            events.rejected(AddMarketDecoder.TEMPLATE_ID, RejectReason.MARKET_EXISTS, 0, marketId, 0, 0);
            return;
        }
        final MarketSpec spec;
        try
        {
            spec = MarketSpec.create(
                marketId, symbol, command.tickSize(), command.lotSize(), command.quoteScaleExponent(),
                command.minSize(), command.maxSize(), command.maxNotional(), command.priceBandPpm(),
                command.makerFeePpm(), command.takerFeePpm(), command.referencePrice(),
                flag(command.selfTradeAllowedRaw()), WireEnums.marketStatus(command.statusRaw()));
        }
        catch (final InvalidSpecException ex)
        {
            events.rejected(AddMarketDecoder.TEMPLATE_ID, ex.reason(), 0, marketId, 0, 0);
            return;
        }
        state.addMarket(spec);
        publishMarket(state.book(marketId), true);
    }

    /** Applies an UpdateMarket command; tick, lot and scale never change. */
    public void updateMarket(final UpdateMarketDecoder command)
    {
        final int marketId = command.marketId();
        final OrderBook book = state.book(marketId);
        if (book == null)
        {
            events.rejected(UpdateMarketDecoder.TEMPLATE_ID, RejectReason.UNKNOWN_MARKET, 0, marketId, 0, 0);
            return;
        }
        try
        {
            book.spec().update(
                command.minSize(), command.maxSize(), command.maxNotional(), command.priceBandPpm(),
                command.makerFeePpm(), command.takerFeePpm(),
                flag(command.selfTradeAllowedRaw()), WireEnums.marketStatus(command.statusRaw()));
        }
        catch (final InvalidSpecException ex)
        {
            events.rejected(UpdateMarketDecoder.TEMPLATE_ID, ex.reason(), 0, marketId, 0, 0);
            return;
        }
        publishMarket(book, false);
    }

    private void publishMarket(final OrderBook book, final boolean created)
    {
        final MarketSpec spec = book.spec();
        events.marketConfigured(
            spec.marketId(), spec.tickSize(), spec.lotSize(), spec.quoteScaleExponent(),
            spec.toSize(spec.minSizeLots()), spec.toSize(spec.maxSizeLots()), spec.maxNotional(),
            spec.priceBandPpm(), spec.makerFeePpm(), spec.takerFeePpm(),
            spec.toPrice(spec.initialReferencePriceTicks()), spec.selfTradeAllowed(), spec.status(), created,
            spec.symbol());
    }

    // --------------------------------------------------------------- snapshot

    /** Applies a TakeSnapshot command: hands the state to the listener and reports its hash. */
    public void takeSnapshot()
    {
        final long hash = stateHash();
        if (snapshotListener != null)
        {
            snapshotListener.onSnapshot(this, hash);
        }
        events.snapshotTaken(hash);
    }

    /** Adds the order's id to the scratch ids if it is in the market (any market when 0); returns the new count. */
    private int collect(final Order order, final int marketId, final int count)
    {
        if (marketId != 0 && order.marketId() != marketId)
        {
            return count;
        }
        if (count == scratchOrderIds.length)
        {
            scratchOrderIds = Arrays.copyOf(scratchOrderIds, count * 2);
        }
        scratchOrderIds[count] = order.orderId();
        return count + 1;
    }

    /**
     * In-place ascending sort of {@code values[0..count)}; unlike Arrays.sort it never allocates. An
     * account's orders are mostly listed in id order already (new orders get the highest id), so an
     * ascending input returns after one pass: the reduce-only trim collects them on every fill.
     */
    static void heapSort(final long[] values, final int count)
    {
        int i = 1;
        while (i < count && values[i - 1] <= values[i])
        {
            i++;
        }
        if (i >= count)
        {
            return;
        }
        for (i = count / 2 - 1; i >= 0; i--)
        {
            siftDown(values, i, count);
        }
        for (int end = count - 1; end > 0; end--)
        {
            final long top = values[0];
            values[0] = values[end];
            values[end] = top;
            siftDown(values, 0, end);
        }
    }

    private static void siftDown(final long[] values, final int start, final int count)
    {
        int index = start;
        final long value = values[index];
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= count)
            {
                break;
            }
            if (child + 1 < count && values[child + 1] > values[child])
            {
                child++;
            }
            if (values[child] <= value)
            {
                break;
            }
            values[index] = values[child];
            index = child;
        }
        values[index] = value;
    }

    /** A wire boolean; anything but 0 or 1 is an invalid spec. */
    private static boolean flag(final short raw)
    {
        if (raw != 0 && raw != 1)
        {
            throw new InvalidSpecException(RejectReason.INVALID_MARKET_SPEC, "boolean field must be 0 or 1");
        }
        return raw == 1;
    }
}
