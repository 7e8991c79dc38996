package io.perpetua.risk.view;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalAppender;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tailer hands over every entry, or only those after a sequence its consumer already has. */
class JournalTailerTest
{
    /** Entries of the journal below: some sequences missing, as in an events journal. */
    private static final long[] SEQUENCES = {1, 2, 3, 5, 6, 9, 10, 11, 14};

    @TempDir
    Path dir;

    @Test
    void startsAtTheBeginningOrAfterTheGivenSequence()
    {
        write();
        assertEquals(List.of(1L, 2L, 3L, 5L, 6L, 9L, 10L, 11L, 14L), tail(0));
        assertEquals(List.of(6L, 9L, 10L, 11L, 14L), tail(5));
        // A sequence without an entry of its own: the next one that has one.
        assertEquals(List.of(9L, 10L, 11L, 14L), tail(7));
        assertEquals(List.of(), tail(14));
    }

    @Test
    void aJournalThatEndsBeforeTheSequenceFailsTheTailer()
    {
        write();
        final JournalTailer tailer = new JournalTailer("test-tailer", dir, 20, (buffer, offset, length) -> { }).start();
        tailer.close();
        assertTrue(tailer.failure() instanceof IllegalStateException, String.valueOf(tailer.failure()));
        assertTrue(tailer.failure().getMessage().endsWith("ends before sequence 20, which its reader had already read"),
            tailer.failure().getMessage());
    }

    private void write()
    {
        final CommandEncoder encoder = new CommandEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        try (Journal journal = Journal.open(dir); JournalAppender appender = journal.appender())
        {
            for (int i = 0; i < SEQUENCES.length; i++)
            {
                final int length = encoder.heartbeat(buffer, 0);
                CommandAdapter.stamp(buffer, 0, SEQUENCES[i], SEQUENCES[i] * 1_000);
                appender.append(buffer, 0, length);
                // Documents of two or three entries, so that a seek lands inside one.
                if (i % 3 == 2 || i == SEQUENCES.length - 1)
                {
                    appender.commit();
                }
            }
        }
    }

    /** The sequences a tailer started after {@code after} hands over, once it has read the whole journal. */
    private List<Long> tail(final long after)
    {
        final List<Long> sequences = new ArrayList<>();
        final JournalTailer tailer = new JournalTailer("test-tailer", dir, after,
            (buffer, offset, length) -> sequences.add(CommandAdapter.sequenceOf(buffer, offset))).start();
        tailer.close();
        assertNull(tailer.failure());
        return sequences;
    }
}
