package io.perpetua.core.engine;

import io.perpetua.core.sbe.AddMarketEncoder;
import io.perpetua.core.sbe.AmendOrderEncoder;
import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.CancelAllEncoder;
import io.perpetua.core.sbe.CancelOrderEncoder;
import io.perpetua.core.sbe.HeartbeatEncoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.MessageHeaderEncoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.PlaceOrderEncoder;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TakeSnapshotEncoder;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.core.sbe.UpdateMarketEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes commands for submission: what a gateway, the demo or a workload replayer calls.
 * Sequence and timestamp are left 0 for the sequencer to stamp. Each method returns the encoded
 * length. One instance per thread; encoders are reused, so encoding allocates nothing.
 */
public final class CommandEncoder
{
    /** Flag bit of a post-only order (the schema's OrderFlags.POST_ONLY choice). */
    public static final byte POST_ONLY = MatchingEngine.FLAG_POST_ONLY;
    /** Flag bit of a reduce-only order (the schema's OrderFlags.REDUCE_ONLY choice). */
    public static final byte REDUCE_ONLY = MatchingEngine.FLAG_REDUCE_ONLY;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PlaceOrderEncoder place = new PlaceOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final CancelAllEncoder cancelAll = new CancelAllEncoder();
    private final AmendOrderEncoder amend = new AmendOrderEncoder();
    private final AddMarketEncoder addMarket = new AddMarketEncoder();
    private final UpdateMarketEncoder updateMarket = new UpdateMarketEncoder();
    private final TakeSnapshotEncoder takeSnapshot = new TakeSnapshotEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();

    /** A limit or market order (no trigger price). */
    public int placeOrder(
        final MutableDirectBuffer buffer,
        final int offset,
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
        final long expiryNs)
    {
        place.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .marketId(marketId)
            .clientOrderId(clientOrderId)
            .side(side)
            .orderType(orderType)
            .timeInForce(timeInForce)
            .selfTradePrevention(stp)
            .price(price)
            .size(size)
            .expiryNs(expiryNs)
            .triggerPrice(0);
        buffer.putByte(place.offset() + PlaceOrderEncoder.flagsEncodingOffset(), flags);
        return MessageHeaderEncoder.ENCODED_LENGTH + place.encodedLength();
    }

    /**
     * Any order, including the conditional types (stop and take-profit, limit or market), which wait
     * until the mark price reaches {@code triggerPrice} (0 for limit and market orders).
     */
    public int placeOrder(
        final MutableDirectBuffer buffer,
        final int offset,
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
        final int length = placeOrder(
            buffer, offset, accountId, marketId, clientOrderId, side, orderType, timeInForce, flags, stp, price, size, expiryNs);
        place.triggerPrice(triggerPrice);
        return length;
    }

    /** A GTC limit order with default self-trade prevention. */
    public int limitOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long accountId,
        final int marketId,
        final long clientOrderId,
        final Side side,
        final long price,
        final long size)
    {
        return placeOrder(buffer, offset, accountId, marketId, clientOrderId, side, OrderType.LIMIT, TimeInForce.GTC,
            (byte)0, SelfTradePrevention.CANCEL_MAKER, price, size, 0);
    }

    public int cancelOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId)
    {
        cancel.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderId);
        return MessageHeaderEncoder.ENCODED_LENGTH + cancel.encodedLength();
    }

    public int cancelAll(final MutableDirectBuffer buffer, final int offset, final long accountId, final int marketId)
    {
        cancelAll.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .marketId(marketId);
        return MessageHeaderEncoder.ENCODED_LENGTH + cancelAll.encodedLength();
    }

    public int amendOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId,
        final long newPrice,
        final long newSize,
        final long reduceBy)
    {
        amend.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .newPrice(newPrice)
            .newSize(newSize)
            .reduceBy(reduceBy);
        return MessageHeaderEncoder.ENCODED_LENGTH + amend.encodedLength();
    }

    public int addMarket(
        final MutableDirectBuffer buffer,
        final int offset,
        final int marketId,
        final String symbol,
        final long tickSize,
        final long lotSize,
        final int quoteScaleExponent,
        final long minSize,
        final long maxSize,
        final long maxNotional,
        final int priceBandPpm,
        final int makerFeePpm,
        final int takerFeePpm,
        final long referencePrice,
        final boolean selfTradeAllowed,
        final MarketStatus status)
    {
        addMarket.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .marketId(marketId)
            .tickSize(tickSize)
            .lotSize(lotSize)
            .quoteScaleExponent((short)quoteScaleExponent)
            .minSize(minSize)
            .maxSize(maxSize)
            .maxNotional(maxNotional)
            .priceBandPpm(priceBandPpm)
            .makerFeePpm(makerFeePpm)
            .takerFeePpm(takerFeePpm)
            .referencePrice(referencePrice)
            .selfTradeAllowed(selfTradeAllowed ? BooleanType.TRUE : BooleanType.FALSE)
            .status(status)
            .symbol(symbol);
        return MessageHeaderEncoder.ENCODED_LENGTH + addMarket.encodedLength();
    }

    public int updateMarket(
        final MutableDirectBuffer buffer,
        final int offset,
        final int marketId,
        final long minSize,
        final long maxSize,
        final long maxNotional,
        final int priceBandPpm,
        final int makerFeePpm,
        final int takerFeePpm,
        final boolean selfTradeAllowed,
        final MarketStatus status)
    {
        updateMarket.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .marketId(marketId)
            .minSize(minSize)
            .maxSize(maxSize)
            .maxNotional(maxNotional)
            .priceBandPpm(priceBandPpm)
            .makerFeePpm(makerFeePpm)
            .takerFeePpm(takerFeePpm)
            .selfTradeAllowed(selfTradeAllowed ? BooleanType.TRUE : BooleanType.FALSE)
            .status(status);
        return MessageHeaderEncoder.ENCODED_LENGTH + updateMarket.encodedLength();
    }

    public int takeSnapshot(final MutableDirectBuffer buffer, final int offset)
    {
        takeSnapshot.wrapAndApplyHeader(buffer, offset, header).sequence(0).timestampNs(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + takeSnapshot.encodedLength();
    }

    public int heartbeat(final MutableDirectBuffer buffer, final int offset)
    {
        heartbeat.wrapAndApplyHeader(buffer, offset, header).sequence(0).timestampNs(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
    }
}
