package io.perpetua.risk.view;

import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalReader;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread that follows a journal from its start (or from after a given sequence) and hands every
 * entry (in the events journal, one command's events) to a consumer, as a journal tailer in another
 * process would. {@link #close} reads what is left of the journal, then stops.
 */
public final class JournalTailer implements AutoCloseable
{
    /** Receives each entry on the tailer's thread. */
    public interface Consumer
    {
        void onDocument(DirectBuffer buffer, int offset, int length);

        /** Called after entries were read, when the journal has no more for now. */
        default void onCaughtUp()
        {
        }
    }

    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable failure;

    public JournalTailer(final String name, final Path journalDir, final Consumer consumer)
    {
        this(name, journalDir, 0, consumer);
    }

    /**
     * @param startAfterSequence the consumer already has every entry up to this sequence (0: none);
     *                           the journal must reach it, or the tailer fails
     */
    public JournalTailer(final String name, final Path journalDir, final long startAfterSequence, final Consumer consumer)
    {
        thread = new Thread(() -> run(journalDir, startAfterSequence, consumer), name);
        thread.setDaemon(true);
    }

    public JournalTailer start()
    {
        thread.start();
        return this;
    }

    /** What stopped the tailer early, or null. */
    public Throwable failure()
    {
        return failure;
    }

    private void run(final Path journalDir, final long startAfterSequence, final Consumer consumer)
    {
        try (Journal journal = Journal.open(journalDir); JournalReader reader = journal.reader())
        {
            if (startAfterSequence > 0 && !reader.seekAfter(startAfterSequence))
            {
                throw new IllegalStateException(journalDir + " ends before sequence " + startAfterSequence +
                    ", which its reader had already read");
            }
            while (true)
            {
                final boolean lastPass = closing;
                int read = 0;
                while (reader.next())
                {
                    consumer.onDocument(reader.buffer(), 0, reader.length());
                    read++;
                }
                if (read > 0)
                {
                    consumer.onCaughtUp();
                }
                if (lastPass)
                {
                    return;
                }
                if (read == 0)
                {
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
        }
    }

    /** Reads to the end of the journal as it is now, then stops the thread (waits up to a minute). */
    public void close()
    {
        closing = true;
        try
        {
            thread.join(60_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
