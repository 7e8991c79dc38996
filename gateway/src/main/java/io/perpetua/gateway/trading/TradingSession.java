package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.perpetua.gateway.http.Connections;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

import java.util.concurrent.atomic.AtomicLong;

/** One trading connection: its logged-in key (null before login). Writes go through its event loop. */
final class TradingSession implements TradingPeer
{
    private final Channel channel;
    private volatile ApiKeyStore.ApiKey apiKey;
    private final AtomicLong acknowledged = new AtomicLong();

    TradingSession(final Channel channel)
    {
        this.channel = channel;
    }

    Channel channel()
    {
        return channel;
    }

    @Override
    public long accountId()
    {
        final ApiKeyStore.ApiKey key = apiKey;
        return key == null ? 0 : key.accountId();
    }

    @Override
    public ApiKeyStore.Role role()
    {
        final ApiKeyStore.ApiKey key = apiKey;
        return key == null ? null : key.role();
    }

    @Override
    public String apiKey()
    {
        final ApiKeyStore.ApiKey key = apiKey;
        return key == null ? null : key.key();
    }

    /** Logs the session in: the key's account and role hold for every later request. */
    void login(final ApiKeyStore.ApiKey apiKey)
    {
        this.apiKey = apiKey;
    }

    /** Sends from any thread; messages sent from one thread arrive in order. */
    @Override
    public void send(final ObjectNode message)
    {
        final String text = message.toString();
        if (channel.eventLoop().inEventLoop())
        {
            Connections.writeText(channel, text);
        }
        else
        {
            channel.eventLoop().execute(() -> Connections.writeText(channel, text));
        }
    }

    @Override
    public void acknowledged(final long sequence)
    {
        acknowledged.accumulateAndGet(sequence, Math::max);
    }

    @Override
    public long acknowledgedSequence()
    {
        return acknowledged.get();
    }

    void close(final WebSocketCloseStatus status, final String reason)
    {
        channel.eventLoop().execute(() -> Connections.close(channel, status, reason));
    }
}
