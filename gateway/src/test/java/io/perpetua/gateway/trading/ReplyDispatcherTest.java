package io.perpetua.gateway.trading;

import com.sun.management.ThreadMXBean;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core thread's side of the reply path copies into the ring and allocates nothing. */
class ReplyDispatcherTest
{
    private static final int BATCH = 10_000;

    @Test
    void repliesReachTheirReceiversInOrderAndTheCoreSideAllocatesNothing() throws Exception
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final UnsafeBuffer events = new UnsafeBuffer(new byte[120]);
        try (ReplyDispatcher dispatcher = new ReplyDispatcher(Throwable::printStackTrace))
        {
            long allocated = 0;
            for (int round = 0; round < 3; round++)
            {
                final CountDownLatch delivered = new CountDownLatch(BATCH);
                final AtomicLong lastSequence = new AtomicLong();
                final long base = (long)round * BATCH;
                for (int i = 0; i < BATCH; i++)
                {
                    final long expected = base + i;
                    dispatcher.expect(expected, (sequence, buffer, offset, length) ->
                    {
                        assertEquals(expected, sequence);
                        assertEquals(120, length);
                        assertEquals(expected, buffer.getLong(offset));
                        lastSequence.set(sequence);
                        delivered.countDown();
                    });
                }
                final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (int i = 0; i < BATCH; i++)
                {
                    events.putLong(0, base + i);
                    dispatcher.onResult(base + i, base + i, events, 0, events.capacity());
                }
                allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
                assertTrue(delivered.await(60, TimeUnit.SECONDS), "every reply delivered");
                assertEquals(base + BATCH - 1, lastSequence.get());
            }
            System.out.println("reply path: " + allocated + " bytes allocated by " + BATCH + " onResult calls after warm-up");
            assertTrue(allocated < BATCH, "the core side allocates nothing per reply: " + allocated + " bytes");
        }
    }
}
