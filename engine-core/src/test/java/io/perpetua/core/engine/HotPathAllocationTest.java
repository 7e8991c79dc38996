package io.perpetua.core.engine;

import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.core.testing.SteadyStateAllocation;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matching path allocates nothing once warm: placing, matching, resting, amending, cancelling
 * and expiring orders, measured with the JVM's per-thread allocation counter.
 */
class HotPathAllocationTest
{
    private static final int ACCOUNTS = 50;
    private static final int CLIENT_IDS = 32;
    private static final SelfTradePrevention[] STP = SelfTradePrevention.values();

    private final MatchingEngine engine = new MatchingEngine(new EngineConfig(1 << 14, 1 << 16), new OrderLimitsGate(),
        new EventPublisher());
    private final CommandAdapter adapter = new CommandAdapter(engine);
    private final CommandEncoder encoder = new CommandEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
    private long sequence;
    private long nowNs = 1_000_000_000L;

    @Test
    void matchingAllocatesNothingAfterWarmUp()
    {
        apply(encoder.addMarket(buffer, 0, 1, "BTC-USD", 10, 100, 3, 100, 1_000_000, 0, 200_000, -100, 500, 100_000, false,
            MarketStatus.ACTIVE));
        run(new SplittableRandom(42), 300_000);

        final SplittableRandom[] randoms = new SplittableRandom[SteadyStateAllocation.MAX_PHASES];
        Arrays.setAll(randoms, phase -> new SplittableRandom(43 + phase));
        final long[] fills = new long[randoms.length];
        final SteadyStateAllocation allocation =
            SteadyStateAllocation.measure(phase -> fills[phase] = run(randoms[phase], 200_000));
        System.out.println("hot path, 200,000 commands a phase: " + allocation + ", fills " +
            Arrays.toString(Arrays.copyOf(fills, allocation.phases())));

        final int last = allocation.phases() - 1;
        assertTrue(fills[last] > 10_000, "the measured phase must actually match orders, fills=" + fills[last]);
        // A per-command allocation would show as megabytes in every phase.
        assertTrue(allocation.reachedZero(), "the core thread allocates in steady state: " + allocation);
    }

    /** Runs a mixed workload; returns the number of commands that produced fills. */
    private long run(final SplittableRandom random, final int commands)
    {
        long fills = 0;
        for (int i = 0; i < commands; i++)
        {
            final long account = 1 + random.nextInt(ACCOUNTS);
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long price = 95_000 + 10L * random.nextInt(1000);
            final long size = 100L * (1 + random.nextInt(20));
            final int roll = random.nextInt(100);
            final int length;
            if (roll < 45)
            {
                length = encoder.limitOrder(buffer, 0, account, 1, 1 + random.nextInt(CLIENT_IDS), side, price, size);
            }
            else if (roll < 55)
            {
                length = encoder.placeOrder(buffer, 0, account, 1, 0, side, OrderType.LIMIT, TimeInForce.GTT, (byte)0,
                    SelfTradePrevention.CANCEL_MAKER, price, size, nowNs + 1_000_000L * (1 + random.nextInt(200)));
            }
            else if (roll < 62)
            {
                length = encoder.placeOrder(buffer, 0, account, 1, 0, side, OrderType.MARKET, TimeInForce.IOC, (byte)0,
                    STP[random.nextInt(3)], 0, size, 0);
            }
            else if (roll < 66)
            {
                length = encoder.placeOrder(buffer, 0, account, 1, 0, side, OrderType.LIMIT, TimeInForce.FOK, (byte)0,
                    SelfTradePrevention.CANCEL_MAKER, price, size, 0);
            }
            else if (roll < 80)
            {
                length = encoder.cancelOrder(buffer, 0, account, 1, 0, 1 + random.nextInt(CLIENT_IDS));
            }
            else if (roll < 97)
            {
                final long orderId = Math.max(1, engine.nextOrderId() - 1 - random.nextInt(200));
                final var order = engine.state().order(orderId);
                final long owner = order == null ? account : order.accountId();
                length = encoder.amendOrder(buffer, 0, owner, 1, orderId, 0, random.nextBoolean() ? price : 0, 0,
                    random.nextBoolean() ? 100 : 0);
            }
            else
            {
                length = encoder.cancelAll(buffer, 0, account, random.nextBoolean() ? 1 : 0);
            }
            apply(length);
            if (engine.nextTradeId() > 1 && lastCommandFilled())
            {
                fills++;
            }
        }
        return fills;
    }

    private long lastTradeSeen;


    private boolean lastCommandFilled()
    {
        final long trades = engine.nextTradeId();
        final boolean filled = trades != lastTradeSeen;
        lastTradeSeen = trades;
        return filled;
    }

    private void apply(final int length)
    {
        nowNs += 1_000_000L;
        CommandAdapter.stamp(buffer, 0, ++sequence, nowNs);
        adapter.apply(buffer, 0, length);
    }
}
