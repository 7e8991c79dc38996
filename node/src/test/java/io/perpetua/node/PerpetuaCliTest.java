package io.perpetua.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalAppender;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI contract: the demo's last line is the state hash, replay of its journal prints the same
 * line (from a snapshot, in full, and with event verification), a changed event makes verification
 * exit non-zero naming its sequence, and {@code journal dump --json} prints one JSON object per line.
 */
class PerpetuaCliTest
{
    private static final Pattern STATE_HASH = Pattern.compile("state-hash [0-9a-f]{16} at seq [0-9]+");

    @TempDir
    static Path dir;

    private static Path journal;
    private static String demoLastLine;
    private static List<String> demoOut;

    /** What one CLI run printed. */
    record Run(int exitCode, List<String> out, String err)
    {
        String lastLine()
        {
            return out.isEmpty() ? "" : out.get(out.size() - 1);
        }
    }

    static Run cli(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = PerpetuaCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        final List<String> lines = new ArrayList<>(List.of(out.toString().split("\n")));
        lines.removeIf(String::isEmpty);
        return new Run(code, lines, err.toString());
    }

    @BeforeAll
    static void runDemo()
    {
        journal = dir.resolve("journal");
        final Run demo = cli("demo", "--seconds", "5", "--journal", journal.toString(), "--rate", "5000",
            "--snapshot-seconds", "1", "--http-port", "0", "--sbe-port", "0");
        assertEquals(0, demo.exitCode(), demo.err());
        demoLastLine = demo.lastLine();
        demoOut = demo.out();
        assertTrue(STATE_HASH.matcher(demoLastLine).matches(), "last line: " + demoLastLine);
        final String result = demo.out().get(demo.out().size() - 2);
        assertTrue(result.matches("RESULT demo fills=\\d+ liquidations=\\d+ adl=\\d+ insurance=-?\\d+ open-interest=\\d+ " +
            "funding-ticks=\\d+ batches=\\d+"),
            "line before the state hash: " + result);
        assertTrue(demo.out().size() >= 3, "a start line, summaries, the final line: " + demo.out());
        assertTrue(demo.out().stream().anyMatch(line -> line.matches("demo: web page +http://127\\.0\\.0\\.1:\\d+/")),
            "the demo prints its URLs: " + demo.out());
        assertTrue(demo.out().stream().anyMatch(line -> line.matches("demo: health +http://127\\.0\\.0\\.1:\\d+/health")),
            "and the health probe's: " + demo.out());
        assertTrue(demo.out().stream().anyMatch(line -> line.matches("demo: trader login +key demo-trader secret \\S+ \\(account 2\\)")),
            "and a trader login for the page: " + demo.out());
        assertTrue(new JournalLayout(journal).snapshotSequences().length >= 1, "the demo took a snapshot");
    }

    /** The maker is an SBE client: its quotes, cancels and replaces come back as its execution reports. */
    @Test
    void theDemosMakerPlacesAndCancelsOverSbe()
    {
        final Pattern makerLine = Pattern.compile("demo: market maker over SBE: sessions (\\d+), execution reports new (\\d+) " +
            "rested (\\d+) partially-filled (\\d+) filled (\\d+) replaced (\\d+) cancelled (\\d+) rejected (\\d+)");
        final Matcher maker = demoOut.stream().map(makerLine::matcher).filter(Matcher::matches).findFirst()
            .orElseThrow(() -> new AssertionError("no maker line: " + demoOut));
        assertEquals("1", maker.group(1), "one session, never dropped: " + maker.group());
        assertTrue(Long.parseLong(maker.group(2)) > 100, "quotes accepted: " + maker.group());
        assertTrue(Long.parseLong(maker.group(4)) + Long.parseLong(maker.group(5)) > 0, "quotes filled: " + maker.group());
        assertTrue(Long.parseLong(maker.group(6)) > 0, "quotes moved by CancelReplace: " + maker.group());
        assertTrue(Long.parseLong(maker.group(7)) > 100, "quotes cancelled (MassCancel, CancelOrder): " + maker.group());
        assertTrue(demoOut.stream().filter(line -> line.startsWith("[")).allMatch(line -> line.matches(".* maker SBE reports \\d+")),
            "each summary counts the maker's reports: " + demoOut);
    }

    @Test
    void replayPrintsTheDemosStateHash()
    {
        final Run fromSnapshot = cli("replay", journal.toString());
        assertEquals(0, fromSnapshot.exitCode(), fromSnapshot.err());
        assertEquals(List.of(demoLastLine), fromSnapshot.out());

        final Run full = cli("replay", journal.toString(), "--full");
        assertEquals(List.of(demoLastLine), full.out());

        final Run verified = cli("replay", journal.toString(), "--verify-events");
        assertEquals(0, verified.exitCode(), verified.err());
        assertEquals(List.of(demoLastLine), verified.out());
    }

    @Test
    void verificationNamesTheFirstDifferingSequence() throws IOException
    {
        final Path changed = dir.resolve("changed");
        long target = 0;
        copyTree(new JournalLayout(journal).commandsDir(), new JournalLayout(changed).commandsDir());
        try (Journal events = Journal.open(new JournalLayout(journal).eventsDir());
            JournalReader reader = events.reader();
            Journal copy = Journal.open(new JournalLayout(changed).eventsDir());
            JournalAppender appender = copy.appender())
        {
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1 << 16]);
            while (reader.next())
            {
                scratch.putBytes(0, reader.buffer(), 0, reader.length());
                if (target == 0 && reader.sequence() >= 200)
                {
                    target = reader.sequence();
                    scratch.putByte(reader.length() - 1, (byte)(scratch.getByte(reader.length() - 1) + 1));
                }
                appender.append(scratch, 0, reader.length());
            }
            appender.commit();
        }
        assertTrue(target >= 200, "the demo journal has events beyond sequence 200");
        final Run run = cli("replay", changed.toString(), "--verify-events");
        assertEquals(PerpetuaCli.EXIT_MISMATCH, run.exitCode());
        assertTrue(run.err().contains("seq " + target), run.err());
        assertEquals(List.of(), run.out());
    }

    @Test
    void replayOfADirectoryWithoutJournalIsAUsageError()
    {
        final Run run = cli("replay", dir.resolve("nothing-here").toString());
        assertEquals(PerpetuaCli.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("no commands journal"), run.err());
    }

    @Test
    void jsonDumpPrintsOneObjectPerLineWithEnumNames() throws IOException
    {
        final Run run = cli("journal", "dump", journal.toString(), "--json", "--limit", "2000");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(2000, run.out().size());
        final ObjectMapper mapper = new ObjectMapper();
        boolean sawPlace = false;
        boolean sawFill = false;
        for (final String line : run.out())
        {
            final JsonNode node = mapper.readTree(line);
            assertTrue(node.isObject(), line);
            assertTrue(node.get("kind").isTextual() && node.get("type").isTextual() && node.get("sequence").canConvertToLong(), line);
            if (node.get("type").asText().equals("PlaceOrder"))
            {
                sawPlace = true;
                assertTrue(node.get("side").asText().matches("BUY|SELL"), line);
                assertTrue(node.get("timeInForce").isTextual() && node.get("flags").isArray(), line);
            }
            if (node.get("type").asText().equals("Fill"))
            {
                sawFill = true;
                assertTrue(node.get("aggressorSide").isTextual() && node.get("quote").canConvertToLong(), line);
            }
        }
        assertTrue(sawPlace && sawFill, "orders and fills within the first 2000 lines");
        assertEquals("MarketConfigured", mapper.readTree(run.out().get(1)).get("type").asText());
        assertEquals("BTC-USD", mapper.readTree(run.out().get(1)).get("symbol").asText());
    }

    /**
     * Every balance can be recomputed from the JSON dump alone: deposits, withdrawals and transfers
     * (CollateralChanged), the quote and fee of each trade side (PositionChanged), funding payments
     * (FundingPayment) and insurance movements add up to the balance each event reports, and the
     * totals conserve money.
     */
    @Test
    void balancesCanBeRecomputedFromTheJsonDump() throws IOException
    {
        final Run run = cli("journal", "dump", journal.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        final ObjectMapper mapper = new ObjectMapper();
        final java.util.Map<Long, Long> balances = new java.util.TreeMap<>();
        long deposits = 0;
        long fees = 0;
        long insurance = 0;
        long funding = 0;
        int checked = 0;
        for (final String line : run.out())
        {
            final JsonNode node = mapper.readTree(line);
            final String type = node.get("type").asText();
            final long account = node.has("accountId") ? node.get("accountId").asLong() : 0;
            final long expected;
            switch (type)
            {
                case "CollateralChanged" ->
                {
                    final long amount = node.get("amount").asLong();
                    final String cause = node.get("cause").asText();
                    if (cause.equals("DEPOSIT") || cause.equals("WITHDRAWAL"))
                    {
                        deposits += amount;
                    }
                    expected = balances.merge(account, amount, Long::sum);
                    assertEquals(expected, node.get("balance").asLong(), line);
                    checked++;
                }
                case "PositionChanged" ->
                {
                    final long fee = node.get("fee").asLong();
                    fees += fee;
                    expected = balances.merge(account, node.get("quoteDelta").asLong() - fee, Long::sum);
                    assertEquals(expected, node.get("balance").asLong(), line);
                    checked++;
                }
                case "InsuranceFundChanged" ->
                {
                    final long amount = node.get("amount").asLong();
                    insurance += amount;
                    if (node.get("cause").asText().equals("FUNDING_DUST"))
                    {
                        funding -= amount;
                    }
                    else
                    {
                        expected = balances.merge(account, -amount, Long::sum);
                        assertEquals(expected, node.get("accountBalance").asLong(), line);
                    }
                    assertEquals(insurance, node.get("fundBalance").asLong(), line);
                    checked++;
                }
                case "FundingPayment" ->
                {
                    final long amount = node.get("amount").asLong();
                    funding -= amount;
                    expected = balances.merge(account, amount, Long::sum);
                    assertEquals(expected, node.get("balance").asLong(), line);
                    assertEquals(funding, node.get("fundingBalance").asLong(), line);
                    checked++;
                }
                default ->
                {
                }
            }
        }
        assertTrue(checked > 100, "the demo moved collateral and positions: " + checked);
        final long total = balances.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(deposits, total + fees + insurance + funding,
            "balances + fee account + insurance fund + funding account = deposits - withdrawals");
    }

    @Test
    void textDumpStartsAtTheRequestedSequence()
    {
        final Run run = cli("journal", "dump", journal.toString(), "--from", "500", "--limit", "10");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(10, run.out().size());
        assertTrue(run.out().get(0).startsWith("command "), run.out().get(0));
        assertTrue(run.out().get(0).contains(" sequence=500 "), run.out().get(0));
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(from))
        {
            files = walk.toList();
        }
        for (final Path file : files)
        {
            final Path target = to.resolve(from.relativize(file).toString());
            if (Files.isDirectory(file))
            {
                Files.createDirectories(target);
            }
            else
            {
                Files.copy(file, target);
            }
        }
    }
}
