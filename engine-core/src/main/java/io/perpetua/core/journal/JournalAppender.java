package io.perpetua.core.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;

/**
 * Appends raw SBE bytes as one journal document, copying straight from an Agrona buffer into the
 * mapped file: nothing is allocated per append. Single-threaded, like the Chronicle appender it
 * wraps.
 */
public final class JournalAppender implements AutoCloseable
{
    private final ExcerptAppender appender;

    JournalAppender(final ExcerptAppender appender)
    {
        this.appender = appender;
    }

    /**
     * Appends {@code length} bytes of {@code buffer} from {@code offset} as one document. When this
     * returns, the document is in the mapped file and visible to readers in any process.
     *
     * @return the Chronicle index of the document
     */
    public long append(final DirectBuffer buffer, final int offset, final int length)
    {
        final DocumentContext context = appender.writingDocument();
        try
        {
            final Bytes<?> bytes = context.wire().bytes();
            final byte[] array = buffer.byteArray();
            if (array != null)
            {
                bytes.write(array, buffer.wrapAdjustment() + offset, length);
            }
            else
            {
                buffer.boundsCheck(offset, length);
                bytes.unsafeWrite(buffer.addressOffset() + offset, length);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            context.rollbackOnClose();
            context.close();
            throw ex;
        }
        context.close();
        return appender.lastIndexAppended();
    }

    @Override
    public void close()
    {
        appender.close();
    }
}
