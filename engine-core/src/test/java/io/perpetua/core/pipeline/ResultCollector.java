package io.perpetua.core.pipeline;

import org.agrona.DirectBuffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Keeps a copy of every result by correlation id; tests await a count with a deadline. */
final class ResultCollector implements ResultListener
{
    /** A copied result. */
    record Result(long correlationId, long sequence, byte[] events, String thread)
    {
    }

    private final Map<Long, Result> results = new ConcurrentHashMap<>();

    @Override
    public void onResult(final long correlationId, final long sequence, final DirectBuffer events, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        events.getBytes(offset, copy);
        results.put(correlationId, new Result(correlationId, sequence, copy, Thread.currentThread().getName()));
    }

    Result get(final long correlationId)
    {
        return results.get(correlationId);
    }

    int size()
    {
        return results.size();
    }

    Map<Long, Result> all()
    {
        return results;
    }

    /** Waits until at least {@code count} results arrived; fails after {@code timeoutSeconds}. */
    void await(final int count, final long timeoutSeconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (results.size() < count)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("only " + results.size() + " of " + count + " results within " + timeoutSeconds + "s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Publishes, retrying while the ring is busy, until published or the deadline passes. */
    static PublishResult publish(
        final Pipeline pipeline, final DirectBuffer buffer, final int length, final ResultListener listener, final long correlationId)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            final PublishResult result = pipeline.tryPublish(buffer, 0, length, listener, correlationId);
            if (result != PublishResult.BUSY)
            {
                return result;
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("ring stayed full for 60s");
            }
            Thread.yield();
        }
    }
}
