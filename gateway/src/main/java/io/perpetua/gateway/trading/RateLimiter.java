package io.perpetua.gateway.trading;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-API-key token buckets for the commands a key submits: {@code burst} tokens, refilled at
 * {@code perSecond}. Kept as the generic cell rate algorithm (one "theoretical arrival time" per
 * key, integer nanoseconds), which admits exactly what a token bucket of that size and rate does.
 * Requests over the limit are answered {@code RATE_LIMITED} and reach nothing.
 */
public final class RateLimiter
{
    private static final long NS_PER_SECOND = 1_000_000_000L;

    private final long intervalNs;
    private final long toleranceNs;
    private final LongSupplier clockNs;
    private final Map<String, long[]> arrivals = new ConcurrentHashMap<>();

    /**
     * @param perSecond sustained commands per second per key (1 to 1,000,000,000)
     * @param burst     commands a key may send at once after being idle (>= 1)
     * @param clockNs   a monotonic clock in nanoseconds (the gateway's own time; never business logic)
     */
    public RateLimiter(final int perSecond, final int burst, final LongSupplier clockNs)
    {
        check(perSecond, burst);
        this.intervalNs = NS_PER_SECOND / perSecond;
        this.toleranceNs = intervalNs * (burst - 1);
        this.clockNs = clockNs;
    }

    /** @throws IllegalArgumentException for a rate or burst below 1 */
    public static void check(final int perSecond, final int burst)
    {
        if (perSecond < 1)
        {
            throw new IllegalArgumentException("rate limit must be >= 1 command per second: " + perSecond);
        }
        if (burst < 1)
        {
            throw new IllegalArgumentException("rate limit burst must be >= 1: " + burst);
        }
    }

    /** Takes a token of {@code key}'s bucket; false (and nothing taken) if the bucket is empty. */
    public boolean tryAcquire(final String key)
    {
        final long[] arrival = arrivals.computeIfAbsent(key, k -> new long[] {Long.MIN_VALUE});
        synchronized (arrival)
        {
            final long now = clockNs.getAsLong();
            final long theoretical = arrival[0] == Long.MIN_VALUE ? now : Math.max(arrival[0], now);
            if (theoretical - now > toleranceNs)
            {
                return false;
            }
            arrival[0] = theoretical + intervalNs;
            return true;
        }
    }
}
