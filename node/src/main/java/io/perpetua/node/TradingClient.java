package io.perpetua.node;

import io.perpetua.gateway.trading.LoginVerifier;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the trading WebSocket API ({@code /v1/trade}), as the demo's market maker, takers
 * and oracle sources use it: it logs in with an API key and an HMAC signature like any client, then
 * sends requests without waiting for their answers (the gateway answers each one, in order per
 * connection), counts errors by code, and keeps a count of requests not answered yet
 * (shared by the caller's clients, so the caller can bound them). Sends come from one thread at a time.
 */
final class TradingClient implements AutoCloseable
{
    private static final Pattern ERROR_CODE = Pattern.compile("\"code\":\"([A-Z_]+)\"");
    private static final long TIMEOUT_S = 30;

    private final String apiKey;
    private final WebSocket socket;
    private final CompletableFuture<String> loginReply = new CompletableFuture<>();
    private final Map<String, LongAdder> errors;
    private final AtomicLong inFlight;
    private volatile boolean loggedIn;

    /**
     * Connects to {@code uri} and logs in.
     *
     * @param errors   shared counters of error codes (of all the caller's clients)
     * @param inFlight shared count of requests sent and not answered yet
     */
    static TradingClient connect(
        final HttpClient http,
        final URI uri,
        final String apiKey,
        final byte[] secret,
        final Map<String, LongAdder> errors,
        final AtomicLong inFlight)
    {
        final TradingClient client = new TradingClient(http, uri, apiKey, errors, inFlight);
        client.login(secret);
        return client;
    }

    private TradingClient(
        final HttpClient http, final URI uri, final String apiKey, final Map<String, LongAdder> errors, final AtomicLong inFlight)
    {
        this.apiKey = apiKey;
        this.errors = errors;
        this.inFlight = inFlight;
        socket = await(http.newWebSocketBuilder().buildAsync(uri, new Listener()), "connect to " + uri);
    }

    private void login(final byte[] secret)
    {
        final long timestamp = System.currentTimeMillis();
        final String nonce = "login-" + Long.toHexString(System.nanoTime());
        write("{\"op\":\"login\",\"requestId\":\"login\",\"apiKey\":\"" + apiKey + "\",\"timestamp\":" + timestamp +
            ",\"nonce\":\"" + nonce + "\",\"signature\":\"" + LoginVerifier.sign(secret, apiKey, timestamp, nonce) + "\"}");
        final String reply = await(loginReply, "log in as " + apiKey);
        if (!reply.startsWith("{\"type\":\"result\""))
        {
            throw new IllegalStateException("login of " + apiKey + " failed: " + reply);
        }
        loggedIn = true;
    }

    /** Sends one request (a JSON object) and waits until the socket took it, not for the answer. */
    void send(final String json)
    {
        inFlight.incrementAndGet();
        write(json);
    }

    private void write(final String json)
    {
        await(socket.sendText(json, true), "send to the gateway as " + apiKey);
    }

    private static <T> T await(final CompletableFuture<T> future, final String what)
    {
        try
        {
            return future.get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", ex);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(what + ": " + ex.getCause().getMessage(), ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException(what + ": no answer within " + TIMEOUT_S + " s", ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            // The connection is gone already (the node stopped first): nothing left to close.
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener
    {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                onMessage(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void onMessage(final String message)
        {
            if (!loggedIn && !loginReply.isDone())
            {
                loginReply.complete(message);
                return;
            }
            inFlight.decrementAndGet();
            if (message.startsWith("{\"type\":\"error\""))
            {
                final Matcher code = ERROR_CODE.matcher(message);
                errors.computeIfAbsent(code.find() ? code.group(1) : "UNKNOWN", c -> new LongAdder()).increment();
            }
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
        {
            loginReply.complete("closed " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(final WebSocket webSocket, final Throwable error)
        {
            loginReply.completeExceptionally(error);
        }
    }

    /** Counters for {@link #connect}: one per error code. */
    static Map<String, LongAdder> errorCounters()
    {
        return new ConcurrentHashMap<>();
    }
}
