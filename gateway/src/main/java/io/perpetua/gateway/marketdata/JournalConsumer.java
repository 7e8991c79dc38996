package io.perpetua.gateway.marketdata;

import org.agrona.DirectBuffer;

/**
 * Something fed by {@link EventsTailer}: every entry of the events journal (one command's events) in
 * journal order, on the tailer thread.
 */
public interface JournalConsumer
{
    /** One command's events, back to back; the buffer is valid only during the call. */
    void onDocument(DirectBuffer buffer, int offset, int length);

    /** The tailer has read everything appended so far (a good moment to flush batches). */
    default void onCaughtUp()
    {
    }
}
