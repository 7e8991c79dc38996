package io.perpetua.gateway.sbe;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.sbe.codec.SessionRejectCode;
import io.perpetua.gateway.sbe.codec.TerminateEncoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One market maker's TCP connection: its account once established (0 before) and its outbound
 * path. Frames may be sent from any thread; those sent from one thread arrive in order. A client
 * that stops reading is terminated as a slow consumer once the channel's bounded outbound buffer
 * (its high water mark) is full, instead of queueing without limit.
 */
final class SbeSession
{
    /** How long a terminated session's unread output may keep the connection open. */
    static final long CLOSE_GRACE_MS = 10_000;

    private final Channel channel;
    private final AtomicLong slowConsumers;
    private volatile long accountId;
    private volatile boolean terminated;

    /** @param slowConsumers counts the sessions terminated as slow consumers */
    SbeSession(final Channel channel, final AtomicLong slowConsumers)
    {
        this.channel = channel;
        this.slowConsumers = slowConsumers;
    }

    long accountId()
    {
        return accountId;
    }

    void accountId(final long accountId)
    {
        this.accountId = accountId;
    }

    Channel channel()
    {
        return channel;
    }

    /** Writes the 6-byte Simple Open Framing Header of a frame of {@code frameLength} bytes. */
    static void putFramingHeader(final MutableDirectBuffer buffer, final int offset, final int frameLength)
    {
        buffer.putInt(offset, frameLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)SofhFrameDecoder.SBE_LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    /** Sends a complete frame (framing header included); the array is not modified afterwards. */
    void sendFrame(final byte[] frame)
    {
        if (channel.eventLoop().inEventLoop())
        {
            write(frame);
        }
        else
        {
            channel.eventLoop().execute(() -> write(frame));
        }
    }

    /**
     * Sends the frames after everything already queued for this connection, even when called on its
     * own I/O thread, so frames decided in one order under a lock arrive in that order.
     */
    void sendQueued(final List<byte[]> frames)
    {
        channel.eventLoop().execute(() -> frames.forEach(this::write));
    }

    private void write(final byte[] frame)
    {
        if (terminated || !channel.isActive())
        {
            return;
        }
        if (!channel.isWritable())
        {
            slowConsumers.incrementAndGet();
            terminate(SessionRejectCode.SLOW_CONSUMER, "outbound buffer full: the client is not reading");
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(frame), channel.voidPromise());
    }

    /** Sends Terminate with a reason and closes the connection after it (from any thread). */
    void terminate(final SessionRejectCode code, final String reason)
    {
        if (!channel.eventLoop().inEventLoop())
        {
            channel.eventLoop().execute(() -> terminate(code, reason));
            return;
        }
        if (terminated)
        {
            return;
        }
        terminated = true;
        channel.config().setAutoRead(false);
        channel.writeAndFlush(Unpooled.wrappedBuffer(terminateFrame(code, reason))).addListener(ChannelFutureListener.CLOSE);
        // A client that does not read would keep the Terminate (and the connection) pending forever.
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    static byte[] terminateFrame(final SessionRejectCode code, final String reason)
    {
        final String text = printableAscii(reason);
        final int length = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            TerminateEncoder.BLOCK_LENGTH + TerminateEncoder.reasonHeaderLength() + text.length();
        final byte[] frame = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        putFramingHeader(buffer, 0, length);
        new TerminateEncoder().wrapAndApplyHeader(buffer, SofhFrameDecoder.HEADER_LENGTH, new MessageHeaderEncoder())
            .code(code)
            .reason(text);
        return frame;
    }

    /** The text as printable ASCII of at most 1024 characters (it may quote what a client sent). */
    static String printableAscii(final String text)
    {
        final StringBuilder out = new StringBuilder(Math.min(text.length(), 1024));
        for (int i = 0; i < text.length() && out.length() < 1024; i++)
        {
            final char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    boolean terminated()
    {
        return terminated;
    }
}
