package io.perpetua.core.engine;

import io.perpetua.core.book.BookSide;
import io.perpetua.core.book.BookState;
import io.perpetua.core.book.ConditionalOrders;
import io.perpetua.core.book.Order;
import io.perpetua.core.book.OrderBook;
import io.perpetua.core.book.PriceLevel;
import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.MessageHeaderEncoder;
import io.perpetua.core.sbe.SnapshotHeaderDecoder;
import io.perpetua.core.sbe.SnapshotHeaderEncoder;
import io.perpetua.core.sbe.SnapshotMarketDecoder;
import io.perpetua.core.sbe.SnapshotMarketEncoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SnapshotExtensionDecoder;
import io.perpetua.core.sbe.SnapshotExtensionEncoder;
import io.perpetua.core.sbe.SnapshotOrderDecoder;
import io.perpetua.core.sbe.SnapshotOrderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes an engine's whole state as SBE snapshot records and rebuilds an engine from them.
 *
 * <p>Layout: one {@code SnapshotHeader}; then per market, in ascending id, one {@code SnapshotMarket}
 * followed by its resting orders (bids then asks, best price first, time priority within a price)
 * and then its conditional orders waiting for their trigger (ascending order id, with their
 * {@code orderType} and {@code triggerPrice}). Restoring in that order reproduces every queue
 * exactly, so the restored state hash equals the header's, which {@link #restore} checks.
 */
public final class SnapshotCodec
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SnapshotHeaderEncoder snapshotHeader = new SnapshotHeaderEncoder();
    private final SnapshotMarketEncoder marketEncoder = new SnapshotMarketEncoder();
    private final SnapshotOrderEncoder orderEncoder = new SnapshotOrderEncoder();
    private final SnapshotExtensionEncoder extensionEncoder = new SnapshotExtensionEncoder();
    private long[] conditionalIds = new long[64];

    /**
     * Encodes the engine into {@code buffer} from offset 0.
     *
     * @return the number of bytes written
     */
    public int encode(final MatchingEngine engine, final long stateHash, final ExpandableDirectByteBuffer buffer)
    {
        final BookState state = engine.state();
        int offset = 0;
        snapshotHeader.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .sequence(engine.lastSequence())
            .timestampNs(engine.nowNs())
            .stateHash(stateHash)
            .nextOrderId(engine.nextOrderId())
            .nextTradeId(engine.nextTradeId())
            .marketCount(state.marketCount());
        offset += MessageHeaderEncoder.ENCODED_LENGTH + snapshotHeader.encodedLength();

        for (int i = 0; i < state.marketCount(); i++)
        {
            final OrderBook book = state.book(state.marketIdAt(i));
            final MarketSpec spec = book.spec();
            buffer.checkLimit(offset + 1024);
            marketEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                .marketId(spec.marketId())
                .tickSize(spec.tickSize())
                .lotSize(spec.lotSize())
                .quoteScaleExponent((short)spec.quoteScaleExponent())
                .minSize(spec.toSize(spec.minSizeLots()))
                .maxSize(spec.toSize(spec.maxSizeLots()))
                .maxNotional(spec.maxNotional())
                .priceBandPpm(spec.priceBandPpm())
                .makerFeePpm(spec.makerFeePpm())
                .takerFeePpm(spec.takerFeePpm())
                .referencePrice(spec.toPrice(spec.initialReferencePriceTicks()))
                .lastTradePrice(spec.toPrice(book.lastTradePriceTicks()))
                .selfTradeAllowed(spec.selfTradeAllowed() ? BooleanType.TRUE : BooleanType.FALSE)
                .status(spec.status())
                .orderCount(book.orderCount())
                .markPrice(spec.toPrice(book.markPriceTicks()))
                .conditionalCount(book.conditionals().count())
                .symbol(spec.symbol());
            offset += MessageHeaderEncoder.ENCODED_LENGTH + marketEncoder.encodedLength();
            offset = encodeSide(book.bids(), spec, buffer, offset);
            offset = encodeSide(book.asks(), spec, buffer, offset);
            offset = encodeConditionals(state, book, buffer, offset);
        }
        final EngineExtension extension = engine.extension();
        if (extension != null)
        {
            // The extension writes its state after the record's block and length prefix, then the prefix is filled in.
            extensionEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder).extensionId(extension.extensionId());
            final int lengthOffset = offset + MessageHeaderEncoder.ENCODED_LENGTH + SnapshotExtensionEncoder.BLOCK_LENGTH;
            final int stateOffset = lengthOffset + SnapshotExtensionEncoder.stateHeaderLength();
            final int stateLength = extension.writeSnapshot(buffer, stateOffset);
            buffer.putInt(lengthOffset, stateLength, SnapshotExtensionEncoder.BYTE_ORDER);
            offset = stateOffset + stateLength;
        }
        return offset;
    }

    private int encodeSide(final BookSide side, final MarketSpec spec, final MutableDirectBuffer buffer, final int start)
    {
        int offset = start;
        for (PriceLevel level = side.best(); level != null; level = level.worse())
        {
            for (Order order = level.head(); order != null; order = order.nextInLevel())
            {
                offset = encodeOrder(order, spec, buffer, offset);
            }
        }
        return offset;
    }

    private int encodeConditionals(
        final BookState state, final OrderBook book, final ExpandableDirectByteBuffer buffer, final int start)
    {
        final ConditionalOrders conditionals = book.conditionals();
        if (conditionalIds.length < conditionals.count())
        {
            conditionalIds = new long[conditionals.count()];
        }
        final int count = conditionals.collectOrderIds(conditionalIds);
        MatchingEngine.heapSort(conditionalIds, count);
        int offset = start;
        for (int i = 0; i < count; i++)
        {
            offset = encodeOrder(state.order(conditionalIds[i]), book.spec(), buffer, offset);
        }
        return offset;
    }

    private int encodeOrder(final Order order, final MarketSpec spec, final MutableDirectBuffer buffer, final int offset)
    {
        orderEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .orderId(order.orderId())
            .accountId(order.accountId())
            .clientOrderId(order.clientOrderId())
            .side(order.side())
            .timeInForce(order.timeInForce())
            .selfTradePrevention(order.selfTradePrevention())
            .price(spec.toPrice(order.priceTicks()))
            .size(spec.toSize(order.sizeLots()))
            .expiryNs(order.expiryNs())
            .orderType(order.orderType())
            .triggerPrice(spec.toPrice(order.triggerPriceTicks()));
        buffer.putByte(orderEncoder.offset() + SnapshotOrderEncoder.flagsEncodingOffset(), order.flags());
        return offset + MessageHeaderEncoder.ENCODED_LENGTH + orderEncoder.encodedLength();
    }

    /**
     * Rebuilds state into a fresh engine from a snapshot.
     *
     * @return the sequence number the snapshot covers
     * @throws IllegalStateException if the bytes are not a snapshot or the rebuilt state's hash
     *                               differs from the recorded one
     */
    public static long restore(final MatchingEngine engine, final DirectBuffer buffer, final int offset, final int length)
    {
        if (engine.state().marketCount() != 0 || engine.lastSequence() != 0)
        {
            throw new IllegalStateException("restore needs a fresh engine");
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final SnapshotHeaderDecoder snapshotHeader = new SnapshotHeaderDecoder();
        final SnapshotMarketDecoder market = new SnapshotMarketDecoder();
        final SnapshotOrderDecoder order = new SnapshotOrderDecoder();
        final int end = offset + length;

        int position = offset;
        header.wrap(buffer, position);
        require(header.templateId() == SnapshotHeaderDecoder.TEMPLATE_ID && header.schemaId() == SnapshotHeaderDecoder.SCHEMA_ID,
            "snapshot does not start with a SnapshotHeader");
        snapshotHeader.wrapAndApplyHeader(buffer, position, header);
        position += MessageHeaderDecoder.ENCODED_LENGTH + snapshotHeader.encodedLength();
        final BookState state = engine.state();

        for (int m = 0; m < snapshotHeader.marketCount(); m++)
        {
            require(position < end, "snapshot truncated before market " + m);
            header.wrap(buffer, position);
            require(header.templateId() == SnapshotMarketDecoder.TEMPLATE_ID, "expected SnapshotMarket");
            market.wrapAndApplyHeader(buffer, position, header);
            final int orderCount = market.orderCount();
            final int marketId = market.marketId();
            final long tickSize = market.tickSize();
            final long lotSize = market.lotSize();
            final int exponent = market.quoteScaleExponent();
            final long minSize = market.minSize();
            final long maxSize = market.maxSize();
            final long maxNotional = market.maxNotional();
            final int band = market.priceBandPpm();
            final int makerFee = market.makerFeePpm();
            final int takerFee = market.takerFeePpm();
            final long referencePrice = market.referencePrice();
            final long lastTradePrice = market.lastTradePrice();
            final boolean selfTrade = market.selfTradeAllowed() == BooleanType.TRUE;
            final io.perpetua.core.sbe.MarketStatus status = market.status();
            final long markPrice = market.markPrice();
            final int conditionalCount = market.actingVersion() >= 1 ? market.conditionalCount() : 0;
            final String symbol = market.symbol();
            position += MessageHeaderDecoder.ENCODED_LENGTH + market.encodedLength();
            final MarketSpec spec = MarketSpec.create(
                marketId, symbol, tickSize, lotSize, exponent, minSize, maxSize, maxNotional, band,
                makerFee, takerFee, referencePrice, selfTrade, status);
            final OrderBook book = state.addMarket(spec);
            state.recordTrade(book, lastTradePrice / tickSize);
            book.markPriceTicks(markPrice / tickSize);

            for (int i = 0; i < orderCount; i++)
            {
                require(position < end, "snapshot truncated in market " + marketId);
                header.wrap(buffer, position);
                require(header.templateId() == SnapshotOrderDecoder.TEMPLATE_ID, "expected SnapshotOrder");
                order.wrapAndApplyHeader(buffer, position, header);
                require(state.hasOrderCapacity(), "snapshot holds more orders than the engine's capacity");
                state.rest(
                    book, order.orderId(), order.accountId(), order.clientOrderId(), order.side(), order.timeInForce(),
                    buffer.getByte(order.offset() + SnapshotOrderDecoder.flagsEncodingOffset()),
                    order.selfTradePrevention(), order.price() / tickSize, order.size() / lotSize, order.expiryNs());
                position += MessageHeaderDecoder.ENCODED_LENGTH + order.encodedLength();
            }
            for (int i = 0; i < conditionalCount; i++)
            {
                require(position < end, "snapshot truncated in the conditional orders of market " + marketId);
                header.wrap(buffer, position);
                require(header.templateId() == SnapshotOrderDecoder.TEMPLATE_ID, "expected SnapshotOrder");
                order.wrapAndApplyHeader(buffer, position, header);
                final OrderType orderType = order.orderType();
                require(orderType != null && MatchingEngine.isConditional(orderType) && order.triggerPrice() > 0,
                    "expected a conditional order in market " + marketId);
                require(state.hasOrderCapacity(), "snapshot holds more orders than the engine's capacity");
                state.hold(
                    book, order.orderId(), order.accountId(), order.clientOrderId(), order.side(), orderType,
                    order.timeInForce(), buffer.getByte(order.offset() + SnapshotOrderDecoder.flagsEncodingOffset()),
                    order.selfTradePrevention(), order.price() / tickSize, order.size() / lotSize, order.expiryNs(),
                    order.triggerPrice() / tickSize);
                position += MessageHeaderDecoder.ENCODED_LENGTH + order.encodedLength();
            }
        }
        final EngineExtension extension = engine.extension();
        if (extension != null)
        {
            require(position < end, "snapshot has no state for the engine's extension");
            header.wrap(buffer, position);
            require(header.templateId() == SnapshotExtensionDecoder.TEMPLATE_ID, "expected SnapshotExtension");
            final SnapshotExtensionDecoder record = new SnapshotExtensionDecoder().wrapAndApplyHeader(buffer, position, header);
            require(record.extensionId() == extension.extensionId(), "snapshot was written by extension " +
                record.extensionId() + ", the engine has " + extension.extensionId());
            final int lengthOffset = position + MessageHeaderDecoder.ENCODED_LENGTH + record.sbeBlockLength();
            final int stateLength = buffer.getInt(lengthOffset, SnapshotExtensionDecoder.BYTE_ORDER);
            final int stateOffset = lengthOffset + SnapshotExtensionDecoder.stateHeaderLength();
            require(stateLength >= 0 && stateOffset + stateLength <= end, "snapshot extension state truncated");
            extension.readSnapshot(buffer, stateOffset, stateLength);
            position = stateOffset + stateLength;
        }
        engine.restoreCounters(
            snapshotHeader.sequence(), snapshotHeader.timestampNs(), snapshotHeader.nextOrderId(), snapshotHeader.nextTradeId());
        final long hash = engine.stateHash();
        require(hash == snapshotHeader.stateHash(), "restored state hash " + Long.toHexString(hash) +
            " differs from the snapshot's " + Long.toHexString(snapshotHeader.stateHash()));
        return snapshotHeader.sequence();
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException(message);
        }
    }
}
