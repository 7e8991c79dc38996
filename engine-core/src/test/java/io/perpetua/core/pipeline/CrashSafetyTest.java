package io.perpetua.core.pipeline;

import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.core.journal.Replayer;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety: a child JVM runs a journaling pipeline and prints each acknowledged command; we
 * SIGKILL it while commands flow, then check that every acknowledged command is in the commands
 * journal (byte for byte what was submitted), that recovery succeeds, and that the recovered state
 * hash equals a fresh replay of the journal. The seed is fresh each run; {@code PERPETUA_SEED=N}
 * fixes it.
 */
class CrashSafetyTest
{
    private static final long SEED = TestSeeds.seed();
    private static final int SNAPSHOT_EVERY = 1_500;
    private static final int ACKS_BEFORE_KILL = 5_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommandSurvivesSigkillAndRecoveryMatchesReplay() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path childErr = dir.resolve("child.err");
        final Process child = new ProcessBuilder(childCommand(journal))
            .redirectError(childErr.toFile())
            .start();
        final AckReader acks = new AckReader(child);
        acks.start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (acks.count() < ACKS_BEFORE_KILL)
            {
                if (System.nanoTime() > deadline || !child.isAlive())
                {
                    throw new AssertionError("child acknowledged only " + acks.count() + " commands (alive: " +
                        child.isAlive() + ", seed " + SEED + "), stderr:\n" + Files.readString(childErr));
                }
                Thread.sleep(5);
            }
        }
        finally
        {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not die");
        }
        acks.join(TimeUnit.SECONDS.toMillis(60));
        final String context = " (seed " + SEED + ", " + acks.count() + " acks)";

        // Every acknowledged command is journaled, as submitted: one publisher, so sequence = correlation + 1.
        final long[] ackedSequences = acks.sequences();
        long maxAcked = 0;
        for (int i = 0; i < ackedSequences.length; i++)
        {
            assertEquals(acks.correlations()[i] + 1, ackedSequences[i], "sequence of correlation" + context);
            maxAcked = Math.max(maxAcked, ackedSequences[i]);
        }
        final long journaled = verifyCommandsJournal(new JournalLayout(journal), context);
        assertTrue(journaled >= maxAcked, "journal ends at " + journaled + " before acked " + maxAcked + context);

        // Recovery continues from the journal's end, repairing the events journal if the kill split the appends.
        final Pipeline recovered = Pipeline.start(new Pipeline.Context().journalDir(journal));
        recovered.close();
        assertEquals(journaled, recovered.startSequence(), context);
        assertEquals(journaled, recovered.finalSequence(), context);

        final Replayer.Result fresh = Replayer.replay(journal, Replayer::standardEngine, false, true, Throwable::printStackTrace);
        assertTrue(fresh.eventsMatch(), fresh.mismatch() + " at " + fresh.mismatchSequence() + context);
        assertEquals(recovered.finalStateHash(), fresh.stateHash(), "recovered vs replayed state hash" + context);
        final Replayer.Result fromSnapshot = Replayer.replay(journal, Replayer::standardEngine, true, true, Throwable::printStackTrace);
        assertTrue(fromSnapshot.snapshotSequence() > 0, "the child took snapshots" + context);
        assertEquals(fresh.stateHash(), fromSnapshot.stateHash(), "snapshot + tail vs full replay" + context);
    }

    @Test
    void aCommandsDocumentTornByACrashIsDroppedAndThePipelineContinuesAfterTheLastWholeOne() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final LiveRun live = LiveRun.run(journal, SEED, 2_000, SNAPSHOT_EVERY);
        final String context = " (seed " + SEED + ")";
        final Process child = new ProcessBuilder(
            io.perpetua.core.journal.TornWriteChild.command(new JournalLayout(journal).commandsDir(), live.lastSequence + 1))
            .redirectErrorStream(true)
            .start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit");
        assertEquals(io.perpetua.core.journal.TornWriteChild.EXIT_HALTED, child.exitValue(), output);

        final ResultCollector collector = new ResultCollector();
        final TestCommands encoder = new TestCommands();
        try (Pipeline recovered = Pipeline.start(new Pipeline.Context().journalDir(journal)))
        {
            assertEquals(live.lastSequence, recovered.startSequence(), "the torn document holds no command" + context);
            assertEquals(PublishResult.PUBLISHED, ResultCollector.publish(recovered, encoder.buffer(), encoder.heartbeat(), collector, 7));
            collector.await(1, 60);
        }
        assertEquals(live.lastSequence + 1, collector.get(7).sequence(), context);
        final Replayer.Result replayed = Replayer.replay(journal, Replayer::standardEngine, true, true, Throwable::printStackTrace);
        assertTrue(replayed.eventsMatch(), replayed.mismatch() + " at " + replayed.mismatchSequence() + context);
        assertEquals(live.lastSequence + 1, replayed.lastSequence(), context);
    }

    /** Checks the journal holds sequences 1..n, each the generator's command n - 1; returns n. */
    private static long verifyCommandsJournal(final JournalLayout layout, final String context)
    {
        final RandomCommands expected = new RandomCommands(SEED, SNAPSHOT_EVERY, LiveRun.CLOCK_STEP_NS);
        long sequence = 0;
        try (Journal commands = Journal.open(layout.commandsDir()); JournalReader reader = commands.reader())
        {
            while (reader.next())
            {
                sequence++;
                assertEquals(sequence, reader.sequence(), "journal sequence" + context);
                final int length = expected.next();
                assertEquals(length, reader.length(), "length of command " + sequence + context);
                assertTrue(sameExceptStamp(expected.buffer(), reader.buffer(), length), "bytes of command " + sequence + context);
            }
        }
        return sequence;
    }

    private static boolean sameExceptStamp(final DirectBuffer submitted, final DirectBuffer journaled, final int length)
    {
        final int stampStart = 8;
        final int stampEnd = 24;
        for (int i = 0; i < length; i++)
        {
            if ((i < stampStart || i >= stampEnd) && submitted.getByte(i) != journaled.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    private List<String> childCommand(final Path journal)
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
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashChild.class.getName());
        command.add(journal.toString());
        command.add(Long.toString(SEED));
        command.add(Integer.toString(SNAPSHOT_EVERY));
        return command;
    }

    /** Collects complete {@code ack} lines from the child's stdout until it closes. */
    private static final class AckReader extends Thread
    {
        private final Process child;
        private long[] sequences = new long[1 << 16];
        private long[] correlations = new long[1 << 16];
        private int count;

        AckReader(final Process child)
        {
            super("crash-child-acks");
            this.child = child;
            setDaemon(true);
        }

        @Override
        public void run()
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    final String[] parts = line.split(" ");
                    // A line cut by the kill lacks the terminating "." and is not an acknowledgement.
                    if (parts.length == 4 && parts[0].equals("ack") && parts[3].equals("."))
                    {
                        add(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        private synchronized void add(final long sequence, final long correlation)
        {
            if (count == sequences.length)
            {
                sequences = java.util.Arrays.copyOf(sequences, count * 2);
                correlations = java.util.Arrays.copyOf(correlations, count * 2);
            }
            sequences[count] = sequence;
            correlations[count] = correlation;
            count++;
        }

        synchronized int count()
        {
            return count;
        }

        synchronized long[] sequences()
        {
            return java.util.Arrays.copyOf(sequences, count);
        }

        synchronized long[] correlations()
        {
            return java.util.Arrays.copyOf(correlations, count);
        }
    }
}
