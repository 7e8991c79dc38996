package io.perpetua.bench;

import io.perpetua.node.bench.EncodedStream;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The engine alone on one thread, no ring and no journal: the ceiling the pipeline is measured
 * against. Runs an exchange-core stream N times on fresh engines (pre-fill untimed) and prints
 * each run's commands per second, wall and on-CPU time per command, and the medians. A last,
 * untimed run digests every event byte the stream produced, so that a faster engine can be shown
 * to emit exactly the same events as a slower one.
 *
 * <p>Usage: {@code BareEngineThroughput <commands.csv.gz> [runs]}
 */
public final class BareEngineThroughput
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BareEngineThroughput()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final EncodedStream stream = EncodedStream.loadExchangeCore(Path.of(args[0]), 40000);
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        final double[] rates = new double[runs];
        final long[] cpuPerCommand = new long[runs];
        final MutableDirectBuffer buffer = stream.buffer();
        for (int run = 0; run < runs; run++)
        {
            final CommandAdapter adapter = newAdapter();
            long sequence = apply(adapter, buffer, 0, stream.prefillEnd(), 0);
            final long startCpu = THREADS.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            sequence = apply(adapter, buffer, stream.prefillEnd(), stream.end(), sequence);
            final long elapsed = System.nanoTime() - start;
            final long cpu = THREADS.getCurrentThreadCpuTime() - startCpu;
            rates[run] = stream.timedCount() * 1e9 / elapsed;
            cpuPerCommand[run] = cpu / stream.timedCount();
            // On a shared machine wall time includes waiting for a core; CPU time shows the work itself.
            System.out.printf("run %d: %,.0f commands/s (%d ns/command wall, %d ns/command on-CPU) state-hash %016x at seq %d%n",
                run, rates[run], elapsed / stream.timedCount(), cpuPerCommand[run], adapter.engine().stateHash(), sequence);
        }
        final CommandAdapter adapter = newAdapter();
        final long[] digest = {0, 0};
        applyDigesting(adapter, buffer, stream.end(), digest);
        System.out.printf("events: %,d bytes, digest %016x%n", digest[1], digest[0]);
        Arrays.sort(rates);
        Arrays.sort(cpuPerCommand);
        System.out.printf("RESULT bare-engine median=%,.0f commands/s median-cpu=%d ns/command%n",
            rates[runs / 2], cpuPerCommand[runs / 2]);
    }

    private static CommandAdapter newAdapter()
    {
        return new CommandAdapter(
            new MatchingEngine(new EngineConfig(1 << 12, 1 << 22), new OrderLimitsGate(), new EventPublisher()));
    }

    private static long apply(final CommandAdapter adapter, final MutableDirectBuffer buffer, final int from, final int to,
        final long firstSequence)
    {
        long sequence = firstSequence;
        int position = from;
        while (position < to)
        {
            final int length = buffer.getInt(position);
            sequence++;
            CommandAdapter.stamp(buffer, position + Integer.BYTES, sequence, sequence);
            adapter.apply(buffer, position + Integer.BYTES, length);
            position += Integer.BYTES + length;
        }
        return sequence;
    }

    /** Applies the whole stream, folding every command's event bytes into {@code digest} (hash, byte count). */
    private static void applyDigesting(
        final CommandAdapter adapter, final MutableDirectBuffer buffer, final int to, final long[] digest)
    {
        final EventPublisher events = adapter.engine().events();
        long sequence = 0;
        int position = 0;
        long hash = 0x9E3779B97F4A7C15L;
        long bytes = 0;
        while (position < to)
        {
            final int length = buffer.getInt(position);
            sequence++;
            CommandAdapter.stamp(buffer, position + Integer.BYTES, sequence, sequence);
            adapter.apply(buffer, position + Integer.BYTES, length);
            final DirectBuffer out = events.buffer();
            for (int i = 0; i < events.length(); i++)
            {
                hash = (hash ^ (out.getByte(i) & 0xFF)) * 0x100000001B3L;
            }
            bytes += events.length();
            position += Integer.BYTES + length;
        }
        digest[0] = hash;
        digest[1] = bytes;
    }
}
