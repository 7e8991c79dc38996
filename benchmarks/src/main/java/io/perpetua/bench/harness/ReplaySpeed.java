package io.perpetua.bench.harness;

import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.core.journal.Replayer;

import java.nio.file.Path;

/**
 * How fast a journal replays: {@link Replayer#replay} from the first command (what
 * {@code perpetua replay --full} and {@code --verify-events} run), in this process so that the
 * workload's own engine is used.
 */
public final class ReplaySpeed
{
    private ReplaySpeed()
    {
    }

    /**
     * @param result  the replay's outcome
     * @param elapsedNs its wall time, opening the journals included
     */
    public record Timed(Replayer.Result result, long elapsedNs)
    {
        public double commandsPerSecond()
        {
            return result.commandsReplayed() * 1e9 / elapsedNs;
        }
    }

    public static Timed replay(final Path journal, final Workload workload, final boolean verifyEvents)
    {
        final long startNs = System.nanoTime();
        final Replayer.Result result = Replayer.replay(journal, workload.engineFactory(), false, verifyEvents,
            Throwable::printStackTrace);
        return new Timed(result, System.nanoTime() - startNs);
    }

    /**
     * Entries and Chronicle documents of one journal: their ratio is the mean ring batch the stage
     * that wrote it committed at once.
     */
    public record Shape(long entries, long documents)
    {
        public double entriesPerDocument()
        {
            return documents == 0 ? 0 : (double)entries / documents;
        }
    }

    public static Shape shape(final Path queueDirectory)
    {
        long entries = 0;
        long documents = 0;
        long lastIndex = -1;
        try (Journal journal = Journal.open(queueDirectory); JournalReader reader = journal.reader())
        {
            while (reader.next())
            {
                entries++;
                if (reader.index() != lastIndex)
                {
                    documents++;
                    lastIndex = reader.index();
                }
            }
        }
        return new Shape(entries, documents);
    }
}
