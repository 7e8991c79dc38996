package io.perpetua.gateway.sbe;

import io.perpetua.core.sbe.AmendOrderDecoder;
import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.CancelOrderDecoder;
import io.perpetua.core.sbe.FillEncoder;
import io.perpetua.core.sbe.MessageHeaderEncoder;
import io.perpetua.core.sbe.OrderAcceptedEncoder;
import io.perpetua.core.sbe.OrderExpiredEncoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.PlaceOrderDecoder;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.RejectedEncoder;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The open orders behind the execution reports: every way an order ends drops it, and a refused
 * request about an open order does not.
 */
class ExecutionReportsOpenOrdersTest
{
    private static final long ALICE = 11;
    private static final long BOB = 12;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final UnsafeBuffer entry = new UnsafeBuffer(new byte[512]);
    private final ExecutionReports reports = new ExecutionReports(8, 4, null, Throwable::printStackTrace);
    private long sequence;

    private void accept(final long accountId, final long orderId, final TimeInForce timeInForce, final long triggerPrice)
    {
        final OrderAcceptedEncoder accepted = new OrderAcceptedEncoder().wrapAndApplyHeader(entry, 0, header)
            .sequence(++sequence).timestampNs(sequence).accountId(accountId).marketId(1).orderId(orderId)
            .clientOrderId(orderId).side(accountId == ALICE ? Side.SELL : Side.BUY).orderType(OrderType.LIMIT)
            .timeInForce(timeInForce).price(6_000_000).size(100_000).expiryNs(0).triggerPrice(triggerPrice);
        reports.onDocument(entry, 0, MessageHeaderEncoder.ENCODED_LENGTH + accepted.encodedLength());
    }

    private void reject(final int commandTemplateId, final long orderId)
    {
        final RejectedEncoder rejected = new RejectedEncoder().wrapAndApplyHeader(entry, 0, header)
            .sequence(++sequence).timestampNs(sequence).commandTemplateId(commandTemplateId)
            .reason(RejectReason.INSUFFICIENT_MARGIN).accountId(ALICE).marketId(1).orderId(orderId).clientOrderId(0);
        reports.onDocument(entry, 0, MessageHeaderEncoder.ENCODED_LENGTH + rejected.encodedLength());
    }

    private void fill(final long makerOrderId, final long makerRemaining, final long takerOrderId, final long takerRemaining)
    {
        final FillEncoder fill = new FillEncoder().wrapAndApplyHeader(entry, 0, header)
            .sequence(++sequence).timestampNs(sequence).marketId(1).tradeId(sequence).makerAccountId(ALICE)
            .makerOrderId(makerOrderId).takerAccountId(BOB).takerOrderId(takerOrderId).aggressorSide(Side.BUY)
            .price(6_000_000).size(100_000).quote(6_000_000).makerRemaining(makerRemaining)
            .takerRemaining(takerRemaining).makerFee(0).takerFee(0).liquidation(BooleanType.FALSE);
        reports.onDocument(entry, 0, MessageHeaderEncoder.ENCODED_LENGTH + fill.encodedLength());
    }

    private void expire(final long orderId)
    {
        final OrderExpiredEncoder expired = new OrderExpiredEncoder().wrapAndApplyHeader(entry, 0, header)
            .sequence(++sequence).timestampNs(sequence).accountId(ALICE).marketId(1).orderId(orderId).clientOrderId(orderId)
            .side(Side.SELL).price(6_000_000).remainingSize(100_000);
        reports.onDocument(entry, 0, MessageHeaderEncoder.ENCODED_LENGTH + expired.encodedLength());
    }

    @Test
    void everyEndDropsTheOrderAndARefusedRequestAboutItDoesNot()
    {
        accept(ALICE, 1, TimeInForce.GTC, 0);
        accept(ALICE, 2, TimeInForce.GTT, 0);
        accept(ALICE, 3, TimeInForce.GTC, 5_900_000);
        accept(BOB, 4, TimeInForce.GTC, 0);
        assertEquals(4, reports.openOrders());

        // Refused cancels and amends of open orders leave them open.
        reject(CancelOrderDecoder.TEMPLATE_ID, 1);
        reject(AmendOrderDecoder.TEMPLATE_ID, 2);
        assertEquals(4, reports.openOrders());

        // Bob's order fills completely against part of Alice's first: Bob's ends, Alice's stays.
        fill(1, 100_000, 4, 0);
        assertEquals(3, reports.openOrders());
        expire(2);
        assertEquals(2, reports.openOrders());
        // A conditional order refused as its trigger entered it ends with that Rejected.
        reject(PlaceOrderDecoder.TEMPLATE_ID, 3);
        assertEquals(1, reports.openOrders());
        assertEquals(9, reports.nextSeqNo(ALICE), "Alice: 3 NEW, 2 REJECTED, a fill, EXPIRED, REJECTED");
        assertEquals(3, reports.nextSeqNo(BOB));
    }
}
