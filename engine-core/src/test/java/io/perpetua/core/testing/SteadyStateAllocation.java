package io.perpetua.core.testing;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;

/**
 * Measures the bytes a warmed-up workload allocates on the calling thread, phase after phase,
 * until one phase allocates nothing.
 *
 * <p>Why not one phase: the JVM charges one-off bytes to whichever thread happens to cross a JIT
 * event. A thread that requests a C2 compilation resolves every string constant of the method's
 * class on the spot (an SBE codec's unused {@code toString} labels, for instance), and a
 * deoptimisation re-materialises scalar-replaced objects. On a loaded machine these arrive late and
 * scattered (a shared test JVM whose earlier tests shaped the type profiles makes it worse); once
 * compilation settles they stop. An allocation on the measured path recurs in every phase, so no
 * phase comes out clean and the check fails.
 */
public final class SteadyStateAllocation
{
    /** Phases to try before concluding that the workload allocates. */
    public static final int MAX_PHASES = 10;

    private final long[] bytes;

    private SteadyStateAllocation(final long[] bytes)
    {
        this.bytes = bytes;
    }

    /**
     * Runs {@code phase} (given its index from 0) until it allocates nothing on this thread, at most
     * {@link #MAX_PHASES} times.
     */
    public static SteadyStateAllocation measure(final IntConsumer phase)
    {
        final com.sun.management.ThreadMXBean threads = threads();
        final long threadId = Thread.currentThread().getId();
        final long probe = threads.getThreadAllocatedBytes(threadId);
        final long overhead = threads.getThreadAllocatedBytes(threadId) - probe;
        return untilZero(index ->
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            phase.accept(index);
            return threads.getThreadAllocatedBytes(threadId) - before - overhead;
        });
    }

    /**
     * Runs {@code phase} (given its index from 0), which measures its own allocation and returns it,
     * until it returns 0, at most {@link #MAX_PHASES} times.
     */
    public static SteadyStateAllocation untilZero(final IntToLongFunction phase)
    {
        final long[] bytes = new long[MAX_PHASES];
        int phases = 0;
        while (phases < MAX_PHASES)
        {
            bytes[phases] = phase.applyAsLong(phases);
            if (bytes[phases++] <= 0)
            {
                break;
            }
        }
        return new SteadyStateAllocation(Arrays.copyOf(bytes, phases));
    }

    /** The JVM's per-thread allocation counter, switched on. */
    public static com.sun.management.ThreadMXBean threads()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported())
        {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }

    /** True if the last phase allocated nothing. */
    public boolean reachedZero()
    {
        return bytes[bytes.length - 1] <= 0;
    }

    /** How many phases ran. */
    public int phases()
    {
        return bytes.length;
    }

    @Override
    public String toString()
    {
        return "bytes allocated per phase " + Arrays.toString(bytes) +
            (reachedZero() ? "" : " (none of " + MAX_PHASES + " phases allocated nothing)");
    }
}
