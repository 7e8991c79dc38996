package io.perpetua.core.journal;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Rebuilds state from a journal directory without changing it: the operator's check that the
 * journal reproduces the live state ({@code perpetua replay}), and the tests' check of determinism.
 *
 * <p>With event verification, every command's replayed events are compared byte for byte with the
 * events journal; the first sequence number where they differ (or where one side has events and the
 * other none) is reported and the replay stops there.
 */
public final class Replayer
{
    private Replayer()
    {
    }

    /**
     * The outcome of a replay.
     *
     * @param stateHash        state hash after the last command replayed
     * @param lastSequence     last command replayed (or the snapshot's, if nothing followed it)
     * @param snapshotSequence snapshot the replay started from, 0 if none
     * @param commandsReplayed commands applied
     * @param mismatchSequence first sequence whose events differ, 0 if none (or not verified)
     * @param mismatch         what differs there, null if nothing
     */
    public record Result(
        long stateHash,
        long lastSequence,
        long snapshotSequence,
        long commandsReplayed,
        long mismatchSequence,
        String mismatch)
    {
        public boolean eventsMatch()
        {
            return mismatch == null;
        }
    }

    /** The engine configuration the node runs: default sizing and the order-limits gate. */
    public static MatchingEngine standardEngine()
    {
        return new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate(), new EventPublisher());
    }

    /**
     * Replays the journal under {@code root}.
     *
     * @param fromSnapshot start from the latest usable snapshot instead of an empty state
     * @param verifyEvents compare replayed events with the events journal
     * @throws IllegalArgumentException if {@code root} holds no commands journal
     * @throws IllegalStateException    if the commands journal skips a sequence number
     */
    public static Result replay(
        final Path root,
        final Supplier<MatchingEngine> engineFactory,
        final boolean fromSnapshot,
        final boolean verifyEvents,
        final ErrorHandler errorHandler)
    {
        final JournalLayout layout = new JournalLayout(root);
        if (!layout.hasCommandsJournal())
        {
            throw new IllegalArgumentException("no commands journal under " + layout.root());
        }
        try (Journal commands = Journal.open(layout.commandsDir());
            Journal events = verifyEvents ? Journal.open(layout.eventsDir()) : null)
        {
            final SnapshotStore.Restored restored = fromSnapshot ?
                SnapshotStore.restoreLatest(layout, engineFactory, commands.lastSequence(), errorHandler) :
                new SnapshotStore.Restored(engineFactory.get(), 0);
            return replay(restored, commands, events);
        }
    }

    private static Result replay(final SnapshotStore.Restored restored, final Journal commands, final Journal events)
    {
        final MatchingEngine engine = restored.engine();
        final long startSequence = restored.snapshotSequence();
        final CommandAdapter adapter = new CommandAdapter(engine);
        final EventPublisher publisher = engine.events();
        long replayed = 0;
        try (JournalReader commandReader = commands.reader();
            JournalReader eventReader = events != null ? events.reader() : null)
        {
            boolean pending = eventReader != null && nextAfter(eventReader, startSequence);
            commandReader.seekAfter(startSequence);
            while (commandReader.next())
            {
                final long sequence = commandReader.sequence();
                if (sequence <= startSequence)
                {
                    continue;
                }
                Recovery.requireNext(engine, sequence);
                adapter.apply(commandReader.buffer(), 0, commandReader.length());
                replayed++;
                if (eventReader == null)
                {
                    continue;
                }
                if (pending && eventReader.sequence() < sequence)
                {
                    return mismatch(engine, startSequence, replayed, eventReader.sequence(),
                        "events journal holds events for sequence " + eventReader.sequence() + " but replay emitted none");
                }
                if (pending && eventReader.sequence() == sequence)
                {
                    if (!equal(publisher.buffer(), publisher.length(), eventReader.buffer(), eventReader.length()))
                    {
                        return mismatch(engine, startSequence, replayed, sequence, publisher.length() == 0 ?
                            "events journal holds events for sequence " + sequence + " but replay emitted none" :
                            "replayed events differ from the journaled events (" + publisher.length() + " vs " +
                            eventReader.length() + " bytes)");
                    }
                    pending = eventReader.next();
                }
                else if (publisher.length() > 0)
                {
                    return mismatch(engine, startSequence, replayed, sequence,
                        "replay emitted " + publisher.eventCount() + " events the events journal lacks");
                }
            }
            if (pending)
            {
                return mismatch(engine, startSequence, replayed, eventReader.sequence(),
                    "events journal holds events for sequence " + eventReader.sequence() +
                    " after the last command of the commands journal");
            }
        }
        return new Result(engine.stateHash(), engine.lastSequence(), startSequence, replayed, 0, null);
    }

    /** Moves to the first entry after {@code sequence}; false if there is none. */
    private static boolean nextAfter(final JournalReader reader, final long sequence)
    {
        reader.seekAfter(sequence);
        return reader.next();
    }

    private static Result mismatch(
        final MatchingEngine engine, final long startSequence, final long replayed, final long sequence, final String what)
    {
        return new Result(engine.stateHash(), engine.lastSequence(), startSequence, replayed, sequence, what);
    }

    private static boolean equal(final DirectBuffer a, final int aLength, final DirectBuffer b, final int bLength)
    {
        return aLength == bLength && bytesEqual(a, b, aLength);
    }

    private static boolean bytesEqual(final DirectBuffer a, final DirectBuffer b, final int length)
    {
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (a.getLong(i) != b.getLong(i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (a.getByte(i) != b.getByte(i))
            {
                return false;
            }
        }
        return true;
    }
}
