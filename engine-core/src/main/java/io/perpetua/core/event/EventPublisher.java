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

/**
 * Encodes the events of one command, back to back, into a reusable buffer.
 *
 * <p>The core calls {@link #begin(long, long)} before each command; every event then carries that
 * command's sequence and timestamp. After the command, {@link #buffer()} holds {@link #length()}
 * bytes of SBE messages (each with its own header) that the pipeline journals and delivers as the
 * command's result. Encoders are held in fields and re-wrapped, so publishing allocates nothing
 * unless a command emits more bytes than ever before.
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

    /** A plain array buffer, grown by hand before an event could overrun it: cheaper per put than an expandable one. */
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderAcceptedEncoder accepted = new OrderAcceptedEncoder();
    private final RejectedEncoder rejected = new RejectedEncoder();
    private final FillEncoder fill = new FillEncoder();
    private final OrderRestedEncoder rested = new OrderRestedEncoder();
    private final OrderCancelledEncoder cancelled = new OrderCancelledEncoder();
    private final OrderAmendedEncoder amended = new OrderAmendedEncoder();
    private final OrderExpiredEncoder expired = new OrderExpiredEncoder();
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
        ensureRoom();
        accepted.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .side(side)
            .orderType(orderType)
            .timeInForce(timeInForce)
            .price(price)
            .size(size)
            .expiryNs(expiryNs)
            .triggerPrice(triggerPrice);
        accepted.buffer().putByte(accepted.offset() + OrderAcceptedEncoder.flagsEncodingOffset(), flags);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + accepted.encodedLength());
    }

    public void rejected(
        final int commandTemplateId,
        final RejectReason reason,
        final long accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId)
    {
        ensureRoom();
        rejected.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .commandTemplateId(commandTemplateId)
            .reason(reason)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderId);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + rejected.encodedLength());
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
        ensureRoom();
        fill.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .marketId(marketId)
            .tradeId(tradeId)
            .makerAccountId(makerAccountId)
            .makerOrderId(makerOrderId)
            .takerAccountId(takerAccountId)
            .takerOrderId(takerOrderId)
            .aggressorSide(aggressorSide)
            .price(price)
            .size(size)
            .quote(quote)
            .makerRemaining(makerRemaining)
            .takerRemaining(takerRemaining)
            .makerFee(makerFee)
            .takerFee(takerFee)
            .liquidation(liquidation ? BooleanType.TRUE : BooleanType.FALSE);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + fill.encodedLength());
    }

    public void orderRested(
        final long accountId, final int marketId, final long orderId, final Side side, final long price, final long size)
    {
        ensureRoom();
        rested.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .side(side)
            .price(price)
            .size(size);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + rested.encodedLength());
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
        ensureRoom();
        cancelled.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .side(side)
            .price(price)
            .remainingSize(remainingSize)
            .reason(reason)
            .wasResting(wasResting ? BooleanType.TRUE : BooleanType.FALSE);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + cancelled.encodedLength());
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
        ensureRoom();
        amended.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .side(side)
            .oldPrice(oldPrice)
            .oldSize(oldSize)
            .newPrice(newPrice)
            .newSize(newSize)
            .priorityKept(priorityKept ? BooleanType.TRUE : BooleanType.FALSE);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + amended.encodedLength());
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
        ensureRoom();
        expired.wrapAndApplyHeader(buffer, length, header)
            .sequence(sequence)
            .timestampNs(timestampNs)
            .accountId(accountId)
            .marketId(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .side(side)
            .price(price)
            .remainingSize(remainingSize);
        advance(MessageHeaderEncoder.ENCODED_LENGTH + expired.encodedLength());
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

    /** Grows the buffer (a copy, only at a new high-water mark) so that one more event fits. */
    private void ensureRoom()
    {
        if (length + MAX_EVENT_LENGTH > buffer.capacity())
        {
            final byte[] larger = new byte[buffer.capacity() * 2];
            buffer.getBytes(0, larger, 0, length);
            buffer.wrap(larger);
        }
    }
}
