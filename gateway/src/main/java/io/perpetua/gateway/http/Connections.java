package io.perpetua.gateway.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.AttributeKey;

import java.util.concurrent.TimeUnit;

/** Writing to and closing WebSocket connections, also when their peer has stopped reading. */
public final class Connections
{
    /** How long a close frame may wait behind unsent data before the connection is cut. */
    public static final long CLOSE_GRACE_MS = 1_000;

    /** The reason a connection whose outbound buffer filled up is closed with (status 1008). */
    public static final String SLOW_CONSUMER = "slow consumer: outbound buffer full";

    /** Set once a close frame is queued: nothing may follow it on the wire. */
    private static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("perpetua.closing");

    private Connections()
    {
    }

    /**
     * Writes a text frame, or closes the connection as a slow consumer if its outbound buffer is
     * full. Writers that run ahead of the event loop (journal tailers) queue their writes as tasks,
     * so the buffer's state is only known here, when the write is about to happen. Call on the
     * channel's event loop.
     */
    public static void writeText(final Channel channel, final String text)
    {
        if (isClosing(channel) || !channel.isActive())
        {
            return;
        }
        if (!channel.isWritable())
        {
            close(channel, WebSocketCloseStatus.POLICY_VIOLATION, SLOW_CONSUMER);
            return;
        }
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** Whether a close frame has been queued on this connection. */
    public static boolean isClosing(final Channel channel)
    {
        return Boolean.TRUE.equals(channel.attr(CLOSING).get());
    }

    /**
     * Queues a close frame with {@code reason} and closes the connection once it is written, or
     * after {@link #CLOSE_GRACE_MS} if the peer does not read (a slow consumer's buffer is full).
     * A second close of the same connection does nothing. Call on the channel's event loop.
     */
    public static void close(final Channel channel, final WebSocketCloseStatus status, final String reason)
    {
        if (channel.attr(CLOSING).setIfAbsent(Boolean.TRUE) != null)
        {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(future -> channel.close());
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }
}
