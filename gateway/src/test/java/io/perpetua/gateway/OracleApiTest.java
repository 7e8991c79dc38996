package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.gateway.trading.LoginVerifier;
import io.perpetua.gateway.trading.OracleInbox;
import io.perpetua.gateway.trading.TradingEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trading API's {@code oraclePrice} op and key roles: only ORACLE keys may submit source prices,
 * which go to the node's {@link OracleInbox} as decoded integers; ORACLE keys may not trade; every
 * refusal is a specific error and the connection stays usable.
 */
class OracleApiTest
{
    private static final byte[] ORACLE_SECRET = "oracle-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALICE_SECRET = "alice-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final String SIGNATURE = "ab".repeat(64);
    private static final AtomicLong NONCES = new AtomicLong(20_000_000);

    /** One offer the gateway made to the inbox. */
    private record Offer(int marketId, int source, long price, long timestampNs, int signatureLength)
    {
    }

    @TempDir
    Path journal;

    private final List<Offer> offers = new CopyOnWriteArrayList<>();
    private volatile OracleInbox.Outcome next = OracleInbox.Outcome.PENDING;
    private TestExchange exchange;
    private WsClient ws;
    private int requests;

    @BeforeEach
    void start() throws Exception
    {
        final ApiKeyStore keys = new ApiKeyStore();
        keys.add("oracle-key-0", ORACLE_SECRET, 0, ApiKeyStore.Role.ORACLE);
        keys.add("alice-key", ALICE_SECRET, 11);
        final OracleInbox inbox = (marketId, source, price, timestampNs, signature) ->
        {
            offers.add(new Offer(marketId, source, price, timestampNs, signature.length));
            return next;
        };
        exchange = new TestExchange(journal, keys, new Pipeline.Context().ringSize(), config -> config.oracle(inbox));
        exchange.awaitMarketData(2);
    }

    @AfterEach
    void stop()
    {
        if (ws != null)
        {
            ws.close();
        }
        exchange.close();
    }

    private JsonNode request(final String json) throws Exception
    {
        ws.send(json);
        return ws.next();
    }

    private JsonNode login(final String key, final byte[] secret) throws Exception
    {
        ws = new WsClient("ws://127.0.0.1:" + exchange.gateway.port() + TradingEndpoint.PATH);
        final long timestamp = System.currentTimeMillis();
        final String nonce = "n" + NONCES.incrementAndGet();
        return request("{\"op\":\"login\",\"requestId\":\"login\",\"apiKey\":\"" + key + "\",\"timestamp\":" + timestamp +
            ",\"nonce\":\"" + nonce + "\",\"signature\":\"" + LoginVerifier.sign(secret, key, timestamp, nonce) + "\"}");
    }

    private String price(final String market, final String source, final String price, final String timestamp,
        final String signature)
    {
        return "{\"op\":\"oraclePrice\",\"requestId\":\"p" + ++requests + "\",\"market\":" + market + ",\"source\":" + source +
            ",\"price\":" + price + ",\"timestamp\":" + timestamp + ",\"signature\":" + signature + "}";
    }

    private static void assertError(final JsonNode response, final String code)
    {
        assertEquals("error", response.get("type").asText(), response.toString());
        assertEquals(code, response.get("code").asText(), response.toString());
        assertFalse(response.get("message").asText().isEmpty());
    }

    @Test
    void anOracleKeySubmitsSignedSourcePrices() throws Exception
    {
        final JsonNode login = login("oracle-key-0", ORACLE_SECRET);
        assertEquals("result", login.get("type").asText(), login.toString());
        assertEquals("ORACLE", login.get("role").asText());
        assertFalse(login.has("accountId"), login.toString());

        final JsonNode pending = request(price("\"BTC-USD\"", "1", "\"60000.5\"", "1795300000000000123", "\"" + SIGNATURE + "\""));
        assertEquals("result", pending.get("type").asText(), pending.toString());
        assertEquals("p1", pending.get("requestId").asText());
        assertFalse(pending.get("submitted").asBoolean());
        assertEquals(List.of(new Offer(TestExchange.BTC, 1, 6_000_050, 1_795_300_000_000_000_123L, 64)), offers);

        next = OracleInbox.Outcome.SUBMITTED;
        final JsonNode submitted = request(price("\"ETH-USD\"", "0", "\"3000\"", "1795300000000000124", "\"" + SIGNATURE + "\""));
        assertTrue(submitted.get("submitted").asBoolean(), submitted.toString());
        assertEquals(new Offer(TestExchange.ETH, 0, 300_000, 1_795_300_000_000_000_124L, 64), offers.get(1));

        next = OracleInbox.Outcome.BAD_SIGNATURE;
        assertError(request(price("\"BTC-USD\"", "0", "\"60000\"", "1795300000000000125", "\"" + SIGNATURE + "\"")),
            "INVALID_ORACLE_PRICE");
        next = OracleInbox.Outcome.UNKNOWN_SOURCE;
        assertError(request(price("\"BTC-USD\"", "7", "\"60000\"", "1795300000000000126", "\"" + SIGNATURE + "\"")),
            "INVALID_ORACLE_PRICE");
        next = OracleInbox.Outcome.NOT_NEWER;
        assertError(request(price("\"BTC-USD\"", "0", "\"60000\"", "1795300000000000126", "\"" + SIGNATURE + "\"")),
            "INVALID_ORACLE_PRICE");
        assertEquals(5, offers.size());

        // Refused before the inbox: nothing more reaches it.
        assertError(request(price("\"DOGE-USD\"", "0", "\"1\"", "1", "\"" + SIGNATURE + "\"")), "UNKNOWN_MARKET");
        assertError(request(price("\"BTC-USD\"", "0", "\"60000.001\"", "1", "\"" + SIGNATURE + "\"")), "INVALID_FIELD");
        assertError(request(price("\"BTC-USD\"", "0", "\"0\"", "1", "\"" + SIGNATURE + "\"")), "INVALID_FIELD");
        assertError(request(price("\"BTC-USD\"", "-1", "\"60000\"", "1", "\"" + SIGNATURE + "\"")), "INVALID_FIELD");
        assertError(request(price("\"BTC-USD\"", "255", "\"60000\"", "1", "\"" + SIGNATURE + "\"")), "INVALID_FIELD");
        assertError(request(price("\"BTC-USD\"", "0", "\"60000\"", "0", "\"" + SIGNATURE + "\"")), "INVALID_FIELD");
        assertError(request(price("\"BTC-USD\"", "0", "\"60000\"", "1", "\"abcd\"")), "INVALID_FIELD");
        assertError(request(price("\"BTC-USD\"", "0", "\"60000\"", "1", "\"" + "zz".repeat(64) + "\"")), "INVALID_FIELD");
        assertError(request(price("\"BTC-USD\"", "0", "60000", "1", "\"" + SIGNATURE + "\"")), "INVALID_FIELD");
        assertError(request("{\"op\":\"oraclePrice\",\"requestId\":\"x\",\"market\":\"BTC-USD\",\"source\":0,\"price\":\"1\"," +
            "\"timestamp\":1}"), "MISSING_FIELD");
        assertError(request("{\"op\":\"oraclePrice\",\"requestId\":\"y\",\"market\":\"BTC-USD\",\"source\":0,\"price\":\"1\"," +
            "\"timestamp\":1,\"signature\":\"" + SIGNATURE + "\",\"accountId\":3}"), "UNKNOWN_FIELD");
        assertEquals(5, offers.size());

        // An oracle key trades nothing and has no account channel.
        assertError(request("{\"op\":\"place\",\"requestId\":\"t1\",\"market\":\"BTC-USD\",\"side\":\"BUY\",\"price\":\"60000\"," +
            "\"size\":\"0.001\"}"), "NOT_PERMITTED");
        assertError(request("{\"op\":\"cancelAll\",\"requestId\":\"t2\"}"), "NOT_PERMITTED");
        assertError(request("{\"op\":\"subscribe\",\"requestId\":\"t3\",\"channel\":\"account\"}"), "NOT_PERMITTED");
        final JsonNode pong = request("{\"op\":\"ping\",\"requestId\":\"t4\"}");
        assertEquals("pong", pong.get("type").asText(), pong.toString());
    }

    @Test
    void aTraderKeyMayNotSubmitOraclePrices() throws Exception
    {
        final JsonNode login = login("alice-key", ALICE_SECRET);
        assertEquals("TRADER", login.get("role").asText(), login.toString());
        assertEquals(11, login.get("accountId").asLong());
        assertError(request(price("\"BTC-USD\"", "0", "\"60000\"", "1795300000000000000", "\"" + SIGNATURE + "\"")),
            "NOT_PERMITTED");
        ws.close();
        ws = null;
        assertTrue(offers.isEmpty());

        final String body = price("\"BTC-USD\"", "0", "\"60000\"", "1795300000000000000", "\"" + SIGNATURE + "\"");
        final HttpResponse<String> response = SignedPost.send(exchange, "alice-key", ALICE_SECRET,
            "n" + NONCES.incrementAndGet(), body);
        assertEquals(403, response.statusCode(), response.body());
        assertError(WsClient.JSON.readTree(response.body()), "NOT_PERMITTED");
        assertTrue(offers.isEmpty());
    }
}
