package io.perpetua.core.engine;

import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderTriggeredDecoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.core.testing.SteadyStateAllocation;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conditional orders allocate nothing once warm: placing them, cancelling and expiring them while
 * they wait, and firing them on mark updates (into matching, resting, reduce-only cuts and
 * rejects), measured with the JVM's per-thread allocation counter as in {@link HotPathAllocationTest}.
 */
class ConditionalAllocationTest
{
    private static final int ACCOUNTS = 50;
    private static final int CLIENT_IDS = 32;
    private static final OrderType[] CONDITIONAL =
        {OrderType.STOP_LIMIT, OrderType.STOP_MARKET, OrderType.TAKE_PROFIT_LIMIT, OrderType.TAKE_PROFIT_MARKET};

    private final MarkFeed feed = new MarkFeed();
    private final MatchingEngine engine =
        new MatchingEngine(new EngineConfig(1 << 14, 1 << 16), new OrderLimitsGate(), feed, new EventPublisher());
    private final CommandAdapter adapter = new CommandAdapter(engine);
    private final CommandEncoder encoder = new CommandEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
    private final MessageHeaderDecoder eventHeader = new MessageHeaderDecoder();
    private long sequence;
    private long nowNs = 1_000_000_000L;
    private long markTicks = 10_000;

    @Test
    void placingCancellingAndTriggeringConditionalOrdersAllocatesNothingAfterWarmUp()
    {
        apply(encoder.addMarket(buffer, 0, 1, "BTC-USD", 10, 100, 3, 100, 1_000_000, 0, 200_000, -100, 500, 100_000, false,
            MarketStatus.ACTIVE));
        run(new SplittableRandom(7), 300_000);

        final SplittableRandom[] randoms = new SplittableRandom[SteadyStateAllocation.MAX_PHASES];
        Arrays.setAll(randoms, phase -> new SplittableRandom(8 + phase));
        final long[] triggered = new long[randoms.length];
        final SteadyStateAllocation allocation =
            SteadyStateAllocation.measure(phase -> triggered[phase] = run(randoms[phase], 200_000));
        System.out.println("conditional orders, 200,000 commands a phase: " + allocation + ", triggered " +
            Arrays.toString(Arrays.copyOf(triggered, allocation.phases())) + ", " +
            engine.state().book(1).conditionals().count() + " waiting");

        final int last = allocation.phases() - 1;
        assertTrue(triggered[last] > 5_000, "the measured phase must actually trigger orders, triggered=" + triggered[last]);
        assertTrue(engine.state().book(1).conditionals().count() > 100, "orders must be waiting while the mark moves");
        assertTrue(allocation.reachedZero(), "the core thread allocates in steady state: " + allocation);
    }

    /** Runs a mixed workload around a random-walk mark; returns the number of orders triggered. */
    private long run(final SplittableRandom random, final int commands)
    {
        long triggered = 0;
        for (int i = 0; i < commands; i++)
        {
            final long account = 1 + random.nextInt(ACCOUNTS);
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long price = 10L * (markTicks - 300 + random.nextInt(600));
            final long size = 100L * (1 + random.nextInt(20));
            final int roll = random.nextInt(100);
            final int length;
            if (roll < 35)
            {
                length = encoder.limitOrder(buffer, 0, account, 1, 1 + random.nextInt(CLIENT_IDS), side, price, size);
            }
            else if (roll < 65)
            {
                final OrderType type = CONDITIONAL[random.nextInt(CONDITIONAL.length)];
                final boolean market = type == OrderType.STOP_MARKET || type == OrderType.TAKE_PROFIT_MARKET;
                final boolean gtt = !market && random.nextInt(4) == 0;
                final byte flags = random.nextInt(5) == 0 ? CommandEncoder.REDUCE_ONLY : 0;
                final long trigger = 10L * (markTicks - 800 + random.nextInt(1600));
                length = encoder.placeOrder(buffer, 0, account, 1, 1 + random.nextInt(CLIENT_IDS), side, type,
                    market ? TimeInForce.IOC : gtt ? TimeInForce.GTT : TimeInForce.GTC, flags,
                    SelfTradePrevention.CANCEL_MAKER, market ? 0 : price, size, gtt ? nowNs + 1_000_000L * (1 + random.nextInt(300)) : 0,
                    trigger);
            }
            else if (roll < 80)
            {
                length = encoder.cancelOrder(buffer, 0, account, 1, 0, 1 + random.nextInt(CLIENT_IDS));
            }
            else if (roll < 98)
            {
                markTicks = Math.max(9_000, Math.min(11_000, markTicks + random.nextInt(-60, 61)));
                length = feed.encode(buffer, 0, 1, 10 * markTicks);
            }
            else
            {
                length = encoder.cancelAll(buffer, 0, account, random.nextBoolean() ? 1 : 0);
            }
            apply(length);
            triggered += countTriggered(engine.events().buffer(), engine.events().length());
        }
        return triggered;
    }

    /** Counts OrderTriggered events in a command's output (all fixed-length messages here). */
    private int countTriggered(final DirectBuffer events, final int length)
    {
        int count = 0;
        int position = 0;
        while (position < length)
        {
            eventHeader.wrap(events, position);
            if (eventHeader.templateId() == OrderTriggeredDecoder.TEMPLATE_ID)
            {
                count++;
            }
            position += MessageHeaderDecoder.ENCODED_LENGTH + eventHeader.blockLength();
        }
        return count;
    }

    private void apply(final int length)
    {
        nowNs += 1_000_000L;
        CommandAdapter.stamp(buffer, 0, ++sequence, nowNs);
        adapter.apply(buffer, 0, length);
    }
}
