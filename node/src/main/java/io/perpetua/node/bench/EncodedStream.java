package io.perpetua.node.bench;

import io.perpetua.core.engine.CommandAdapter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A whole workload encoded up front into one off-heap buffer, so that a timed run measures the
 * engine and not CSV parsing or command generation. Commands are stored back to back as
 * {@code [int length][bytes]}, unstamped; the untimed pre-fill comes first, then the timed part.
 */
public final class EncodedStream
{
    private final ExpandableDirectByteBuffer buffer;
    private final int prefillCount;
    private final int prefillEnd;
    private final int timedCount;
    private final int end;

    private EncodedStream(final ExpandableDirectByteBuffer buffer, final int prefillCount, final int prefillEnd,
        final int timedCount, final int end)
    {
        this.buffer = buffer;
        this.prefillCount = prefillCount;
        this.prefillEnd = prefillEnd;
        this.timedCount = timedCount;
        this.end = end;
    }

    /** Loads an exchange-core stream, with the AddMarket command for its symbol first. */
    public static EncodedStream loadExchangeCore(final Path csvGz, final int marketId) throws IOException
    {
        final Builder builder = new Builder(64 * 1024 * 1024);
        final ExchangeCoreStream stream = new ExchangeCoreStream();
        final UnsafeBuffer market = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        builder.append(false, market, 0, stream.encodeMarket(market, marketId));
        stream.forEach(csvGz, builder::append);
        return builder.build();
    }

    /**
     * Collects commands in order. Pre-fill commands must all come before the first timed one, as a
     * benchmark applies them first and untimed.
     */
    public static final class Builder
    {
        private final ExpandableDirectByteBuffer target;
        private int position;
        private int prefillCount;
        private int timedCount;

        public Builder(final int initialCapacity)
        {
            target = new ExpandableDirectByteBuffer(initialCapacity);
        }

        /**
         * Appends one command.
         *
         * @throws IllegalStateException if an untimed command follows a timed one
         */
        public void append(final boolean timed, final DirectBuffer source, final int offset, final int length)
        {
            if (!timed && timedCount > 0)
            {
                throw new IllegalStateException("a pre-fill command after the timed part began");
            }
            target.putInt(position, length);
            target.putBytes(position + Integer.BYTES, source, offset, length);
            position += Integer.BYTES + length;
            if (timed)
            {
                timedCount++;
            }
            else
            {
                prefillCount++;
            }
        }

        public EncodedStream build()
        {
            final int prefillEnd = timedCount == 0 ? position : prefillEndOffset();
            return new EncodedStream(target, prefillCount, prefillEnd, timedCount, position);
        }

        private int prefillEndOffset()
        {
            int offset = 0;
            for (int i = 0; i < prefillCount; i++)
            {
                offset += Integer.BYTES + target.getInt(offset);
            }
            return offset;
        }
    }

    public ExpandableDirectByteBuffer buffer()
    {
        return buffer;
    }

    /** Untimed commands (market creation and pre-fill). */
    public int prefillCount()
    {
        return prefillCount;
    }

    /** Offset where the timed commands start. */
    public int prefillEnd()
    {
        return prefillEnd;
    }

    public int timedCount()
    {
        return timedCount;
    }

    /** Offset just past the last command. */
    public int end()
    {
        return end;
    }

    /** All commands, pre-fill and timed. */
    public long totalCount()
    {
        return (long)prefillCount + timedCount;
    }
}
