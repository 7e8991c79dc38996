package io.perpetua.core.journal;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.event.EventPublisher;
import org.agrona.ErrorHandler;

import java.util.function.Supplier;

/**
 * Rebuilds the engine a pipeline continues from: the latest usable snapshot plus a replay of the
 * later commands in the commands journal.
 *
 * <p>A process can die between journaling a command and journaling its events, so the events
 * journal may end before the commands journal. Recovery re-derives the missing events from the
 * replayed commands (determinism makes them identical to what the live engine produced) and appends
 * them, so afterwards both journals cover the same sequence numbers. Snapshots newer than the
 * events journal are skipped for that reason, and snapshot files a crash prevented are written.
 */
public final class Recovery
{
    private Recovery()
    {
    }

    /**
     * What recovery found and did.
     *
     * @param engine           the recovered engine, owned by the caller's thread until handed on
     * @param snapshotSequence sequence of the snapshot it started from, 0 if none
     * @param lastSequence     last command applied: the pipeline continues after it
     * @param lastTimestampNs  timestamp of that command: the sequencer's clock never goes below it
     * @param commandsReplayed commands applied on top of the snapshot
     * @param eventsAppended   commands whose missing events were appended to the events journal
     * @param lastSequenceWithEvents the last command whose events the events journal holds (commands
     *                         without events, such as a heartbeat, leave no entry there)
     */
    public record Result(
        MatchingEngine engine,
        long snapshotSequence,
        long lastSequence,
        long lastTimestampNs,
        long commandsReplayed,
        long eventsAppended,
        long lastSequenceWithEvents)
    {
    }

    /**
     * Recovers from the journals under {@code layout}, which the caller has opened.
     *
     * @throws IllegalStateException if the commands journal skips a sequence number
     */
    public static Result recover(
        final JournalLayout layout,
        final Journal commands,
        final Journal events,
        final Supplier<MatchingEngine> engineFactory,
        final ErrorHandler errorHandler)
    {
        final long lastEventSequence = events.lastSequence();
        final SnapshotStore.Restored restored =
            SnapshotStore.restoreLatest(layout, engineFactory, lastEventSequence, errorHandler);
        final MatchingEngine engine = restored.engine();
        engine.snapshotListener(new SnapshotStore(layout, errorHandler).skipExisting(true));
        final CommandAdapter adapter = new CommandAdapter(engine);
        final EventPublisher publisher = engine.events();

        long replayed = 0;
        long appended = 0;
        long lastWithEvents = lastEventSequence;
        try (JournalReader reader = commands.reader();
            JournalAppender eventsAppender = events.appender())
        {
            reader.seekAfter(restored.snapshotSequence());
            while (reader.next())
            {
                final long sequence = reader.sequence();
                if (sequence <= restored.snapshotSequence())
                {
                    continue;
                }
                requireNext(engine, sequence);
                adapter.apply(reader.buffer(), 0, reader.length());
                replayed++;
                if (sequence > lastEventSequence && publisher.length() > 0)
                {
                    eventsAppender.append(publisher.buffer(), 0, publisher.length());
                    appended++;
                    lastWithEvents = sequence;
                }
            }
            eventsAppender.commit();
        }
        return new Result(
            engine, restored.snapshotSequence(), engine.lastSequence(), engine.nowNs(), replayed, appended, lastWithEvents);
    }

    static void requireNext(final MatchingEngine engine, final long sequence)
    {
        if (sequence != engine.lastSequence() + 1)
        {
            throw new IllegalStateException(
                "commands journal jumps from sequence " + engine.lastSequence() + " to " + sequence);
        }
    }
}
