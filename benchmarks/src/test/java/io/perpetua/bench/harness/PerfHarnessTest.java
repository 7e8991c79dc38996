package io.perpetua.bench.harness;

import io.perpetua.core.pipeline.WaitMode;
import io.perpetua.node.Engines;
import io.perpetua.node.bench.EncodedStream;
import io.perpetua.node.bench.PerpetualsWorkload;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness measures what it claims: every timed command is answered and counted, latency has one
 * sample per command, every mode ends in the workload's expected state, the ceilings see every
 * command, and a kept journal replays to the same state. Sizes are small and no timing is asserted.
 */
class PerfHarnessTest
{
    private static PerpetualsWorkload perpetuals;
    private static Workload workload;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate()
    {
        perpetuals = PerpetualsWorkload.generate(new PerpetualsWorkload.Config(2, 2, 20, 4_000, 1_000));
        workload = new Workload("small", perpetuals.stream(), Engines::standard, PerpetualsWorkload::clock,
            perpetuals.expectedStateHash());
    }

    @Test
    void everyModeAnswersEveryCommandAndEndsInTheExpectedState() throws IOException
    {
        for (final boolean singleStage : new boolean[] {false, true})
        {
            final StreamRunner runner = new StreamRunner(workload, WaitMode.YIELDING, singleStage);
            for (final boolean journal : new boolean[] {false, true})
            {
                for (final long rate : new long[] {0, 200_000})
                {
                    final Measurement m = runner.run(journal, rate, false);
                    final String mode = "single-stage " + singleStage + ", journal " + journal + ", rate " + rate;
                    assertEquals(perpetuals.expectedStateHash(), m.stateHash(), mode);
                    assertEquals(perpetuals.lastSequence(), m.lastSequence(), mode);
                    assertEquals(perpetuals.stream().timedCount(), m.commands(), mode);
                    assertTrue(m.elapsedNs() > 0 && m.gcCount() >= 0 && m.allocatedBytes() >= 0, mode);
                    assertNull(m.journal(), mode);
                    if (rate > 0)
                    {
                        final Histogram latency = m.latency();
                        assertEquals(perpetuals.stream().timedCount(), latency.getTotalCount(), mode);
                        assertTrue(latency.getMinValue() >= 0, mode);
                    }
                    else
                    {
                        assertNull(m.latency(), mode);
                    }
                }
            }
        }
    }

    @Test
    void keptJournalReplaysToTheSameStateAndIsThenDeleted() throws IOException
    {
        final Measurement m = new StreamRunner(workload, WaitMode.BLOCKING, false).run(true, 0, true);
        assertTrue(Files.isDirectory(m.journal()));
        try
        {
            for (final boolean verify : new boolean[] {false, true})
            {
                final ReplaySpeed.Timed replay = ReplaySpeed.replay(m.journal(), workload, verify);
                assertTrue(replay.result().eventsMatch(), replay.result().mismatch());
                assertEquals(m.stateHash(), replay.result().stateHash());
                assertEquals(perpetuals.stream().totalCount(), replay.result().commandsReplayed());
            }
        }
        finally
        {
            StreamRunner.deleteRecursively(m.journal());
        }
        assertFalse(Files.exists(m.journal()));
    }

    @Test
    void ceilingsSeeEveryTimedCommand() throws IOException
    {
        final EncodedStream stream = perpetuals.stream();
        assertEquals(stream.timedCount(), Ceilings.noOpRing(stream, WaitMode.YIELDING, false, 1 << 10).commands());
        assertEquals(stream.timedCount(), Ceilings.noOpRing(stream, WaitMode.BLOCKING, true, 1 << 10).commands());
        assertEquals(stream.timedCount(), Ceilings.rawChronicle(stream, 1).commands());
        assertEquals(stream.timedCount(), Ceilings.rawChronicle(stream, Integer.MAX_VALUE).commands());
    }

    @Test
    void commandsAreDueEvenlyFromTheStart()
    {
        assertEquals(1_000, StreamRunner.intendedNs(1_000, 0, 250_000));
        assertEquals(1_000 + 3 * 4_000, StreamRunner.intendedNs(1_000, 3, 250_000));
        assertEquals(333_333_333, StreamRunner.intendedNs(0, 1, 3));
        assertEquals(3_000_000_000L, StreamRunner.intendedNs(0, 15_000_000, 5_000_000));
    }

    @Test
    void harnessOnAnExchangeCoreStreamPrintsEveryTableAndMatches() throws IOException
    {
        final Path stream = tinyExchangeCoreStream();
        final StringWriter text = new StringWriter();
        // Two stages whatever the machine (the default depends on its processors), so both CPU columns print.
        final int code = PerfHarness.execute(new String[] {"--file", stream.toString(), "--runs", "2", "--warmups", "1",
            "--rates", "100000,400000", "--single-stage=false"}, new PrintWriter(text));
        final String output = text.toString();
        assertEquals(0, code, output);
        assertTrue(output.contains("two stages"), output);
        for (final String heading : new String[] {"## Throughput", "## Ceilings", "## Latency", "## Replay", "Journals of a throughput run"})
        {
            assertTrue(output.contains(heading), heading + " missing from\n" + output);
        }
        assertTrue(output.strip().endsWith("RESULT harness workload=tiny state=match"), output);
        for (final String row : new String[] {"| off | 100k |", "| off | 400k |", "| on | 100k |", "| on | 400k |"})
        {
            assertTrue(output.contains(row), row + " missing from\n" + output);
        }
        // Throughput rows: journals, runs, median, then the stage threads' CPU ns per command.
        assertEquals(2, output.lines().filter(line -> line.matches("\\| (on|off) \\| [0-9., ]+ \\| \\*\\*[0-9.]+M\\*\\* \\| [0-9]+, [0-9]+ \\|.*"))
            .count(), output);
    }

    @Test
    void unusableArgumentsAreAUsageError() throws IOException
    {
        final Path stream = tinyExchangeCoreStream();
        final StringWriter text = new StringWriter();
        assertEquals(PerfHarness.EXIT_USAGE, PerfHarness.execute(new String[] {"--file", stream.toString(), "--journal", "maybe"},
            new PrintWriter(text)));
        assertEquals(PerfHarness.EXIT_USAGE, PerfHarness.execute(new String[] {"--workload", "none"}, new PrintWriter(text)));
        assertEquals(PerfHarness.EXIT_USAGE, PerfHarness.execute(new String[] {"--file", stream.toString(), "--runs", "0"},
            new PrintWriter(text)));
    }

    /** Two makers, a partial fill, a move, a reduce, a cancel and an IOC, in exchange-core's format. */
    private Path tinyExchangeCoreStream() throws IOException
    {
        final Path file = dir.resolve("tiny.commands.csv.gz");
        try (Writer writer = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.US_ASCII))
        {
            writer.write("phase,cmd,symbol,uid,orderId,action,orderType,price,size,reservePrice\n");
            writer.write("fill,PLACE,40000,1,1,ASK,GTC,101,10,0\n");
            writer.write("fill,PLACE,40000,2,2,BID,GTC,99,10,200\n");
            writer.write("bench,PLACE,40000,3,3,BID,GTC,101,4,200\n");
            writer.write("bench,MOVE,40000,2,2,,,98,,\n");
            writer.write("bench,REDUCE,40000,1,1,,,,2,\n");
            writer.write("bench,PLACE,40000,4,4,ASK,GTC,105,7,0\n");
            writer.write("bench,CANCEL,40000,4,4,,,,,\n");
            writer.write("bench,PLACE,40000,5,5,BID,IOC,103,1,200\n");
        }
        return file;
    }
}
