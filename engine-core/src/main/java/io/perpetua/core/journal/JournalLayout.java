package io.perpetua.core.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Where one engine keeps its durable state, so that the pipeline, recovery, replay and the CLI
 * agree on it: {@code commands/} and {@code events/} (Chronicle queues) and
 * {@code snapshots/snapshot-<seq>.bin} under one root directory.
 */
public final class JournalLayout
{
    /** Directory of the commands queue, relative to the root. */
    public static final String COMMANDS = "commands";
    /** Directory of the events queue, relative to the root. */
    public static final String EVENTS = "events";
    /** Directory of snapshot files, relative to the root. */
    public static final String SNAPSHOTS = "snapshots";

    private static final String SNAPSHOT_PREFIX = "snapshot-";
    private static final String SNAPSHOT_SUFFIX = ".bin";

    private final Path root;

    public JournalLayout(final Path root)
    {
        this.root = root.toAbsolutePath();
    }

    public Path root()
    {
        return root;
    }

    public Path commandsDir()
    {
        return root.resolve(COMMANDS);
    }

    public Path eventsDir()
    {
        return root.resolve(EVENTS);
    }

    public Path snapshotsDir()
    {
        return root.resolve(SNAPSHOTS);
    }

    /** The file holding the snapshot taken at command {@code sequence}. */
    public Path snapshotFile(final long sequence)
    {
        return snapshotsDir().resolve(SNAPSHOT_PREFIX + sequence + SNAPSHOT_SUFFIX);
    }

    /** True if the root holds a commands journal (a directory the pipeline has written to). */
    public boolean hasCommandsJournal()
    {
        return Files.isDirectory(commandsDir());
    }

    /**
     * Sequence numbers of the complete snapshot files, ascending. Temporary files of an interrupted
     * write and foreign names are ignored.
     */
    public long[] snapshotSequences()
    {
        final Path dir = snapshotsDir();
        if (!Files.isDirectory(dir))
        {
            return new long[0];
        }
        try (Stream<Path> files = Files.list(dir))
        {
            final long[] sequences = files
                .map(path -> path.getFileName().toString())
                .mapToLong(JournalLayout::parseSnapshotName)
                .filter(sequence -> sequence > 0)
                .toArray();
            Arrays.sort(sequences);
            return sequences;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
    }

    static long parseSnapshotName(final String name)
    {
        if (!name.startsWith(SNAPSHOT_PREFIX) || !name.endsWith(SNAPSHOT_SUFFIX))
        {
            return -1;
        }
        final String digits = name.substring(SNAPSHOT_PREFIX.length(), name.length() - SNAPSHOT_SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 18)
        {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++)
        {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9')
            {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    @Override
    public String toString()
    {
        return root.toString();
    }
}
