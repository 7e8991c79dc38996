package io.perpetua.gateway.sbe;

import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderExpiredDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.gateway.marketdata.JournalConsumer;
import io.perpetua.gateway.marketdata.JournalSchema;
import io.perpetua.gateway.sbe.codec.ExecType;
import io.perpetua.gateway.sbe.codec.ExecutionReportEncoder;
import io.perpetua.gateway.sbe.codec.LiquidityIndicator;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.sbe.codec.Side;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Turns the events journal into each account's execution reports, numbered per account from 1
 * without gaps. The numbering depends only on the journal, so it is the same for every session and
 * after a gateway restart (the tailer reads the journal from its start); the reports are kept so a
 * reconnecting client can ask for the ones it missed. Runs on the events tailer thread; sessions
 * subscribe from their I/O threads under this object's lock, so a session gets its replay and then
 * every new report exactly once.
 */
final class ExecutionReports implements JournalConsumer
{
    /** Frame of one report: SOFH, SBE header, body. */
    static final int FRAME_LENGTH = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
        ExecutionReportEncoder.BLOCK_LENGTH;

    /** What a report needs about an order that the fill events do not carry. */
    private record OpenOrder(long clientOrderId, io.perpetua.core.sbe.Side side, long price)
    {
    }

    /** One account's reports (framed, ready to send) and its established sessions. */
    private static final class Account
    {
        final List<byte[]> reports = new ArrayList<>();
        final Set<SbeSession> sessions = new HashSet<>();
    }

    private final JournalSchema schema = new JournalSchema();
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
    private final Long2ObjectHashMap<OpenOrder> openOrders = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Account> accounts = new Long2ObjectHashMap<>();
    /** The report being built. */
    private byte[] frame;

    @Override
    public void onDocument(final DirectBuffer buffer, final int offset, final int length)
    {
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

    private void onAccepted(final DirectBuffer buffer, final int body)
    {
        accepted.wrap(buffer, body, header.blockLength(), header.version());
        openOrders.put(accepted.orderId(), new OpenOrder(accepted.clientOrderId(), accepted.side(), accepted.price()));
        start(accepted.accountId(), accepted.sequence(), accepted.timestampNs(), accepted.marketId(), accepted.orderId(),
            accepted.clientOrderId(), ExecType.NEW, accepted.side(), accepted.price(), accepted.size());
        publish(accepted.accountId());
    }

    private void onRejected(final DirectBuffer buffer, final int body)
    {
        rejected.wrap(buffer, body, header.blockLength(), header.version());
        if (rejected.accountId() <= 0)
        {
            return;
        }
        final OpenOrder order = openOrders.get(rejected.orderId());
        start(rejected.accountId(), rejected.sequence(), rejected.timestampNs(), rejected.marketId(), rejected.orderId(),
            rejected.clientOrderId() != 0 || order == null ? rejected.clientOrderId() : order.clientOrderId(),
            ExecType.REJECTED, order == null ? null : order.side(), order == null ? 0 : order.price(), 0);
        report.rejectReason(rejected.reasonRaw());
        publish(rejected.accountId());
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
        if (accountId <= 0 || order == null)
        {
            return; // a liquidation slice or deleverage: no order of the account's own
        }
        start(accountId, fill.sequence(), fill.timestampNs(), fill.marketId(), orderId, order.clientOrderId(),
            remaining == 0 ? ExecType.FILL : ExecType.PARTIAL_FILL, order.side(), order.price(), remaining);
        report.lastQty(fill.size()).lastPx(fill.price()).tradeId(fill.tradeId()).fee(fee).liquidity(liquidity);
        publish(accountId);
        if (remaining == 0)
        {
            openOrders.remove(orderId);
        }
    }

    private void onRested(final DirectBuffer buffer, final int body)
    {
        rested.wrap(buffer, body, header.blockLength(), header.version());
        final OpenOrder order = openOrders.get(rested.orderId());
        start(rested.accountId(), rested.sequence(), rested.timestampNs(), rested.marketId(), rested.orderId(),
            order == null ? 0 : order.clientOrderId(), ExecType.RESTED, rested.side(), rested.price(), rested.size());
        publish(rested.accountId());
    }

    private void onCancelled(final DirectBuffer buffer, final int body)
    {
        cancelled.wrap(buffer, body, header.blockLength(), header.version());
        openOrders.remove(cancelled.orderId());
        start(cancelled.accountId(), cancelled.sequence(), cancelled.timestampNs(), cancelled.marketId(),
            cancelled.orderId(), cancelled.clientOrderId(), ExecType.CANCELLED, cancelled.side(), cancelled.price(), 0);
        report.lastQty(cancelled.remainingSize()).rejectReason(cancelled.reasonRaw());
        publish(cancelled.accountId());
    }

    private void onAmended(final DirectBuffer buffer, final int body)
    {
        amended.wrap(buffer, body, header.blockLength(), header.version());
        openOrders.put(amended.orderId(), new OpenOrder(amended.clientOrderId(), amended.side(), amended.newPrice()));
        start(amended.accountId(), amended.sequence(), amended.timestampNs(), amended.marketId(), amended.orderId(),
            amended.clientOrderId(), ExecType.REPLACED, amended.side(), amended.newPrice(), amended.newSize());
        publish(amended.accountId());
    }

    private void onExpired(final DirectBuffer buffer, final int body)
    {
        expired.wrap(buffer, body, header.blockLength(), header.version());
        openOrders.remove(expired.orderId());
        start(expired.accountId(), expired.sequence(), expired.timestampNs(), expired.marketId(), expired.orderId(),
            expired.clientOrderId(), ExecType.EXPIRED, expired.side(), expired.price(), 0);
        report.lastQty(expired.remainingSize());
        publish(expired.accountId());
    }

    /** Starts a report in a fresh frame; the caller sets the type's own fields and publishes it. */
    private synchronized void start(
        final long accountId, final long sequence, final long timeNs, final int marketId, final long orderId,
        final long clientOrderId, final ExecType type, final io.perpetua.core.sbe.Side side, final long price,
        final long leaves)
    {
        frame = new byte[FRAME_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        SbeSession.putFramingHeader(buffer, 0, FRAME_LENGTH);
        report.wrapAndApplyHeader(buffer, SofhFrameDecoder.HEADER_LENGTH, reportHeader)
            .seqNo(account(accountId).reports.size() + 1L)
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

    private Account account(final long accountId)
    {
        Account account = accounts.get(accountId);
        if (account == null)
        {
            account = new Account();
            accounts.put(accountId, account);
        }
        return account;
    }

    private synchronized void publish(final long accountId)
    {
        final Account account = account(accountId);
        account.reports.add(frame);
        for (final SbeSession session : account.sessions)
        {
            session.sendFrame(frame);
        }
    }

    /**
     * Registers an established session: first hands {@code beforeReplay} the sequence number of the
     * account's next new report, then sends the session the reports from {@code nextExpectedSeqNo}
     * on (0: none), then every new one.
     */
    synchronized void subscribe(final SbeSession session, final long nextExpectedSeqNo, final LongConsumer beforeReplay)
    {
        final Account account = account(session.accountId());
        beforeReplay.accept(account.reports.size() + 1L);
        if (nextExpectedSeqNo > 0)
        {
            for (int i = (int)Math.min(nextExpectedSeqNo - 1, account.reports.size()); i < account.reports.size(); i++)
            {
                session.sendFrame(account.reports.get(i));
            }
        }
        account.sessions.add(session);
    }

    synchronized void unsubscribe(final SbeSession session)
    {
        final Account account = accounts.get(session.accountId());
        if (account != null)
        {
            account.sessions.remove(session);
        }
    }

    /** The account's reports {@code fromSeqNo .. fromSeqNo + count - 1} that exist, framed. */
    synchronized List<byte[]> range(final long accountId, final long fromSeqNo, final int count)
    {
        final Account account = accounts.get(accountId);
        if (account == null || fromSeqNo < 1 || fromSeqNo > account.reports.size())
        {
            return List.of();
        }
        final int from = (int)fromSeqNo - 1;
        return List.copyOf(account.reports.subList(from, Math.min(account.reports.size(), from + count)));
    }

    synchronized long nextSeqNo(final long accountId)
    {
        final Account account = accounts.get(accountId);
        return account == null ? 1 : account.reports.size() + 1L;
    }
}
