package io.perpetua.gateway.sbe;

import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderExpiredDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
import io.perpetua.gateway.marketdata.JournalConsumer;
import io.perpetua.gateway.marketdata.JournalSchema;
import io.perpetua.gateway.sbe.codec.BookChangeReason;
import io.perpetua.gateway.sbe.codec.BookSnapshotEncoder;
import io.perpetua.gateway.sbe.codec.MarketDataRejectCode;
import io.perpetua.gateway.sbe.codec.MarketDataStatusEncoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.sbe.codec.OrderAddEncoder;
import io.perpetua.gateway.sbe.codec.OrderDeleteEncoder;
import io.perpetua.gateway.sbe.codec.OrderModifyEncoder;
import io.perpetua.gateway.sbe.codec.Side;
import io.perpetua.gateway.sbe.codec.SubscriptionStatus;
import io.perpetua.gateway.sbe.codec.TradeEncoder;
import io.perpetua.gateway.sbe.codec.YesNo;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Order-by-order market data from the events journal: each market's resting orders ({@link L3Book})
 * and the updates that change them, numbered per market from 1 without gaps. The numbering depends
 * only on the journal, so it is the same on every connection and after a gateway restart.
 *
 * <p>Runs on the events tailer thread, one journal entry (one command's events) at a time under
 * this object's lock; sessions subscribe and take snapshots from their I/O threads under the same
 * lock, so a snapshot is always the book between two commands and the session's updates start right
 * after it. Everything a session is sent goes through its event loop's queue in the order it was
 * decided here, so a snapshot and the updates after it arrive in sequence order.
 */
final class MarketDataFeed implements JournalConsumer
{
    /** Most orders in one BookSnapshot message. */
    static final int SNAPSHOT_PART_ORDERS = 1_000;

    private static final class Market
    {
        final int marketId;
        final L3Book book = new L3Book();
        final Set<SbeSession> subscribers = new LinkedHashSet<>();
        long mdSeqNo;

        Market(final int marketId)
        {
            this.marketId = marketId;
        }
    }

    /** An update of the document being read, with the offset of its endOfEvent field. */
    private record Update(Market market, byte[] frame, int endOfEventOffset)
    {
    }

    private static final int BODY = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;

    private final JournalSchema schema = new JournalSchema();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MarketConfiguredDecoder configured = new MarketConfiguredDecoder();
    private final OrderRestedDecoder rested = new OrderRestedDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final OrderCancelledDecoder cancelled = new OrderCancelledDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final OrderExpiredDecoder expired = new OrderExpiredDecoder();
    private final MessageHeaderEncoder messageHeader = new MessageHeaderEncoder();
    private final OrderAddEncoder add = new OrderAddEncoder();
    private final OrderModifyEncoder modify = new OrderModifyEncoder();
    private final OrderDeleteEncoder delete = new OrderDeleteEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final MarketDataStatusEncoder statusEncoder = new MarketDataStatusEncoder();
    private final BookSnapshotEncoder snapshotEncoder = new BookSnapshotEncoder();
    private final Int2ObjectHashMap<Market> markets = new Int2ObjectHashMap<>();
    private final List<Update> updates = new ArrayList<>();
    /** The command of the document being read, then of the last one read. */
    private long engineSequence;
    private long transactTimeNs;

    @Override
    public synchronized void onDocument(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH + 2 * Long.BYTES)
        {
            // Every journal event starts with the command's sequence and time.
            engineSequence = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, MessageHeaderDecoder.BYTE_ORDER);
            transactTimeNs = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES,
                MessageHeaderDecoder.BYTE_ORDER);
        }
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            header.wrap(buffer, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (header.templateId())
            {
                case MarketConfiguredDecoder.TEMPLATE_ID -> onConfigured(buffer, body);
                case OrderRestedDecoder.TEMPLATE_ID -> onRested(buffer, body);
                case FillDecoder.TEMPLATE_ID -> onFill(buffer, body);
                case OrderCancelledDecoder.TEMPLATE_ID -> onCancelled(buffer, body);
                case OrderAmendedDecoder.TEMPLATE_ID -> onAmended(buffer, body);
                case OrderExpiredDecoder.TEMPLATE_ID -> onExpired(buffer, body);
                default ->
                {
                }
            }
            position = schema.skip(buffer, position);
        }
        if (!updates.isEmpty())
        {
            publish();
        }
    }

    private void onConfigured(final DirectBuffer buffer, final int body)
    {
        configured.wrap(buffer, body, header.blockLength(), header.version());
        if (configured.created() == BooleanType.TRUE)
        {
            markets.put(configured.marketId(), new Market(configured.marketId()));
        }
    }

    private void onRested(final DirectBuffer buffer, final int body)
    {
        rested.wrap(buffer, body, header.blockLength(), header.version());
        final Market market = markets.get(rested.marketId());
        market.book.add(rested.orderId(), rested.side(), rested.price(), rested.size());
        final byte[] frame = frame(OrderAddEncoder.BLOCK_LENGTH);
        add.wrapAndApplyHeader(new UnsafeBuffer(frame), SofhFrameDecoder.HEADER_LENGTH, messageHeader)
            .marketId(rested.marketId())
            .mdSeqNo(++market.mdSeqNo)
            .engineSequence(engineSequence)
            .transactTimeNs(transactTimeNs)
            .endOfEvent(YesNo.NO)
            .orderId(rested.orderId())
            .side(side(rested.side()))
            .price(rested.price())
            .size(rested.size());
        updates.add(new Update(market, frame, BODY + OrderAddEncoder.endOfEventEncodingOffset()));
    }

    private void onFill(final DirectBuffer buffer, final int body)
    {
        fill.wrap(buffer, body, header.blockLength(), header.version());
        final Market market = markets.get(fill.marketId());
        final byte[] frame = frame(TradeEncoder.BLOCK_LENGTH);
        trade.wrapAndApplyHeader(new UnsafeBuffer(frame), SofhFrameDecoder.HEADER_LENGTH, messageHeader)
            .marketId(fill.marketId())
            .mdSeqNo(++market.mdSeqNo)
            .engineSequence(engineSequence)
            .transactTimeNs(transactTimeNs)
            .endOfEvent(YesNo.NO)
            .tradeId(fill.tradeId())
            .price(fill.price())
            .size(fill.size())
            .aggressorSide(side(fill.aggressorSide()))
            .makerOrderId(fill.makerOrderId())
            .takerOrderId(fill.takerOrderId())
            .liquidation(fill.liquidation() == BooleanType.TRUE ? YesNo.YES : YesNo.NO);
        updates.add(new Update(market, frame, BODY + TradeEncoder.endOfEventEncodingOffset()));
        final L3Book.Order maker = market.book.order(fill.makerOrderId());
        if (maker == null)
        {
            throw new IllegalStateException("fill " + fill.tradeId() + " against order " + fill.makerOrderId() +
                " that is not on the book of market " + fill.marketId());
        }
        if (fill.makerRemaining() == 0)
        {
            removed(market, maker, fill.size(), BookChangeReason.FILL);
        }
        else
        {
            modified(market, maker, fill.makerRemaining(), BookChangeReason.FILL);
        }
    }

    private void onCancelled(final DirectBuffer buffer, final int body)
    {
        cancelled.wrap(buffer, body, header.blockLength(), header.version());
        final Market market = markets.get(cancelled.marketId());
        final L3Book.Order order = market.book.order(cancelled.orderId());
        if (order != null)
        {
            removed(market, order, order.size, BookChangeReason.CANCEL);
        }
    }

    private void onAmended(final DirectBuffer buffer, final int body)
    {
        amended.wrap(buffer, body, header.blockLength(), header.version());
        final Market market = markets.get(amended.marketId());
        final L3Book.Order order = market.book.order(amended.orderId());
        if (order == null)
        {
            return; // a conditional order waiting for its trigger is not on the book
        }
        if (amended.priorityKept() == BooleanType.TRUE)
        {
            modified(market, order, amended.newSize(), BookChangeReason.AMEND);
        }
        else
        {
            removed(market, order, order.size, BookChangeReason.AMEND);
        }
    }

    private void onExpired(final DirectBuffer buffer, final int body)
    {
        expired.wrap(buffer, body, header.blockLength(), header.version());
        final Market market = markets.get(expired.marketId());
        final L3Book.Order order = market.book.order(expired.orderId());
        if (order != null)
        {
            removed(market, order, order.size, BookChangeReason.EXPIRE);
        }
    }

    private void modified(final Market market, final L3Book.Order order, final long size, final BookChangeReason reason)
    {
        order.size = size;
        final byte[] frame = frame(OrderModifyEncoder.BLOCK_LENGTH);
        modify.wrapAndApplyHeader(new UnsafeBuffer(frame), SofhFrameDecoder.HEADER_LENGTH, messageHeader)
            .marketId(market.marketId)
            .mdSeqNo(++market.mdSeqNo)
            .engineSequence(engineSequence)
            .transactTimeNs(transactTimeNs)
            .endOfEvent(YesNo.NO)
            .orderId(order.orderId)
            .side(side(order.side))
            .price(order.price)
            .size(size)
            .reason(reason);
        updates.add(new Update(market, frame, BODY + OrderModifyEncoder.endOfEventEncodingOffset()));
    }

    private void removed(final Market market, final L3Book.Order order, final long size, final BookChangeReason reason)
    {
        market.book.remove(order);
        final byte[] frame = frame(OrderDeleteEncoder.BLOCK_LENGTH);
        delete.wrapAndApplyHeader(new UnsafeBuffer(frame), SofhFrameDecoder.HEADER_LENGTH, messageHeader)
            .marketId(market.marketId)
            .mdSeqNo(++market.mdSeqNo)
            .engineSequence(engineSequence)
            .transactTimeNs(transactTimeNs)
            .endOfEvent(YesNo.NO)
            .orderId(order.orderId)
            .side(side(order.side))
            .price(order.price)
            .size(size)
            .reason(reason);
        updates.add(new Update(market, frame, BODY + OrderDeleteEncoder.endOfEventEncodingOffset()));
    }

    private static byte[] frame(final int blockLength)
    {
        final byte[] frame = new byte[BODY + blockLength];
        SbeSession.putFramingHeader(new UnsafeBuffer(frame), 0, frame.length);
        return frame;
    }

    private static Side side(final io.perpetua.core.sbe.Side side)
    {
        return side == io.perpetua.core.sbe.Side.SELL ? Side.SELL : Side.BUY;
    }

    /** Marks each market's last update of the document and hands every subscriber its updates in order. */
    private void publish()
    {
        final Set<Market> ended = new LinkedHashSet<>();
        for (int i = updates.size() - 1; i >= 0; i--)
        {
            final Update update = updates.get(i);
            if (ended.add(update.market()))
            {
                update.frame()[update.endOfEventOffset()] = (byte)YesNo.YES.value();
            }
        }
        final Map<SbeSession, List<byte[]>> outboxes = new IdentityHashMap<>();
        for (final Update update : updates)
        {
            for (final SbeSession session : update.market().subscribers)
            {
                outboxes.computeIfAbsent(session, s -> new ArrayList<>()).add(update.frame());
            }
        }
        outboxes.forEach(SbeSession::sendQueued);
        updates.clear();
    }

    /**
     * Subscribes the session to the market's updates: queues a {@code MarketDataStatus(SUBSCRIBED)}
     * and, if asked, a snapshot, both at the market's current sequence number; the updates after it follow.
     *
     * @return null, or why nothing changed
     */
    synchronized MarketDataRejectCode subscribe(
        final SbeSession session, final long requestId, final int marketId, final boolean snapshot)
    {
        final Market market = markets.get(marketId);
        if (market == null)
        {
            return MarketDataRejectCode.UNKNOWN_MARKET;
        }
        if (!market.subscribers.add(session))
        {
            return MarketDataRejectCode.ALREADY_SUBSCRIBED;
        }
        final List<byte[]> frames = new ArrayList<>();
        frames.add(status(requestId, market, SubscriptionStatus.SUBSCRIBED));
        if (snapshot)
        {
            snapshot(requestId, market, frames);
        }
        session.sendQueued(frames);
        return null;
    }

    /** @return null (a {@code MarketDataStatus(UNSUBSCRIBED)} is queued, nothing of the market follows), or why not */
    synchronized MarketDataRejectCode unsubscribe(final SbeSession session, final long requestId, final int marketId)
    {
        final Market market = markets.get(marketId);
        if (market == null)
        {
            return MarketDataRejectCode.UNKNOWN_MARKET;
        }
        if (!market.subscribers.remove(session))
        {
            return MarketDataRejectCode.NOT_SUBSCRIBED;
        }
        session.sendQueued(List.of(status(requestId, market, SubscriptionStatus.UNSUBSCRIBED)));
        return null;
    }

    /** @return null (the market's snapshot is queued), or why not */
    synchronized MarketDataRejectCode snapshot(final SbeSession session, final long requestId, final int marketId)
    {
        final Market market = markets.get(marketId);
        if (market == null)
        {
            return MarketDataRejectCode.UNKNOWN_MARKET;
        }
        final List<byte[]> frames = new ArrayList<>();
        snapshot(requestId, market, frames);
        session.sendQueued(frames);
        return null;
    }

    /** Drops a closed session's subscriptions. */
    synchronized void unsubscribeAll(final SbeSession session)
    {
        for (final Market market : markets.values())
        {
            market.subscribers.remove(session);
        }
    }

    private byte[] status(final long requestId, final Market market, final SubscriptionStatus status)
    {
        final byte[] frame = frame(MarketDataStatusEncoder.BLOCK_LENGTH);
        statusEncoder.wrapAndApplyHeader(new UnsafeBuffer(frame), SofhFrameDecoder.HEADER_LENGTH, messageHeader)
            .requestId(requestId)
            .marketId(market.marketId)
            .status(status)
            .mdSeqNo(market.mdSeqNo);
        return frame;
    }

    /** Appends the market's book as BookSnapshot messages of at most {@link #SNAPSHOT_PART_ORDERS} orders. */
    private void snapshot(final long requestId, final Market market, final List<byte[]> frames)
    {
        final List<L3Book.Order> orders = market.book.inPriorityOrder();
        final int partCount = Math.max(1, (orders.size() + SNAPSHOT_PART_ORDERS - 1) / SNAPSHOT_PART_ORDERS);
        for (int part = 0; part < partCount; part++)
        {
            final int from = part * SNAPSHOT_PART_ORDERS;
            final int to = Math.min(orders.size(), from + SNAPSHOT_PART_ORDERS);
            final byte[] frame = frame(BookSnapshotEncoder.BLOCK_LENGTH + BookSnapshotEncoder.OrdersEncoder.sbeHeaderSize() +
                (to - from) * BookSnapshotEncoder.OrdersEncoder.sbeBlockLength());
            final BookSnapshotEncoder.OrdersEncoder group = snapshotEncoder
                .wrapAndApplyHeader(new UnsafeBuffer(frame), SofhFrameDecoder.HEADER_LENGTH, messageHeader)
                .requestId(requestId)
                .marketId(market.marketId)
                .mdSeqNo(market.mdSeqNo)
                .engineSequence(engineSequence)
                .part(part + 1)
                .partCount(partCount)
                .ordersCount(to - from);
            for (int i = from; i < to; i++)
            {
                final L3Book.Order order = orders.get(i);
                group.next().orderId(order.orderId).side(side(order.side)).price(order.price).size(order.size);
            }
            frames.add(frame);
        }
    }
}
