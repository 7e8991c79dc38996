package io.perpetua.core.pipeline;

import io.perpetua.core.engine.CommandAdapter;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One pre-allocated ring entry: the command's bytes (copied in by the publisher, stamped in place by
 * the sequencer), who to answer, and the sequence number the sequencer gave it.
 */
final class CommandSlot
{
    /**
     * Length marking a slot whose copied bytes failed the ingress check: the sequencer skips it
     * (no sequence number, nothing journaled) and the core answers it as malformed.
     */
    static final int MALFORMED = -1;

    final UnsafeBuffer buffer =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
    int length;
    ResultListener listener;
    long correlationId;
    long sequence;
}
