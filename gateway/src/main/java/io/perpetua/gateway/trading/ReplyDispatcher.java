package io.perpetua.gateway.trading;

import io.perpetua.core.pipeline.ResultListener;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Carries the core's replies away from the core thread. The pipeline calls {@link #onResult} on the
 * core thread, which only copies the reply into a pre-allocated ring (no allocation, no JSON, no
 * locks); the dispatcher thread reads it, finds the waiting request and lets the request's session
 * turn it into JSON and write it on its own event loop.
 *
 * <p>If the ring is ever full the reply is copied to an overflow queue instead (allocating, but
 * never blocking the core or losing a reply); replies keep their order.
 */
final class ReplyDispatcher implements ResultListener, AutoCloseable
{
    static final int RING_BYTES = 1 << 22;
    private static final int REPLY = 1;
    private static final int HEADER = 2 * Long.BYTES;

    /** Called on the dispatcher thread with a reply; the buffer is valid only during the call. */
    interface Receiver
    {
        void onReply(long sequence, DirectBuffer events, int offset, int length);
    }

    private record Overflow(long correlationId, long sequence, byte[] events)
    {
    }

    private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    private final Queue<Overflow> overflow = new ConcurrentLinkedQueue<>();
    private final Map<Long, Receiver> waiting = new ConcurrentHashMap<>();
    private final ErrorHandler errorHandler;
    private final Thread thread;
    private volatile boolean running = true;

    ReplyDispatcher(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        this.thread = new Thread(this::run, "perpetua-gateway-replies");
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers who receives the reply to {@code correlationId} (before publishing the command). */
    void expect(final long correlationId, final Receiver receiver)
    {
        waiting.put(correlationId, receiver);
    }

    /** Forgets a registration whose command was not published. */
    void cancel(final long correlationId)
    {
        waiting.remove(correlationId);
    }

    @Override
    public void onResult(
        final long correlationId, final long sequence, final DirectBuffer events, final int offset, final int length)
    {
        if (overflow.isEmpty())
        {
            final int index = ring.tryClaim(REPLY, HEADER + length);
            if (index > 0)
            {
                final var buffer = ring.buffer();
                buffer.putLong(index, correlationId);
                buffer.putLong(index + Long.BYTES, sequence);
                buffer.putBytes(index + HEADER, events, offset, length);
                ring.commit(index);
                return;
            }
        }
        final byte[] copy = new byte[length];
        events.getBytes(offset, copy);
        overflow.add(new Overflow(correlationId, sequence, copy));
    }

    private void run()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(1));
        final UnsafeBuffer overflowBuffer = new UnsafeBuffer(new byte[0]);
        while (running)
        {
            int work = ring.read((type, buffer, index, length) ->
                deliver(buffer.getLong(index), buffer.getLong(index + Long.BYTES), buffer, index + HEADER, length - HEADER));
            Overflow spilled;
            while ((spilled = overflow.poll()) != null)
            {
                overflowBuffer.wrap(spilled.events());
                deliver(spilled.correlationId(), spilled.sequence(), overflowBuffer, 0, spilled.events().length);
                work++;
            }
            idle.idle(work);
        }
    }

    private void deliver(final long correlationId, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final Receiver receiver = waiting.remove(correlationId);
        if (receiver == null)
        {
            return;
        }
        try
        {
            receiver.onReply(sequence, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
