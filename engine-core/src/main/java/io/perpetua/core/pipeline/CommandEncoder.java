package io.perpetua.core.pipeline;

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
import io.perpetua.core.engine.CommandAdapter;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes unstamped commands (sequence and timestamp 0; the sequencer stamps them) into one reusable
 * buffer, for clients inside the process: the demo, tests, and gateways translating their
 * protocols. Each method returns the command's length; the bytes are at offset 0 of
 * {@link #buffer()} until the next call. One instance per thread.
 */
public final class CommandEncoder
{
    /** Flag bit of {@code OrderFlags.POST_ONLY}. */
    public static final byte POST_ONLY = 1;

    private final UnsafeBuffer buffer =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PlaceOrderEncoder place = new PlaceOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final CancelAllEncoder cancelAll = new CancelAllEncoder();
    private final AmendOrderEncoder amend = new AmendOrderEncoder();
    private final AddMarketEncoder addMarket = new AddMarketEncoder();
    private final UpdateMarketEncoder updateMarket = new UpdateMarketEncoder();
    private final TakeSnapshotEncoder takeSnapshot = new TakeSnapshotEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();

    /** The last encoded command, from offset 0. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int placeOrder(
        final long accountId,
        final int marketId,
        final long clientOrderId,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final byte flags,
        final SelfTradePrevention selfTradePrevention,
        final long price,
        final long size,
        final long expiryNs)
    {
        place.wrapAndApplyHeader(buffer, 0, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .marketId(marketId)
            .clientOrderId(clientOrderId)
            .side(side)
            .orderType(orderType)
            .timeInForce(timeInForce)
            .selfTradePrevention(selfTradePrevention)
            .price(price)
            .size(size)
            .expiryNs(expiryNs);
        buffer.putByte(place.offset() + PlaceOrderEncoder.flagsEncodingOffset(), flags);
        return MessageHeaderEncoder.ENCODED_LENGTH + place.encodedLength();
    }

    /** A GTC limit order without flags, cancelling the maker on self-trade. */
    public int limitOrder(
        final long accountId, final int marketId, final long clientOrderId, final Side side, final long price, final long size)
    {
        return placeOrder(accountId, marketId, clientOrderId, side, OrderType.LIMIT, TimeInForce.GTC, (byte)0,
            SelfTradePrevention.CANCEL_MAKER, price, size, 0);
    }

    public int cancelOrder(final long accountId, final int marketId, final long orderId, final long clientOrderId)
    {
        cancel.wrapAndApplyHeader(buffer, 0, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderId);
        return MessageHeaderEncoder.ENCODED_LENGTH + cancel.encodedLength();
    }

    public int cancelAll(final long accountId, final int marketId)
    {
        cancelAll.wrapAndApplyHeader(buffer, 0, header)
            .sequence(0)
            .timestampNs(0)
            .accountId(accountId)
            .marketId(marketId);
        return MessageHeaderEncoder.ENCODED_LENGTH + cancelAll.encodedLength();
    }

    public int amendOrder(
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId,
        final long newPrice,
        final long newSize,
        final long reduceBy)
    {
        amend.wrapAndApplyHeader(buffer, 0, header)
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
        final long referencePrice)
    {
        addMarket.wrapAndApplyHeader(buffer, 0, header)
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
            .selfTradeAllowed(BooleanType.FALSE)
            .status(MarketStatus.ACTIVE)
            .symbol(symbol);
        return MessageHeaderEncoder.ENCODED_LENGTH + addMarket.encodedLength();
    }

    public int updateMarket(
        final int marketId,
        final long minSize,
        final long maxSize,
        final long maxNotional,
        final int priceBandPpm,
        final int makerFeePpm,
        final int takerFeePpm,
        final MarketStatus status)
    {
        updateMarket.wrapAndApplyHeader(buffer, 0, header)
            .sequence(0)
            .timestampNs(0)
            .marketId(marketId)
            .minSize(minSize)
            .maxSize(maxSize)
            .maxNotional(maxNotional)
            .priceBandPpm(priceBandPpm)
            .makerFeePpm(makerFeePpm)
            .takerFeePpm(takerFeePpm)
            .selfTradeAllowed(BooleanType.FALSE)
            .status(status);
        return MessageHeaderEncoder.ENCODED_LENGTH + updateMarket.encodedLength();
    }

    public int takeSnapshot()
    {
        takeSnapshot.wrapAndApplyHeader(buffer, 0, header).sequence(0).timestampNs(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + takeSnapshot.encodedLength();
    }

    public int heartbeat()
    {
        heartbeat.wrapAndApplyHeader(buffer, 0, header).sequence(0).timestampNs(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
    }
}
