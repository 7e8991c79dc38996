package io.perpetua.gateway.marketdata;

import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalReader;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Tails the events journal from its first entry on its own thread and feeds every entry (one
 * command's events) to its consumers, in order. It reads the journal files, not the engine, so it could as well run in
 * another process than the core. A consumer that throws stops the tailer (its view would be wrong
 * from then on); {@link #failure()} tells why.
 */
public final class EventsTailer implements AutoCloseable
{
    private final Path eventsDir;
    private final List<JournalConsumer> consumers;
    private final ErrorHandler errorHandler;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public EventsTailer(final Path eventsDir, final List<JournalConsumer> consumers, final ErrorHandler errorHandler)
    {
        this.eventsDir = Objects.requireNonNull(eventsDir);
        this.consumers = List.copyOf(consumers);
        this.errorHandler = Objects.requireNonNull(errorHandler);
        this.thread = new Thread(this::run, "perpetua-events-tailer");
        thread.setDaemon(true);
    }

    public EventsTailer start()
    {
        thread.start();
        return this;
    }

    public Throwable failure()
    {
        return failure;
    }

    private void run()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(1));
        try (Journal events = Journal.open(eventsDir); JournalReader reader = events.reader())
        {
            boolean caughtUp = false;
            while (running)
            {
                if (reader.next())
                {
                    for (final JournalConsumer consumer : consumers)
                    {
                        consumer.onDocument(reader.buffer(), 0, reader.length());
                    }
                    caughtUp = false;
                    idle.reset();
                    continue;
                }
                if (!caughtUp)
                {
                    for (final JournalConsumer consumer : consumers)
                    {
                        consumer.onCaughtUp();
                    }
                    caughtUp = true;
                }
                idle.idle();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
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
