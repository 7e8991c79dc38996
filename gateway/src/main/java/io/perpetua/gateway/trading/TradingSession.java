package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.perpetua.gateway.http.Connections;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

import java.util.concurrent.atomic.AtomicLong;

/** One trading connection: its logged-in account (0 before login). Writes go through its event loop. */
final class TradingSession implements TradingPeer
{
    private final Channel channel;
    private volatile long accountId;
    private volatile String apiKey;
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
        return accountId;
    }

    @Override
    public String apiKey()
    {
        return apiKey;
    }

    /** Logs the session in: the key's account acts for every later request. */
    void login(final String apiKey, final long accountId)
    {
        this.apiKey = apiKey;
        this.accountId = accountId;
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
