package io.perpetua.core.event;

import io.perpetua.core.sbe.AccountCreatedEncoder;
import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.CollateralCause;
import io.perpetua.core.sbe.CollateralChangedEncoder;
import io.perpetua.core.sbe.DeleveragedEncoder;
import io.perpetua.core.sbe.InsuranceCause;
import io.perpetua.core.sbe.InsuranceFundChangedEncoder;
import io.perpetua.core.sbe.LeverageSetEncoder;
import io.perpetua.core.sbe.LiquidationStepEncoder;
import io.perpetua.core.sbe.MarkPriceUpdatedEncoder;
import io.perpetua.core.sbe.OracleConfiguredEncoder;
import io.perpetua.core.sbe.OrderTriggeredEncoder;
import io.perpetua.core.sbe.PositionCause;
import io.perpetua.core.sbe.PositionChangedEncoder;
import io.perpetua.core.sbe.RiskConfiguredEncoder;
import io.perpetua.core.sbe.CancelReason;
import io.perpetua.core.sbe.FillEncoder;
import io.perpetua.core.sbe.FundingPaymentEncoder;
import io.perpetua.core.sbe.FundingTickAppliedEncoder;
import io.perpetua.core.sbe.MarketConfiguredEncoder;
import io.perpetua.core.sbe.MarketStatus;
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
import io.perpetua.core.sbe.SnapshotTakenEncoder;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.core.market.MarketSpec;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Encodes the events of one command, back to back, into a reusable buffer.
 *
 * <p>The core calls {@link #begin(long, long)} before each command; every event then carries that
 * command's sequence and timestamp. After the command, {@link #buffer()} holds {@link #length()}
 * bytes of SBE messages (each with its own header) that the pipeline journals and delivers as the
 * command's result. The order events, several per command, are written straight into the array
 * at the offsets the generated encoders publish (same bytes, without a bounds check per field);
 * the rarer ones go through the generated encoders, held in fields and re-wrapped. Publishing
 * allocates nothing unless a command emits more bytes than ever before.
 */
public final class EventPublisher
{
    /** Room every event needs: the largest fixed block plus the longest market symbol. */
    static final int MAX_EVENT_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + MarketSpec.MAX_SYMBOL_LENGTH +
        MarketConfiguredEncoder.symbolHeaderLength() + Math.max(MarketConfiguredEncoder.BLOCK_LENGTH,
        Math.max(Math.max(OrderAcceptedEncoder.BLOCK_LENGTH, RejectedEncoder.BLOCK_LENGTH),
        Math.max(Math.max(FillEncoder.BLOCK_LENGTH, OrderRestedEncoder.BLOCK_LENGTH),
        Math.max(Math.max(OrderCancelledEncoder.BLOCK_LENGTH, OrderAmendedEncoder.BLOCK_LENGTH),
        Math.max(OrderExpiredEncoder.BLOCK_LENGTH, SnapshotTakenEncoder.BLOCK_LENGTH))))) +
        // Account, position and liquidation events (version 1) are all smaller than 256 bytes.
        256;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Every event begins with the sequence and timestamp of the command that caused it. */
    private static final int SEQUENCE_OFFSET = OrderAcceptedEncoder.sequenceEncodingOffset();
    private static final int TIMESTAMP_OFFSET = OrderAcceptedEncoder.timestampNsEncodingOffset();

    private static final long ACCEPTED_HEADER = header(OrderAcceptedEncoder.BLOCK_LENGTH, OrderAcceptedEncoder.TEMPLATE_ID);
    private static final long REJECTED_HEADER = header(RejectedEncoder.BLOCK_LENGTH, RejectedEncoder.TEMPLATE_ID);
    private static final long FILL_HEADER = header(FillEncoder.BLOCK_LENGTH, FillEncoder.TEMPLATE_ID);
    private static final long RESTED_HEADER = header(OrderRestedEncoder.BLOCK_LENGTH, OrderRestedEncoder.TEMPLATE_ID);
    private static final long CANCELLED_HEADER = header(OrderCancelledEncoder.BLOCK_LENGTH, OrderCancelledEncoder.TEMPLATE_ID);
    private static final long AMENDED_HEADER = header(OrderAmendedEncoder.BLOCK_LENGTH, OrderAmendedEncoder.TEMPLATE_ID);
    private static final long EXPIRED_HEADER = header(OrderExpiredEncoder.BLOCK_LENGTH, OrderExpiredEncoder.TEMPLATE_ID);

    /**
     * A plain array, grown by hand before an event could overrun it. The order events are written
     * straight into it; {@link #buffer} wraps it for the generated encoders of the rarer events and
     * for readers.
     */
    private byte[] bytes = new byte[64 * 1024];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MarketConfiguredEncoder marketConfigured = new MarketConfiguredEncoder();
    private final SnapshotTakenEncoder snapshotTaken = new SnapshotTakenEncoder();
    private final AccountCreatedEncoder accountCreated = new AccountCreatedEncoder();
    private final CollateralChangedEncoder collateralChanged = new CollateralChangedEncoder();
    private final PositionChangedEncoder positionChanged = new PositionChangedEncoder();
    private final InsuranceFundChangedEncoder insuranceFundChanged = new InsuranceFundChangedEncoder();
    private final LiquidationStepEncoder liquidationStep = new LiquidationStepEncoder();
    private final DeleveragedEncoder deleveraged = new DeleveragedEncoder();
    private final MarkPriceUpdatedEncoder markPriceUpdated = new MarkPriceUpdatedEncoder();
    private final RiskConfiguredEncoder riskConfigured = new RiskConfiguredEncoder();
    private final OracleConfiguredEncoder oracleConfigured = new OracleConfiguredEncoder();
    private final LeverageSetEncoder leverageSet = new LeverageSetEncoder();
    private final OrderTriggeredEncoder orderTriggered = new OrderTriggeredEncoder();
    private final FundingTickAppliedEncoder fundingTickApplied = new FundingTickAppliedEncoder();
    private final FundingPaymentEncoder fundingPayment = new FundingPaymentEncoder();

    private int length;
    private int eventCount;
    private long sequence;
    private long timestampNs;

    /** Starts the events of a new command. */
    public void begin(final long sequence, final long timestampNs)
    {
        this.sequence = sequence;
        this.timestampNs = timestampNs;
        this.length = 0;
        this.eventCount = 0;
    }

    /** The encoded events of the current command, from offset 0. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int length()
    {
        return length;
    }

    public int eventCount()
    {
        return eventCount;
    }

    public void orderAccepted(
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final byte flags,
        final long price,
        final long size,
        final long expiryNs,
        final long triggerPrice)
    {
        final int o = begin(ACCEPTED_HEADER, OrderAcceptedEncoder.BLOCK_LENGTH);
        final byte[] b = bytes;
        putLong(b, o + OrderAcceptedEncoder.accountIdEncodingOffset(), accountId);
        putInt(b, o + OrderAcceptedEncoder.marketIdEncodingOffset(), marketId);
        putLong(b, o + OrderAcceptedEncoder.orderIdEncodingOffset(), orderId);
        putLong(b, o + OrderAcceptedEncoder.clientOrderIdEncodingOffset(), clientOrderId);
        b[o + OrderAcceptedEncoder.sideEncodingOffset()] = (byte)side.value();
        b[o + OrderAcceptedEncoder.orderTypeEncodingOffset()] = (byte)orderType.value();
        b[o + OrderAcceptedEncoder.timeInForceEncodingOffset()] = (byte)timeInForce.value();
        b[o + OrderAcceptedEncoder.flagsEncodingOffset()] = flags;
        putLong(b, o + OrderAcceptedEncoder.priceEncodingOffset(), price);
        putLong(b, o + OrderAcceptedEncoder.sizeEncodingOffset(), size);
        putLong(b, o + OrderAcceptedEncoder.expiryNsEncodingOffset(), expiryNs);
        putLong(b, o + OrderAcceptedEncoder.triggerPriceEncodingOffset(), triggerPrice);
    }

    public void rejected(
        final int commandTemplateId,
        final RejectReason reason,
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId)
    {
        final int o = begin(REJECTED_HEADER, RejectedEncoder.BLOCK_LENGTH);
        final byte[] b = bytes;
        putShort(b, o + RejectedEncoder.commandTemplateIdEncodingOffset(), commandTemplateId);
        putShort(b, o + RejectedEncoder.reasonEncodingOffset(), reason.value());
        putLong(b, o + RejectedEncoder.accountIdEncodingOffset(), accountId);
        putInt(b, o + RejectedEncoder.marketIdEncodingOffset(), marketId);
        putLong(b, o + RejectedEncoder.orderIdEncodingOffset(), orderId);
        putLong(b, o + RejectedEncoder.clientOrderIdEncodingOffset(), clientOrderId);
    }

    public void fill(
        final int marketId,
        final long tradeId,
        final long makerAccountId,
        final long makerOrderId,
        final long takerAccountId,
        final long takerOrderId,
        final Side aggressorSide,
        final long price,
        final long size,
        final long quote,
        final long makerRemaining,
        final long takerRemaining,
        final long makerFee,
        final long takerFee,
        final boolean liquidation)
    {
        final int o = begin(FILL_HEADER, FillEncoder.BLOCK_LENGTH);
        final byte[] b = bytes;
        putInt(b, o + FillEncoder.marketIdEncodingOffset(), marketId);
        putLong(b, o + FillEncoder.tradeIdEncodingOffset(), tradeId);
        putLong(b, o + FillEncoder.makerAccountIdEncodingOffset(), makerAccountId);
        putLong(b, o + FillEncoder.makerOrderIdEncodingOffset(), makerOrderId);
        putLong(b, o + FillEncoder.takerAccountIdEncodingOffset(), takerAccountId);
        putLong(b, o + FillEncoder.takerOrderIdEncodingOffset(), takerOrderId);
        b[o + FillEncoder.aggressorSideEncodingOffset()] = (byte)aggressorSide.value();
        putLong(b, o + FillEncoder.priceEncodingOffset(), price);
        putLong(b, o + FillEncoder.sizeEncodingOffset(), size);
        putLong(b, o + FillEncoder.quoteEncodingOffset(), quote);
        putLong(b, o + FillEncoder.makerRemainingEncodingOffset(), makerRemaining);
        putLong(b, o + FillEncoder.takerRemainingEncodingOffset(), takerRemaining);
        putLong(b, o + FillEncoder.makerFeeEncodingOffset(), makerFee);
        putLong(b, o + FillEncoder.takerFeeEncodingOffset(), takerFee);
        b[o + FillEncoder.liquidationEncodingOffset()] = bool(liquidation);
    }

    public void orderRested(
        final long accountId, final int marketId, final long orderId, final Side side, final long price, final long size)
    {
        final int o = begin(RESTED_HEADER, OrderRestedEncoder.BLOCK_LENGTH);
        final byte[] b = bytes;
        putLong(b, o + OrderRestedEncoder.accountIdEncodingOffset(), accountId);
        putInt(b, o + OrderRestedEncoder.marketIdEncodingOffset(), marketId);
        putLong(b, o + OrderRestedEncoder.orderIdEncodingOffset(), orderId);
        b[o + OrderRestedEncoder.sideEncodingOffset()] = (byte)side.value();
        putLong(b, o + OrderRestedEncoder.priceEncodingOffset(), price);
        putLong(b, o + OrderRestedEncoder.sizeEncodingOffset(), size);
    }

    public void orderCancelled(
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId,
        final Side side,
        final long price,
        final long remainingSize,
        final CancelReason reason,
        final boolean wasResting)
    {
        final int o = begin(CANCELLED_HEADER, OrderCancelledEncoder.BLOCK_LENGTH);
        final byte[] b = bytes;
        putLong(b, o + OrderCancelledEncoder.accountIdEncodingOffset(), accountId);
        putInt(b, o + OrderCancelledEncoder.marketIdEncodingOffset(), marketId);
        putLong(b, o + OrderCancelledEncoder.orderIdEncodingOffset(), orderId);
        putLong(b, o + OrderCancelledEncoder.clientOrderIdEncodingOffset(), clientOrderId);
        b[o + OrderCancelledEncoder.sideEncodingOffset()] = (byte)side.value();
        putLong(b, o + OrderCancelledEncoder.priceEncodingOffset(), price);
        putLong(b, o + OrderCancelledEncoder.remainingSizeEncodingOffset(), remainingSize);
        b[o + OrderCancelledEncoder.reasonEncodingOffset()] = (byte)reason.value();
        b[o + OrderCancelledEncoder.wasRestingEncodingOffset()] = bool(wasResting);
    }

    public void orderAmended(
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId,
        final Side side,
        final long oldPrice,
        final long oldSize,
        final long newPrice,
        final long newSize,
        final boolean priorityKept)
    {
        final int o = begin(AMENDED_HEADER, OrderAmendedEncoder.BLOCK_LENGTH);
        final byte[] b = bytes;
        putLong(b, o + OrderAmendedEncoder.accountIdEncodingOffset(), accountId);
        putInt(b, o + OrderAmendedEncoder.marketIdEncodingOffset(), marketId);
        putLong(b, o + OrderAmendedEncoder.orderIdEncodingOffset(), orderId);
        putLong(b, o + OrderAmendedEncoder.clientOrderIdEncodingOffset(), clientOrderId);
        b[o + OrderAmendedEncoder.sideEncodingOffset()] = (byte)side.value();
        putLong(b, o + OrderAmendedEncoder.oldPriceEncodingOffset(), oldPrice);
        putLong(b, o + OrderAmendedEncoder.oldSizeEncodingOffset(), oldSize);
        putLong(b, o + OrderAmendedEncoder.newPriceEncodingOffset(), newPrice);
        putLong(b, o + OrderAmendedEncoder.newSizeEncodingOffset(), newSize);
        b[o + OrderAmendedEncoder.priorityKeptEncodingOffset()] = bool(priorityKept);
    }

    public void orderExpired(
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId,
        final Side side,
        final long price,
        final long remainingSize)
    {
        final int o = begin(EXPIRED_HEADER, OrderExpiredEncoder.BLOCK_LENGTH);
        final byte[] b = bytes;
        putLong(b, o + OrderExpiredEncoder.accountIdEncodingOffset(), accountId);
        putInt(b, o + OrderExpiredEncoder.marketIdEncodingOffset(), marketId);
        putLong(b, o + OrderExpiredEncoder.orderIdEncodingOffset(), orderId);
        putLong(b, o + OrderExpiredEncoder.clientOrderIdEncodingOffset(), clientOrderId);
        b[o + OrderExpiredEncoder.sideEncodingOffset()] = (byte)side.value();
        putLong(b, o + OrderExpiredEncoder.priceEncodingOffset(), price);
        putLong(b, o + OrderExpiredEncoder.remainingSizeEncodingOffset(), remainingSize);
    }

    public void marketConfigured(
        final int marketId,
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
        final MarketStatus status,
        final boolean created,
        final String symbol)
    {
        ensureRoom();
        marketConfigured.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
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
            .created(created ? BooleanType.TRUE : BooleanType.FALSE)
            .symbol(symbol);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + marketConfigured.encodedLength());
    }

    public void snapshotTaken(final long stateHash)
    {
        ensureRoom();
        snapshotTaken.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .stateHash(stateHash);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + snapshotTaken.encodedLength());
    }

    public void orderTriggered(
        final long accountId, final int marketId, final long orderId, final long triggerPrice, final long markPrice)
    {
        ensureRoom();
        orderTriggered.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .triggerPrice(triggerPrice)
            .markPrice(markPrice);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + orderTriggered.encodedLength());
    }

    public void accountCreated(
        final long accountId, final long parentAccountId, final DirectBuffer publicKey, final int publicKeyOffset)
    {
        ensureRoom();
        accountCreated.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .parentAccountId(parentAccountId)
            .putPublicKey(publicKey, publicKeyOffset, AccountCreatedEncoder.publicKeyLength());
        advance(MessageHeaderEncoder.ENCODED_LENGTH + accountCreated.encodedLength());
    }

    public void collateralChanged(
        final long accountId, final CollateralCause cause, final long amount, final long balance, final long reference)
    {
        ensureRoom();
        collateralChanged.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .cause(cause)
            .amount(amount)
            .balance(balance)
            .reference(reference);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + collateralChanged.encodedLength());
    }

    public void positionChanged(
        final long accountId,
        final int marketId,
        final PositionCause cause,
        final long tradeId,
        final long sizeDelta,
        final long quoteDelta,
        final long fee,
        final long size,
        final long costBasis,
        final long realizedPnl,
        final long balance)
    {
        ensureRoom();
        positionChanged.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .cause(cause)
            .tradeId(tradeId)
            .sizeDelta(sizeDelta)
            .quoteDelta(quoteDelta)
            .fee(fee)
            .size(size)
            .costBasis(costBasis)
            .realizedPnl(realizedPnl)
            .balance(balance);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + positionChanged.encodedLength());
    }

    public void insuranceFundChanged(
        final long accountId,
        final int marketId,
        final InsuranceCause cause,
        final long amount,
        final long fundBalance,
        final long accountBalance)
    {
        ensureRoom();
        insuranceFundChanged.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .cause(cause)
            .amount(amount)
            .fundBalance(fundBalance)
            .accountBalance(accountBalance);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + insuranceFundChanged.encodedLength());
    }

    public void liquidationStep(
        final long accountId,
        final int marketId,
        final long netCollateral,
        final long maintenanceMargin,
        final Side side,
        final long size,
        final long fillablePrice,
        final long bankruptcyQuote,
        final long filledSize,
        final long receivedQuote,
        final long deleveragedSize)
    {
        ensureRoom();
        liquidationStep.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .netCollateral(netCollateral)
            .maintenanceMargin(maintenanceMargin)
            .side(side)
            .size(size)
            .fillablePrice(fillablePrice)
            .bankruptcyQuote(bankruptcyQuote)
            .filledSize(filledSize)
            .receivedQuote(receivedQuote)
            .deleveragedSize(deleveragedSize);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + liquidationStep.encodedLength());
    }

    public void deleveraged(
        final long liquidatedAccountId,
        final long counterpartyAccountId,
        final int marketId,
        final long tradeId,
        final long size,
        final long quote)
    {
        ensureRoom();
        deleveraged.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .liquidatedAccountId(liquidatedAccountId)
            .counterpartyAccountId(counterpartyAccountId)
            .marketId(marketId)
            .tradeId(tradeId)
            .size(size)
            .quote(quote);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + deleveraged.encodedLength());
    }

    public void markPriceUpdated(final int marketId, final long price, final long median, final int sourceCount)
    {
        ensureRoom();
        markPriceUpdated.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .marketId(marketId)
            .price(price)
            .median(median)
            .sourceCount((short)sourceCount);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + markPriceUpdated.encodedLength());
    }

    public void riskConfigured(
        final int marketId,
        final int initialMarginPpm,
        final int maintenanceMarginPpm,
        final long openInterestLowerCap,
        final long openInterestUpperCap,
        final int liquidationFeePpm,
        final int liquidationSlicePpm,
        final long minSliceNotional,
        final long maxLiquidationNotional,
        final int fillableFactorPpm)
    {
        ensureRoom();
        riskConfigured.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .marketId(marketId)
            .initialMarginPpm(initialMarginPpm)
            .maintenanceMarginPpm(maintenanceMarginPpm)
            .openInterestLowerCap(openInterestLowerCap)
            .openInterestUpperCap(openInterestUpperCap)
            .liquidationFeePpm(liquidationFeePpm)
            .liquidationSlicePpm(liquidationSlicePpm)
            .minSliceNotional(minSliceNotional)
            .maxLiquidationNotional(maxLiquidationNotional)
            .fillableFactorPpm(fillableFactorPpm);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + riskConfigured.encodedLength());
    }

    public void oracleConfigured(
        final int marketId,
        final int quorum,
        final int sourceCount,
        final long validityWindowNs,
        final int maxMovePpm,
        final long moveWindowNs,
        final long staleAfterNs)
    {
        ensureRoom();
        oracleConfigured.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .marketId(marketId)
            .quorum((short)quorum)
            .sourceCount((short)sourceCount)
            .validityWindowNs(validityWindowNs)
            .maxMovePpm(maxMovePpm)
            .moveWindowNs(moveWindowNs)
            .staleAfterNs(staleAfterNs);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + oracleConfigured.encodedLength());
    }

    public void leverageSet(final long accountId, final int marketId, final int leverage)
    {
        ensureRoom();
        leverageSet.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .leverage(leverage);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + leverageSet.encodedLength());
    }

    public void fundingTickApplied(
        final int marketId, final long rate8hPpb, final long markPrice, final long fundingIndex, final long fundingTimeNs)
    {
        ensureRoom();
        fundingTickApplied.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .marketId(marketId)
            .rate8hPpb(rate8hPpb)
            .markPrice(markPrice)
            .fundingIndex(fundingIndex)
            .fundingTimeNs(fundingTimeNs);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + fundingTickApplied.encodedLength());
    }

    public void fundingPayment(
        final long accountId,
        final int marketId,
        final long amount,
        final long size,
        final long fundingIndex,
        final long balance,
        final long fundingBalance)
    {
        ensureRoom();
        fundingPayment.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .amount(amount)
            .size(size)
            .fundingIndex(fundingIndex)
            .balance(balance)
            .fundingBalance(fundingBalance);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + fundingPayment.encodedLength());
    }

    private void advance(final int bytes)
    {
        length += bytes;
        eventCount++;
    }

    /**
     * Starts an order event: its header (one precomputed word), sequence and timestamp. The schema's
     * offsets come from the generated encoders, so the bytes are exactly what they would write.
     *
     * @return the offset of the event's block
     */
    private int begin(final long header, final int blockLength)
    {
        ensureRoom();
        final byte[] b = bytes;
        final int offset = length;
        final int block = offset + MessageHeaderEncoder.ENCODED_LENGTH;
        putLong(b, offset, header);
        putLong(b, block + SEQUENCE_OFFSET, sequence);
        putLong(b, block + TIMESTAMP_OFFSET, timestampNs);
        length = block + blockLength;
        eventCount++;
        return block;
    }

    /** The message header of a template of this schema as one little-endian word. */
    private static long header(final int blockLength, final int templateId)
    {
        return (blockLength & 0xFFFFL) |
            (templateId & 0xFFFFL) << 16 |
            (MessageHeaderEncoder.SCHEMA_ID & 0xFFFFL) << 32 |
            (MessageHeaderEncoder.SCHEMA_VERSION & 0xFFFFL) << 48;
    }

    private static void putLong(final byte[] b, final int offset, final long value)
    {
        LONG.set(b, offset, value);
    }

    private static void putInt(final byte[] b, final int offset, final int value)
    {
        INT.set(b, offset, value);
    }

    private static void putShort(final byte[] b, final int offset, final int value)
    {
        SHORT.set(b, offset, (short)value);
    }

    private static byte bool(final boolean value)
    {
        return (byte)(value ? BooleanType.TRUE : BooleanType.FALSE).value();
    }

    /** Grows the buffer (a copy, only at a new high-water mark) so that one more event fits. */
    private void ensureRoom()
    {
        if (length + MAX_EVENT_LENGTH > bytes.length)
        {
            bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
            buffer.wrap(bytes);
        }
    }
}
