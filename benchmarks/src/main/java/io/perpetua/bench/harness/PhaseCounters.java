package io.perpetua.bench.harness;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * GC counts and per-thread allocated bytes, read before and after a measured phase. Reading them
 * allocates, so they are read only at the phase's edges.
 */
final class PhaseCounters
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final long[] threadIds;
    private long gcCount;
    private long gcTimeMs;
    private long allocatedBytes;

    private PhaseCounters(final long[] threadIds)
    {
        this.threadIds = threadIds;
    }

    /** Counters over the given threads (by name, among live threads) and the calling thread. */
    static PhaseCounters forThreads(final String... names)
    {
        final List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            for (final String name : names)
            {
                if (thread.isAlive() && thread.getName().equals(name))
                {
                    ids.add(thread.getId());
                }
            }
        }
        if (ids.size() != names.length + 1)
        {
            throw new IllegalStateException("expected one live thread for each of " + List.of(names) + ", found " +
                (ids.size() - 1));
        }
        return new PhaseCounters(ids.stream().mapToLong(Long::longValue).toArray());
    }

    void start()
    {
        gcCount = -collections();
        gcTimeMs = -collectionMs();
        allocatedBytes = -allocated();
    }

    void stop()
    {
        gcCount += collections();
        gcTimeMs += collectionMs();
        allocatedBytes += allocated();
    }

    long gcCount()
    {
        return gcCount;
    }

    long gcTimeMs()
    {
        return gcTimeMs;
    }

    long allocatedBytes()
    {
        return allocatedBytes;
    }

    private long allocated()
    {
        long total = 0;
        for (final long id : threadIds)
        {
            total += Math.max(0, THREADS.getThreadAllocatedBytes(id));
        }
        return total;
    }

    private static long collections()
    {
        long total = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionCount());
        }
        return total;
    }

    private static long collectionMs()
    {
        long total = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
