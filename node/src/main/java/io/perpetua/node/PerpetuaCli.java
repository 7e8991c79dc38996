package io.perpetua.node;

import io.perpetua.core.journal.Replayer;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.WaitMode;
import io.perpetua.gateway.trading.TradingEndpoint;
import io.perpetua.node.bench.EncodedStream;
import io.perpetua.node.bench.ExchangeCoreBench;
import io.perpetua.node.bench.Workloads;
import io.perpetua.node.config.ConfigLoader;
import io.perpetua.node.config.NodeConfig;
import io.perpetua.settlement.stark.bench.StarkBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code perpetua} command: the operator's entry point to a node (run, demo session, replay,
 * journal inspection). Its outputs are a contract scripts rely on: {@code state-hash %016x at seq %d}
 * lines, and one JSON object per line from {@code journal dump --json}.
 */
@Command(
    name = "perpetua",
    mixinStandardHelpOptions = true,
    version = "perpetua 0.1.0",
    description = "Perpetual-futures exchange engine node.",
    subcommands = {PerpetuaCli.Run.class, PerpetuaCli.Demo.class, PerpetuaCli.Replay.class, PerpetuaCli.JournalCommand.class,
        PerpetuaCli.BenchCommand.class, SettlementCommands.Batches.class, SettlementCommands.EscapeProofCommand.class,
        ContractCommands.Contract.class, KeysCommand.class})
public final class PerpetuaCli implements Callable<Integer>
{
    /** Exit code when replayed events differ from the journal. */
    static final int EXIT_MISMATCH = 1;
    /** Exit code for unusable input (no journal, bad arguments). */
    static final int EXIT_USAGE = 2;
    /** Exit code for any other failure (a corrupt journal, an I/O error). */
    static final int EXIT_FAULT = 3;

    @Spec
    CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given output streams; returns the exit code. */
    static int execute(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        final CommandLine commandLine = new CommandLine(new PerpetuaCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println("perpetua: " + ex.getMessage());
            cmd.getErr().flush();
            return ex instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAULT;
        });
        final int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call()
    {
        return usage(spec);
    }

    /** A command group run without a subcommand prints its usage and exits as a usage error. */
    static int usage(final CommandSpec spec)
    {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EXIT_USAGE;
    }

    /** {@code perpetua run}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the exchange from a YAML configuration: the core, the journal tailers, the oracle, settlement " +
            "if configured, and the gateway (HTTP/WebSocket and SBE). Recovers an existing journal first. Stops on " +
            "SIGINT/SIGTERM and prints 'state-hash <hex> at seq <n>' last.")
    static final class Run implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's YAML configuration.")
        Path config;

        @Override
        public Integer call() throws InterruptedException
        {
            final NodeConfig nodeConfig = ConfigLoader.load(config);
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final Node node = Node.start(nodeConfig, error -> error.printStackTrace(err));
            final String host = nodeConfig.http().host();
            out.println("perpetua: running, journal " + nodeConfig.journal() + " from sequence " +
                (node.pipeline().startSequence() + 1));
            if (node.settlementStart() != null)
            {
                out.println("perpetua: settlement batcher " + node.settlementStart());
            }
            out.println("perpetua: http://" + host + ":" + node.gateway().port() + "/ (REST /v4, /health, WebSocket /v4/ws and " +
                TradingEndpoint.PATH + ")" + (nodeConfig.sbe() == null ? "" :
                ", SBE tcp://" + nodeConfig.sbe().host() + ":" + node.gateway().sbePort()));
            out.flush();
            untilShutdown(() ->
            {
                node.close();
                out.println(node.result().stateHashLine());
                out.flush();
            });
            return 0;
        }
    }

    /**
     * Blocks until the JVM shuts down (SIGINT, SIGTERM), then runs {@code stop} from the shutdown
     * hook, which waits for it so that its output is complete before the JVM exits.
     */
    private static void untilShutdown(final Runnable stop) throws InterruptedException
    {
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                stop.run();
            }
            finally
            {
                stopped.countDown();
            }
        }, "perpetua-shutdown"));
        stopped.await();
    }

    /** {@code perpetua demo}. */
    @Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the exchange from the embedded demo configuration with simulated clients through the gateway: " +
            "oracle sources, a market maker and leveraged takers; prints the URLs and a trader login, a summary each " +
            "second and 'state-hash <hex> at seq <n>' last.")
    static final class Demo implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--seconds", description = "Stop after N seconds (default: run until Ctrl-C).")
        long seconds;

        @Option(names = "--journal", description = "Journal directory (default: a new temporary directory).")
        Path journal;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of the order flow (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--rate", defaultValue = "5000", description = "Commands per second (default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--snapshot-seconds", defaultValue = "10",
            description = "Take a snapshot every N seconds (default: ${DEFAULT-VALUE}).")
        long snapshotSeconds;

        @Option(names = "--http-port", defaultValue = "" + ConfigLoader.DEFAULT_HTTP_PORT,
            description = "HTTP and WebSocket port, 0 for any free one (default: ${DEFAULT-VALUE}).")
        int httpPort;

        @Option(names = "--sbe-port", defaultValue = "" + ConfigLoader.DEFAULT_SBE_PORT,
            description = "SBE order-entry port, 0 for any free one (default: ${DEFAULT-VALUE}).")
        int sbePort;

        @Override
        public Integer call() throws IOException, InterruptedException
        {
            if (seconds < 0 || rate <= 0 || snapshotSeconds <= 0)
            {
                throw new IllegalArgumentException("--seconds must be >= 0, --rate and --snapshot-seconds > 0");
            }
            if (httpPort < 0 || httpPort > 65_535 || sbePort < 0 || sbePort > 65_535 || (httpPort != 0 && httpPort == sbePort))
            {
                throw new IllegalArgumentException("--http-port and --sbe-port must be 0..65535 and differ");
            }
            final Path dir = journal != null ? journal : Files.createTempDirectory("perpetua-demo-");
            final DemoSession session = new DemoSession(dir, httpPort, sbePort, seed, rate,
                TimeUnit.SECONDS.toNanos(snapshotSeconds), spec.commandLine().getOut(), spec.commandLine().getErr());
            final CountDownLatch finished = new CountDownLatch(1);
            // Ctrl-C: stop the flow, close the node and let run() print the final lines before the JVM exits.
            final Thread hook = new Thread(() ->
            {
                session.requestStop();
                try
                {
                    finished.await(60, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, "perpetua-demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try
            {
                session.run(TimeUnit.SECONDS.toNanos(seconds));
            }
            finally
            {
                finished.countDown();
                try
                {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
                catch (final IllegalStateException shuttingDown)
                {
                    // The hook is running: it is waiting for the latch just released.
                }
            }
            return 0;
        }
    }

    /** {@code perpetua replay}. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Rebuild state from a journal directory (from the latest snapshot unless --full or " +
            "--verify-events) and print 'state-hash <hex> at seq <n>'.")
    static final class Replay implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Journal directory.")
        Path dir;

        @Option(names = "--verify-events", description = "Replay every command from the start and check that its " +
            "events equal the events journal byte for byte; exit 1 at the first difference.")
        boolean verifyEvents;

        @Option(names = "--full", description = "Replay from the first command, ignoring snapshots.")
        boolean full;

        @Override
        public Integer call()
        {
            final PrintWriter err = spec.commandLine().getErr();
            final Replayer.Result result = Replayer.replay(
                dir, Engines::standard, !full && !verifyEvents, verifyEvents, error -> err.println("perpetua: " + error));
            if (!result.eventsMatch())
            {
                err.println("events differ at seq " + result.mismatchSequence() + ": " + result.mismatch());
                err.flush();
                return EXIT_MISMATCH;
            }
            final PrintWriter out = spec.commandLine().getOut();
            out.println(String.format("state-hash %016x at seq %d", result.stateHash(), result.lastSequence()));
            out.flush();
            return 0;
        }
    }

    /** {@code perpetua journal}. */
    @Command(name = "journal", mixinStandardHelpOptions = true, description = "Inspect a journal directory.",
        subcommands = JournalCommand.Dump.class)
    static final class JournalCommand implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return usage(spec);
        }

        /** {@code perpetua journal dump}. */
        @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "Print each command followed by its events, one line per message.")
        static final class Dump implements Callable<Integer>
        {
            @Spec
            CommandSpec spec;

            @Parameters(index = "0", paramLabel = "DIR", description = "Journal directory.")
            Path dir;

            @Option(names = "--from", defaultValue = "1", paramLabel = "SEQ", description = "First command sequence (default: 1).")
            long from;

            @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Print at most N lines (default: all).")
            long limit;

            @Option(names = "--json", description = "One JSON object per line: kind, type and every field; enums by name.")
            boolean json;

            @Override
            public Integer call()
            {
                if (limit < 0)
                {
                    throw new IllegalArgumentException("--limit must be >= 0");
                }
                new JournalDump().dump(dir, from, limit,
                    json ? MessageFormatter.Style.JSON : MessageFormatter.Style.TEXT, spec.commandLine().getOut());
                return 0;
            }
        }
    }

    /** {@code perpetua bench}. */
    @Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure the node on a workload.",
        subcommands = {BenchCommand.ExchangeCore.class, BenchCommand.Stark.class})
    static final class BenchCommand implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return usage(spec);
        }

        /** {@code perpetua bench exchange-core}. */
        @Command(name = "exchange-core", mixinStandardHelpOptions = true,
            description = "Run exchange-core's benchmark stream (or one in the same format) through the pipeline; " +
                "ends with 'RESULT workload=<name> journal=<on|off> throughput=<median cmds/s> l2=<match|mismatch|no-reference>'.")
        static final class ExchangeCore implements Callable<Integer>
        {
            @Spec
            CommandSpec spec;

            @Option(names = "--runs", defaultValue = "5", description = "Timed runs (the median is reported).")
            int runs;

            @Option(names = "--warmups", defaultValue = "1", description = "Untimed runs first (default ${DEFAULT-VALUE}).")
            int warmups;

            @Option(names = "--no-journal", description = "Run without the Chronicle journals.")
            boolean noJournal;

            @Option(names = "--workload", description = "Commands CSV.gz (default: ../shared/workloads/exchange-core-3m).")
            Path workload;

            @Option(names = "--l2-out", description = "Write the final book in final-l2 format.")
            Path l2Out;

            @Option(names = "--wait", defaultValue = "YIELDING",
                description = "Wait strategy: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
            WaitMode waitMode;

            @Option(names = "--single-stage", arity = "0..1", description = "Sequencer and core on one thread (true) or "
                + "two (false); default: one on a machine with two processors or fewer.")
            Boolean singleStage;

            @Override
            public Integer call() throws Exception
            {
                if (runs < 1 || warmups < 0)
                {
                    throw new IllegalArgumentException("--runs must be at least 1 and --warmups at least 0");
                }
                final Path commands = workload != null ? workload :
                    Workloads.directory().resolve("exchange-core-3m.commands.csv.gz");
                if (!Files.isRegularFile(commands))
                {
                    throw new IllegalArgumentException("no workload file " + commands);
                }
                final String fileName = commands.getFileName().toString();
                final String name = fileName.endsWith(".commands.csv.gz") ?
                    fileName.substring(0, fileName.length() - ".commands.csv.gz".length()) : fileName;
                final Path reference = commands.resolveSibling(name + ".final-l2.txt");
                final PrintWriter out = spec.commandLine().getOut();
                out.println("loading " + commands);
                out.flush();
                final EncodedStream stream = EncodedStream.loadExchangeCore(commands, ExchangeCoreBench.SYMBOL);
                final ExchangeCoreBench.Result result = new ExchangeCoreBench(stream, waitMode,
                    singleStage != null ? singleStage : Pipeline.Context.defaultSingleStage())
                    .run(name, warmups, runs, !noJournal, reference, l2Out, out);
                out.println(result.resultLine());
                return result.l2().equals("mismatch") ? EXIT_MISMATCH : 0;
            }
        }

        /** {@code perpetua bench stark}. */
        @Command(name = "stark", mixinStandardHelpOptions = true,
            description = "Prove and verify a random valid settlement batch; ends with 'RESULT stark records=<n> " +
                "preset=<p> prove-ms=<ms> verify-ms=<ms> proof-bytes=<n> verified=<true|false>'.")
        static final class Stark implements Callable<Integer>
        {
            @Spec
            CommandSpec spec;

            @Option(names = "--records", required = true, description = "Records in the batch.")
            int records;

            @Option(names = "--preset", defaultValue = "P100", description = "P100 or P128 (default ${DEFAULT-VALUE}).")
            String preset;

            @Option(names = "--tamper", description = "Flip one byte of the proof before verifying.")
            boolean tamper;

            @Option(names = "--seed", defaultValue = "1", description = "Seed of the random batch (default ${DEFAULT-VALUE}).")
            long seed;

            @Override
            public Integer call()
            {
                if (records < 1)
                {
                    throw new IllegalArgumentException("--records must be at least 1");
                }
                if (!preset.equals("P100") && !preset.equals("P128"))
                {
                    throw new IllegalArgumentException("--preset must be P100 or P128");
                }
                final PrintWriter out = spec.commandLine().getOut();
                out.println(StarkBench.run(records, preset, tamper, seed).format());
                return 0;
            }
        }
    }
}
