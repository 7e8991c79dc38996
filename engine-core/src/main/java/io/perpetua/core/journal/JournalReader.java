package io.perpetua.core.journal;

import io.perpetua.core.engine.CommandAdapter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NavigableSet;
import java.util.zip.CRC32C;

/**
 * Hands out a journal's entries (see {@link JournalFormat}) in order, each with its sequence
 * number. A document is copied once into a reusable buffer and its entries are served from there,
 * so a replay or tailer loop allocates nothing per entry. Also serves as a live tailer:
 * {@link #next()} returns false when it has caught up and true again once more documents are
 * committed (by any process).
 *
 * <p>Every read checks the document's format header: a document of another format version raises
 * {@link JournalFormat.UnsupportedJournalFormatException}. A spilled entry is read from its file
 * when the reader reaches it (and checked against its stub), so {@link #buffer()} holds it like any
 * other; seeks step over stubs without reading their files.
 */
public final class JournalReader implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final Path queueDirectory;
    private final ExcerptTailer tailer;
    private final ExpandableDirectByteBuffer document =
        new ExpandableDirectByteBuffer(JournalFormat.DEFAULT_MAX_DOCUMENT_BYTES);
    private final UnsafeBuffer entry = new UnsafeBuffer(0, 0);
    private int documentLength;
    private int nextEntry;
    private int length;
    private long index = -1;

    JournalReader(final SingleChronicleQueue queue, final Path queueDirectory, final ExcerptTailer tailer)
    {
        this.queue = queue;
        this.queueDirectory = queueDirectory;
        this.tailer = tailer;
    }

    /**
     * Moves to the next entry, reading the next document when the current one is exhausted.
     *
     * @return false if there is none (yet)
     */
    public boolean next()
    {
        while (nextEntry >= documentLength)
        {
            if (!readDocument())
            {
                return false;
            }
        }
        nextInDocument();
        return true;
    }

    /**
     * Reads the last entry of the journal; the reader is then positioned after it.
     *
     * @return false if the journal is empty
     */
    public boolean readLast()
    {
        tailer.direction(TailerDirection.BACKWARD).toEnd();
        boolean found = false;
        try
        {
            // Documents always hold entries, but an empty one would only send the search further back.
            while (!found && readDocument())
            {
                while (nextEntry < documentLength)
                {
                    nextInDocument();
                    found = true;
                }
            }
        }
        finally
        {
            tailer.direction(TailerDirection.FORWARD).toEnd();
        }
        return found;
    }

    /**
     * Positions the reader so that {@link #next()} returns the first entry with a sequence number
     * above {@code sequence}, reading only about log2(documents) documents: a binary search over
     * the Chronicle index for the last document starting at or before {@code sequence}, then a skip
     * inside it. Works on the events journal too, where not every sequence has an entry.
     *
     * @return true if the journal reaches {@code sequence} (its last entry's sequence is at least
     *         {@code sequence}); false if it ends before, the reader then being at its end
     */
    public boolean seekAfter(final long sequence)
    {
        toStart();
        if (sequence <= 0)
        {
            return sequence == 0;
        }
        if (queue.firstCycle() > queue.lastCycle())
        {
            return false;
        }
        final NavigableSet<Long> cycles = queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle());
        final int[] cycleNumbers = new int[cycles.size()];
        final long[] documentsBefore = new long[cycles.size() + 1];
        int c = 0;
        for (final Long cycle : cycles)
        {
            final long count = tailer.excerptsInCycle(cycle.intValue());
            cycleNumbers[c] = cycle.intValue();
            documentsBefore[c + 1] = documentsBefore[c] + Math.max(0, count);
            c++;
        }
        long low = 0;
        long high = documentsBefore[c] - 1;
        long found = -1;
        while (low <= high)
        {
            final long middle = (low + high) >>> 1;
            if (readDocumentAt(middle, cycleNumbers, documentsBefore) && firstSequence() <= sequence)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        if (found < 0)
        {
            // Every document starts after sequence (or there is none): the first entry is the one.
            toStart();
            return documentsBefore[c] > 0;
        }
        if (!readDocumentAt(found, cycleNumbers, documentsBefore))
        {
            throw new IllegalStateException("journal document " + found + " of " + queue.file() + " vanished while seeking");
        }
        long lastSkipped = 0;
        while (nextEntry < documentLength)
        {
            final long entrySequence = CommandAdapter.sequenceOf(document, nextEntry + JournalFormat.ENTRY_HEADER_LENGTH);
            if (entrySequence > sequence)
            {
                return true;
            }
            skipInDocument();
            lastSkipped = entrySequence;
        }
        return lastSkipped == sequence || found < documentsBefore[c] - 1;
    }

    /** Positions before the first entry. */
    public JournalReader toStart()
    {
        tailer.toStart();
        documentLength = 0;
        nextEntry = 0;
        return this;
    }

    /** Positions after the last entry: {@link #next()} then returns only entries committed later. */
    public JournalReader toEnd()
    {
        tailer.toEnd();
        documentLength = 0;
        nextEntry = 0;
        return this;
    }

    /** The current entry's bytes, from offset 0 (a view valid until the next move of the reader). */
    public DirectBuffer buffer()
    {
        return entry;
    }

    /** Length of the current entry. */
    public int length()
    {
        return length;
    }

    /** Chronicle index of the document holding the current entry. */
    public long index()
    {
        return index;
    }

    /** Sequence number of the command the current entry holds (or whose events it holds). */
    public long sequence()
    {
        return CommandAdapter.sequenceOf(entry, 0);
    }

    @Override
    public void close()
    {
        tailer.close();
    }

    /** The document at a global ordinal (documents counted across the daily files). */
    private boolean readDocumentAt(final long ordinal, final int[] cycleNumbers, final long[] documentsBefore)
    {
        int c = 0;
        while (documentsBefore[c + 1] <= ordinal)
        {
            c++;
        }
        final long chronicleIndex = queue.rollCycle().toIndex(cycleNumbers[c], ordinal - documentsBefore[c]);
        return tailer.moveToIndex(chronicleIndex) && readDocument();
    }

    private long firstSequence()
    {
        if (documentLength <= JournalFormat.DOCUMENT_HEADER_LENGTH)
        {
            return Long.MAX_VALUE;
        }
        return CommandAdapter.sequenceOf(document, JournalFormat.DOCUMENT_HEADER_LENGTH + JournalFormat.ENTRY_HEADER_LENGTH);
    }

    /** Copies the tailer's next document into {@link #document} and checks its header. */
    private boolean readDocument()
    {
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return false;
            }
            documentLength = 0;
            nextEntry = 0;
            final Bytes<?> bytes = context.wire().bytes();
            final int size = (int)bytes.readRemaining();
            document.checkLimit(size);
            bytes.unsafeRead(document.addressOffset(), size);
            index = context.index();
            JournalFormat.checkDocumentHeader(document, size, index);
            documentLength = size;
            nextEntry = JournalFormat.DOCUMENT_HEADER_LENGTH;
            return true;
        }
    }

    private void nextInDocument()
    {
        final int entryOffset = nextEntry;
        final boolean stub = document.getInt(entryOffset, JournalFormat.BYTE_ORDER) == (JournalFormat.SPILLED | JournalFormat.STUB_LENGTH);
        final int entryLength = skipInDocument();
        final int start = entryOffset + JournalFormat.ENTRY_HEADER_LENGTH;
        if (stub)
        {
            try
            {
                readSpilled(start);
            }
            catch (final RuntimeException ex)
            {
                // Stay on the stub: reading on must not step over an entry that could not be read.
                nextEntry = entryOffset;
                throw ex;
            }
            return;
        }
        entry.wrap(document, start, entryLength);
        length = entryLength;
    }

    /** Steps over the current entry (a stub without reading its file); returns the bytes it takes in the document. */
    private int skipInDocument()
    {
        final int lengthField = document.getInt(nextEntry, JournalFormat.BYTE_ORDER);
        final int entryLength = lengthField == (JournalFormat.SPILLED | JournalFormat.STUB_LENGTH) ?
            JournalFormat.STUB_LENGTH : lengthField;
        final int start = nextEntry + JournalFormat.ENTRY_HEADER_LENGTH;
        if (entryLength <= 0 || entryLength > documentLength - start)
        {
            documentLength = 0;
            nextEntry = 0;
            throw new IllegalStateException("corrupt journal document at Chronicle index " + Long.toHexString(index) +
                " of " + queue.file() + ": an entry of " + lengthField + " bytes at offset " + (start - JournalFormat.ENTRY_HEADER_LENGTH));
        }
        nextEntry = start + entryLength;
        return entryLength;
    }

    /** Reads the file a stub at {@code start} refers to and checks it against the stub. */
    private void readSpilled(final int start)
    {
        final long sequence = CommandAdapter.sequenceOf(document, start);
        final int spilledLength = document.getInt(start + JournalFormat.SPILLED_PREFIX_LENGTH, JournalFormat.BYTE_ORDER);
        final int checksum = document.getInt(start + JournalFormat.SPILLED_PREFIX_LENGTH + Integer.BYTES, JournalFormat.BYTE_ORDER);
        final Path file = JournalFormat.spillFile(queueDirectory, sequence);
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the journal entry of sequence " + sequence + " was spilled to " + file +
                ", which cannot be read", ex);
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes);
        boolean prefixMatches = bytes.length >= JournalFormat.SPILLED_PREFIX_LENGTH;
        for (int i = 0; prefixMatches && i < JournalFormat.SPILLED_PREFIX_LENGTH; i++)
        {
            prefixMatches = bytes[i] == document.getByte(start + i);
        }
        if (bytes.length != spilledLength || (int)crc.getValue() != checksum || !prefixMatches)
        {
            throw new IllegalStateException("the journal entry of sequence " + sequence + " spilled to " + file +
                " is not the one its journal refers to (" + bytes.length + " bytes, expected " + spilledLength + ")");
        }
        entry.wrap(bytes, 0, spilledLength);
        length = spilledLength;
    }
}
