package io.perpetua.core.journal;

import io.perpetua.core.engine.CommandAdapter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Reads journal documents in order, each copied into a reusable buffer: a replay or tailer loop
 * allocates nothing per document. Also serves as a live tailer: {@link #next()} returns false when
 * it has caught up and true again once more documents are appended (by any process).
 */
public final class JournalReader implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private int length;
    private long index = -1;

    JournalReader(final SingleChronicleQueue queue, final ExcerptTailer tailer)
    {
        this.queue = queue;
        this.tailer = tailer;
    }

    /**
     * Reads the next document.
     *
     * @return false if there is none (yet)
     */
    public boolean next()
    {
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return false;
            }
            final Bytes<?> bytes = context.wire().bytes();
            final int size = (int)bytes.readRemaining();
            buffer.checkLimit(size);
            bytes.unsafeRead(buffer.addressOffset(), size);
            length = size;
            index = context.index();
            return true;
        }
    }

    /**
     * Reads the last document of the journal; the reader is then positioned after it.
     *
     * @return false if the journal is empty
     */
    public boolean readLast()
    {
        tailer.direction(TailerDirection.BACKWARD).toEnd();
        final boolean found = next();
        tailer.direction(TailerDirection.FORWARD).toEnd();
        return found;
    }

    /**
     * Positions the reader right after the document of {@code sequence}, so that {@link #next()}
     * continues with {@code sequence + 1}, without reading the documents before it. Relies on the
     * journals' invariant that the document of sequence {@code s} is the {@code s}-th document of
     * the queue, and checks it: if the document found there has another sequence (a journal that
     * does not start at 1), the reader is left at the start and the caller skips forward.
     *
     * @return true if positioned after {@code sequence}, false if left at the start
     */
    public boolean seekAfter(final long sequence)
    {
        tailer.toStart();
        if (sequence <= 0)
        {
            return sequence == 0;
        }
        long ordinal = sequence - 1;
        for (final Long cycle : queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle()))
        {
            final long count = tailer.excerptsInCycle(cycle.intValue());
            if (count < 0)
            {
                break;
            }
            if (ordinal < count)
            {
                if (tailer.moveToIndex(queue.rollCycle().toIndex(cycle.intValue(), ordinal)) && next() &&
                    sequence() == sequence)
                {
                    return true;
                }
                break;
            }
            ordinal -= count;
        }
        tailer.toStart();
        return false;
    }

    /** Positions before the first document. */
    public JournalReader toStart()
    {
        tailer.toStart();
        return this;
    }

    /** Positions after the last document: {@link #next()} then returns only documents appended later. */
    public JournalReader toEnd()
    {
        tailer.toEnd();
        return this;
    }

    /** The current document's bytes, from offset 0. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Length of the current document. */
    public int length()
    {
        return length;
    }

    /** Chronicle index of the current document. */
    public long index()
    {
        return index;
    }

    /** Sequence number of the command the current document holds (or whose events it holds). */
    public long sequence()
    {
        return CommandAdapter.sequenceOf(buffer, 0);
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
