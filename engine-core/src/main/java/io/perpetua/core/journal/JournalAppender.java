package io.perpetua.core.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Appends entries to a journal, many per Chronicle document (see {@link JournalFormat}):
 * {@link #append} stages an entry, {@link #commit} writes the staged entries as one document. Only
 * a committed entry is durable and visible to readers; the pipeline commits at the end of every
 * ring batch, before any command of the batch is acknowledged.
 *
 * <p>Entries are staged in a pre-allocated buffer and copied into the mapped file in one piece, so
 * nothing is allocated per entry (except when a single entry exceeds the document bound and the
 * staging buffer grows once). Single-threaded, like the Chronicle appender it wraps.
 */
public final class JournalAppender implements AutoCloseable
{
    private final ExcerptAppender appender;
    private final int maxDocumentBytes;
    private final int maxEntryBytes;
    private final ExpandableDirectByteBuffer document;
    private int position;
    private int entries;
    private long lastIndex = -1;

    /**
     * @param maxDocumentBytes   documents close before they pass this (unless one entry alone is larger)
     * @param largestDocumentBytes no document may be larger than this at all: what the queue maps past
     *                           the start of each chunk (its overlap), beyond which a copy into the
     *                           mapped file, or a read of it, would leave the mapping and crash the JVM
     */
    JournalAppender(final ExcerptAppender appender, final int maxDocumentBytes, final int largestDocumentBytes)
    {
        if (maxDocumentBytes < JournalFormat.DOCUMENT_HEADER_LENGTH + JournalFormat.ENTRY_HEADER_LENGTH + 1
            || maxDocumentBytes > largestDocumentBytes)
        {
            throw new IllegalArgumentException("maxDocumentBytes " + maxDocumentBytes + " outside [" +
                (JournalFormat.DOCUMENT_HEADER_LENGTH + JournalFormat.ENTRY_HEADER_LENGTH + 1) + ", " + largestDocumentBytes + "]");
        }
        this.appender = appender;
        this.maxDocumentBytes = maxDocumentBytes;
        this.maxEntryBytes = largestDocumentBytes - JournalFormat.DOCUMENT_HEADER_LENGTH - JournalFormat.ENTRY_HEADER_LENGTH;
        this.document = new ExpandableDirectByteBuffer(maxDocumentBytes);
    }

    /**
     * Stages {@code length} bytes of {@code buffer} from {@code offset} as one entry of the open
     * document. If the entry would take the document past its bound, the staged entries are
     * committed first and the entry starts the next document.
     *
     * @throws IllegalArgumentException if {@code length} is not positive or above {@link #maxEntryBytes()};
     *                                  nothing is staged then, and what was staged before stays
     */
    public void append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("a journal entry needs at least one byte: " + length);
        }
        if (length > maxEntryBytes)
        {
            throw new IllegalArgumentException("a journal entry of " + length + " bytes is larger than the " + maxEntryBytes +
                " a document of this queue can hold");
        }
        final int entryBytes = JournalFormat.ENTRY_HEADER_LENGTH + length;
        if (entries > 0 && position + entryBytes > maxDocumentBytes)
        {
            commit();
        }
        if (entries == 0)
        {
            JournalFormat.writeDocumentHeader(document);
            position = JournalFormat.DOCUMENT_HEADER_LENGTH;
        }
        document.putInt(position, length, JournalFormat.BYTE_ORDER);
        document.putBytes(position + JournalFormat.ENTRY_HEADER_LENGTH, buffer, offset, length);
        position += entryBytes;
        entries++;
    }

    /** The largest entry {@link #append} takes: one that fills a document of the queue's overlap size alone. */
    public int maxEntryBytes()
    {
        return maxEntryBytes;
    }

    /** Entries staged since the last commit. */
    public int pendingEntries()
    {
        return entries;
    }

    /**
     * Writes the staged entries as one document; nothing if none are staged. When this returns, the
     * document is in the mapped file and visible to readers in any process.
     *
     * @return the Chronicle index of the last document written, -1 if none yet
     */
    public long commit()
    {
        if (entries == 0)
        {
            return lastIndex;
        }
        final DocumentContext context = appender.writingDocument();
        try
        {
            final Bytes<?> bytes = context.wire().bytes();
            bytes.unsafeWrite(document.addressOffset(), position);
        }
        catch (final RuntimeException | Error ex)
        {
            context.rollbackOnClose();
            context.close();
            throw ex;
        }
        context.close();
        entries = 0;
        position = 0;
        lastIndex = appender.lastIndexAppended();
        return lastIndex;
    }

    /** Closes the Chronicle appender; entries staged but not committed are dropped. */
    @Override
    public void close()
    {
        appender.close();
    }
}
