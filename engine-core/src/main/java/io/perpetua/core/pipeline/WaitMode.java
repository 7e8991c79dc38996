package io.perpetua.core.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How the pipeline's threads wait for work: blocking keeps a 2-core machine usable, yielding trades
 * CPU for latency, busy-spin is for benchmarks on dedicated cores.
 */
public enum WaitMode
{
    /** Park on a lock and condition until signalled. */
    BLOCKING,
    /** Spin briefly, then {@link Thread#yield()}. */
    YIELDING,
    /** Spin on the sequence: lowest latency, one full core per thread. */
    BUSY_SPIN;

    /** A new Disruptor wait strategy of this kind (benchmarks build their ceiling rings with it). */
    public WaitStrategy newStrategy()
    {
        switch (this)
        {
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            case BLOCKING:
            default:
                return new BlockingWaitStrategy();
        }
    }
}
