package io.perpetua.gateway;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The trading page's exact decimals ({@code web/decimal.js}), unit-tested by
 * {@code src/test/browser/decimal.test.mjs} under node's own test runner. Needs node (as the ccxt
 * test does); never skipped.
 */
class DecimalJsTest
{
    @Test
    void decimalHelperPassesItsNodeTests() throws Exception
    {
        final Process node;
        try
        {
            node = new ProcessBuilder("node", "--test", "decimal.test.mjs")
                .directory(TradingPageBrowserTest.DIRECTORY.toFile()).redirectErrorStream(true).start();
        }
        catch (final java.io.IOException ex)
        {
            throw new AssertionError("cannot start node (is node 20+ installed and on the PATH?): " + ex.getMessage(), ex);
        }
        final String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(2, TimeUnit.MINUTES))
        {
            node.destroyForcibly();
            fail("node --test did not end within 2 minutes:\n" + output);
        }
        assertEquals(0, node.exitValue(), output);
        final Matcher pass = Pattern.compile("^# pass (\\d+)$", Pattern.MULTILINE).matcher(output);
        assertTrue(pass.find() && Integer.parseInt(pass.group(1)) > 0, "node ran tests:\n" + output);
        assertTrue(output.contains("\n# fail 0\n"), output);
    }
}
