package io.perpetua.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One holder of a journal's lock at a time; released on close. */
class JournalLockTest
{
    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedUntilTheFirstReleases()
    {
        final Path journal = dir.resolve("journal");
        final JournalLock first = JournalLock.acquire(journal);
        try
        {
            assertTrue(Files.isRegularFile(journal.resolve(JournalLock.FILE)), "the directory and the lock file are created");
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> JournalLock.acquire(journal));
            assertTrue(refused.getMessage().contains("is in use by a running node"), refused.getMessage());
        }
        finally
        {
            first.close();
        }
        JournalLock.acquire(journal).close();
    }
}
