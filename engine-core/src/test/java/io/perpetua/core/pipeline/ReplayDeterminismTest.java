package io.perpetua.core.pipeline;

import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalAppender;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.core.journal.Replayer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay determinism: a seeded random session's journal, replayed into a fresh engine, reproduces
 * the live state hash and the live events byte for byte; so does snapshot plus tail replay; and
 * tampering with the events journal is caught at the right sequence number. The seed is fresh each
 * run ({@code PERPETUA_SEED=N} fixes it); every failure message names it.
 */
class ReplayDeterminismTest
{
    private static final long SEED = TestSeeds.seed();
    private static final ErrorHandler FAIL = error ->
    {
        throw new AssertionError("unexpected error (seed " + SEED + ")", error);
    };

    @TempDir
    Path dir;

    @Test
    void replayFromScratchAndFromSnapshotReproducesTheLiveRun()
    {
        final int commands = 30_000;
        final LiveRun live = LiveRun.run(dir, SEED, commands, 4_000);
        final String seed = " (seed " + SEED + ")";
        assertEquals(commands, live.lastSequence, "every command sequenced" + seed);

        final Replayer.Result full = Replayer.replay(dir, Replayer::standardEngine, false, true, FAIL);
        assertTrue(full.eventsMatch(), full.mismatch() + " at " + full.mismatchSequence() + seed);
        assertEquals(0, full.snapshotSequence());
        assertEquals(commands, full.commandsReplayed());
        assertEquals(live.stateHash, full.stateHash(), "replayed state hash" + seed);
        assertEquals(live.lastSequence, full.lastSequence());

        final Replayer.Result tail = Replayer.replay(dir, Replayer::standardEngine, true, true, FAIL);
        assertTrue(tail.eventsMatch(), tail.mismatch() + " at " + tail.mismatchSequence() + seed);
        // The generator's command i (from 0) gets sequence i + 1; a snapshot is command 4000k.
        assertEquals(28_001, tail.snapshotSequence(), "starts from the latest snapshot" + seed);
        assertEquals(commands - 28_001, tail.commandsReplayed());
        assertEquals(live.stateHash, tail.stateHash(), "snapshot + tail state hash" + seed);

        // The journaled events are exactly the events the submitters received.
        int documents = 0;
        try (Journal events = Journal.open(new JournalLayout(dir).eventsDir()); JournalReader reader = events.reader())
        {
            while (reader.next())
            {
                final long sequence = reader.sequence();
                final byte[] journaled = new byte[reader.length()];
                reader.buffer().getBytes(0, journaled);
                assertArrayEquals(live.eventsBySequence[(int)sequence], journaled, "events of sequence " + sequence + seed);
                documents++;
            }
        }
        int nonEmpty = 0;
        for (int s = 1; s <= commands; s++)
        {
            assertNotNull(live.eventsBySequence[s], "no result for sequence " + s + seed);
            nonEmpty += live.eventsBySequence[s].length > 0 ? 1 : 0;
        }
        assertEquals(nonEmpty, documents, "one events document per command that emitted events" + seed);
        assertTrue(nonEmpty > commands * 9 / 10, "almost every command emits events" + seed);
        assertTrue(new JournalLayout(dir).snapshotSequences().length == 7, "snapshots at 4001..28001" + seed);
    }

    @Test
    void aChangedOrMissingEventIsReportedAtItsSequence() throws IOException
    {
        final Path original = dir.resolve("original");
        final LiveRun live = LiveRun.run(original, SEED, 3_000, 0);
        long first = 1_777;
        while (live.eventsBySequence[(int)first].length == 0)
        {
            first++;
        }
        final long target = first;

        final Path changed = dir.resolve("changed");
        copyWithEvents(original, changed, target, EventEdit.FLIP_LAST_BYTE);
        final Replayer.Result flipped = Replayer.replay(changed, Replayer::standardEngine, false, true, FAIL);
        assertEquals(target, flipped.mismatchSequence(), flipped.mismatch() + " (seed " + SEED + ")");
        assertEquals(target, flipped.lastSequence(), "replay stops at the difference");

        final Path missing = dir.resolve("missing");
        copyWithEvents(original, missing, target, EventEdit.DROP);
        final Replayer.Result dropped = Replayer.replay(missing, Replayer::standardEngine, false, true, FAIL);
        assertEquals(target, dropped.mismatchSequence(), dropped.mismatch() + " (seed " + SEED + ")");

        // Without verification the changed events do not matter: commands alone define the state.
        final Replayer.Result unverified = Replayer.replay(changed, Replayer::standardEngine, false, false, FAIL);
        assertTrue(unverified.eventsMatch());
        assertEquals(live.stateHash, unverified.stateHash());
    }

    @Test
    void recoveryAppendsTheEventsACrashLostAndSkipsSnapshotsBeyondThem() throws IOException
    {
        final Path original = dir.resolve("original");
        final LiveRun live = LiveRun.run(original, SEED, 6_000, 1_000);

        // As if the process died after journaling command 6000 with the events of 3500..6000 not yet journaled.
        final Path crashed = dir.resolve("crashed");
        copyWithEvents(original, crashed, 3_500, EventEdit.TRUNCATE);
        try (Journal commands = Journal.open(new JournalLayout(crashed).commandsDir()))
        {
            assertEquals(6_000, commands.lastSequence());
        }
        final Pipeline pipeline = Pipeline.start(new Pipeline.Context().journalDir(crashed).errorHandler(FAIL));
        try
        {
            assertEquals(6_000, pipeline.startSequence());
            long expected = 0;
            for (int s = 3_500; s <= 6_000; s++)
            {
                expected += live.eventsBySequence[s].length > 0 ? 1 : 0;
            }
            assertEquals(expected, pipeline.eventsAppendedOnRecovery(), "seed " + SEED);
        }
        finally
        {
            pipeline.close();
        }
        assertEquals(live.stateHash, pipeline.finalStateHash(), "seed " + SEED);

        final Replayer.Result verified = Replayer.replay(crashed, Replayer::standardEngine, false, true, FAIL);
        assertTrue(verified.eventsMatch(), verified.mismatch() + " at " + verified.mismatchSequence() + " seed " + SEED);
        assertEquals(live.stateHash, verified.stateHash());
        final Replayer.Result fromSnapshot = Replayer.replay(crashed, Replayer::standardEngine, true, true, FAIL);
        assertTrue(fromSnapshot.eventsMatch(), fromSnapshot.mismatch() + " seed " + SEED);
        assertEquals(5_001, fromSnapshot.snapshotSequence());
        assertEquals(live.stateHash, fromSnapshot.stateHash());
    }

    private enum EventEdit
    {
        FLIP_LAST_BYTE, DROP, TRUNCATE
    }

    /** Copies commands and snapshots, and rewrites the events journal with an edit at {@code target}. */
    private static void copyWithEvents(final Path from, final Path to, final long target, final EventEdit edit)
        throws IOException
    {
        final JournalLayout source = new JournalLayout(from);
        final JournalLayout copy = new JournalLayout(to);
        copyTree(source.commandsDir(), copy.commandsDir());
        copyTree(source.snapshotsDir(), copy.snapshotsDir());
        try (Journal events = Journal.open(source.eventsDir());
            JournalReader reader = events.reader();
            Journal edited = Journal.open(copy.eventsDir());
            JournalAppender appender = edited.appender())
        {
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1 << 16]);
            while (reader.next())
            {
                final long sequence = reader.sequence();
                if (sequence == target && edit == EventEdit.DROP || sequence >= target && edit == EventEdit.TRUNCATE)
                {
                    continue;
                }
                scratch.putBytes(0, reader.buffer(), 0, reader.length());
                if (sequence == target && edit == EventEdit.FLIP_LAST_BYTE)
                {
                    scratch.putByte(reader.length() - 1, (byte)(scratch.getByte(reader.length() - 1) ^ 1));
                }
                appender.append(scratch, 0, reader.length());
            }
            appender.commit();
        }
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        if (!Files.exists(from))
        {
            return;
        }
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from))
        {
            walk.forEach(files::add);
        }
        for (final Path file : files)
        {
            final Path target = to.resolve(from.relativize(file).toString());
            try
            {
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
