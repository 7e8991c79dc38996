package io.perpetua.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One node per journal directory: an exclusive lock on {@code <journal>/node.lock}, held while a
 * node runs on the journal or a command changes its contract. Two sequencers appending to one
 * journal would interleave two histories; a contract changed from the command line under a running
 * node would be overwritten by the node's next write. The operating system drops the lock when the
 * process ends, so a killed node leaves nothing to clean up.
 */
final class JournalLock implements AutoCloseable
{
    static final String FILE = "node.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the journal's lock, creating the directory if needed.
     *
     * @throws IllegalStateException if another node (or command) holds it
     */
    static JournalLock acquire(final Path journal)
    {
        final Path file = journal.resolve(FILE);
        final FileChannel channel;
        try
        {
            Files.createDirectories(journal);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open " + file, ex);
        }
        FileLock lock = null;
        try
        {
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            // Held by this process already.
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file, ex);
        }
        if (lock == null)
        {
            closeQuietly(channel);
            throw new IllegalStateException("journal " + journal + " is in use by a running node (" + file + " is locked)");
        }
        return new JournalLock(channel, lock);
    }

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // Nothing was locked through it.
        }
    }

    @Override
    public void close()
    {
        try
        {
            lock.release();
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot release the journal lock", ex);
        }
    }
}
