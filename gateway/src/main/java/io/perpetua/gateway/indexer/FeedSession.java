package io.perpetua.gateway.indexer;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.channel.Channel;
import io.perpetua.gateway.http.Connections;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * One connection to {@code /v4/ws}: its connection id and its message counter. Messages are
 * numbered and written on the connection's event loop only, so {@code message_id} increases in the
 * order the client receives them.
 */
final class FeedSession
{
    private final Channel channel;
    private final String connectionId;
    private long messageId;

    FeedSession(final Channel channel, final String connectionId)
    {
        this.channel = channel;
        this.connectionId = connectionId;
    }

    Channel channel()
    {
        return channel;
    }

    String connectionId()
    {
        return connectionId;
    }

    /** The next message's prefix up to and including {@code "message_id":N}; event loop only. */
    StringBuilder begin(final String type)
    {
        final StringBuilder out = new StringBuilder(256);
        out.append("{\"type\":\"").append(type).append("\",\"connection_id\":\"").append(connectionId)
            .append("\",\"message_id\":").append(messageId++);
        return out;
    }

    void connected()
    {
        send(begin("connected").append('}'));
    }

    void error(final String message)
    {
        send(begin("error").append(",\"message\":").append(quote(message)).append('}'));
    }

    /** Writes a message, or closes a connection whose outbound buffer is full; event loop only. */
    void send(final CharSequence json)
    {
        Connections.writeText(channel, json.toString());
    }

    void sendRaw(final String text)
    {
        Connections.writeText(channel, text);
    }

    /** Runs {@code task} on the connection's event loop (from the tailer thread). */
    void execute(final Runnable task)
    {
        channel.eventLoop().execute(task);
    }

    void close(final WebSocketCloseStatus status, final String reason)
    {
        Connections.close(channel, status, reason);
    }

    static String quote(final String text)
    {
        try
        {
            return IndexerJson.MAPPER.writeValueAsString(text);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
