package io.perpetua.gateway.sbe;

import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.CancelReason;
import io.perpetua.core.sbe.MessageHeaderEncoder;
import io.perpetua.core.sbe.OrderAcceptedEncoder;
import io.perpetua.core.sbe.OrderCancelledEncoder;
import io.perpetua.core.sbe.OrderRestedEncoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tailer's side of the execution reports, with no session listening: deriving, numbering and
 * keeping reports allocates nothing per report once the ring is full and the open orders' holders
 * are pooled, and memory stays at the window.
 */
class ExecutionReportsAllocationTest
{
    private static final long ACCOUNT = 11;
    private static final int WINDOW = 256;
    private static final int INDEX_INTERVAL = 1_024;
    /** Each cycle: an order accepted and resting (one entry), then cancelled (another): three reports. */
    private static final int WARM_UP_CYCLES = 20_000;
    private static final int MEASURED_CYCLES = 20_000;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderAcceptedEncoder accepted = new OrderAcceptedEncoder();
    private final OrderRestedEncoder rested = new OrderRestedEncoder();
    private final OrderCancelledEncoder cancelled = new OrderCancelledEncoder();
    private final UnsafeBuffer entry = new UnsafeBuffer(new byte[512]);
    private long sequence;

    @Test
    void theTailerPathAllocatesNothingPerReportAndKeepsOnlyTheWindow()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (ExecutionReports reports = new ExecutionReports(WINDOW, INDEX_INTERVAL, null, Throwable::printStackTrace))
        {
            for (int i = 0; i < WARM_UP_CYCLES; i++)
            {
                cycle(reports, i);
            }
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = WARM_UP_CYCLES; i < WARM_UP_CYCLES + MEASURED_CYCLES; i++)
            {
                cycle(reports, i);
            }
            final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            final int measuredReports = 3 * MEASURED_CYCLES;
            System.out.println("execution reports: " + allocated + " bytes allocated by " + measuredReports +
                " reports after warm-up (the sparse index grows by 24 bytes every " + INDEX_INTERVAL + ")");
            assertTrue(allocated < measuredReports, "nothing allocated per report: " + allocated + " bytes");
            assertEquals(3L * (WARM_UP_CYCLES + MEASURED_CYCLES) + 1, reports.nextSeqNo(ACCOUNT));
            assertEquals(WINDOW, reports.retainedReports(ACCOUNT));
            assertEquals(WINDOW, reports.ringFrames(ACCOUNT));
            assertEquals(0, reports.openOrders());
        }
    }

    private void cycle(final ExecutionReports reports, final long orderId)
    {
        sequence++;
        int length = 0;
        accepted.wrapAndApplyHeader(entry, length, header)
            .sequence(sequence).timestampNs(sequence).accountId(ACCOUNT).marketId(1).orderId(orderId).clientOrderId(orderId)
            .side(Side.BUY).orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC).price(6_000_000).size(100_000)
            .expiryNs(0).triggerPrice(0);
        length += MessageHeaderEncoder.ENCODED_LENGTH + accepted.encodedLength();
        rested.wrapAndApplyHeader(entry, length, header)
            .sequence(sequence).timestampNs(sequence).accountId(ACCOUNT).marketId(1).orderId(orderId).side(Side.BUY)
            .price(6_000_000).size(100_000);
        length += MessageHeaderEncoder.ENCODED_LENGTH + rested.encodedLength();
        reports.onDocument(entry, 0, length);

        sequence++;
        cancelled.wrapAndApplyHeader(entry, 0, header)
            .sequence(sequence).timestampNs(sequence).accountId(ACCOUNT).marketId(1).orderId(orderId).clientOrderId(orderId)
            .side(Side.BUY).price(6_000_000).remainingSize(100_000).reason(CancelReason.USER).wasResting(BooleanType.TRUE);
        reports.onDocument(entry, 0, MessageHeaderEncoder.ENCODED_LENGTH + cancelled.encodedLength());
    }
}
