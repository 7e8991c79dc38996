package io.perpetua.node.bench;

import org.agrona.concurrent.EpochNanoClock;

/**
 * A sequencer clock for reproducible benchmark runs: the {@code n}-th reading is
 * {@code origin + n * step}. The sequencer reads the clock once per well-formed command, so command
 * {@code k} of a fresh pipeline is stamped {@code origin + k * step}, whatever the machine's speed.
 * Single-threaded, like the sequencer.
 */
public final class SteppingClock implements EpochNanoClock
{
    private final long step;
    private long now;

    public SteppingClock(final long origin, final long step)
    {
        this.now = origin;
        this.step = step;
    }

    @Override
    public long nanoTime()
    {
        now += step;
        return now;
    }
}
