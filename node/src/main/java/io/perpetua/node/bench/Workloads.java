package io.perpetua.node.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code shared/workloads}, which sits beside the repository (CI clones it next to {@code shared/}). */
public final class Workloads
{
    private Workloads()
    {
    }

    /** The workloads directory, found by walking up from the working directory. */
    public static Path directory()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("shared").resolve("workloads");
            if (Files.isRegularFile(candidate.resolve("exchange-core-3m.commands.csv.gz")))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("shared/workloads not found above " + Path.of("").toAbsolutePath() +
            ": the peer stream ships in ../shared beside the repository");
    }
}
