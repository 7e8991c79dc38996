package io.perpetua.core.book;

import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * Every order the exchange holds: the books by market (with their conditional orders), the index by
 * order id, each account's open orders and client ids, and the GTT expiry queue. Resting and
 * conditional orders share the indexes and the pool, so lookups, cancels, expiry and the order
 * capacity treat them alike. The data structures live here; the rules that
 * decide what happens to them live in {@link io.perpetua.core.engine.MatchingEngine}.
 *
 * <p>Lookups use primitive-keyed maps; anything that reaches output (snapshots, hashes) iterates
 * in a defined order (markets by id, orders by price-time), never in hash order.
 */
public final class BookState
{
    /**
     * The order indexes start with room for this many open orders (or the pool's preallocation, if
     * smaller) and double when more are open at once than ever before, allocating only then. Sized
     * for a pool of 65,536 instead, the two tables spread a few thousand open orders over 3.5 MB and
     * nearly every lookup missed the cache: the perpetuals workload's core took 20-40% longer per
     * command (docs/benchmarks.md).
     */
    private static final int INITIAL_INDEXED_ORDERS = 4096;

    private final Int2ObjectHashMap<OrderBook> books = new Int2ObjectHashMap<>();
    private int[] marketIds = new int[0];
    private int lastMarketId;
    private OrderBook lastBook;
    private final Long2ObjectHashMap<Order> ordersById;
    private final Long2ObjectHashMap<AccountOrders> accounts = new Long2ObjectHashMap<>();
    private final ClientOrderIndex clientOrderIndex;
    private final ExpiryHeap expiryHeap = new ExpiryHeap();
    private final OrderPool orderPool;
    private final LevelPool levelPool = new LevelPool();
    /** Open resting reduce-only orders of all accounts (each account keeps its own count too). */
    private int reduceOnlyCount;

    public BookState(final int preallocatedOrders, final int orderCapacity)
    {
        this.orderPool = new OrderPool(preallocatedOrders, orderCapacity);
        final int indexedOrders = Math.min(preallocatedOrders, INITIAL_INDEXED_ORDERS);
        this.ordersById = new Long2ObjectHashMap<>(Math.max(64, indexedOrders), 0.65f);
        this.clientOrderIndex = new ClientOrderIndex(indexedOrders);
    }

    /** The book of a market, or null if there is no such market. */
    public OrderBook book(final int marketId)
    {
        // Commands mostly come in runs on one market; market ids start at 1, so 0 never hits.
        if (marketId == lastMarketId)
        {
            return lastBook;
        }
        final OrderBook book = books.get(marketId);
        if (book != null)
        {
            lastMarketId = marketId;
            lastBook = book;
        }
        return book;
    }

    public OrderBook addMarket(final MarketSpec spec)
    {
        final OrderBook book = new OrderBook(spec, levelPool);
        books.put(spec.marketId(), book);
        marketIds = Arrays.copyOf(marketIds, marketIds.length + 1);
        marketIds[marketIds.length - 1] = spec.marketId();
        Arrays.sort(marketIds);
        return book;
    }

    /** Market ids in ascending order (the canonical order for snapshots and hashes). */
    public int marketCount()
    {
        return marketIds.length;
    }

    public int marketIdAt(final int index)
    {
        return marketIds[index];
    }

    public Order order(final long orderId)
    {
        return ordersById.get(orderId);
    }

    /** The account's open order with {@code clientOrderId}, or null. */
    public Order orderByClientId(final long accountId, final long clientOrderId)
    {
        return clientOrderIndex.get(accountId, clientOrderId);
    }

    /** The oldest open order of an account, or null; continue with {@link #nextOfAccount(Order)}. */
    public Order firstOfAccount(final long accountId)
    {
        final AccountOrders account = accounts.get(accountId);
        return account == null ? null : account.head;
    }

    public Order nextOfAccount(final Order order)
    {
        return order.accountNext;
    }

    /**
     * The oldest resting reduce-only order of an account, or null; continue with
     * {@link #nextReduceOnlyOfAccount(Order)}. Conditional orders are not in this list.
     */
    public Order firstReduceOnlyOfAccount(final long accountId)
    {
        final AccountOrders account = accounts.get(accountId);
        return account == null ? null : account.reduceOnlyHead;
    }

    public Order nextReduceOnlyOfAccount(final Order order)
    {
        return order.reduceOnlyNext;
    }

    /** Whether the account has open reduce-only orders. */
    public boolean hasReduceOnlyOrders(final long accountId)
    {
        // Asked for both sides of every fill; most books hold no reduce-only order at all.
        if (reduceOnlyCount == 0)
        {
            return false;
        }
        final AccountOrders orders = accounts.get(accountId);
        return orders != null && orders.reduceOnlyHead != null;
    }

    public boolean hasOrderCapacity()
    {
        return orderPool.hasSpare();
    }

    public int openOrderCount()
    {
        return orderPool.inUse();
    }

    /** Open orders of one account, resting and waiting conditional ones. */
    public int openOrderCount(final long accountId)
    {
        final AccountOrders orders = accounts.get(accountId);
        return orders == null ? 0 : orders.count;
    }

    /** Puts a new order on its book at the back of its price level. Caller ensures capacity. */
    public Order rest(
        final OrderBook book,
        final long orderId,
        final long accountId,
        final long clientOrderId,
        final Side side,
        final TimeInForce timeInForce,
        final byte flags,
        final SelfTradePrevention stp,
        final long priceTicks,
        final long sizeLots,
        final long expiryNs)
    {
        final Order order = acquire(
            book, orderId, accountId, clientOrderId, side, OrderType.LIMIT, timeInForce, flags, stp, priceTicks, sizeLots,
            expiryNs);
        book.side(side).add(order);
        index(order);
        return order;
    }

    /**
     * Holds a conditional order off the book until its trigger. {@code priceTicks} is its limit (0
     * for the market types). Caller ensures capacity.
     */
    public Order hold(
        final OrderBook book,
        final long orderId,
        final long accountId,
        final long clientOrderId,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final byte flags,
        final SelfTradePrevention stp,
        final long priceTicks,
        final long sizeLots,
        final long expiryNs,
        final long triggerPriceTicks)
    {
        final Order order = acquire(
            book, orderId, accountId, clientOrderId, side, orderType, timeInForce, flags, stp, priceTicks, sizeLots, expiryNs);
        order.triggerPriceTicks = triggerPriceTicks;
        book.conditionals().add(order);
        index(order);
        return order;
    }

    private Order acquire(
        final OrderBook book,
        final long orderId,
        final long accountId,
        final long clientOrderId,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final byte flags,
        final SelfTradePrevention stp,
        final long priceTicks,
        final long sizeLots,
        final long expiryNs)
    {
        final Order order = orderPool.acquire();
        order.orderId = orderId;
        order.accountId = accountId;
        order.clientOrderId = clientOrderId;
        order.marketId = book.spec().marketId();
        order.side = side;
        order.orderType = orderType;
        order.timeInForce = timeInForce;
        order.flags = flags;
        order.selfTradePrevention = stp;
        order.priceTicks = priceTicks;
        order.sizeLots = sizeLots;
        order.expiryNs = expiryNs;
        return order;
    }

    private void index(final Order order)
    {
        ordersById.put(order.orderId, order);
        final AccountOrders account = account(order.accountId);
        account.append(order);
        order.account = account;
        if (AccountOrders.isRestingReduceOnly(order))
        {
            reduceOnlyCount++;
        }
        if (order.clientOrderId != 0)
        {
            clientOrderIndex.put(order);
        }
        if (order.timeInForce == TimeInForce.GTT)
        {
            expiryHeap.add(order);
        }
    }

    /** Takes an order off its book (or out of its market's conditional orders) and returns it to the pool. */
    public void remove(final OrderBook book, final Order order)
    {
        if (order.isConditional())
        {
            book.conditionals().remove(order);
        }
        else
        {
            book.side(order.side).remove(order);
        }
        discard(order);
    }

    /**
     * Takes an order out of its price level but keeps it indexed (id, account, client id, expiry),
     * so that an amend can re-match it and {@link #relink} it or {@link #discard} it without
     * touching the indexes twice.
     */
    public void unlink(final OrderBook book, final Order order)
    {
        book.side(order.side).remove(order);
    }

    /** Puts an unlinked order back on its book at a new price and size, at the back of the queue. */
    public void relink(final OrderBook book, final Order order, final long priceTicks, final long sizeLots)
    {
        order.priceTicks = priceTicks;
        order.sizeLots = sizeLots;
        book.side(order.side).add(order);
    }

    /**
     * Moves a resting order to the back of the queue at a new price and size (an amend that trades
     * nothing). At the same price it stays in its level, which is neither removed nor re-created.
     */
    public void requeue(final OrderBook book, final Order order, final long priceTicks, final long sizeLots)
    {
        final BookSide side = book.side(order.side);
        if (priceTicks == order.priceTicks)
        {
            order.level.requeue(order, sizeLots);
            return;
        }
        side.remove(order);
        order.priceTicks = priceTicks;
        order.sizeLots = sizeLots;
        side.add(order);
    }

    /** Forgets an order that is on no price level and returns it to the pool. */
    public void discard(final Order order)
    {
        ordersById.remove(order.orderId);
        order.account.unlink(order);
        if (AccountOrders.isRestingReduceOnly(order))
        {
            reduceOnlyCount--;
        }
        if (order.clientOrderId != 0)
        {
            clientOrderIndex.remove(order);
        }
        if (order.timeInForce == TimeInForce.GTT)
        {
            expiryHeap.remove(order);
        }
        orderPool.release(order);
    }

    /** Shrinks a resting order keeping its time priority; {@code byLots} is less than its size. */
    public void reduce(final OrderBook book, final Order order, final long byLots)
    {
        book.side(order.side).reduce(order, byLots);
    }

    public void recordTrade(final OrderBook book, final long priceTicks)
    {
        book.lastTradePriceTicks(priceTicks);
    }

    /** The GTT order that expires first, or null. */
    public Order nextToExpire()
    {
        return expiryHeap.peek();
    }

    private AccountOrders account(final long accountId)
    {
        AccountOrders account = accounts.get(accountId);
        if (account == null)
        {
            account = new AccountOrders();
            accounts.put(accountId, account);
        }
        return account;
    }
}
