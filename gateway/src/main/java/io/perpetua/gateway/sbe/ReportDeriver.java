package io.perpetua.gateway.sbe;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderExpiredDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
import io.perpetua.core.sbe.PlaceOrderDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.gateway.marketdata.JournalSchema;
import io.perpetua.gateway.sbe.codec.ExecType;
import io.perpetua.gateway.sbe.codec.ExecutionReportEncoder;
import io.perpetua.gateway.sbe.codec.LiquidityIndicator;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.sbe.codec.Side;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Derives execution reports from events journal entries: the one place that decides what a report
 * holds, used both by the live tailer (every account) and by a replay from the journal (one
 * account), so a replayed report is byte for byte the one sent live.
 *
 * <p>Fills do not carry the order's client id, side and price, so it keeps the open orders it needs
 * (every account's, or the filtered account's) and drops them when they end: filled, cancelled,
 * expired, or a triggered conditional order refused. Each account's open orders are also kept in the order
 * their details were last defined (acceptance or amendment), so {@link #rewindSequence} can tell
 * from where a replay must read the journal to know every order a report may name. The holders of
 * ended orders are pooled, so deriving allocates only while the number of open orders grows past its
 * previous peak.
 */
final class ReportDeriver
{
    /** Frame of one report: SOFH, SBE header, body. */
    static final int FRAME_LENGTH = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
        ExecutionReportEncoder.BLOCK_LENGTH;

    /** Where the derived reports go, numbered by it. */
    interface Sink
    {
        /** Sequence number the account's next report carries. */
        long nextSeqNo(long accountId);

        /**
         * A report of {@code accountId}, derived from the entry with {@code entrySequence}; the frame is
         * valid only during the call.
         */
        void onReport(long accountId, long entrySequence, DirectBuffer frame);
    }

    /** What a report needs about an order that the fill events do not carry; linked into its account's list. */
    private static final class OpenOrder
    {
        long orderId;
        long accountId;
        long clientOrderId;
        io.perpetua.core.sbe.Side side;
        long price;
        /** Sequence of the entry that last defined clientOrderId, side and price. */
        long definedAt;
        OpenOrder previous;
        OpenOrder next;
    }

    /** One account's open orders, oldest definition first, and what left the list in the current entry. */
    private static final class AccountOrders
    {
        OpenOrder head;
        OpenOrder tail;
        /** Entry in which {@link #leftDefinedAt} applies. */
        long leftInEntry = -1;
        /** Oldest definition among the orders that ended or were redefined in {@link #leftInEntry}. */
        long leftDefinedAt;
    }

    private final JournalSchema schema;
    private final Sink sink;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final RejectedDecoder rejected = new RejectedDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final OrderRestedDecoder rested = new OrderRestedDecoder();
    private final OrderCancelledDecoder cancelled = new OrderCancelledDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final OrderExpiredDecoder expired = new OrderExpiredDecoder();
    private final MessageHeaderEncoder reportHeader = new MessageHeaderEncoder();
    private final ExecutionReportEncoder report = new ExecutionReportEncoder();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);
    private final Long2ObjectHashMap<OpenOrder> openOrders = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<AccountOrders> accounts = new Long2ObjectHashMap<>();
    private OpenOrder pool;
    /** 0: every account; otherwise the only account whose orders and reports are derived. */
    private long accountFilter;
    private long entrySequence;

    ReportDeriver(final JournalSchema schema, final Sink sink)
    {
        this.schema = schema;
        this.sink = sink;
        SbeSession.putFramingHeader(frame, 0, FRAME_LENGTH);
    }

    /** Forgets every order and derives from now on only {@code accountId}'s reports (0: every account's). */
    void reset(final long accountId)
    {
        openOrders.values().forEach(this::release);
        openOrders.clear();
        accounts.clear();
        accountFilter = accountId;
    }

    /** Derives the reports of one events journal entry (one command's events). */
    void onEntry(final DirectBuffer buffer, final int offset, final int length)
    {
        entrySequence = CommandAdapter.sequenceOf(buffer, offset);
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            header.wrap(buffer, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (header.templateId())
            {
                case OrderAcceptedDecoder.TEMPLATE_ID -> onAccepted(buffer, body);
                case RejectedDecoder.TEMPLATE_ID -> onRejected(buffer, body);
                case FillDecoder.TEMPLATE_ID -> onFill(buffer, body);
                case OrderRestedDecoder.TEMPLATE_ID -> onRested(buffer, body);
                case OrderCancelledDecoder.TEMPLATE_ID -> onCancelled(buffer, body);
                case OrderAmendedDecoder.TEMPLATE_ID -> onAmended(buffer, body);
                case OrderExpiredDecoder.TEMPLATE_ID -> onExpired(buffer, body);
                default ->
                {
                }
            }
            position = schema.skip(buffer, position);
        }
    }

    /**
     * Sequence of the oldest entry a replay must read from to derive the account's reports from the
     * current entry on exactly as they were derived live: the oldest definition among the account's
     * open orders and the orders that ended or were redefined so far in the current entry.
     */
    long rewindSequence(final long accountId)
    {
        long oldest = entrySequence;
        final AccountOrders orders = accounts.get(accountId);
        if (orders != null)
        {
            if (orders.head != null)
            {
                oldest = Math.min(oldest, orders.head.definedAt);
            }
            if (orders.leftInEntry == entrySequence)
            {
                oldest = Math.min(oldest, orders.leftDefinedAt);
            }
        }
        return oldest;
    }

    /** Open orders held (for tests of the bound). */
    int openOrders()
    {
        return openOrders.size();
    }

    private boolean derives(final long accountId)
    {
        return accountId > 0 && (accountFilter == 0 || accountId == accountFilter);
    }

    private void onAccepted(final DirectBuffer buffer, final int body)
    {
        accepted.wrap(buffer, body, header.blockLength(), header.version());
        if (!derives(accepted.accountId()))
        {
            return;
        }
        define(accepted.orderId(), accepted.accountId(), accepted.clientOrderId(), accepted.side(), accepted.price());
        start(accepted.accountId(), accepted.sequence(), accepted.timestampNs(), accepted.marketId(), accepted.orderId(),
            accepted.clientOrderId(), ExecType.NEW, accepted.side(), accepted.price(), accepted.size());
        sink.onReport(accepted.accountId(), entrySequence, frame);
    }

    private void onRejected(final DirectBuffer buffer, final int body)
    {
        rejected.wrap(buffer, body, header.blockLength(), header.version());
        if (!derives(rejected.accountId()))
        {
            return;
        }
        final OpenOrder order = openOrders.get(rejected.orderId());
        start(rejected.accountId(), rejected.sequence(), rejected.timestampNs(), rejected.marketId(), rejected.orderId(),
            rejected.clientOrderId() != 0 || order == null ? rejected.clientOrderId() : order.clientOrderId,
            ExecType.REJECTED, order == null ? null : order.side, order == null ? 0 : order.price, 0);
        report.rejectReason(rejected.reasonRaw());
        sink.onReport(rejected.accountId(), entrySequence, frame);
        if (order != null && rejected.commandTemplateId() == PlaceOrderDecoder.TEMPLATE_ID)
        {
            end(order); // a conditional order refused as its trigger entered it: nothing else ends it
        }
    }

    private void onFill(final DirectBuffer buffer, final int body)
    {
        fill.wrap(buffer, body, header.blockLength(), header.version());
        fillReport(fill.makerAccountId(), fill.makerOrderId(), fill.makerRemaining(), fill.makerFee(), LiquidityIndicator.MAKER);
        fillReport(fill.takerAccountId(), fill.takerOrderId(), fill.takerRemaining(), fill.takerFee(), LiquidityIndicator.TAKER);
    }

    private void fillReport(
        final long accountId, final long orderId, final long remaining, final long fee, final LiquidityIndicator liquidity)
    {
        final OpenOrder order = openOrders.get(orderId);
        if (order == null || !derives(accountId))
        {
            return; // a liquidation slice or deleverage (no order of the account's own), or another account's
        }
        start(accountId, fill.sequence(), fill.timestampNs(), fill.marketId(), orderId, order.clientOrderId,
            remaining == 0 ? ExecType.FILL : ExecType.PARTIAL_FILL, order.side, order.price, remaining);
        report.lastQty(fill.size()).lastPx(fill.price()).tradeId(fill.tradeId()).fee(fee).liquidity(liquidity);
        sink.onReport(accountId, entrySequence, frame);
        if (remaining == 0)
        {
            end(order);
        }
    }

    private void onRested(final DirectBuffer buffer, final int body)
    {
        rested.wrap(buffer, body, header.blockLength(), header.version());
        if (!derives(rested.accountId()))
        {
            return;
        }
        final OpenOrder order = openOrders.get(rested.orderId());
        start(rested.accountId(), rested.sequence(), rested.timestampNs(), rested.marketId(), rested.orderId(),
            order == null ? 0 : order.clientOrderId, ExecType.RESTED, rested.side(), rested.price(), rested.size());
        sink.onReport(rested.accountId(), entrySequence, frame);
    }

    private void onCancelled(final DirectBuffer buffer, final int body)
    {
        cancelled.wrap(buffer, body, header.blockLength(), header.version());
        if (!derives(cancelled.accountId()))
        {
            return;
        }
        final OpenOrder order = openOrders.get(cancelled.orderId());
        if (order != null)
        {
            end(order);
        }
        start(cancelled.accountId(), cancelled.sequence(), cancelled.timestampNs(), cancelled.marketId(),
            cancelled.orderId(), cancelled.clientOrderId(), ExecType.CANCELLED, cancelled.side(), cancelled.price(), 0);
        report.lastQty(cancelled.remainingSize()).rejectReason(cancelled.reasonRaw());
        sink.onReport(cancelled.accountId(), entrySequence, frame);
    }

    private void onAmended(final DirectBuffer buffer, final int body)
    {
        amended.wrap(buffer, body, header.blockLength(), header.version());
        if (!derives(amended.accountId()))
        {
            return;
        }
        define(amended.orderId(), amended.accountId(), amended.clientOrderId(), amended.side(), amended.newPrice());
        start(amended.accountId(), amended.sequence(), amended.timestampNs(), amended.marketId(), amended.orderId(),
            amended.clientOrderId(), ExecType.REPLACED, amended.side(), amended.newPrice(), amended.newSize());
        sink.onReport(amended.accountId(), entrySequence, frame);
    }

    private void onExpired(final DirectBuffer buffer, final int body)
    {
        expired.wrap(buffer, body, header.blockLength(), header.version());
        if (!derives(expired.accountId()))
        {
            return;
        }
        final OpenOrder order = openOrders.get(expired.orderId());
        if (order != null)
        {
            end(order);
        }
        start(expired.accountId(), expired.sequence(), expired.timestampNs(), expired.marketId(), expired.orderId(),
            expired.clientOrderId(), ExecType.EXPIRED, expired.side(), expired.price(), 0);
        report.lastQty(expired.remainingSize());
        sink.onReport(expired.accountId(), entrySequence, frame);
    }

    /** Records an order's details as of the current entry, at the back of its account's list. */
    private void define(
        final long orderId, final long accountId, final long clientOrderId, final io.perpetua.core.sbe.Side side,
        final long price)
    {
        OpenOrder order = openOrders.get(orderId);
        if (order == null)
        {
            order = pool == null ? new OpenOrder() : pool;
            pool = order.next;
            order.next = null;
            order.orderId = orderId;
            order.accountId = accountId;
            openOrders.put(orderId, order);
        }
        else
        {
            unlink(order);
        }
        order.clientOrderId = clientOrderId;
        order.side = side;
        order.price = price;
        order.definedAt = entrySequence;
        final AccountOrders orders = orders(accountId);
        order.previous = orders.tail;
        if (orders.tail == null)
        {
            orders.head = order;
        }
        else
        {
            orders.tail.next = order;
        }
        orders.tail = order;
    }

    private void end(final OpenOrder order)
    {
        openOrders.remove(order.orderId);
        unlink(order);
        release(order);
    }

    /** Takes the order out of its account's list, remembering its definition for the current entry's rewind. */
    private void unlink(final OpenOrder order)
    {
        final AccountOrders orders = orders(order.accountId);
        if (orders.leftInEntry != entrySequence)
        {
            orders.leftInEntry = entrySequence;
            orders.leftDefinedAt = order.definedAt;
        }
        else
        {
            orders.leftDefinedAt = Math.min(orders.leftDefinedAt, order.definedAt);
        }
        if (order.previous == null)
        {
            orders.head = order.next;
        }
        else
        {
            order.previous.next = order.next;
        }
        if (order.next == null)
        {
            orders.tail = order.previous;
        }
        else
        {
            order.next.previous = order.previous;
        }
        order.previous = null;
        order.next = null;
    }

    private void release(final OpenOrder order)
    {
        order.side = null;
        order.previous = null;
        order.next = pool;
        pool = order;
    }

    private AccountOrders orders(final long accountId)
    {
        AccountOrders orders = accounts.get(accountId);
        if (orders == null)
        {
            orders = new AccountOrders();
            accounts.put(accountId, orders);
        }
        return orders;
    }

    /** Starts a report in the frame; the caller sets the type's own fields and hands it to the sink. */
    private void start(
        final long accountId, final long sequence, final long timeNs, final int marketId, final long orderId,
        final long clientOrderId, final ExecType type, final io.perpetua.core.sbe.Side side, final long price,
        final long leaves)
    {
        report.wrapAndApplyHeader(frame, SofhFrameDecoder.HEADER_LENGTH, reportHeader)
            .seqNo(sink.nextSeqNo(accountId))
            .engineSequence(sequence)
            .transactTimeNs(timeNs)
            .marketId(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .execType(type)
            .side(side == io.perpetua.core.sbe.Side.SELL ? Side.SELL : Side.BUY)
            .price(price)
            .leavesQty(leaves)
            .lastQty(0)
            .lastPx(0)
            .tradeId(0)
            .fee(0)
            .liquidity(LiquidityIndicator.NONE)
            .rejectReason(0);
    }
}
