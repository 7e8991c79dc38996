package io.perpetua.core.engine;

import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.ExpandableArrayBuffer;

import java.util.List;

/**
 * Drives a {@link MatchingEngine} through encoded commands the way the pipeline does (encode,
 * stamp, apply) and returns each command's events as text. Time advances 1 ms per command unless
 * a test sets it.
 */
final class EngineHarness
{
    static final int BTC = 1;

    final MatchingEngine engine;
    final CommandAdapter adapter;
    final CommandEncoder encoder = new CommandEncoder();
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    long sequence;
    long nowNs = 1_000_000_000L;

    EngineHarness()
    {
        this(new OrderLimitsGate(), EngineConfig.DEFAULT);
    }

    EngineHarness(final RiskGate gate, final EngineConfig config)
    {
        engine = new MatchingEngine(config, gate, new EventPublisher());
        adapter = new CommandAdapter(engine);
    }

    /** An engine with the order limits gate and {@code feed} for mark prices and positions. */
    EngineHarness(final MarkFeed feed, final EngineConfig config)
    {
        engine = new MatchingEngine(config, new OrderLimitsGate(), feed, new EventPublisher());
        adapter = new CommandAdapter(engine);
    }

    /** A harness with market 1: tick 10, lot 100, scale 10^3, sizes 100..1,000,000, band 10%. */
    static EngineHarness withMarket()
    {
        final EngineHarness h = new EngineHarness();
        h.addMarket(BTC, "BTC-USD", 100_000, false);
        return h;
    }

    List<String> addMarket(final int marketId, final String symbol, final long referencePrice, final boolean selfTrade)
    {
        return submit(encoder.addMarket(buffer, 0, marketId, symbol, 10, 100, 3, 100, 1_000_000, 0, 100_000,
            -100, 500, referencePrice, selfTrade, MarketStatus.ACTIVE));
    }

    List<String> limit(final long account, final long cid, final Side side, final long price, final long size)
    {
        return submit(encoder.limitOrder(buffer, 0, account, BTC, cid, side, price, size));
    }

    List<String> place(
        final long account,
        final long cid,
        final Side side,
        final OrderType type,
        final TimeInForce tif,
        final byte flags,
        final SelfTradePrevention stp,
        final long price,
        final long size,
        final long expiryNs)
    {
        return submit(encoder.placeOrder(buffer, 0, account, BTC, cid, side, type, tif, flags, stp, price, size, expiryNs));
    }

    /** A conditional (or any) order with a trigger price in market 1. */
    List<String> conditional(
        final long account,
        final long cid,
        final Side side,
        final OrderType type,
        final TimeInForce tif,
        final byte flags,
        final long price,
        final long size,
        final long expiryNs,
        final long triggerPrice)
    {
        return submit(encoder.placeOrder(buffer, 0, account, BTC, cid, side, type, tif, flags,
            SelfTradePrevention.CANCEL_MAKER, price, size, expiryNs, triggerPrice));
    }

    /** An oracle price for market 1; needs an engine built with a {@link MarkFeed}. */
    List<String> mark(final long price)
    {
        return submit(((MarkFeed)engine.extension()).encode(buffer, 0, BTC, price));
    }

    List<String> cancel(final long account, final long orderId, final long cid)
    {
        return submit(encoder.cancelOrder(buffer, 0, account, BTC, orderId, cid));
    }

    List<String> cancelAll(final long account, final int marketId)
    {
        return submit(encoder.cancelAll(buffer, 0, account, marketId));
    }

    List<String> amend(final long account, final long orderId, final long newPrice, final long newSize, final long reduceBy)
    {
        return submit(encoder.amendOrder(buffer, 0, account, BTC, orderId, 0, newPrice, newSize, reduceBy));
    }

    List<String> heartbeatAt(final long timestampNs)
    {
        nowNs = timestampNs - 1_000_000L;
        return submit(encoder.heartbeat(buffer, 0));
    }

    List<String> submit(final int length)
    {
        sequence++;
        nowNs += 1_000_000L;
        CommandAdapter.stamp(buffer, 0, sequence, nowNs);
        adapter.apply(buffer, 0, length);
        return EventText.render(engine.events().buffer(), 0, engine.events().length());
    }
}
