package io.perpetua.node.bench;

import io.perpetua.core.engine.CommandAdapter;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A whole workload encoded up front into one off-heap buffer, so that a timed run measures the
 * engine and not CSV parsing. Commands are stored back to back as {@code [int length][bytes]};
 * the untimed pre-fill comes first, then the timed part.
 */
public final class EncodedStream
{
    private final ExpandableDirectByteBuffer buffer;
    private final int prefillCount;
    private final int prefillEnd;
    private final int timedCount;
    private final int end;

    private EncodedStream(final ExpandableDirectByteBuffer buffer, final int prefillCount, final int prefillEnd, final int timedCount,
        final int end)
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
        final ExpandableDirectByteBuffer target = new ExpandableDirectByteBuffer(64 * 1024 * 1024);
        final ExchangeCoreStream stream = new ExchangeCoreStream();
        final UnsafeBuffer market = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        final int marketLength = stream.encodeMarket(market, marketId);
        final int[] position = {0};
        final int[] counts = new int[2];
        final int[] prefillEnd = {-1};
        append(target, position, market, 0, marketLength);
        counts[0]++;
        stream.forEach(csvGz, (timed, buffer, offset, length) ->
        {
            if (timed && prefillEnd[0] < 0)
            {
                prefillEnd[0] = position[0];
            }
            append(target, position, buffer, offset, length);
            counts[timed ? 1 : 0]++;
        });
        return new EncodedStream(target, counts[0], prefillEnd[0] < 0 ? position[0] : prefillEnd[0], counts[1], position[0]);
    }

    private static void append(final ExpandableDirectByteBuffer target, final int[] position, final org.agrona.DirectBuffer source,
        final int offset, final int length)
    {
        target.putInt(position[0], length);
        target.putBytes(position[0] + Integer.BYTES, source, offset, length);
        position[0] += Integer.BYTES + length;
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
}
