package io.perpetua.bench.gateway;

import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule: request {@code k} of a run is due at {@code start + k / rate} and goes out
 * then (or as soon after as the sending thread gets there), whatever the answers to earlier ones.
 * Latency is measured from the due time, so a stalled exchange or client is charged for every
 * request that should have been sent during the stall (no coordinated omission). The thread parks
 * between due times instead of spinning, leaving the CPU to the exchange; requests that fell due
 * while it slept go out together, each still timed from its own due time.
 */
final class OpenLoop
{
    /** Sends request {@code index}, due at {@code dueNs} on the shared clock. */
    @FunctionalInterface
    interface Sender
    {
        void send(long index, long dueNs);
    }

    private OpenLoop()
    {
    }

    /** @return the number of requests sent: {@code rate * seconds} */
    static long run(final EpochNanoClock clock, final int ratePerSecond, final int seconds, final Sender sender)
    {
        final long total = (long)ratePerSecond * seconds;
        final long startNs = clock.nanoTime() + 1_000_000;
        long next = 0;
        while (next < total)
        {
            final long now = clock.nanoTime();
            long due = startNs + next * 1_000_000_000L / ratePerSecond;
            while (due <= now && next < total)
            {
                sender.send(next, due);
                next++;
                due = startNs + next * 1_000_000_000L / ratePerSecond;
            }
            if (next < total)
            {
                LockSupport.parkNanos(due - clock.nanoTime());
            }
        }
        return total;
    }
}
