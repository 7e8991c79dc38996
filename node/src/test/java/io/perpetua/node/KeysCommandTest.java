package io.perpetua.node;

import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.node.config.ConfigLoader;
import io.perpetua.node.config.NodeConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code perpetua keys new}: entries the node's configuration loader accepts, and its usage errors. */
class KeysCommandTest
{
    private record Outcome(int code, String out, String err)
    {
    }

    private static Outcome run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = PerpetuaCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    private static String example() throws IOException
    {
        try (InputStream in = KeysCommandTest.class.getResourceAsStream("/perpetua-example.yaml"))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The example configuration with the printed entry added under {@code apiKeys:}. */
    private static NodeConfig.ApiKey loaded(final String entry, final String key) throws IOException
    {
        final String yaml = example().replaceFirst("(?m)^apiKeys:.*$", "apiKeys:\n" + entry.stripTrailing());
        final NodeConfig config = ConfigLoader.parse(yaml, Path.of("."));
        return config.apiKeys().stream().filter(k -> k.key().equals(key)).findFirst()
            .orElseThrow(() -> new AssertionError("the key " + key + " is not in the loaded configuration"));
    }

    @Test
    void aTraderKeyLoadsIntoTheConfiguration() throws IOException
    {
        final Outcome created = run("keys", "new", "--account", "7");
        assertEquals(0, created.code, created.err);
        final String[] lines = created.out.split("\n");
        assertEquals(4, lines.length, created.out);
        final String key = lines[0].substring("  - key: ".length());
        assertTrue(key.startsWith("trader-7-") && ApiKeyStore.KEY_PATTERN.matcher(key).matches(), key);
        final String secret = lines[1].substring("    secret: ".length());
        assertEquals(KeysCommand.New.SECRET_BYTES, Base64.getUrlDecoder().decode(secret).length);
        final NodeConfig.ApiKey loaded = loaded(created.out, key);
        assertEquals(ApiKeyStore.Role.TRADER, loaded.role());
        assertEquals(7, loaded.accountId());
        assertArrayEquals(secret.getBytes(StandardCharsets.UTF_8), loaded.secret());

        final Outcome another = run("keys", "new", "--account", "7");
        assertNotEquals(created.out, another.out, "each key has its own name suffix and secret");
    }

    @Test
    void anOracleKeyWithAChosenName() throws IOException
    {
        final Outcome created = run("keys", "new", "--role", "ORACLE", "--name", "oracle-source-9");
        assertEquals(0, created.code, created.err);
        assertTrue(created.out.startsWith("  - key: oracle-source-9\n"), created.out);
        final NodeConfig.ApiKey loaded = loaded(created.out, "oracle-source-9");
        assertEquals(ApiKeyStore.Role.ORACLE, loaded.role());
        assertEquals(0, loaded.accountId());
    }

    @Test
    void usageErrorsExitTwoAndPrintNothing()
    {
        for (final String[] args : new String[][] {
            {"keys", "new"},
            {"keys", "new", "--account", "0"},
            {"keys", "new", "--role", "ORACLE", "--account", "3"},
            {"keys", "new", "--account", "3", "--name", "short"},
            {"keys", "new", "--account", "3", "--name", "has space in it"},
            {"keys", "new", "--account", "3", "--role", "ADMIN"}})
        {
            final Outcome outcome = run(args);
            assertEquals(PerpetuaCli.EXIT_USAGE, outcome.code, String.join(" ", args) + ": " + outcome.err);
            assertEquals("", outcome.out, String.join(" ", args));
            assertTrue(!outcome.err.isBlank(), String.join(" ", args));
        }
    }
}
