package io.perpetua.bench.harness;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * GC counts, per-thread allocated bytes and the stage threads' CPU time, read before and after a
 * measured phase. Reading them allocates, so they are read only at the phase's edges.
 */
final class PhaseCounters
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final long[] threadIds;
    /** CPU time of each named thread (not the caller's) over the phase, in the order of the names. */
    private final long[] cpuNs;
    private long gcCount;
    private long gcTimeMs;
    private long allocatedBytes;

    private PhaseCounters(final long[] threadIds)
    {
        this.threadIds = threadIds;
        this.cpuNs = new long[threadIds.length - 1];
    }

    /** Counters over the given threads (by name, among live threads) and the calling thread. */
    static PhaseCounters forThreads(final String... names)
    {
        final List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        final java.util.Set<Thread> threads = Thread.getAllStackTraces().keySet();
        for (final String name : names)
        {
            for (final Thread thread : threads)
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
        for (int i = 0; i < cpuNs.length; i++)
        {
            cpuNs[i] = -THREADS.getThreadCpuTime(threadIds[i + 1]);
        }
    }

    void stop()
    {
        gcCount += collections();
        gcTimeMs += collectionMs();
        allocatedBytes += allocated();
        for (int i = 0; i < cpuNs.length; i++)
        {
            cpuNs[i] += THREADS.getThreadCpuTime(threadIds[i + 1]);
        }
    }

    /** CPU time the {@code i}-th named thread used during the phase. */
    long cpuNs(final int i)
    {
        return cpuNs[i];
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
