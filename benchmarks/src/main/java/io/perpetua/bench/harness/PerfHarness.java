package io.perpetua.bench.harness;

import io.perpetua.core.journal.JournalFormat;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.WaitMode;
import io.perpetua.node.Engines;
import io.perpetua.node.bench.EncodedStream;
import io.perpetua.node.bench.ExchangeCoreBench;
import io.perpetua.node.bench.PerpetualsWorkload;
import io.perpetua.node.bench.Workloads;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The end-to-end performance harness (issue 8): one command that measures a workload through the
 * real sequenced core and prints Markdown tables.
 *
 * <ul>
 *   <li>throughput: median of {@code --runs} runs after {@code --warmups}, journals off and on, with
 *       GC count and allocation rate during the timed part;</li>
 *   <li>ceilings in the same process: a no-op ring of the same shape and raw Chronicle appends of the
 *       same commands, and the pipeline's throughput as a ratio of each;</li>
 *   <li>latency at fixed offered rates, from each command's intended send time (HdrHistogram);</li>
 *   <li>replay speed of the journal of a full run.</li>
 * </ul>
 *
 * Every run must end in the same state hash (the workload's expected one where it has one); a run
 * that does not is reported and the exit code is 1. Timings are never asserted anywhere.
 */
@Command(name = "perf-harness", mixinStandardHelpOptions = true,
    description = "Measure a workload through the pipeline: throughput, ceilings, latency, replay.")
public final class PerfHarness implements Callable<Integer>
{
    /** Exit code when a run did not end in the reference state. */
    static final int EXIT_MISMATCH = 1;
    /** Exit code for unusable arguments. */
    static final int EXIT_USAGE = 2;

    @Option(names = "--workload", defaultValue = "exchange-core",
        description = "exchange-core (the peer stream, or --file) or perpetuals (the seeded generator).")
    String workloadName;

    @Option(names = "--file", description = "An exchange-core format commands CSV.gz (default: shared/workloads/exchange-core-3m).")
    Path file;

    @Option(names = "--seed", defaultValue = "1", description = "Perpetuals: the generator's seed.")
    long seed;

    @Option(names = "--commands", defaultValue = "3000000", description = "Perpetuals: timed commands.")
    int commands;

    @Option(names = "--takers", defaultValue = "2000", description = "Perpetuals: funded taker accounts.")
    int takers;

    @Option(names = "--markets", defaultValue = "4", description = "Perpetuals: markets (1-4).")
    int markets;

    @Option(names = "--oracle-interval", defaultValue = "200000", description = "Perpetuals: commands between price rounds.")
    int oracleInterval;

    @Option(names = "--runs", defaultValue = "5", description = "Timed throughput runs per configuration.")
    int runs;

    @Option(names = "--warmups", defaultValue = "1", description = "Untimed runs per configuration before the timed ones.")
    int warmups;

    @Option(names = "--rates", split = ",", defaultValue = "250000,1000000,3000000,5000000",
        description = "Offered rates of the latency table (commands/s).")
    long[] rates;

    @Option(names = "--journal", defaultValue = "both", description = "off, on or both.")
    String journal;

    @Option(names = "--sections", split = ",", defaultValue = "throughput,ceilings,latency,replay",
        description = "Which tables: ${DEFAULT-VALUE}.")
    Set<String> sections;

    @Option(names = "--wait", defaultValue = "YIELDING", description = "Wait strategy: ${COMPLETION-CANDIDATES}.")
    WaitMode waitMode;

    @Option(names = "--single-stage", arity = "0..1", description = "Sequencer and core on one thread (true) or two "
        + "(false); default: one on a machine with two processors or fewer.")
    Boolean singleStageOption;

    private boolean singleStage;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private boolean mismatch;
    private Long referenceHash;

    public static void main(final String[] args)
    {
        System.exit(execute(args, new PrintWriter(System.out, true)));
    }

    static int execute(final String[] args, final PrintWriter out)
    {
        final CommandLine commandLine = new CommandLine(new PerfHarness());
        commandLine.setOut(out);
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            if (ex instanceof IllegalArgumentException)
            {
                cmd.getErr().println("perf-harness: " + ex.getMessage());
                return EXIT_USAGE;
            }
            throw ex;
        });
        final int code = commandLine.execute(args);
        out.flush();
        return code;
    }

    @Override
    public Integer call() throws IOException
    {
        out = spec.commandLine().getOut();
        if (runs < 1 || warmups < 0 || rates.length == 0)
        {
            throw new IllegalArgumentException("--runs must be >= 1, --warmups >= 0, --rates not empty");
        }
        final boolean[] journalModes = journalModes(journal);
        singleStage = singleStageOption != null ? singleStageOption : Pipeline.Context.defaultSingleStage();
        final long loadStart = System.nanoTime();
        final Workload workload = load();
        referenceHash = workload.expectedStateHash();
        header(workload, (System.nanoTime() - loadStart) / 1_000_000);
        final StreamRunner runner = new StreamRunner(workload, waitMode, singleStage);
        final double[] medians = new double[2];
        if (sections.contains("throughput") || sections.contains("ceilings"))
        {
            throughput(runner, journalModes, medians);
        }
        if (sections.contains("ceilings"))
        {
            ceilings(workload, journalModes, medians);
        }
        if (sections.contains("latency"))
        {
            latency(runner, journalModes);
        }
        if (sections.contains("replay"))
        {
            replay(runner, workload);
        }
        out.printf("RESULT harness workload=%s state=%s%n", workload.name(), mismatch ? "mismatch" : "match");
        out.flush();
        return mismatch ? EXIT_MISMATCH : 0;
    }

    private static boolean[] journalModes(final String journal)
    {
        switch (journal)
        {
            case "off":
                return new boolean[] {false};
            case "on":
                return new boolean[] {true};
            case "both":
                return new boolean[] {false, true};
            default:
                throw new IllegalArgumentException("--journal must be off, on or both, not " + journal);
        }
    }

    private Workload load() throws IOException
    {
        switch (workloadName)
        {
            case "exchange-core":
            {
                final Path commandsFile = file != null ? file : Workloads.directory().resolve("exchange-core-3m.commands.csv.gz");
                final EncodedStream stream = EncodedStream.loadExchangeCore(commandsFile, ExchangeCoreBench.SYMBOL);
                final String name = commandsFile.getFileName().toString().replace(".commands.csv.gz", "");
                return new Workload(name, stream, ExchangeCoreBench::engine, null, null);
            }
            case "perpetuals":
            {
                final PerpetualsWorkload generated = PerpetualsWorkload.generate(
                    new PerpetualsWorkload.Config(seed, markets, takers, commands, oracleInterval));
                final PerpetualsWorkload.Summary s = generated.summary();
                out.printf("perpetuals seed=%d: %,d commands (%,d pre-fill), %d oracle rounds, %d funding rounds, %,d fills, " +
                    "%,d Liquidate commands, %,d liquidation steps, %,d deleverages, open interest %,d lots%n", seed, s.commands(),
                    generated.stream().prefillCount(), s.oracleRounds(), s.fundingRounds(), s.fills(), s.liquidateCommands(),
                    s.liquidationSteps(), s.deleverages(), s.openInterestLots());
                return new Workload("perpetuals-seed" + seed, generated.stream(), Engines::standard,
                    PerpetualsWorkload::clock, generated.expectedStateHash());
            }
            default:
                throw new IllegalArgumentException("--workload must be exchange-core or perpetuals, not " + workloadName);
        }
    }

    private void header(final Workload workload, final long loadMs)
    {
        out.printf("# perf-harness %s, %s%n", workload.name(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        out.printf("machine: %d CPUs, %s; JVM %s %s; max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
            cpuModel(), System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
            Runtime.getRuntime().maxMemory() >> 20);
        out.printf("JVM flags: %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.printf("workload: %,d pre-fill + %,d timed commands (loaded in %,d ms); wait %s, %s%n",
            workload.stream().prefillCount(), workload.stream().timedCount(), loadMs, waitMode,
            singleStage ? "single stage" : "two stages");
        out.flush();
    }

    private void throughput(final StreamRunner runner, final boolean[] journalModes, final double[] medians)
        throws IOException
    {
        out.printf("%n## Throughput (median of %d runs after %d warm-up), %s%n%n", runs, warmups, loadAverage());
        out.println("| journals | runs (M commands/s) | median | CPU ns/command: sequencer, core (median) | GCs in timed part | " +
            "allocated MB/s | state |");
        out.println("|---|---|---|---|---|---|---|");
        for (final boolean journalOn : journalModes)
        {
            for (int w = 0; w < warmups; w++)
            {
                check(runner.run(journalOn, 0, false));
            }
            final double[] rates = new double[runs];
            final double[] sequencerCpu = new double[runs];
            final double[] coreCpu = new double[runs];
            long gcs = 0;
            double allocation = 0;
            boolean match = true;
            for (int r = 0; r < runs; r++)
            {
                final Measurement m = runner.run(journalOn, 0, false);
                rates[r] = m.commandsPerSecond();
                sequencerCpu[r] = m.sequencerCpuNsPerCommand();
                coreCpu[r] = m.coreCpuNsPerCommand();
                gcs += m.gcCount();
                allocation = Math.max(allocation, m.allocationMbPerSecond());
                match &= check(m);
            }
            final double median = median(rates);
            medians[journalOn ? 1 : 0] = median;
            out.printf("| %s | %s | **%.2fM** | %s, %.0f | %d | %.1f (max of runs) | %s |%n", journalOn ? "on" : "off",
                millions(rates), median / 1e6, singleStage ? "-" : String.format("%.0f", median(sequencerCpu)),
                median(coreCpu), gcs, allocation, match ? "match" : "**mismatch**");
            out.flush();
        }
    }

    private void ceilings(final Workload workload, final boolean[] journalModes, final double[] medians) throws IOException
    {
        final double[] ring = new double[runs];
        final double[] chronicle = new double[runs];
        final double[] batched = new double[runs];
        for (int w = 0; w < warmups; w++)
        {
            Ceilings.noOpRing(workload.stream(), waitMode, singleStage, 1 << 16);
            Ceilings.rawChronicle(workload.stream(), 1);
            Ceilings.rawChronicle(workload.stream(), Integer.MAX_VALUE);
        }
        for (int r = 0; r < runs; r++)
        {
            ring[r] = Ceilings.noOpRing(workload.stream(), waitMode, singleStage, 1 << 16).commandsPerSecond();
            chronicle[r] = Ceilings.rawChronicle(workload.stream(), 1).commandsPerSecond();
            batched[r] = Ceilings.rawChronicle(workload.stream(), Integer.MAX_VALUE).commandsPerSecond();
        }
        final double ringMedian = median(ring);
        final double chronicleMedian = median(chronicle);
        final double batchedMedian = median(batched);
        out.printf("%n## Ceilings (median of %d runs), %s%n%n", runs, loadAverage());
        out.println("| ceiling | runs (M/s) | median | pipeline's median as a share |");
        out.println("|---|---|---|---|");
        out.printf("| no-op ring (same slots, producer type, wait strategy) | %s | %.2fM | %s |%n", millions(ring),
            ringMedian / 1e6, share(medians[0], ringMedian, "journals off"));
        out.printf("| raw Chronicle appends of the same commands, one document each, one thread | %s | %.2fM | %s |%n",
            millions(chronicle), chronicleMedian / 1e6, share(medians[1], chronicleMedian, "journals on"));
        out.printf("| the same as journal entries in documents filled to the %d KiB bound | %s | %.2fM | %s |%n",
            JournalFormat.DEFAULT_MAX_DOCUMENT_BYTES / 1024, millions(batched), batchedMedian / 1e6,
            share(medians[1], batchedMedian, "journals on"));
        out.flush();
    }

    private static String share(final double pipeline, final double ceiling, final String label)
    {
        return pipeline > 0 ? String.format("%.1f%% (%s)", 100 * pipeline / ceiling, label) : "not measured";
    }

    private void latency(final StreamRunner runner, final boolean[] journalModes) throws IOException
    {
        out.printf("%n## Latency at fixed offered rates (from intended send time; µs), %s%n%n", loadAverage());
        out.println("| journals | offered/s | achieved/s | p50 | p90 | p99 | p99.9 | p99.99 | max | GCs | allocated MB/s | state |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (final boolean journalOn : journalModes)
        {
            if (!sections.contains("throughput"))
            {
                for (int w = 0; w < warmups; w++)
                {
                    check(runner.run(journalOn, 0, false));
                }
            }
            for (final long rate : rates)
            {
                final Measurement m = runner.run(journalOn, rate, false);
                final Histogram h = m.latency();
                out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %.1f | %s |%n", journalOn ? "on" : "off",
                    compact(rate), compact(Math.round(m.commandsPerSecond())), micros(h.getValueAtPercentile(50)),
                    micros(h.getValueAtPercentile(90)), micros(h.getValueAtPercentile(99)),
                    micros(h.getValueAtPercentile(99.9)), micros(h.getValueAtPercentile(99.99)), micros(h.getMaxValue()),
                    m.gcCount(), m.allocationMbPerSecond(), check(m) ? "match" : "**mismatch**");
                out.flush();
            }
        }
    }

    private void replay(final StreamRunner runner, final Workload workload) throws IOException
    {
        final Measurement written = runner.run(true, 0, true);
        check(written);
        try
        {
            final JournalLayout layout = new JournalLayout(written.journal());
            final ReplaySpeed.Shape commands = ReplaySpeed.shape(layout.commandsDir());
            final ReplaySpeed.Shape events = ReplaySpeed.shape(layout.eventsDir());
            out.printf("%nJournals of a throughput run (%.2fM commands/s): commands %,d entries in %,d documents " +
                "(%.1f per document), events %,d entries in %,d documents (%.1f per document)%n",
                written.commandsPerSecond() / 1e6, commands.entries(), commands.documents(), commands.entriesPerDocument(),
                events.entries(), events.documents(), events.entriesPerDocument());
            out.printf("%n## Replay of a %,d-command journal (Replayer, as `perpetua replay --full`), %s%n%n",
                written.lastSequence(), loadAverage());
            out.println("| replay | runs (M commands/s) | median | state |");
            out.println("|---|---|---|---|");
            for (final boolean verify : new boolean[] {false, true})
            {
                final int count = verify ? 1 : runs;
                final double[] rates = new double[count];
                boolean match = true;
                for (int r = 0; r < count; r++)
                {
                    final ReplaySpeed.Timed timed = ReplaySpeed.replay(written.journal(), workload, verify);
                    rates[r] = timed.commandsPerSecond();
                    match &= timed.result().eventsMatch() && timed.result().stateHash() == written.stateHash() &&
                        timed.result().lastSequence() == written.lastSequence();
                }
                mismatch |= !match;
                out.printf("| %s | %s | %.2fM | %s |%n", verify ? "full, events verified" : "full", millions(rates),
                    median(rates) / 1e6, match ? "match" : "**mismatch**");
                out.flush();
            }
        }
        finally
        {
            StreamRunner.deleteRecursively(written.journal());
        }
    }

    /** True if the run ended in the reference state (the expected hash, or the first run's). */
    private boolean check(final Measurement m)
    {
        if (referenceHash == null)
        {
            referenceHash = m.stateHash();
        }
        final boolean match = m.stateHash() == referenceHash;
        if (!match)
        {
            mismatch = true;
            out.printf("state mismatch: %016x at seq %d, expected %016x%n", m.stateHash(), m.lastSequence(), referenceHash);
        }
        return match;
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String millions(final double[] rates)
    {
        final List<String> parts = new ArrayList<>();
        for (final double rate : rates)
        {
            parts.add(String.format("%.2f", rate / 1e6));
        }
        return String.join(", ", parts);
    }

    private static String compact(final long rate)
    {
        return rate >= 1_000_000 ? String.format("%.2fM", rate / 1e6) : String.format("%dk", rate / 1_000);
    }

    private static String micros(final long nanos)
    {
        return nanos >= 10_000_000 ? String.format("%,d", nanos / 1_000) : String.format("%,.1f", nanos / 1e3);
    }

    /** The load average now, as {@code uptime} prints it, for every table: the machine is shared. */
    static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load average " + fields[0] + ", " + fields[1] + ", " + fields[2];
        }
        catch (final IOException ex)
        {
            return "load average unknown";
        }
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException ex)
        {
            // Not Linux: the CPU count alone is reported.
        }
        return "CPU model unknown";
    }
}
