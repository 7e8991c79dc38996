package io.perpetua.core.journal;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest
{
    @TempDir
    Path dir;

    @Test
    void documentsRoundTripFromDirectAndHeapBuffersAndSurviveReopening()
    {
        final CommandEncoder encoder = new CommandEncoder();
        final UnsafeBuffer command = new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
        final byte[][] written = new byte[10][];
        try (Journal journal = Journal.open(dir); JournalAppender appender = journal.appender())
        {
            assertEquals(0, journal.lastSequence(), "empty journal");
            for (int i = 0; i < written.length; i++)
            {
                final int length = encoder.heartbeat(command, 0);
                CommandAdapter.stamp(command, 0, i + 1, 1_000L * i);
                written[i] = new byte[length];
                command.getBytes(0, written[i]);
                // Odd documents from a heap buffer at an offset, even ones straight from the direct buffer.
                if (i % 2 == 1)
                {
                    final UnsafeBuffer heap = new UnsafeBuffer(new byte[length + 7]);
                    heap.putBytes(7, written[i]);
                    appender.append(heap, 7, length);
                }
                else
                {
                    appender.append(command, 0, length);
                }
            }
            assertEquals(10, journal.lastSequence());
        }
        try (Journal journal = Journal.open(dir); JournalReader reader = journal.reader())
        {
            assertEquals(10, journal.lastSequence());
            for (int i = 0; i < written.length; i++)
            {
                assertTrue(reader.next());
                assertEquals(i + 1, reader.sequence());
                final byte[] read = new byte[reader.length()];
                reader.buffer().getBytes(0, read);
                assertArrayEquals(written[i], read);
            }
            assertFalse(reader.next());
        }
    }

    @Test
    void aTailerSeesDocumentsAppendedAfterItCaughtUp()
    {
        final CommandEncoder encoder = new CommandEncoder();
        final UnsafeBuffer command = new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
        try (Journal journal = Journal.open(dir);
            JournalAppender appender = journal.appender();
            JournalReader tailer = journal.reader())
        {
            assertFalse(tailer.next());
            final int length = encoder.heartbeat(command, 0);
            CommandAdapter.stamp(command, 0, 1, 1);
            appender.append(command, 0, length);
            assertTrue(tailer.next());
            assertEquals(1, tailer.sequence());
            assertFalse(tailer.next());
            assertTrue(tailer.readLast());
            assertEquals(1, tailer.sequence());
            assertFalse(tailer.next(), "readLast leaves the reader at the end");
        }
    }

    @Test
    void seekAfterFindsASequenceAcrossDailyFilesWithoutScanning()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        final CommandEncoder encoder = new CommandEncoder();
        final UnsafeBuffer command = new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
        final int[] perDay = {10, 5, 0, 7};
        long sequence = 0;
        try (Journal journal = Journal.open(dir, clock); JournalAppender appender = journal.appender())
        {
            for (final int documents : perDay)
            {
                for (int i = 0; i < documents; i++)
                {
                    final int length = encoder.heartbeat(command, 0);
                    sequence++;
                    CommandAdapter.stamp(command, 0, sequence, sequence);
                    appender.append(command, 0, length);
                }
                clock.advanceMillis(TimeUnit.DAYS.toMillis(1));
            }
        }
        try (Journal journal = Journal.open(dir, clock); JournalReader reader = journal.reader())
        {
            assertEquals(22, journal.lastSequence());
            for (long s = 0; s <= 22; s++)
            {
                assertTrue(reader.seekAfter(s), "seek after " + s);
                if (s < 22)
                {
                    assertTrue(reader.next());
                    assertEquals(s + 1, reader.sequence());
                }
                else
                {
                    assertFalse(reader.next());
                }
            }
            assertFalse(reader.seekAfter(23), "beyond the end");
            assertTrue(reader.next());
            assertEquals(1, reader.sequence(), "left at the start");
        }
    }

    @Test
    void onlyCompleteSnapshotFilesCount() throws IOException
    {
        final JournalLayout layout = new JournalLayout(dir);
        assertEquals(0, layout.snapshotSequences().length);
        Files.createDirectories(layout.snapshotsDir());
        for (final String name : new String[] {"snapshot-20.bin", "snapshot-3.bin", "snapshot-100.bin.tmp", "snapshot-.bin",
            "snapshot-x1.bin", "notes.txt"})
        {
            Files.writeString(layout.snapshotsDir().resolve(name), "x");
        }
        assertArrayEquals(new long[] {3, 20}, layout.snapshotSequences());
        assertEquals(layout.snapshotsDir().resolve("snapshot-20.bin"), layout.snapshotFile(20));
    }
}
