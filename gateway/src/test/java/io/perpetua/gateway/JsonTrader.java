package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.perpetua.gateway.trading.LoginVerifier;
import io.perpetua.gateway.trading.TradingEndpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A logged-in connection to the trading WebSocket: requests answered in order, account-channel
 * messages that arrive meanwhile kept for {@link #awaitEvent}.
 */
final class JsonTrader implements AutoCloseable
{
    private static final AtomicLong NONCES = new AtomicLong(20_000_000);

    final WsClient ws;
    final List<JsonNode> account = new ArrayList<>();
    private final List<JsonNode> events = new ArrayList<>();
    private int requests;

    JsonTrader(final TestExchange exchange, final String key, final byte[] secret) throws Exception
    {
        ws = new WsClient("ws://127.0.0.1:" + exchange.gateway.port() + TradingEndpoint.PATH);
        final long timestamp = System.currentTimeMillis();
        final String nonce = "n" + NONCES.incrementAndGet();
        assertEquals("result", request("login", "apiKey", key, "timestamp", timestamp, "nonce", nonce,
            "signature", LoginVerifier.sign(secret, key, timestamp, nonce)).get("type").asText());
    }

    /** Sends a request with the given field name/value pairs and returns its response. */
    JsonNode request(final String op, final Object... fields) throws Exception
    {
        final ObjectNode request = JsonNodeFactory.instance.objectNode().put("op", op)
            .put("requestId", op + "-" + ++requests);
        for (int i = 0; i < fields.length; i += 2)
        {
            request.set((String)fields[i], WsClient.JSON.valueToTree(fields[i + 1]));
        }
        ws.send(request.toString());
        while (true)
        {
            final JsonNode message = ws.next();
            if (message.get("type").asText().equals("account"))
            {
                account.add(message);
                continue;
            }
            assertEquals(request.get("requestId").asText(), message.get("requestId").asText(), message.toString());
            return message;
        }
    }

    /** Account-channel events, in order, until one of {@code kind} arrives; returns that event. */
    JsonNode awaitEvent(final String kind) throws Exception
    {
        while (true)
        {
            while (events.isEmpty())
            {
                final JsonNode message = account.isEmpty() ? ws.next() : account.remove(0);
                assertEquals("account", message.get("type").asText(), message.toString());
                message.get("events").forEach(events::add);
            }
            final JsonNode event = events.remove(0);
            if (event.get("event").asText().equals(kind))
            {
                return event;
            }
        }
    }

    @Override
    public void close()
    {
        ws.close();
    }
}
