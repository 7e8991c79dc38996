package io.perpetua.bench.harness;

import com.lmax.disruptor.EventFactory;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalAppender;
import io.perpetua.core.pipeline.WaitMode;
import io.perpetua.node.bench.EncodedStream;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the pipeline could reach if the engine and the journals cost nothing: the same ring, slot
 * size, producer type and wait strategy with stages that do nothing; and what the journal alone
 * reaches appending the same commands from one thread, one Chronicle document each and many per
 * document.
 */
public final class Ceilings
{
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(10);

    private Ceilings()
    {
    }

    /** A result: how many commands went through, and how long it took. */
    public record Rate(long commands, long elapsedNs)
    {
        public double commandsPerSecond()
        {
            return commands * 1e9 / elapsedNs;
        }
    }

    /**
     * A slot shaped like the pipeline's: the command's bytes in the ring's contiguous block,
     * {@link #INLINE_LENGTH} bytes a slot, or in a second block if longer; and its fields.
     */
    private static final class Slot
    {
        static final int INLINE_LENGTH = 128;
        private final UnsafeBuffer inline;
        private final UnsafeBuffer overflow;
        UnsafeBuffer buffer;
        int length;
        long correlationId;
        long sequence;

        Slot(final UnsafeBuffer inline, final UnsafeBuffer overflow)
        {
            this.inline = inline;
            this.overflow = overflow;
            this.buffer = inline;
        }

        UnsafeBuffer bufferFor(final int length)
        {
            buffer = length <= INLINE_LENGTH ? inline : overflow;
            return buffer;
        }

        static EventFactory<Slot> factory(final int ringSize)
        {
            final ByteBuffer inlineBlock = BufferUtil.allocateDirectAligned(ringSize * INLINE_LENGTH, 4096);
            final ByteBuffer overflowBlock =
                BufferUtil.allocateDirectAligned(ringSize * CommandAdapter.MAX_COMMAND_LENGTH, 4096);
            final int[] next = {0};
            return () ->
            {
                final int index = next[0]++;
                return new Slot(new UnsafeBuffer(inlineBlock, index * INLINE_LENGTH, INLINE_LENGTH), new UnsafeBuffer(
                    overflowBlock, index * CommandAdapter.MAX_COMMAND_LENGTH, CommandAdapter.MAX_COMMAND_LENGTH));
            };
        }
    }

    /**
     * The timed commands through a no-op ring: the publisher copies each command into a slot as
     * {@code Pipeline.tryPublish} does; the first stage numbers it, the second (or, single-stage,
     * the same one) counts it.
     */
    public static Rate noOpRing(final EncodedStream stream, final WaitMode waitMode, final boolean singleStage,
        final int ringSize)
    {
        final Disruptor<Slot> disruptor = new Disruptor<>(Slot.factory(ringSize), ringSize, runnable ->
        {
            final Thread thread = new Thread(runnable, "perpetua-ceiling");
            thread.setDaemon(true);
            return thread;
        }, ProducerType.MULTI, waitMode.newStrategy());
        final AtomicLong consumed = new AtomicLong();
        final AtomicLong lastNs = new AtomicLong();
        final long[] sequence = {0};
        final EventHandler<Slot> number = (slot, ringSequence, endOfBatch) -> slot.sequence = ++sequence[0];
        final EventHandler<Slot> count = (slot, ringSequence, endOfBatch) ->
        {
            lastNs.lazySet(System.nanoTime());
            consumed.lazySet(consumed.get() + 1);
        };
        if (singleStage)
        {
            disruptor.handleEventsWith((slot, ringSequence, endOfBatch) ->
            {
                number.onEvent(slot, ringSequence, endOfBatch);
                count.onEvent(slot, ringSequence, endOfBatch);
            });
        }
        else
        {
            disruptor.handleEventsWith(number).then(count);
        }
        final RingBuffer<Slot> ring = disruptor.start();
        try
        {
            final MutableDirectBuffer buffer = stream.buffer();
            final long startNs = System.nanoTime();
            int position = stream.prefillEnd();
            while (position < stream.end())
            {
                final int length = buffer.getInt(position);
                final int offset = position + Integer.BYTES;
                long ringSequence;
                while (true)
                {
                    try
                    {
                        ringSequence = ring.tryNext();
                        break;
                    }
                    catch (final InsufficientCapacityException ex)
                    {
                        Thread.onSpinWait();
                    }
                }
                final Slot slot = ring.get(ringSequence);
                slot.bufferFor(length).putBytes(0, buffer, offset, length);
                slot.length = length;
                slot.correlationId = ringSequence;
                ring.publish(ringSequence);
                position = offset + length;
            }
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            while (consumed.get() < stream.timedCount())
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("no-op ring stalled at " + consumed.get());
                }
                Thread.yield();
            }
            return new Rate(consumed.get(), lastNs.get() - startNs);
        }
        finally
        {
            disruptor.halt();
        }
    }

    /**
     * The timed commands appended to a fresh journal on the calling thread, committing a document
     * every {@code entriesPerDocument} commands (1: one Chronicle document per command, the cost per
     * message; {@link Integer#MAX_VALUE}: documents filled to the journal's size bound, as the
     * pipeline's journals are under a backlog).
     */
    public static Rate rawChronicle(final EncodedStream stream, final int entriesPerDocument) throws IOException
    {
        final Path dir = Files.createTempDirectory("perpetua-ceiling-");
        try (Journal journal = Journal.open(dir); JournalAppender appender = journal.appender())
        {
            final MutableDirectBuffer buffer = stream.buffer();
            long appended = 0;
            final long startNs = System.nanoTime();
            int position = stream.prefillEnd();
            while (position < stream.end())
            {
                final int length = buffer.getInt(position);
                appender.append(buffer, position + Integer.BYTES, length);
                position += Integer.BYTES + length;
                appended++;
                if (appender.pendingEntries() >= entriesPerDocument)
                {
                    appender.commit();
                }
            }
            appender.commit();
            return new Rate(appended, System.nanoTime() - startNs);
        }
        finally
        {
            StreamRunner.deleteRecursively(dir);
        }
    }
}
