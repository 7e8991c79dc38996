package io.perpetua.core.event;

import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.CancelReason;
import io.perpetua.core.sbe.FillEncoder;
import io.perpetua.core.sbe.MessageHeaderEncoder;
import io.perpetua.core.sbe.OrderAcceptedEncoder;
import io.perpetua.core.sbe.OrderAmendedEncoder;
import io.perpetua.core.sbe.OrderCancelledEncoder;
import io.perpetua.core.sbe.OrderExpiredEncoder;
import io.perpetua.core.sbe.OrderRestedEncoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.RejectedEncoder;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The order events are written straight into the publisher's array at the schema's offsets; these
 * tests hold them to the bytes the generated SBE encoders write for the same values, including
 * after the buffer has grown and with garbage left by earlier, longer commands.
 */
class EventPublisherTest
{
    private static final Side[] SIDES = {Side.BUY, Side.SELL};
    private static final OrderType[] ORDER_TYPES = {OrderType.LIMIT, OrderType.MARKET, OrderType.STOP_LIMIT,
        OrderType.STOP_MARKET, OrderType.TAKE_PROFIT_LIMIT, OrderType.TAKE_PROFIT_MARKET};
    private static final TimeInForce[] TIME_IN_FORCE = {TimeInForce.GTC, TimeInForce.GTT, TimeInForce.IOC, TimeInForce.FOK};

    private final EventPublisher publisher = new EventPublisher();
    private final UnsafeBuffer expected = new UnsafeBuffer(new byte[1 << 20]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private int expectedLength;

    @Test
    void orderEventsAreTheBytesOfTheGeneratedEncoders()
    {
        final long seed = 20261206L;
        final SplittableRandom random = new SplittableRandom(seed);
        for (int command = 0; command < 2_000; command++)
        {
            final long sequence = random.nextLong();
            final long timestampNs = random.nextLong();
            publisher.begin(sequence, timestampNs);
            expectedLength = 0;
            // Up to 3,000 events: the buffer grows past its initial 64 KiB in some commands.
            final int events = random.nextInt(8) == 0 ? random.nextInt(3_000) : random.nextInt(12);
            for (int i = 0; i < events; i++)
            {
                publishBoth(random, sequence, timestampNs);
            }
            assertEquals(expectedLength, publisher.length(), "seed " + seed + " command " + command);
            assertEquals(events, publisher.eventCount(), "seed " + seed + " command " + command);
            final byte[] actualBytes = new byte[publisher.length()];
            publisher.buffer().getBytes(0, actualBytes);
            final byte[] expectedBytes = new byte[expectedLength];
            expected.getBytes(0, expectedBytes);
            assertArrayEquals(expectedBytes, actualBytes, "seed " + seed + " command " + command);
        }
    }

    private void publishBoth(final SplittableRandom random, final long sequence, final long timestampNs)
    {
        final long a = random.nextLong();
        final int market = random.nextInt();
        final long b = random.nextLong();
        final long c = random.nextLong();
        final long d = random.nextLong();
        final long e = random.nextLong();
        final long f = random.nextLong();
        final long g = random.nextLong();
        final Side side = SIDES[random.nextInt(SIDES.length)];
        final boolean flag = random.nextBoolean();
        switch (random.nextInt(7))
        {
            case 0:
            {
                final OrderType type = ORDER_TYPES[random.nextInt(ORDER_TYPES.length)];
                final TimeInForce tif = TIME_IN_FORCE[random.nextInt(TIME_IN_FORCE.length)];
                final byte flags = (byte)random.nextInt(4);
                publisher.orderAccepted(a, market, b, c, side, type, tif, flags, d, e, f, g);
                final OrderAcceptedEncoder enc = new OrderAcceptedEncoder().wrapAndApplyHeader(expected, expectedLength, header)
                    .sequence(sequence).timestampNs(timestampNs).accountId(a).marketId(market).orderId(b).clientOrderId(c)
                    .side(side).orderType(type).timeInForce(tif).price(d).size(e).expiryNs(f).triggerPrice(g);
                expected.putByte(enc.offset() + OrderAcceptedEncoder.flagsEncodingOffset(), flags);
                expectedLength += MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength();
                break;
            }
            case 1:
            {
                final int template = random.nextInt(1 << 16);
                final RejectReason reason = RejectReason.values()[random.nextInt(RejectReason.values().length - 1)];
                publisher.rejected(template, reason, a, market, b, c);
                expectedLength += MessageHeaderEncoder.ENCODED_LENGTH + new RejectedEncoder()
                    .wrapAndApplyHeader(expected, expectedLength, header).sequence(sequence).timestampNs(timestampNs)
                    .commandTemplateId(template).reason(reason).accountId(a).marketId(market).orderId(b).clientOrderId(c)
                    .encodedLength();
                break;
            }
            case 2:
            {
                final long h = random.nextLong();
                final long i = random.nextLong();
                final long j = random.nextLong();
                final long k = random.nextLong();
                publisher.fill(market, a, b, c, d, e, side, f, g, h, i, j, k, a ^ k, flag);
                expectedLength += MessageHeaderEncoder.ENCODED_LENGTH + new FillEncoder()
                    .wrapAndApplyHeader(expected, expectedLength, header).sequence(sequence).timestampNs(timestampNs)
                    .marketId(market).tradeId(a).makerAccountId(b).makerOrderId(c).takerAccountId(d).takerOrderId(e)
                    .aggressorSide(side).price(f).size(g).quote(h).makerRemaining(i).takerRemaining(j).makerFee(k)
                    .takerFee(a ^ k).liquidation(flag ? BooleanType.TRUE : BooleanType.FALSE).encodedLength();
                break;
            }
            case 3:
                publisher.orderRested(a, market, b, side, c, d);
                expectedLength += MessageHeaderEncoder.ENCODED_LENGTH + new OrderRestedEncoder()
                    .wrapAndApplyHeader(expected, expectedLength, header).sequence(sequence).timestampNs(timestampNs)
                    .accountId(a).marketId(market).orderId(b).side(side).price(c).size(d).encodedLength();
                break;
            case 4:
            {
                final CancelReason reason = CancelReason.values()[random.nextInt(CancelReason.values().length - 1)];
                publisher.orderCancelled(a, market, b, c, side, d, e, reason, flag);
                expectedLength += MessageHeaderEncoder.ENCODED_LENGTH + new OrderCancelledEncoder()
                    .wrapAndApplyHeader(expected, expectedLength, header).sequence(sequence).timestampNs(timestampNs)
                    .accountId(a).marketId(market).orderId(b).clientOrderId(c).side(side).price(d).remainingSize(e)
                    .reason(reason).wasResting(flag ? BooleanType.TRUE : BooleanType.FALSE).encodedLength();
                break;
            }
            case 5:
                publisher.orderAmended(a, market, b, c, side, d, e, f, g, flag);
                expectedLength += MessageHeaderEncoder.ENCODED_LENGTH + new OrderAmendedEncoder()
                    .wrapAndApplyHeader(expected, expectedLength, header).sequence(sequence).timestampNs(timestampNs)
                    .accountId(a).marketId(market).orderId(b).clientOrderId(c).side(side).oldPrice(d).oldSize(e)
                    .newPrice(f).newSize(g).priorityKept(flag ? BooleanType.TRUE : BooleanType.FALSE).encodedLength();
                break;
            default:
                publisher.orderExpired(a, market, b, c, side, d, e);
                expectedLength += MessageHeaderEncoder.ENCODED_LENGTH + new OrderExpiredEncoder()
                    .wrapAndApplyHeader(expected, expectedLength, header).sequence(sequence).timestampNs(timestampNs)
                    .accountId(a).marketId(market).orderId(b).clientOrderId(c).side(side).price(d).remainingSize(e)
                    .encodedLength();
        }
    }
}
