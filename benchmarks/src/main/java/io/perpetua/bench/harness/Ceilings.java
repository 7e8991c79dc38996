package io.perpetua.bench.harness;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalAppender;
import io.perpetua.core.pipeline.CommandSlot;
import io.perpetua.core.pipeline.WaitMode;
import io.perpetua.node.bench.EncodedStream;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
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
     * The timed commands through a no-op ring of the pipeline's own slots: the publisher copies each
     * command into a slot as {@code Pipeline.tryPublish} does; the first stage stamps a sequence
     * number into it as the sequencer does (with the ring sequence for the time: the ceiling reads
     * no clock), the second (or, single-stage, the same one) counts it.
     */
    public static Rate noOpRing(final EncodedStream stream, final WaitMode waitMode, final boolean singleStage,
        final int ringSize)
    {
        final Disruptor<CommandSlot> disruptor = new Disruptor<>(CommandSlot.factory(ringSize), ringSize, runnable ->
        {
            final Thread thread = new Thread(runnable, "perpetua-ceiling");
            thread.setDaemon(true);
            return thread;
        }, ProducerType.MULTI, waitMode.newStrategy());
        final AtomicLong consumed = new AtomicLong();
        final AtomicLong lastNs = new AtomicLong();
        final long[] sequence = {0};
        final EventHandler<CommandSlot> number =
            (slot, ringSequence, endOfBatch) -> CommandAdapter.stamp(slot.buffer(), 0, ++sequence[0], ringSequence);
        final EventHandler<CommandSlot> count = (slot, ringSequence, endOfBatch) ->
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
        final RingBuffer<CommandSlot> ring = disruptor.start();
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
                ring.get(ringSequence).bufferFor(length).putBytes(0, buffer, offset, length);
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
