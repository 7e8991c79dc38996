package io.perpetua.settlement.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Batch files in a directory, one per batch ({@code batch-0000000001.psb}), each written to a
 * temporary file and renamed into place, so a batcher killed mid-write leaves either the whole
 * batch or none of it (a stray {@code .tmp} is ignored and overwritten). The batcher's snapshots
 * ({@code batcher-0000000001.pss}, the state after that batch) sit beside them, written the same way;
 * the two newest are kept.
 */
public final class BatchStore
{
    private static final String PREFIX = "batch-";
    private static final String SUFFIX = ".psb";
    private static final String SNAPSHOT_PREFIX = "batcher-";
    private static final String SNAPSHOT_SUFFIX = ".pss";
    private static final int SNAPSHOTS_KEPT = 2;

    private final Path dir;

    public BatchStore(final Path dir)
    {
        this.dir = dir;
    }

    /** Where a node keeps its batches: {@code <journal>/settlement/batches}. */
    public static Path batchesDir(final Path journalRoot)
    {
        return journalRoot.resolve("settlement").resolve("batches");
    }

    /** Where a node keeps its simulated contract's state: {@code <journal>/settlement/contract.state}. */
    public static Path contractStateFile(final Path journalRoot)
    {
        return journalRoot.resolve("settlement").resolve("contract.state");
    }

    public Path dir()
    {
        return dir;
    }

    public Path file(final long batchId)
    {
        return dir.resolve(String.format("%s%010d%s", PREFIX, batchId, SUFFIX));
    }

    /** Stored batch ids, ascending. */
    public List<Long> ids()
    {
        return idsOf(PREFIX, SUFFIX);
    }

    /** Ids of the batches whose batcher snapshots are stored, ascending. */
    public List<Long> snapshotIds()
    {
        return idsOf(SNAPSHOT_PREFIX, SNAPSHOT_SUFFIX);
    }

    public Path snapshotFile(final long batchId)
    {
        return dir.resolve(String.format("%s%010d%s", SNAPSHOT_PREFIX, batchId, SNAPSHOT_SUFFIX));
    }

    /** The snapshot bytes stored for a batch. */
    public Optional<byte[]> readSnapshot(final long batchId)
    {
        final Path file = snapshotFile(batchId);
        if (!Files.exists(file))
        {
            return Optional.empty();
        }
        try
        {
            return Optional.of(Files.readAllBytes(file));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }

    /** Stores the batcher's snapshot after a batch, then deletes all but the newest snapshots. */
    public void writeSnapshot(final long batchId, final byte[] snapshot)
    {
        writeAtomically(snapshotFile(batchId), snapshot);
        final List<Long> ids = snapshotIds();
        for (int i = 0; i < ids.size() - SNAPSHOTS_KEPT; i++)
        {
            try
            {
                Files.deleteIfExists(snapshotFile(ids.get(i)));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot delete " + snapshotFile(ids.get(i)), ex);
            }
        }
    }

    private List<Long> idsOf(final String prefix, final String suffix)
    {
        final List<Long> ids = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return ids;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            files.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith(prefix) && n.endsWith(suffix))
                .map(n -> Long.parseLong(n.substring(prefix.length(), n.length() - suffix.length())))
                .sorted()
                .forEach(ids::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
        return ids;
    }

    /** The highest id such that batches 1..id are all stored (0 if none). */
    public long lastContiguousId()
    {
        long last = 0;
        for (final long id : ids())
        {
            if (id != last + 1)
            {
                break;
            }
            last = id;
        }
        return last;
    }

    public Optional<SettlementBatch> read(final long batchId)
    {
        final Path file = file(batchId);
        if (!Files.exists(file))
        {
            return Optional.empty();
        }
        try
        {
            return Optional.of(SettlementBatch.decode(Files.readAllBytes(file)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }

    public void write(final SettlementBatch batch)
    {
        writeAtomically(file(batch.batchId()), batch.encode());
    }

    private void writeAtomically(final Path file, final byte[] bytes)
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            Files.createDirectories(dir);
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
