package io.perpetua.core.journal;

import io.perpetua.core.engine.CommandAdapter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/**
 * Appends entries to a journal, many per Chronicle document (see {@link JournalFormat}):
 * {@link #append} stages an entry, {@link #commit} writes the staged entries as one document. Only
 * a committed entry is durable and visible to readers; the pipeline commits at the end of every
 * ring batch, before any command of the batch is acknowledged.
 *
 * <p>Entries are staged in a pre-allocated buffer and copied into the mapped file in one piece, so
 * nothing is allocated per entry (except when a single entry exceeds the document bound and the
 * staging buffer grows once). An entry too large for any document is spilled to a file of its own
 * (see {@link JournalFormat}). Single-threaded, like the Chronicle appender it wraps.
 */
public final class JournalAppender implements AutoCloseable
{
    private final ExcerptAppender appender;
    private final int maxDocumentBytes;
    private final int maxEntryBytes;
    private final Path queueDirectory;
    private final UnsafeBuffer stub = new UnsafeBuffer(new byte[JournalFormat.STUB_LENGTH]);
    private final ExpandableDirectByteBuffer document;
    private int position;
    private int entries;
    private long lastIndex = -1;

    /**
     * @param maxDocumentBytes   documents close before they pass this (unless one entry alone is larger)
     * @param largestDocumentBytes no document may be larger than this at all: what the queue maps past
     *                           the start of each chunk (its overlap), beyond which a copy into the
     *                           mapped file, or a read of it, would leave the mapping and crash the JVM;
     *                           a larger entry is spilled
     */
    JournalAppender(final ExcerptAppender appender, final Path queueDirectory, final int maxDocumentBytes,
        final int largestDocumentBytes)
    {
        if (maxDocumentBytes < JournalFormat.DOCUMENT_HEADER_LENGTH + JournalFormat.ENTRY_HEADER_LENGTH + 1
            || maxDocumentBytes > largestDocumentBytes)
        {
            throw new IllegalArgumentException("maxDocumentBytes " + maxDocumentBytes + " outside [" +
                (JournalFormat.DOCUMENT_HEADER_LENGTH + JournalFormat.ENTRY_HEADER_LENGTH + 1) + ", " + largestDocumentBytes + "]");
        }
        this.appender = appender;
        this.queueDirectory = queueDirectory;
        this.maxDocumentBytes = maxDocumentBytes;
        this.maxEntryBytes = largestDocumentBytes - JournalFormat.DOCUMENT_HEADER_LENGTH - JournalFormat.ENTRY_HEADER_LENGTH;
        this.document = new ExpandableDirectByteBuffer(maxDocumentBytes);
    }

    /**
     * Stages {@code length} bytes of {@code buffer} from {@code offset} as one entry of the open
     * document. If the entry would take the document past its bound, the staged entries are
     * committed first and the entry starts the next document. An entry larger than
     * {@link #maxEntryBytes()} is written to its spill file now and staged as a stub.
     *
     * @throws IllegalArgumentException if {@code length} is not positive, or a spilled entry is
     *                                  shorter than the prefix every journal message has
     */
    public void append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("a journal entry needs at least one byte: " + length);
        }
        if (length > maxEntryBytes)
        {
            spill(buffer, offset, length);
            return;
        }
        stage(buffer, offset, length, length);
    }

    private void stage(final DirectBuffer buffer, final int offset, final int length, final int lengthField)
    {
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
        document.putInt(position, lengthField, JournalFormat.BYTE_ORDER);
        document.putBytes(position + JournalFormat.ENTRY_HEADER_LENGTH, buffer, offset, length);
        position += entryBytes;
        entries++;
    }

    /** Writes the entry to its own file, whole, then stages its stub; the document follows the file. */
    private void spill(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < JournalFormat.SPILLED_PREFIX_LENGTH)
        {
            throw new IllegalArgumentException("an entry of " + length + " bytes cannot be spilled");
        }
        final long sequence = CommandAdapter.sequenceOf(buffer, offset);
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes);
        final Path file = JournalFormat.spillFile(queueDirectory, sequence);
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            Files.createDirectories(file.getParent());
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot spill the journal entry of sequence " + sequence + " to " + file, ex);
        }
        stub.putBytes(0, buffer, offset, JournalFormat.SPILLED_PREFIX_LENGTH);
        stub.putInt(JournalFormat.SPILLED_PREFIX_LENGTH, length, JournalFormat.BYTE_ORDER);
        stub.putInt(JournalFormat.SPILLED_PREFIX_LENGTH + Integer.BYTES, (int)crc.getValue(), JournalFormat.BYTE_ORDER);
        stage(stub, 0, JournalFormat.STUB_LENGTH, JournalFormat.SPILLED | JournalFormat.STUB_LENGTH);
        JournalFormat.markSpilled(document);
    }

    /** The largest entry a document holds: one that fills a document of the queue's overlap size alone; larger ones spill. */
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
