package io.perpetua.core.pipeline;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.sbe.MessageHeaderEncoder;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.RejectedEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes the {@code Rejected(MALFORMED_COMMAND)} answer for bytes that never reach the ring. One
 * instance per publishing thread, so rejecting garbage allocates nothing after the first time.
 */
final class MalformedReply
{
    private static final ThreadLocal<MalformedReply> PER_THREAD = ThreadLocal.withInitial(MalformedReply::new);

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final RejectedEncoder rejected = new RejectedEncoder();

    static void send(
        final DirectBuffer command, final int offset, final int length, final ResultListener listener, final long correlationId)
    {
        PER_THREAD.get().reply(command, offset, length, listener, correlationId);
    }

    private void reply(
        final DirectBuffer command, final int offset, final int length, final ResultListener listener, final long correlationId)
    {
        final boolean hasHeader = offset >= 0 && length >= MessageHeaderEncoder.ENCODED_LENGTH &&
            offset + (long)length <= command.capacity();
        final int templateId = hasHeader ?
            CommandAdapter.templateIdOf(command, offset, length) : RejectedEncoder.commandTemplateIdNullValue();
        rejected.wrapAndApplyHeader(buffer, 0, header)
            .sequence(0)
            .timestampNs(0)
            .commandTemplateId(templateId)
            .reason(RejectReason.MALFORMED_COMMAND)
            .accountId(0)
            .marketId(0)
            .orderId(0)
            .clientOrderId(0);
        listener.onResult(correlationId, 0, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + rejected.encodedLength());
    }
}
