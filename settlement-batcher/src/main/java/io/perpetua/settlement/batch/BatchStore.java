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
 * batch or none of it (a stray {@code .tmp} is ignored and overwritten).
 */
public final class BatchStore
{
    private static final String PREFIX = "batch-";
    private static final String SUFFIX = ".psb";

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
        final List<Long> ids = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return ids;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            files.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith(PREFIX) && n.endsWith(SUFFIX))
                .map(n -> Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length())))
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
        final Path file = file(batch.batchId());
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            Files.createDirectories(dir);
            Files.write(tmp, batch.encode());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
