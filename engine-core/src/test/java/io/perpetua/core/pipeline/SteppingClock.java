package io.perpetua.core.pipeline;

import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.atomic.AtomicLong;

/** A controlled sequencer clock: each read advances by a fixed step, so timestamps are reproducible. */
final class SteppingClock implements EpochNanoClock
{
    private final AtomicLong nowNs;
    private final long stepNs;

    SteppingClock(final long startNs, final long stepNs)
    {
        this.nowNs = new AtomicLong(startNs);
        this.stepNs = stepNs;
    }

    @Override
    public long nanoTime()
    {
        return nowNs.addAndGet(stepNs);
    }
}
