package io.perpetua.gateway.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

import java.util.concurrent.TimeUnit;

/** Closing a WebSocket connection with a reason, also when its peer has stopped reading. */
public final class Connections
{
    /** How long a close frame may wait behind unsent data before the connection is cut. */
    public static final long CLOSE_GRACE_MS = 1_000;

    private Connections()
    {
    }

    /**
     * Queues a close frame with {@code reason} and closes the connection once it is written, or
     * after {@link #CLOSE_GRACE_MS} if the peer does not read (a slow consumer's buffer is full).
     * Call on the channel's event loop.
     */
    public static void close(final Channel channel, final WebSocketCloseStatus status, final String reason)
    {
        channel.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(future -> channel.close());
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }
}
