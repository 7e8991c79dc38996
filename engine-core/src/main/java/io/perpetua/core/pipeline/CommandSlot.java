package io.perpetua.core.pipeline;

import com.lmax.disruptor.EventFactory;
import io.perpetua.core.engine.CommandAdapter;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * One pre-allocated ring entry: the command's bytes (copied in by the publisher, stamped in place by
 * the sequencer), who to answer, and the sequence number the sequencer gave it.
 *
 * <p>The bytes live in one contiguous block for the whole ring, {@link #INLINE_LENGTH} bytes a slot,
 * so that consecutive commands sit in consecutive cache lines and pages: the core reads them in ring
 * order as a stream, after the publisher wrote them on another processor. Scattered per-slot buffers
 * put every command on a page of its own, and on the peer stream halved the pipeline's throughput
 * (docs/benchmarks.md). Longer commands, which are rare, go to a second block with room for the
 * largest. Public so that the benchmarks' no-op ring ceiling hands commands over in the same slots.
 */
public final class CommandSlot
{
    /**
     * Length marking a slot whose copied bytes failed the ingress check: the sequencer skips it
     * (no sequence number, nothing journaled) and the core answers it as malformed.
     */
    static final int MALFORMED = -1;
    /** Room for a command in the slot's inline block: two cache lines, which hold every order command. */
    static final int INLINE_LENGTH = 128;
    /** The largest power-of-two ring whose overflow block (the largest command a slot) one buffer can hold. */
    static final int MAX_RING_SIZE = Integer.highestOneBit(Integer.MAX_VALUE / CommandAdapter.MAX_COMMAND_LENGTH);

    private final UnsafeBuffer inline;
    private final UnsafeBuffer overflow;
    /** Where the current command's bytes are: {@link #inline} or, when longer, {@link #overflow}. */
    UnsafeBuffer buffer;
    int length;
    ResultListener listener;
    long correlationId;
    long sequence;

    private CommandSlot(final UnsafeBuffer inline, final UnsafeBuffer overflow)
    {
        this.inline = inline;
        this.overflow = overflow;
        this.buffer = inline;
    }

    /** The buffer to copy a command of {@code length} bytes into; becomes {@link #buffer()}. */
    public UnsafeBuffer bufferFor(final int length)
    {
        buffer = length <= INLINE_LENGTH ? inline : overflow;
        return buffer;
    }

    /** Where the current command's bytes are. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Makes the slots of a ring in ring order, each taking the next part of the two blocks. */
    public static EventFactory<CommandSlot> factory(final int ringSize)
    {
        if (ringSize < 1 || ringSize > MAX_RING_SIZE)
        {
            throw new IllegalArgumentException(
                "ringSize " + ringSize + " is too large for the slots' blocks; at most " + MAX_RING_SIZE);
        }
        final ByteBuffer inlineBlock = BufferUtil.allocateDirectAligned(ringSize * INLINE_LENGTH, 4096);
        final ByteBuffer overflowBlock =
            BufferUtil.allocateDirectAligned(ringSize * CommandAdapter.MAX_COMMAND_LENGTH, 4096);
        final int[] next = {0};
        return () ->
        {
            final int index = next[0]++;
            return new CommandSlot(
                new UnsafeBuffer(inlineBlock, index * INLINE_LENGTH, INLINE_LENGTH),
                new UnsafeBuffer(overflowBlock, index * CommandAdapter.MAX_COMMAND_LENGTH, CommandAdapter.MAX_COMMAND_LENGTH));
        };
    }
}
