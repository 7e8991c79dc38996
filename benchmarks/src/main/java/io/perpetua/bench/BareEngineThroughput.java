package io.perpetua.bench;

import io.perpetua.node.bench.EncodedStream;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import org.agrona.MutableDirectBuffer;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The engine alone on one thread, no ring and no journal: the ceiling the pipeline is measured
 * against. Runs an exchange-core stream N times on fresh engines (pre-fill untimed) and prints
 * each run's commands per second and the median.
 *
 * <p>Usage: {@code BareEngineThroughput <commands.csv.gz> [runs]}
 */
public final class BareEngineThroughput
{
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private BareEngineThroughput()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final EncodedStream stream = EncodedStream.loadExchangeCore(Path.of(args[0]), 40000);
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        final double[] rates = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            final MatchingEngine engine =
                new MatchingEngine(new EngineConfig(1 << 12, 1 << 22), new OrderLimitsGate(), new EventPublisher());
            final CommandAdapter adapter = new CommandAdapter(engine);
            final MutableDirectBuffer buffer = stream.buffer();
            long sequence = apply(adapter, buffer, 0, stream.prefillEnd(), 0);
            final long startCpu = THREADS.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            sequence = apply(adapter, buffer, stream.prefillEnd(), stream.end(), sequence);
            final long elapsed = System.nanoTime() - start;
            final long cpu = THREADS.getCurrentThreadCpuTime() - startCpu;
            rates[run] = stream.timedCount() * 1e9 / elapsed;
            // On a shared machine wall time includes waiting for a core; CPU time shows the work itself.
            System.out.printf("run %d: %,.0f commands/s (%d ns/command wall, %d ns/command on-CPU) state-hash %016x at seq %d%n",
                run, rates[run], elapsed / stream.timedCount(), cpu / stream.timedCount(), engine.stateHash(), sequence);
        }
        Arrays.sort(rates);
        System.out.printf("RESULT bare-engine median=%,.0f commands/s%n", rates[runs / 2]);
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
}
