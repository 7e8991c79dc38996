package io.perpetua.gateway.http;

import io.netty.channel.Channel;

/** One WebSocket service (a path): its callbacks run on the connection's event loop. */
public interface WebSocketEndpoint
{
    /** The handshake completed; the endpoint may send its greeting. */
    void onOpen(Channel channel);

    /** One complete text message (fragments already joined). */
    void onText(Channel channel, String text);

    /** A binary message: these endpoints speak text, so they answer with an error. */
    void onBinary(Channel channel);

    void onClose(Channel channel);
}
