package io.perpetua.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.perpetua.gateway.trading.LoginVerifier;
import io.perpetua.gateway.trading.TradingEndpoint;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.oracle.OracleMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code perpetua run --config FILE} as an operator runs it: a child JVM on a tiny configuration
 * over loopback ephemeral ports; signed oracle prices and an order through the trading WebSocket;
 * the order in the book over REST; SIGTERM prints the state hash, which {@code perpetua replay}
 * reproduces and a second {@code run} on the same directory recovers, book included.
 */
class NodeRunTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_S = 120;
    private static final Pattern RUNNING = Pattern.compile("perpetua: running, journal .* from sequence (\\d+)");
    private static final Pattern URL = Pattern.compile("perpetua: http://127\\.0\\.0\\.1:(\\d+)/.*");
    private static final Pattern STATE_HASH = Pattern.compile("state-hash [0-9a-f]{16} at seq \\d+");
    private static final String ALICE_SECRET = "alice-secret-0123456789";
    private static final String ORACLE_SECRET = "oracle-secret-0123456789";

    @TempDir
    Path dir;

    private static KeyPair source(final int index)
    {
        return Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("node-run-test/oracle", index));
    }

    private static String hex(final KeyPair pair)
    {
        return HexFormat.of().formatHex(Ed25519Keys.rawPublicKey(pair.getPublic()));
    }

    private Path writeConfig() throws IOException
    {
        final Path file = dir.resolve("node.yaml");
        Files.writeString(file, """
            journal: journal
            snapshotIntervalSeconds: 0
            http: {port: 0}
            sbe: {port: 0}
            markets:
              - {id: 1, symbol: BTC-USD, tickSize: 50, lotSize: 100000, quoteScaleExponent: 4, minSize: 100000,
                 maxSize: 1000000000, priceBandPpm: 50000, makerFeePpm: -100, takerFeePpm: 500, referencePrice: 6000000,
                 oracle: {quorum: 2, sources: ["%s", "%s"]}}
            apiKeys:
              - {key: alice-key, secret: %s, account: 11}
              - {key: oracle-key, secret: %s, role: ORACLE}
            deposits:
              - {account: 11, amount: "10000", ownerKey: "%s"}
            """.formatted(hex(source(0)), hex(source(1)), ALICE_SECRET, ORACLE_SECRET,
            hex(Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("node-run-test/owner", 11)))));
        return file;
    }

    /** A {@code perpetua run} child JVM and the lines it prints. */
    private static final class RunningNode implements AutoCloseable
    {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        RunningNode(final Path config) throws IOException
        {
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
            {
                if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports") || argument.startsWith("-Dchronicle."))
                {
                    command.add(argument);
                }
            }
            command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), PerpetuaCli.class.getName(),
                "run", "--config", config.toString()));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = in.readLine()) != null)
                    {
                        lines.add(line);
                    }
                }
                catch (final IOException ex)
                {
                    lines.add("read failed: " + ex);
                }
            }, "node-run-test-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line (from now) that {@code matches}; fails after the deadline with everything seen. */
        Matcher await(final Pattern pattern) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (true)
            {
                final String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null)
                {
                    throw new AssertionError("no line matching " + pattern + " within " + TIMEOUT_S + " s; output: " + seen);
                }
                seen.add(line);
                final Matcher matcher = pattern.matcher(line);
                if (matcher.matches())
                {
                    return matcher;
                }
            }
        }

        /** SIGTERM; returns the state-hash line the shutdown hook prints. */
        String terminate() throws InterruptedException
        {
            // SIGTERM through the handle: Process.destroy() would also close our end of its output.
            assertTrue(process.toHandle().destroy(), "SIGTERM sent");
            final String line = await(STATE_HASH).group();
            assertTrue(process.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the node exits after SIGTERM");
            return line;
        }

        @Override
        public void close()
        {
            process.destroyForcibly();
        }
    }

    /** A trading WebSocket: requests and their answers in order. */
    private static final class Trader implements AutoCloseable
    {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final WebSocket socket;

        Trader(final int port) throws Exception
        {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + port + TradingEndpoint.PATH), new WebSocket.Listener()
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
                }).get(TIMEOUT_S, TimeUnit.SECONDS);
        }

        JsonNode request(final String json) throws Exception
        {
            socket.sendText(json, true).get(TIMEOUT_S, TimeUnit.SECONDS);
            final String answer = received.poll(TIMEOUT_S, TimeUnit.SECONDS);
            assertNotNull(answer, "no answer to " + json);
            return JSON.readTree(answer);
        }

        JsonNode login(final String key, final String secret) throws Exception
        {
            final long timestamp = System.currentTimeMillis();
            final String nonce = "nonce-" + System.nanoTime();
            return request("{\"op\":\"login\",\"requestId\":\"login\",\"apiKey\":\"" + key + "\",\"timestamp\":" + timestamp +
                ",\"nonce\":\"" + nonce + "\",\"signature\":\"" +
                LoginVerifier.sign(secret.getBytes(StandardCharsets.UTF_8), key, timestamp, nonce) + "\"}");
        }

        @Override
        public void close()
        {
            socket.abort();
        }
    }

    private static JsonNode oraclePrice(final Trader oracle, final int source, final long price, final long timestampNs)
        throws Exception
    {
        final byte[] signature = OracleMessage.sign(source(source).getPrivate(), 1, price, timestampNs);
        return oracle.request("{\"op\":\"oraclePrice\",\"requestId\":\"o" + source + "\",\"market\":\"BTC-USD\",\"source\":" +
            source + ",\"price\":\"" + price / 100 + "\",\"timestamp\":" + timestampNs + ",\"signature\":\"" +
            HexFormat.of().formatHex(signature) + "\"}");
    }

    /** GETs {@code path} until {@code done} accepts the JSON body; fails after the deadline. */
    private static JsonNode awaitRest(final int port, final String path, final Predicate<JsonNode> done) throws Exception
    {
        final HttpClient http = HttpClient.newHttpClient();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        JsonNode body = null;
        while (System.nanoTime() < deadline)
        {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
            body = JSON.readTree(response.body());
            if (response.statusCode() == 200 && done.test(body))
            {
                return body;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError(path + " did not reach the expected state within " + TIMEOUT_S + " s: " + body);
    }

    private static boolean hasBid(final JsonNode book)
    {
        for (final JsonNode level : book.path("bids"))
        {
            if (level.get("price").asText().equals("59000") && level.get("size").asText().equals("0.01"))
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void runServesTradingAndARestartRecoversTheStateHash() throws Exception
    {
        final Path config = writeConfig();
        final String firstHash;
        try (RunningNode node = new RunningNode(config))
        {
            assertEquals("1", node.await(RUNNING).group(1), "a new journal starts at sequence 1");
            final int port = Integer.parseInt(node.await(URL).group(1));
            try (Trader oracle = new Trader(port); Trader alice = new Trader(port))
            {
                assertEquals("ORACLE", oracle.login("oracle-key", ORACLE_SECRET).get("role").asText());
                final long now = System.currentTimeMillis() * 1_000_000L;
                final JsonNode first = oraclePrice(oracle, 0, 6_000_000, now);
                assertEquals("result", first.get("type").asText(), first.toString());
                assertFalse(first.get("submitted").asBoolean(), "one source of a quorum of two");
                final JsonNode second = oraclePrice(oracle, 1, 6_000_000, now + 1);
                assertTrue(second.get("submitted").asBoolean(), second.toString());
                final JsonNode forged = oracle.request("{\"op\":\"oraclePrice\",\"requestId\":\"f\",\"market\":\"BTC-USD\"," +
                    "\"source\":0,\"price\":\"1\",\"timestamp\":" + (now + 2) + ",\"signature\":\"" + "00".repeat(64) + "\"}");
                assertEquals("INVALID_ORACLE_PRICE", forged.get("code").asText(), forged.toString());
                awaitRest(port, "/v4/perpetualMarkets", body -> body.path("markets").path("BTC-USD").path("oraclePrice")
                    .asText().equals("60000"));

                final JsonNode login = alice.login("alice-key", ALICE_SECRET);
                assertEquals(11, login.get("accountId").asLong(), login.toString());
                final JsonNode placed = alice.request("{\"op\":\"place\",\"requestId\":\"p1\",\"market\":\"BTC-USD\"," +
                    "\"side\":\"BUY\",\"price\":\"59000\",\"size\":\"0.01\"}");
                assertEquals("result", placed.get("type").asText(), placed.toString());
                assertEquals("rested", placed.get("events").get(1).get("event").asText(), placed.toString());
                awaitRest(port, "/v4/orderbooks/perpetualMarket/BTC-USD", NodeRunTest::hasBid);
            }
            firstHash = node.terminate();
        }

        final PerpetuaCliTest.Run replay = PerpetuaCliTest.cli("replay", dir.resolve("journal").toString());
        assertEquals(List.of(firstHash), replay.out(), replay.err());

        try (RunningNode again = new RunningNode(config))
        {
            final long sequence = Long.parseLong(firstHash.substring(firstHash.lastIndexOf(' ') + 1));
            assertEquals(Long.toString(sequence + 1), again.await(RUNNING).group(1), "continues the journal");
            final int port = Integer.parseInt(again.await(URL).group(1));
            awaitRest(port, "/v4/orderbooks/perpetualMarket/BTC-USD", NodeRunTest::hasBid);
            assertEquals(firstHash, again.terminate(), "the restarted node recovered the same state");
        }
    }

    @Test
    void aBadConfigurationStopsRunBeforeAnythingStarts() throws Exception
    {
        final Path config = writeConfig();
        Files.writeString(config, Files.readString(config).replace("tickSize: 50", "tickSize: 0"));
        final PerpetuaCliTest.Run run = PerpetuaCliTest.cli("run", "--config", config.toString());
        assertEquals(PerpetuaCli.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("markets[0].tickSize: must be > 0: 0"), run.err());
        assertFalse(Files.exists(dir.resolve("journal")), "nothing started");

        final PerpetuaCliTest.Run missing = PerpetuaCliTest.cli("run", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(PerpetuaCli.EXIT_USAGE, missing.exitCode());
        assertTrue(missing.err().contains("no configuration file"), missing.err());
    }
}
