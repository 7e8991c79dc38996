package io.perpetua.bench.gateway;

import java.util.SplittableRandom;

/**
 * One order-entry connection of the benchmark. Orders are one-lot limit orders within ten ticks
 * either side of the mid, so many cross and trade and the rest rest near the touch, within the price
 * band and far inside every account's margin. They are good for {@link #LIFETIME_NS} after their due
 * time (GTT), so what rests expires and the book stays about as large from one run to the next.
 */
abstract class Trader
{
    /** How long an order may rest: long enough that no order expires before it arrives, even backlogged. */
    static final long LIFETIME_NS = 60_000_000_000L;
    private static final int SPREAD_TICKS = 10;

    /** Where answers are counted; swapped between runs. */
    volatile RunOutcome outcome = new RunOutcome();
    /** While true, every answer sends the next order at once (the closed-loop throughput run). */
    volatile boolean closedLoop;
    private final SplittableRandom closedLoopRandom;

    Trader(final long seed)
    {
        closedLoopRandom = new SplittableRandom(seed);
    }

    /** Sends one order now, timed from {@code dueNs} and good till {@code dueNs + LIFETIME_NS}; any thread. */
    abstract void place(long dueNs, boolean buy, long price);

    /** Sends a random order, timed from {@code dueNs}. */
    final void placeRandom(final SplittableRandom random, final long dueNs)
    {
        place(dueNs, random.nextBoolean(), BenchExchange.MID + random.nextInt(-SPREAD_TICKS, SPREAD_TICKS + 1) * BenchExchange.TICK);
    }

    /** Called on the connection's event loop after each answer: the closed loop's next order. */
    final void answered(final long nowNs)
    {
        if (closedLoop)
        {
            outcome.sent();
            placeRandom(closedLoopRandom, nowNs);
        }
    }

    abstract void close();
}
