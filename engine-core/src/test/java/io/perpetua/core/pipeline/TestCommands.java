package io.perpetua.core.pipeline;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** The engine's {@link CommandEncoder} over one reusable buffer: each method encodes at offset 0 and returns the length. */
final class TestCommands
{
    private final UnsafeBuffer buffer =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
    private final CommandEncoder encoder = new CommandEncoder();

    DirectBuffer buffer()
    {
        return buffer;
    }

    int placeOrder(
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
        return encoder.placeOrder(
            buffer, 0, accountId, marketId, clientOrderId, side, orderType, timeInForce, flags, stp, price, size, expiryNs);
    }

    int limitOrder(final long accountId, final int marketId, final long clientOrderId, final Side side, final long price, final long size)
    {
        return encoder.limitOrder(buffer, 0, accountId, marketId, clientOrderId, side, price, size);
    }

    int cancelOrder(final long accountId, final int marketId, final long orderId, final long clientOrderId)
    {
        return encoder.cancelOrder(buffer, 0, accountId, marketId, orderId, clientOrderId);
    }

    int cancelAll(final long accountId, final int marketId)
    {
        return encoder.cancelAll(buffer, 0, accountId, marketId);
    }

    int amendOrder(
        final long accountId, final int marketId, final long orderId, final long clientOrderId, final long newPrice,
        final long newSize, final long reduceBy)
    {
        return encoder.amendOrder(buffer, 0, accountId, marketId, orderId, clientOrderId, newPrice, newSize, reduceBy);
    }

    int addMarket(
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
        return encoder.addMarket(buffer, 0, marketId, symbol, tickSize, lotSize, quoteScaleExponent, minSize, maxSize,
            maxNotional, priceBandPpm, makerFeePpm, takerFeePpm, referencePrice, false, MarketStatus.ACTIVE);
    }

    int updateMarket(
        final int marketId,
        final long minSize,
        final long maxSize,
        final long maxNotional,
        final int priceBandPpm,
        final int makerFeePpm,
        final int takerFeePpm,
        final MarketStatus status)
    {
        return encoder.updateMarket(
            buffer, 0, marketId, minSize, maxSize, maxNotional, priceBandPpm, makerFeePpm, takerFeePpm, false, status);
    }

    int takeSnapshot()
    {
        return encoder.takeSnapshot(buffer, 0);
    }

    int heartbeat()
    {
        return encoder.heartbeat(buffer, 0);
    }
}
