package io.perpetua.gateway.marketdata;

import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.FundingTickAppliedDecoder;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MarkPriceUpdatedDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderExpiredDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.PositionChangedDecoder;
import io.perpetua.core.sbe.RiskConfiguredDecoder;
import io.perpetua.core.sbe.Side;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Public market data of every market, rebuilt from the events journal alone: each entry (the
 * events of one command) is applied as a whole under this object's lock, so readers (REST, a new
 * WebSocket subscription) always see the state at a command boundary, and {@link #sequence()} says
 * which. The state is integer; decimal strings are made at the edge with {@link MarketUnits}.
 *
 * <p>Levels change only through events: a rest adds size, a fill removes it from the maker's side,
 * a cancel of resting size, an expiry and an amend remove or shrink it. The market figures come from
 * risk-margin's events: the mark price from MarkPriceUpdated, open interest from PositionChanged
 * (each account's size after the change), the margin fractions from RiskConfigured and the funding
 * history from FundingTickApplied.
 */
public final class MarketDataState implements JournalConsumer
{
    private final MarketUnits.PriceDecimals priceDecimals;
    private final JournalSchema schema = new JournalSchema();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final OrderRestedDecoder rested = new OrderRestedDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final OrderCancelledDecoder cancelled = new OrderCancelledDecoder();
    private final OrderExpiredDecoder expired = new OrderExpiredDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final MarketConfiguredDecoder configured = new MarketConfiguredDecoder();
    private final MarkPriceUpdatedDecoder markPrice = new MarkPriceUpdatedDecoder();
    private final PositionChangedDecoder positionChanged = new PositionChangedDecoder();
    private final RiskConfiguredDecoder riskConfigured = new RiskConfiguredDecoder();
    private final FundingTickAppliedDecoder fundingTick = new FundingTickAppliedDecoder();
    private final Map<Integer, MarketState> markets = new TreeMap<>();
    private final Map<String, MarketState> bySymbol = new TreeMap<>();
    private final Map<Integer, MarketChanges> changes = new LinkedHashMap<>();
    private final Long2ObjectHashMap<OrderType> takerTypes = new Long2ObjectHashMap<>();
    private final List<MarketDataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile long sequence;
    private long timestampNs;

    public MarketDataState(final MarketUnits.PriceDecimals priceDecimals)
    {
        this.priceDecimals = Objects.requireNonNull(priceDecimals);
    }

    public void addListener(final MarketDataListener listener)
    {
        listeners.add(listener);
    }

    /** The last command whose events are applied (0 before any). */
    public long sequence()
    {
        return sequence;
    }

    /** Command time of {@link #sequence()}: the feed's notion of "now" (never the wall clock). */
    public synchronized long timestampNs()
    {
        return timestampNs;
    }

    /** Markets by id; read under the lock ({@code synchronized (state)}). */
    public Collection<MarketState> markets()
    {
        return Collections.unmodifiableCollection(markets.values());
    }

    /** @return the market with that ticker, or null; read under the lock */
    public MarketState market(final String symbol)
    {
        return bySymbol.get(symbol);
    }

    /** @return the market with that id, or null; read under the lock */
    public MarketState market(final int marketId)
    {
        return markets.get(marketId);
    }

    /**
     * Waits until the events of {@code target} are applied.
     *
     * @return false if the timeout passed first
     */
    public synchronized boolean awaitSequence(final long target, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (sequence < target)
        {
            final long leftNs = deadline - System.nanoTime();
            if (leftNs <= 0)
            {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, leftNs);
        }
        return true;
    }

    @Override
    public synchronized void onDocument(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return;
        }
        changes.clear();
        takerTypes.clear();
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            position = apply(buffer, position);
        }
        sequence = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, MessageHeaderDecoder.BYTE_ORDER);
        timestampNs = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES,
            MessageHeaderDecoder.BYTE_ORDER);
        if (!changes.isEmpty())
        {
            final Collection<MarketChanges> touched = Collections.unmodifiableCollection(changes.values());
            for (final MarketDataListener listener : listeners)
            {
                listener.onChanges(this, sequence, touched);
            }
        }
        notifyAll();
    }

    @Override
    public void onCaughtUp()
    {
        for (final MarketDataListener listener : listeners)
        {
            listener.onCaughtUp();
        }
    }

    /** Applies the message at {@code position}; returns the offset just past it. */
    private int apply(final DirectBuffer buffer, final int position)
    {
        header.wrap(buffer, position);
        final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case OrderAcceptedDecoder.TEMPLATE_ID:
                accepted.wrap(buffer, body, blockLength, version);
                takerTypes.put(accepted.orderId(), accepted.orderType());
                return body + blockLength;
            case OrderRestedDecoder.TEMPLATE_ID:
                rested.wrap(buffer, body, blockLength, version);
                level(rested.marketId(), rested.side(), rested.price(), rested.size());
                return body + blockLength;
            case FillDecoder.TEMPLATE_ID:
                fill.wrap(buffer, body, blockLength, version);
                onFill();
                return body + blockLength;
            case OrderCancelledDecoder.TEMPLATE_ID:
                cancelled.wrap(buffer, body, blockLength, version);
                if (cancelled.wasResting() == BooleanType.TRUE)
                {
                    level(cancelled.marketId(), cancelled.side(), cancelled.price(), -cancelled.remainingSize());
                }
                return body + blockLength;
            case OrderExpiredDecoder.TEMPLATE_ID:
                expired.wrap(buffer, body, blockLength, version);
                level(expired.marketId(), expired.side(), expired.price(), -expired.remainingSize());
                return body + blockLength;
            case OrderAmendedDecoder.TEMPLATE_ID:
                amended.wrap(buffer, body, blockLength, version);
                // Priority kept: shrunk in place. Otherwise it left the book; a rest follows if it stays.
                level(amended.marketId(), amended.side(), amended.oldPrice(), amended.priorityKept() == BooleanType.TRUE ?
                    amended.newSize() - amended.oldSize() : -amended.oldSize());
                return body + blockLength;
            case MarketConfiguredDecoder.TEMPLATE_ID:
                configured.wrap(buffer, body, blockLength, version);
                onMarketConfigured();
                return configured.limit();
            case MarkPriceUpdatedDecoder.TEMPLATE_ID:
                markPrice.wrap(buffer, body, blockLength, version);
                final MarketState priced = require(markPrice.marketId());
                priced.markPrice(markPrice.price());
                changes(priced).figures = true;
                return body + blockLength;
            case PositionChangedDecoder.TEMPLATE_ID:
                positionChanged.wrap(buffer, body, blockLength, version);
                final MarketState traded = require(positionChanged.marketId());
                traded.position(positionChanged.accountId(), positionChanged.size());
                changes(traded).figures = true;
                return body + blockLength;
            case RiskConfiguredDecoder.TEMPLATE_ID:
                riskConfigured.wrap(buffer, body, blockLength, version);
                final MarketState risked = require(riskConfigured.marketId());
                risked.marginFractions(riskConfigured.initialMarginPpm(), riskConfigured.maintenanceMarginPpm());
                changes(risked).figures = true;
                return body + blockLength;
            case FundingTickAppliedDecoder.TEMPLATE_ID:
                fundingTick.wrap(buffer, body, blockLength, version);
                final MarketState funded = require(fundingTick.marketId());
                funded.addFundingTick(new FundingTick(fundingTick.sequence(), fundingTick.timestampNs(),
                    fundingTick.fundingTimeNs(), fundingTick.rate8hPpb(), fundingTick.markPrice()));
                changes(funded).figures = true;
                return body + blockLength;
            default:
                return schema.skip(buffer, position);
        }
    }

    private void onFill()
    {
        final MarketState market = require(fill.marketId());
        final Side takerSide = fill.aggressorSide();
        level(fill.marketId(), takerSide == Side.BUY ? Side.SELL : Side.BUY, fill.price(), -fill.size());
        final OrderType takerType = takerTypes.get(fill.takerOrderId());
        final Trade trade = new Trade(fill.tradeId(), fill.sequence(), fill.timestampNs(), takerSide,
            takerType == null ? OrderType.LIMIT : takerType, fill.price(), fill.size(), fill.quote());
        final MarketChanges marketChanges = changes(market);
        marketChanges.trades.add(trade);
        market.addTrade(trade, marketChanges.candles);
    }

    private void onMarketConfigured()
    {
        final int marketId = configured.marketId();
        final String symbol = configured.symbol();
        final int quoteScaleExponent = configured.quoteScaleExponent();
        final MarketInfo info = new MarketInfo(marketId, symbol, configured.tickSize(), configured.lotSize(),
            quoteScaleExponent, configured.minSize(), configured.maxSize(), configured.maxNotional(),
            configured.priceBandPpm(), configured.makerFeePpm(), configured.takerFeePpm(), configured.referencePrice(),
            configured.selfTradeAllowed() == BooleanType.TRUE, configured.status(),
            new MarketUnits(priceDecimals.priceDecimals(symbol, quoteScaleExponent), quoteScaleExponent));
        MarketState market = markets.get(marketId);
        if (market == null)
        {
            market = new MarketState(info);
            markets.put(marketId, market);
            bySymbol.put(symbol, market);
        }
        else
        {
            market.info(info);
        }
        changes(market).configured = true;
    }

    private void level(final int marketId, final Side side, final long price, final long delta)
    {
        final MarketState market = require(marketId);
        final boolean bid = side == Side.BUY;
        final long size = market.addToLevel(bid, price, delta);
        final MarketChanges marketChanges = changes(market);
        (bid ? marketChanges.bids : marketChanges.asks).put(price, size);
    }

    private MarketChanges changes(final MarketState market)
    {
        return changes.computeIfAbsent(market.info().marketId(), id -> new MarketChanges(market));
    }

    private MarketState require(final int marketId)
    {
        final MarketState market = markets.get(marketId);
        if (market == null)
        {
            throw new IllegalStateException("event for market " + marketId + " before its MarketConfigured");
        }
        return market;
    }
}
