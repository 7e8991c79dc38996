package io.perpetua.gateway;

import io.perpetua.gateway.sbe.SbeServer;
import io.perpetua.gateway.trading.LoginVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A C++ client compiled with g++ from codecs that sbe-tool generates from the published schema
 * establishes a session, places an order and reads its execution report, then subscribes to the
 * market's order-by-order data and prints its snapshot: the schema is usable outside Java, byte for byte.
 */
class SbeCppClientTest
{
    private static final Path CLIENT_SOURCE = Path.of("src/test/cpp/sbe_client.cpp");

    @TempDir
    Path journal;

    @TempDir
    Path build;

    private static String run(final Path directory, final long timeoutSeconds, final List<String> command)
        throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        final byte[] output;
        try (var in = process.getInputStream())
        {
            output = in.readAllBytes();
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        final String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + text);
        return text;
    }

    private static String gxx()
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        {
            if (Files.isExecutable(Path.of(dir, "g++")))
            {
                return Path.of(dir, "g++").toString();
            }
        }
        throw new AssertionError("g++ is not on the PATH: this test compiles a C++ SBE client with it " +
            "(install the distribution's g++ package)");
    }

    @Test
    void aCppClientEstablishesPlacesAnOrderAndReadsItsExecutionReport() throws Exception
    {
        final String gxx = gxx();
        final Path codecs = build.resolve("codecs");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        run(build, 120, List.of(java, "-cp", System.getProperty("java.class.path"),
            "-Dsbe.output.dir=" + codecs, "-Dsbe.target.language=Cpp", "-Dsbe.target.namespace=perpetua_mm",
            "-Dsbe.validation.stop.on.error=true", "uk.co.real_logic.sbe.SbeTool",
            SbeTestClient.SCHEMA.toAbsolutePath().toString()));
        final Path binary = build.resolve("sbe_client");
        run(build, 300, List.of(gxx, "-std=c++17", "-O1", "-Wall", "-I" + codecs, "-o", binary.toString(),
            CLIENT_SOURCE.toAbsolutePath().toString()));

        try (TestExchange exchange = new TestExchange(journal, SbeOrderEntryTest.keys(), 1024,
            config -> config.sbe(new InetSocketAddress("127.0.0.1", 0))))
        {
            exchange.awaitMarketData(2);
            final long timestamp = System.currentTimeMillis();
            final String nonce = SbeOrderEntryTest.nonce();
            final String signature = LoginVerifier.signRequest(SbeOrderEntryTest.ALICE_SECRET, "alice-key", timestamp, nonce,
                SbeServer.SIGNED_CONTEXT);
            final String output = run(build, 120, List.of(binary.toString(), Integer.toString(exchange.gateway.sbePort()),
                "alice-key", Long.toString(timestamp), nonce, signature, Integer.toString(TestExchange.BTC),
                Long.toString(SbeOrderEntryTest.PRICE), Long.toString(SbeOrderEntryTest.LOT), "77"));
            assertTrue(output.contains("established account=" + SbeOrderEntryTest.ALICE + " nextSeqNo=1"), output);
            assertTrue(output.contains("execution report seqNo=1 orderId=") &&
                output.contains("clientOrderId=77 execType=NEW leavesQty=" + SbeOrderEntryTest.LOT), output);
            assertTrue(output.contains("SUBSCRIBED market=" + TestExchange.BTC + " mdSeqNo="), output);
            assertTrue(output.contains("snapshot market=" + TestExchange.BTC + " mdSeqNo="), output);
            final String orderId = output.replaceAll("(?s).*execution report seqNo=1 orderId=(\\d+).*", "$1");
            assertTrue(output.contains("id=" + orderId + " side=BUY price=" + SbeOrderEntryTest.PRICE + " size=" +
                SbeOrderEntryTest.LOT) || output.contains("OrderAdd id=" + orderId + " price=" + SbeOrderEntryTest.PRICE),
                output);
            assertTrue(output.contains("book has order " + orderId), output);
        }
    }
}
