package io.perpetua.core.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

import java.nio.file.Path;

/**
 * One Chronicle queue of SBE messages: the {@code commands} journal (one entry per stamped command)
 * or the {@code events} journal (one entry per command that emitted events, holding all of that
 * command's events back to back). Entries are grouped into documents, one or more per ring batch
 * ({@link JournalFormat}).
 *
 * <p>Documents are raw bytes, not Chronicle wire: every reader decodes the entries with the journal
 * SBE schema, and every message starts with the sequence number of its command, so either journal
 * can be positioned and cross-checked by sequence. The queue is memory-mapped, so a committed
 * document survives the death of the writing process (not of the machine).
 */
public final class Journal implements AutoCloseable
{
    /**
     * Daily files with room for 2^37 documents each: a busy exchange never runs out of indices
     * within a cycle, and operators can archive one file per day.
     */
    public static final RollCycle ROLL_CYCLE = LargeRollCycles.LARGE_DAILY;

    private final Path directory;
    private final SingleChronicleQueue queue;

    private Journal(final Path directory, final SingleChronicleQueue queue)
    {
        this.directory = directory;
        this.queue = queue;
    }

    /** Opens (creating if needed) the queue in {@code directory}. */
    public static Journal open(final Path directory)
    {
        return open(directory, SystemTimeProvider.INSTANCE);
    }

    /** Opens the queue with the clock that decides its file cycles (tests write several days at once). */
    static Journal open(final Path directory, final TimeProvider cycleClock)
    {
        final SingleChronicleQueue queue = ChronicleQueue.singleBuilder(directory)
            .rollCycle(ROLL_CYCLE)
            .timeProvider(cycleClock)
            .build();
        return new Journal(directory, queue);
    }

    /** The Chronicle queue, for tests that write what the appender never would (torn or foreign documents). */
    SingleChronicleQueue queue()
    {
        return queue;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * A new appender. Appenders are single-threaded: create it on the thread that appends and close
     * it there.
     */
    public JournalAppender appender()
    {
        return appender(JournalFormat.DEFAULT_MAX_DOCUMENT_BYTES);
    }

    /** A new appender whose documents hold at most {@code maxDocumentBytes} (unless one entry is larger). */
    public JournalAppender appender(final int maxDocumentBytes)
    {
        return new JournalAppender(queue.createAppender(), directory, maxDocumentBytes,
            (int)Math.min(Integer.MAX_VALUE, queue.overlapSize()));
    }

    /** A new reader positioned before the first entry of the journal. */
    public JournalReader reader()
    {
        return new JournalReader(queue, directory, queue.createTailer());
    }

    /** Sequence number of the last entry, or 0 if the journal is empty. */
    public long lastSequence()
    {
        try (JournalReader reader = reader())
        {
            return reader.readLast() ? reader.sequence() : 0;
        }
    }

    @Override
    public void close()
    {
        queue.close();
    }

    @Override
    public String toString()
    {
        return "Journal(" + directory + ")";
    }
}
