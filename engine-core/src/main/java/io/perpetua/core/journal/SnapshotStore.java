package io.perpetua.core.journal;

import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.SnapshotCodec;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * Writes and loads snapshot files. A snapshot is written to a temporary file, forced to disk and
 * renamed over its final name, so a reader sees either the whole snapshot or none: a process killed
 * mid-write leaves only a temporary file, which {@link JournalLayout#snapshotSequences()} ignores.
 *
 * <p>Used as the engine's {@link MatchingEngine.SnapshotListener} on the core thread; a failed write
 * is reported to the error handler and does not stop the engine (the journal still holds every
 * command, so recovery merely replays more).
 */
public final class SnapshotStore implements MatchingEngine.SnapshotListener
{
    private final JournalLayout layout;
    private final ErrorHandler errorHandler;
    private final SnapshotCodec codec = new SnapshotCodec();
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64 * 1024);
    private boolean skipExisting;

    public SnapshotStore(final JournalLayout layout, final ErrorHandler errorHandler)
    {
        this.layout = layout;
        this.errorHandler = errorHandler;
    }

    /** With true, snapshots whose file already exists are not rewritten (used while recovering). */
    SnapshotStore skipExisting(final boolean skipExisting)
    {
        this.skipExisting = skipExisting;
        return this;
    }

    @Override
    public void onSnapshot(final MatchingEngine engine, final long stateHash)
    {
        try
        {
            final Path target = layout.snapshotFile(engine.lastSequence());
            if (!skipExisting || !Files.exists(target))
            {
                write(engine, stateHash);
            }
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    /**
     * Writes the engine's state as the snapshot of its last sequence number.
     *
     * @return the snapshot file
     */
    public Path write(final MatchingEngine engine, final long stateHash)
    {
        final int length = codec.encode(engine, stateHash, buffer);
        final Path target = layout.snapshotFile(engine.lastSequence());
        final Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try
        {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final ByteBuffer bytes = buffer.byteBuffer().duplicate();
                bytes.limit(length).position(0);
                while (bytes.hasRemaining())
                {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + target, ex);
        }
    }

    /**
     * Restores the snapshot file into a fresh engine.
     *
     * @return the sequence number the snapshot covers
     * @throws IllegalStateException if the file is not a valid snapshot (the restored hash differs)
     */
    public static long load(final MatchingEngine freshEngine, final Path file)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read snapshot " + file, ex);
        }
        return SnapshotCodec.restore(freshEngine, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** An engine restored from a snapshot, or a fresh one (sequence 0) if none was usable. */
    record Restored(MatchingEngine engine, long snapshotSequence)
    {
    }

    /**
     * Restores the newest snapshot covering at most {@code maxSequence}; a snapshot that fails to
     * load is reported and the next older one tried.
     */
    static Restored restoreLatest(
        final JournalLayout layout,
        final Supplier<MatchingEngine> engineFactory,
        final long maxSequence,
        final ErrorHandler errorHandler)
    {
        final long[] sequences = layout.snapshotSequences();
        for (int i = sequences.length - 1; i >= 0; i--)
        {
            final long sequence = sequences[i];
            if (sequence > maxSequence)
            {
                continue;
            }
            final MatchingEngine engine = engineFactory.get();
            try
            {
                final long covered = load(engine, layout.snapshotFile(sequence));
                if (covered != sequence)
                {
                    throw new IllegalStateException(
                        "snapshot file " + layout.snapshotFile(sequence) + " covers sequence " + covered);
                }
                return new Restored(engine, sequence);
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }
        return new Restored(engineFactory.get(), 0);
    }
}
