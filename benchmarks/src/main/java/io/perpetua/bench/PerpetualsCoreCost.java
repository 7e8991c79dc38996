package io.perpetua.bench;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.node.Engines;
import io.perpetua.node.bench.EncodedStream;
import io.perpetua.node.bench.PerpetualsWorkload;
import org.agrona.MutableDirectBuffer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The core's own work on the perpetuals workload: the node's full engine ({@code Engines.standard()}:
 * order limits, risk-margin's accounts, oracle and margin checks, matching) on one thread, no ring
 * and no journal, each command stamped as the pipeline's stepping clock stamps it. Prints each run's
 * on-CPU time per command (what the commands cost, whatever else the machine runs; wall time on a
 * shared machine mostly measures waiting for a core) and whether it ended in the generator's state hash.
 *
 * <p>Usage: {@code PerpetualsCoreCost [timedCommands] [runs] [seed]} (defaults 500,000, 7, 1).
 */
public final class PerpetualsCoreCost
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PerpetualsCoreCost()
    {
    }

    public static void main(final String[] args)
    {
        final int commands = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        final long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        final PerpetualsWorkload workload = PerpetualsWorkload.generate(new PerpetualsWorkload.Config(seed, 4, 2_000,
            commands, 200_000));
        final EncodedStream stream = workload.stream();
        final long[] cpuPerCommand = new long[runs];
        for (int run = 0; run < runs; run++)
        {
            final MatchingEngine engine = Engines.standard();
            final CommandAdapter adapter = new CommandAdapter(engine);
            final MutableDirectBuffer buffer = stream.buffer();
            long sequence = apply(adapter, buffer, 0, stream.prefillEnd(), 0);
            final long startCpu = THREADS.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            sequence = apply(adapter, buffer, stream.prefillEnd(), stream.end(), sequence);
            final long elapsed = System.nanoTime() - start;
            final long cpu = THREADS.getCurrentThreadCpuTime() - startCpu;
            cpuPerCommand[run] = cpu / stream.timedCount();
            System.out.printf("run %d: %d ns/command on-CPU (%d ns wall), %,.0f commands/s of CPU, state %s at seq %d%n",
                run, cpuPerCommand[run], elapsed / stream.timedCount(), stream.timedCount() * 1e9 / cpu,
                engine.stateHash() == workload.expectedStateHash() ? "match" : "MISMATCH", sequence);
        }
        Arrays.sort(cpuPerCommand);
        System.out.printf("RESULT perpetuals-core seed=%d commands=%d median=%d ns/command on-CPU (%,.0f commands/s)%n",
            seed, stream.timedCount(), cpuPerCommand[runs / 2], 1e9 / cpuPerCommand[runs / 2]);
    }

    /** Stamps command {@code k} with {@code origin + k * step}, as the pipeline's stepping clock does. */
    private static long apply(
        final CommandAdapter adapter, final MutableDirectBuffer buffer, final int from, final int to, final long firstSequence)
    {
        long sequence = firstSequence;
        int position = from;
        while (position < to)
        {
            final int length = buffer.getInt(position);
            sequence++;
            CommandAdapter.stamp(buffer, position + Integer.BYTES, sequence,
                PerpetualsWorkload.origin() + sequence * PerpetualsWorkload.stepNs());
            adapter.apply(buffer, position + Integer.BYTES, length);
            position += Integer.BYTES + length;
        }
        return sequence;
    }
}
