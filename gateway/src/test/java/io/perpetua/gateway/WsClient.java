package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test WebSocket client: sends text, receives whole text messages into a queue. */
final class WsClient implements AutoCloseable
{
    static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile String closeReason;

    WsClient(final String url) throws Exception
    {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener()
        {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
            {
                partial.append(data);
                if (last)
                {
                    received.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
            {
                closeReason = statusCode + " " + reason;
                closed.countDown();
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    void send(final String text) throws Exception
    {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    String nextText() throws InterruptedException
    {
        final String text = received.poll(30, TimeUnit.SECONDS);
        if (text == null)
        {
            throw new AssertionError("no message within 30 s (closed: " + closeReason + ")");
        }
        return text;
    }

    JsonNode next() throws Exception
    {
        return JSON.readTree(nextText());
    }

    /** The next message of {@code type}, skipping others (e.g. deltas racing with a request). */
    JsonNode next(final String type) throws Exception
    {
        while (true)
        {
            final JsonNode message = next();
            if (message.path("type").asText().equals(type))
            {
                return message;
            }
        }
    }

    /** Waits for the server's close frame; returns "status reason", or null if none came within 30 s. */
    String awaitClose() throws InterruptedException
    {
        closed.await(30, TimeUnit.SECONDS);
        return closeReason;
    }

    @Override
    public void close()
    {
        socket.abort();
    }
}
