package io.perpetua.core.journal;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest
{
    @TempDir
    Path dir;

    private final CommandEncoder encoder = new CommandEncoder();
    private final UnsafeBuffer command = new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));

    /** A heartbeat stamped with {@code sequence} in {@link #command}; returns its length. */
    private int heartbeat(final long sequence)
    {
        final int length = encoder.heartbeat(command, 0);
        CommandAdapter.stamp(command, 0, sequence, 1_000L * sequence);
        return length;
    }

    @Test
    void entriesRoundTripFromDirectAndHeapBuffersInBatchDocumentsAndSurviveReopening()
    {
        final byte[][] written = new byte[10][];
        try (Journal journal = Journal.open(dir); JournalAppender appender = journal.appender())
        {
            assertEquals(0, journal.lastSequence(), "empty journal");
            for (int i = 0; i < written.length; i++)
            {
                final int length = heartbeat(i + 1);
                written[i] = new byte[length];
                command.getBytes(0, written[i]);
                // Odd entries from a heap buffer at an offset, even ones straight from the direct buffer.
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
                // Documents of 3, 3, 3 and 1 entries.
                if (i % 3 == 2)
                {
                    appender.commit();
                }
            }
            assertEquals(9, journal.lastSequence(), "the staged tenth entry is not visible before its commit");
            appender.commit();
            assertEquals(10, journal.lastSequence());
        }
        try (Journal journal = Journal.open(dir); JournalReader reader = journal.reader())
        {
            assertEquals(10, journal.lastSequence());
            final Set<Long> documents = new HashSet<>();
            for (int i = 0; i < written.length; i++)
            {
                assertTrue(reader.next());
                assertEquals(i + 1, reader.sequence());
                final byte[] read = new byte[reader.length()];
                reader.buffer().getBytes(0, read);
                assertArrayEquals(written[i], read);
                documents.add(reader.index());
            }
            assertFalse(reader.next());
            assertEquals(4, documents.size(), "one document per commit");
        }
    }

    @Test
    void aTailerSeesEntriesCommittedAfterItCaughtUp()
    {
        try (Journal journal = Journal.open(dir);
            JournalAppender appender = journal.appender();
            JournalReader tailer = journal.reader())
        {
            assertFalse(tailer.next());
            appender.append(command, 0, heartbeat(1));
            assertFalse(tailer.next(), "staged, not committed");
            appender.commit();
            assertTrue(tailer.next());
            assertEquals(1, tailer.sequence());
            assertFalse(tailer.next());
            appender.append(command, 0, heartbeat(2));
            appender.append(command, 0, heartbeat(3));
            appender.commit();
            assertTrue(tailer.next());
            assertEquals(2, tailer.sequence());
            assertTrue(tailer.next());
            assertEquals(3, tailer.sequence());
            assertFalse(tailer.next());
            assertTrue(tailer.readLast());
            assertEquals(3, tailer.sequence());
            assertFalse(tailer.next(), "readLast leaves the reader at the end");
        }
    }

    @Test
    void aBatchThatWouldCrossTheDocumentBoundStartsANewDocumentAndNoEntryIsSplit()
    {
        final int entryBytes = JournalFormat.ENTRY_HEADER_LENGTH + heartbeat(1);
        // Room for the header and two and a half entries: the third entry would straddle the bound.
        final int bound = JournalFormat.DOCUMENT_HEADER_LENGTH + 2 * entryBytes + entryBytes / 2;
        final UnsafeBuffer large = new UnsafeBuffer(new byte[3 * bound]);
        try (Journal journal = Journal.open(dir); JournalAppender appender = journal.appender(bound))
        {
            for (long sequence = 1; sequence <= 7; sequence++)
            {
                appender.append(command, 0, heartbeat(sequence));
            }
            assertEquals(1, appender.pendingEntries(), "two full documents committed on the way, one entry staged");
            appender.commit();
            // One entry larger than the bound gets a document of its own, whole.
            large.putBytes(0, command, 0, heartbeat(8));
            large.putByte(large.capacity() - 1, (byte)42);
            appender.append(large, 0, large.capacity());
            appender.append(command, 0, heartbeat(9));
            appender.commit();
        }
        try (Journal journal = Journal.open(dir); JournalReader reader = journal.reader())
        {
            final List<Long> documentOfSequence = new ArrayList<>();
            for (long sequence = 1; sequence <= 9; sequence++)
            {
                assertTrue(reader.next());
                assertEquals(sequence, reader.sequence());
                documentOfSequence.add(reader.index());
                if (sequence == 8)
                {
                    assertEquals(large.capacity(), reader.length());
                    assertEquals(42, reader.buffer().getByte(reader.length() - 1));
                }
                else
                {
                    assertEquals(entryBytes - JournalFormat.ENTRY_HEADER_LENGTH, reader.length());
                }
            }
            assertFalse(reader.next());
            assertEquals(documentOfSequence.get(0), documentOfSequence.get(1));
            assertNotEquals(documentOfSequence.get(1), documentOfSequence.get(2), "the straddling entry opened a new document");
            assertEquals(documentOfSequence.get(2), documentOfSequence.get(3));
            assertNotEquals(documentOfSequence.get(3), documentOfSequence.get(4));
            assertEquals(documentOfSequence.get(4), documentOfSequence.get(5));
            assertNotEquals(documentOfSequence.get(5), documentOfSequence.get(6));
            assertNotEquals(documentOfSequence.get(6), documentOfSequence.get(7), "the oversized entry alone");
            assertNotEquals(documentOfSequence.get(7), documentOfSequence.get(8));
        }
    }

    @Test
    void entriesTooLargeForADocumentSpillToFilesAndReadBackLikeAnyOther() throws IOException
    {
        final int largest;
        try (Journal journal = Journal.open(dir); JournalAppender appender = journal.appender())
        {
            largest = appender.maxEntryBytes();
            assertTrue(largest >= 1024 * 1024, "room for a command's events: " + largest);
            final UnsafeBuffer big = new UnsafeBuffer(new byte[largest + 4_096]);
            final int header = heartbeat(1);
            big.putBytes(0, command, 0, header);
            for (int i = header; i < big.capacity(); i++)
            {
                big.putByte(i, (byte)(i * 31));
            }
            appender.append(command, 0, heartbeat(1));
            // Entries 2 to 6 fill whole documents and run past the first chunk of the file; 3 and 5 spill.
            for (long sequence = 2; sequence <= 6; sequence++)
            {
                CommandAdapter.stamp(big, 0, sequence, 1_000L * sequence);
                appender.append(big, 0, sequence % 2 == 1 ? largest + 4_096 : largest);
            }
            appender.append(command, 0, heartbeat(7));
            appender.commit();
            try (JournalReader reader = journal.reader())
            {
                assertTrue(reader.next());
                assertEquals(1, reader.sequence());
                for (long sequence = 2; sequence <= 6; sequence++)
                {
                    assertTrue(reader.next());
                    assertEquals(sequence, reader.sequence());
                    assertEquals(sequence % 2 == 1 ? largest + 4_096 : largest, reader.length());
                    for (int i = header; i < reader.length(); i += 4_099)
                    {
                        assertEquals((byte)(i * 31), reader.buffer().getByte(i), "byte " + i + " of entry " + sequence);
                    }
                }
                assertTrue(reader.next());
                assertEquals(7, reader.sequence());
                assertFalse(reader.next());

                // A seek steps over stubs without reading their files, then reads the one it lands on.
                assertTrue(reader.seekAfter(4));
                assertTrue(reader.next());
                assertEquals(5, reader.sequence());
                assertEquals(largest + 4_096, reader.length());
                assertEquals(7, journal.lastSequence());
            }
        }
        try (Journal reopened = Journal.open(dir); JournalReader reader = reopened.reader())
        {
            assertTrue(reader.seekAfter(2));
            assertTrue(reader.next());
            assertEquals(largest + 4_096, reader.length(), "spilled entries survive reopening");
        }

        // A spill file that is missing, or not the entry the stub describes, is an error that says so.
        final Path spill3 = JournalFormat.spillFile(dir, 3);
        final byte[] bytes = Files.readAllBytes(spill3);
        bytes[bytes.length / 2] ^= 1;
        Files.write(spill3, bytes);
        Files.delete(JournalFormat.spillFile(dir, 5));
        try (Journal journal = Journal.open(dir); JournalReader reader = journal.reader())
        {
            assertTrue(reader.seekAfter(2));
            final IllegalStateException damaged = assertThrows(IllegalStateException.class, reader::next);
            assertTrue(damaged.getMessage().contains("sequence 3") && damaged.getMessage().contains("is not the one"),
                damaged.getMessage());
            assertThrows(IllegalStateException.class, reader::next, "reading on does not step over the entry");
            assertTrue(reader.seekAfter(4));
            final IllegalStateException missing = assertThrows(IllegalStateException.class, reader::next);
            assertTrue(missing.getMessage().contains("sequence 5") && missing.getMessage().contains("cannot be read"),
                missing.getMessage());
        }
    }

    @Test
    void seekAfterLandsInTheMiddleOfDocumentsAcrossDailyFilesAndOverSequenceGaps()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        // Per day, documents given as the sequences of their entries; like an events journal, some
        // sequences have no entry (4, 10-11, 16) and one day has no documents.
        final long[][][] days = {
            {{1, 2, 3}, {5}, {6, 7, 8, 9}},
            {{12, 13}, {14, 15, 17}},
            {},
            {{18}, {19, 20, 21, 22}},
        };
        final List<Long> sequences = new ArrayList<>();
        try (Journal journal = Journal.open(dir, clock); JournalAppender appender = journal.appender())
        {
            for (final long[][] day : days)
            {
                for (final long[] document : day)
                {
                    for (final long sequence : document)
                    {
                        appender.append(command, 0, heartbeat(sequence));
                        sequences.add(sequence);
                    }
                    appender.commit();
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
                final long after = s;
                final long[] expected = sequences.stream().mapToLong(Long::longValue).filter(q -> q > after).toArray();
                for (final long sequence : expected)
                {
                    assertTrue(reader.next(), "after seeking past " + s);
                    assertEquals(sequence, reader.sequence(), "after seeking past " + s);
                }
                assertFalse(reader.next());
            }
            assertFalse(reader.seekAfter(23), "beyond the end");
            assertFalse(reader.next(), "left at the end");
        }
        // A journal whose first entry comes after the sequence sought (an events journal that starts late).
        final Path late = dir.resolve("late");
        try (Journal journal = Journal.open(late); JournalAppender appender = journal.appender())
        {
            appender.append(command, 0, heartbeat(5));
            appender.append(command, 0, heartbeat(6));
            appender.commit();
            try (JournalReader reader = journal.reader())
            {
                assertTrue(reader.seekAfter(3));
                assertTrue(reader.next());
                assertEquals(5, reader.sequence());
            }
        }
    }

    @Test
    void aDocumentOfAnotherFormatVersionOrWithoutTheHeaderIsRejectedClearly()
    {
        final Path versionThree = dir.resolve("v3");
        final Path unversioned = dir.resolve("v0");
        final UnsafeBuffer document = new UnsafeBuffer(new byte[64]);
        document.putInt(0, JournalFormat.MAGIC, ByteOrder.LITTLE_ENDIAN);
        document.putInt(4, 3, ByteOrder.LITTLE_ENDIAN);
        document.putInt(8, heartbeat(1), ByteOrder.LITTLE_ENDIAN);
        document.putBytes(12, command, 0, heartbeat(1));
        writeRawDocument(versionThree, document, 12 + heartbeat(1));
        // The format before version 1: a bare command per document.
        writeRawDocument(unversioned, command, heartbeat(1));

        try (Journal journal = Journal.open(versionThree); JournalReader reader = journal.reader())
        {
            final JournalFormat.UnsupportedJournalFormatException ex =
                assertThrows(JournalFormat.UnsupportedJournalFormatException.class, reader::next);
            assertTrue(ex.getMessage().contains("format version 3; this build reads versions 1 and 2"), ex.getMessage());
            assertThrows(JournalFormat.UnsupportedJournalFormatException.class, journal::lastSequence);
        }
        try (Journal journal = Journal.open(unversioned); JournalReader reader = journal.reader())
        {
            final JournalFormat.UnsupportedJournalFormatException ex =
                assertThrows(JournalFormat.UnsupportedJournalFormatException.class, reader::next);
            assertTrue(ex.getMessage().contains("does not start with the Perpetua journal header"), ex.getMessage());
        }
    }

    @Test
    void anEntryRunningPastItsDocumentIsReportedAsCorrupt()
    {
        final UnsafeBuffer document = new UnsafeBuffer(new byte[64]);
        document.putInt(0, JournalFormat.MAGIC, ByteOrder.LITTLE_ENDIAN);
        document.putInt(4, JournalFormat.VERSION, ByteOrder.LITTLE_ENDIAN);
        final int length = heartbeat(1);
        document.putInt(8, length + 1, ByteOrder.LITTLE_ENDIAN);
        document.putBytes(12, command, 0, length);
        writeRawDocument(dir, document, 12 + length);
        try (Journal journal = Journal.open(dir); JournalReader reader = journal.reader())
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, reader::next);
            assertTrue(ex.getMessage().contains("corrupt journal document"), ex.getMessage());
        }
    }

    @Test
    void aDocumentTornByAKilledWriterIsInvisibleAndTheJournalContinuesAfterIt() throws Exception
    {
        try (Journal journal = Journal.open(dir); JournalAppender appender = journal.appender())
        {
            appender.append(command, 0, heartbeat(1));
            appender.append(command, 0, heartbeat(2));
            appender.commit();
        }
        final Process child = new ProcessBuilder(TornWriteChild.command(dir, 3))
            .redirectErrorStream(true)
            .start();
        final String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit");
        assertEquals(TornWriteChild.EXIT_HALTED, child.exitValue(), output);

        try (Journal journal = Journal.open(dir))
        {
            assertEquals(2, journal.lastSequence(), "the torn document is not part of the journal");
            try (JournalAppender appender = journal.appender())
            {
                appender.append(command, 0, heartbeat(3));
                appender.commit();
            }
            try (JournalReader reader = journal.reader())
            {
                for (long sequence = 1; sequence <= 3; sequence++)
                {
                    assertTrue(reader.next());
                    assertEquals(sequence, reader.sequence());
                }
                assertFalse(reader.next());
                assertTrue(reader.seekAfter(2));
                assertTrue(reader.next());
                assertEquals(3, reader.sequence());
            }
        }
    }

    @Test
    void appendingCommittingAndReadingEntriesAllocateNothingPerEntryOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final int batches = 2_000;
        final int perBatch = 50;
        try (Journal journal = Journal.open(dir); JournalAppender appender = journal.appender(); JournalReader reader = journal.reader())
        {
            long sequence = 0;
            long read = 0;
            long measuredBytes = 0;
            // The first pass warms up (class loading, JIT, the first mapped chunk); the second is measured.
            for (int pass = 0; pass < 2; pass++)
            {
                final long before = threads.getThreadAllocatedBytes(thread);
                for (int b = 0; b < batches; b++)
                {
                    for (int i = 0; i < perBatch; i++)
                    {
                        appender.append(command, 0, heartbeat(++sequence));
                    }
                    appender.commit();
                    while (reader.next())
                    {
                        read += reader.sequence() == read + 1 ? 1 : 0;
                    }
                }
                measuredBytes = threads.getThreadAllocatedBytes(thread) - before;
            }
            assertEquals(sequence, read, "every entry read once, in order");
            // Slack for one-off costs such as mapping a new chunk of the queue file: far below a byte per entry.
            assertTrue(measuredBytes < 64 * 1024, "allocated " + measuredBytes + " bytes for " + batches * perBatch +
                " entries appended, committed and read");
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

    /** Writes bytes as one Chronicle document, bypassing the journal format. */
    private static void writeRawDocument(final Path directory, final UnsafeBuffer bytes, final int length)
    {
        try (ChronicleQueue queue = ChronicleQueue.singleBuilder(directory).rollCycle(Journal.ROLL_CYCLE).build();
            ExcerptAppender appender = queue.createAppender();
            DocumentContext context = appender.writingDocument())
        {
            final byte[] copy = new byte[length];
            bytes.getBytes(0, copy);
            context.wire().bytes().write(copy);
        }
    }
}
