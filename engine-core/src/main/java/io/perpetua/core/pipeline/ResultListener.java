package io.perpetua.core.pipeline;

import org.agrona.DirectBuffer;

/**
 * Receives the result of one submitted command: the SBE events it caused, back to back. For a
 * journaled command this is called on the core thread after the document holding the command is
 * committed to the commands journal, so a result is an acknowledgement that survives a crash. Its
 * events are committed to the events journal at the end of the core's batch, possibly after this
 * call; if the process dies in between, recovery re-derives them from the command.
 * For bytes that failed the ingress check it is called at once on the publishing thread with a
 * single {@code Rejected(MALFORMED_COMMAND)} and sequence 0.
 *
 * <p>The buffer is valid only during the call: copy what you keep, and return quickly, since the
 * core thread waits.
 */
@FunctionalInterface
public interface ResultListener
{
    /**
     * @param correlationId the id the submitter passed to {@link Pipeline#tryPublish}
     * @param sequence      the sequence number the command was stamped with (0 if not journaled)
     * @param events        the command's events (possibly none, e.g. for a heartbeat)
     * @param offset        where the events start
     * @param length        their total length in bytes
     */
    void onResult(long correlationId, long sequence, DirectBuffer events, int offset, int length);
}
