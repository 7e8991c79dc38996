package io.perpetua.bench.gateway;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The gateway benchmark (issue 5): a real exchange in this process (pipeline, node engine, gateway)
 * and loopback Netty clients, printing Markdown tables.
 *
 * <ul>
 *   <li>JSON trading over WebSocket and SBE order entry: submit-to-acknowledgement latency at fixed
 *       offered rates (open loop, timed from each order's due time into HdrHistogram), then the
 *       most orders per second a closed loop with a fixed window per connection gets through;</li>
 *   <li>market-data fan-out: subscribers of {@code v4_orderbook} and {@code v4_trades} while orders
 *       flow over WebSocket; messages delivered per second, the delay from the command's sequencer
 *       timestamp to arrival, and slow-consumer disconnects.</li>
 * </ul>
 *
 * Clients and exchange share the process and the machine's cores, so every figure includes the
 * clients' own cost. Nothing is asserted: a run whose answers do not all arrive says so in its row.
 */
@Command(name = "gateway-bench", mixinStandardHelpOptions = true,
    description = "Measure the gateway: order-entry latency and throughput (WebSocket, SBE), market-data fan-out.")
public final class GatewayBench implements Callable<Integer>
{
    private static final long ANSWER_TIMEOUT_SECONDS = 300;

    @Option(names = "--phases", split = ",", defaultValue = "ws,sbe,feed",
        description = "Which measurements, in order: ws, sbe, feed.")
    List<String> phases;

    @Option(names = "--ws-connections", defaultValue = "100", description = "JSON trading connections (one account each).")
    int wsConnections;

    @Option(names = "--sbe-connections", defaultValue = "10", description = "SBE sessions (one account each).")
    int sbeConnections;

    @Option(names = "--rates", split = ",", defaultValue = "1000,10000,50000",
        description = "Offered order rates (orders/s, all connections together) for the latency runs.")
    List<Integer> rates;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each measured run.")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "10",
        description = "Unreported open-loop run at the lowest rate before each order-entry phase.")
    int warmupSeconds;

    @Option(names = "--window", defaultValue = "8", description = "Orders in flight per connection in the throughput run.")
    int window;

    @Option(names = "--subscribers", defaultValue = "1000", description = "Market-data subscribers in the fan-out phase.")
    int subscribers;

    @Option(names = "--feed-rates", split = ",", defaultValue = "10,100",
        description = "Order rates (orders/s over WebSocket) while the subscribers listen.")
    List<Integer> feedRates;

    @Option(names = "--io-threads", defaultValue = "1", description = "The gateway's I/O threads (the node's default is 1).")
    int ioThreads;

    @Option(names = "--client-threads", defaultValue = "1", description = "Event-loop threads of all the clients together.")
    int clientThreads;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the order sides and prices.")
    long seed;

    private final EpochNanoClock clock = new OffsetEpochNanoClock();

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new GatewayBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        printEnvironment();
        final CommandTimes times = new CommandTimes();
        final EventLoopGroup clients = new NioEventLoopGroup(clientThreads, new DefaultThreadFactory("bench-client"));
        try (BenchExchange exchange = new BenchExchange(wsConnections + sbeConnections, ioThreads, clock))
        {
            exchange.gateway.marketData().addListener(times);
            List<Trader> wsTraders = null;
            for (final String phase : phases)
            {
                switch (phase)
                {
                    case "ws" ->
                    {
                        wsTraders = wsTraders != null ? wsTraders : openWs(clients, exchange);
                        orderEntry("WebSocket JSON trading (`/v1/trade`), " + wsConnections + " connections", wsTraders);
                    }
                    case "sbe" ->
                    {
                        final List<Trader> sbeTraders = open(sbeConnections, i -> SbeTrader.open(clients,
                            exchange.gateway.sbePort(), wsConnections + 1 + i, clock));
                        orderEntry("SBE order entry, " + sbeConnections + " sessions", sbeTraders);
                        sbeTraders.forEach(Trader::close);
                    }
                    case "feed" ->
                    {
                        wsTraders = wsTraders != null ? wsTraders : openWs(clients, exchange);
                        feed(clients, exchange, times, wsTraders);
                    }
                    default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown phase: " + phase);
                }
            }
            if (wsTraders != null)
            {
                wsTraders.forEach(Trader::close);
            }
        }
        finally
        {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        return 0;
    }

    private List<Trader> openWs(final EventLoopGroup clients, final BenchExchange exchange) throws Exception
    {
        return open(wsConnections, i -> WsTrader.open(clients, exchange.gateway.port(), 1 + i, clock));
    }

    @FunctionalInterface
    private interface Opener
    {
        Trader open(int index) throws Exception;
    }

    private static List<Trader> open(final int count, final Opener opener) throws Exception
    {
        final List<Trader> traders = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            traders.add(opener.open(i));
        }
        return traders;
    }

    private void orderEntry(final String title, final List<Trader> traders)
    {
        final int lowest = rates.stream().mapToInt(Integer::intValue).min().orElse(1_000);
        openLoop(traders, lowest, warmupSeconds, seed - 1);

        System.out.printf("%n#### %s: latency at fixed offered rates (submit to acknowledgement, from the due time; µs)%n%n",
            title);
        System.out.println(loadLine());
        System.out.println();
        System.out.println("| offered/s | orders | achieved/s | p50 | p90 | p99 | p99.9 | max | refused | unanswered | GCs | CPU s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        final List<String> threadLines = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++)
        {
            final Usage usage = Usage.start();
            final long startNs = clock.nanoTime();
            final RunOutcome run = openLoop(traders, rates.get(i), seconds, seed + i);
            final double achieved = run.answeredCount() * 1e9 / Math.max(1, run.lastAnswerNs() - startNs);
            final Histogram latency = run.latency();
            System.out.printf("| %s | %,d | %s | %s | %s | %,d | %s |%n", rate(rates.get(i)), run.sentCount(),
                rate(Math.round(achieved)), percentiles(latency), refusals(run.refusals()),
                run.sentCount() - run.answeredCount(), usage.end());
            threadLines.add(rate(rates.get(i)) + "/s: " + usage.byThread());
        }
        printThreads(threadLines);

        final Usage usage = Usage.start();
        final ClosedLoop closed = closedLoop(traders);
        final Histogram latency = closed.run.latency();
        System.out.printf("%n#### %s: throughput, closed loop of %d orders in flight per connection (latency µs, not corrected)%n%n",
            title, window);
        System.out.println(loadLine());
        System.out.println();
        System.out.println("| acknowledged/s | orders | p50 | p90 | p99 | p99.9 | max | refused | unanswered | GCs | CPU s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %s | %,d | %s | %s | %,d | %s |%n", rate(Math.round(closed.acknowledgedPerSecond)),
            closed.run.sentCount(), percentiles(latency), refusals(closed.run.refusals()),
            closed.run.sentCount() - closed.run.answeredCount(), usage.end());
        printThreads(List.of("closed loop: " + usage.byThread()));
    }

    private static void printThreads(final List<String> lines)
    {
        System.out.println();
        System.out.println("CPU seconds by thread:");
        System.out.println();
        lines.forEach(line -> System.out.println("- " + line));
    }

    /** Sends {@code rate * seconds} orders on schedule, round robin over the traders, and waits for their answers. */
    private RunOutcome openLoop(final List<Trader> traders, final int rate, final int runSeconds, final long runSeed)
    {
        final RunOutcome run = new RunOutcome();
        traders.forEach(trader -> trader.outcome = run);
        final SplittableRandom random = new SplittableRandom(runSeed);
        final int count = traders.size();
        OpenLoop.run(clock, rate, runSeconds, (index, dueNs) ->
        {
            run.sent();
            traders.get((int)(index % count)).placeRandom(random, dueNs);
        });
        awaitAnswers(run);
        return run;
    }

    private record ClosedLoop(RunOutcome run, double acknowledgedPerSecond)
    {
    }

    /** Every connection keeps {@link #window} orders in flight; acknowledgements per second after a one-second ramp. */
    private ClosedLoop closedLoop(final List<Trader> traders)
    {
        final RunOutcome run = new RunOutcome();
        final SplittableRandom random = new SplittableRandom(seed);
        for (final Trader trader : traders)
        {
            trader.outcome = run;
            trader.closedLoop = true;
        }
        for (final Trader trader : traders)
        {
            for (int i = 0; i < window; i++)
            {
                run.sent();
                trader.placeRandom(random, clock.nanoTime());
            }
        }
        sleep(TimeUnit.SECONDS.toNanos(1));
        final long acknowledgedBefore = run.acknowledgedCount();
        final long startNs = clock.nanoTime();
        sleep(TimeUnit.SECONDS.toNanos(seconds));
        final long acknowledged = run.acknowledgedCount() - acknowledgedBefore;
        final long elapsedNs = clock.nanoTime() - startNs;
        traders.forEach(trader -> trader.closedLoop = false);
        awaitAnswers(run);
        return new ClosedLoop(run, acknowledged * 1e9 / elapsedNs);
    }

    private void feed(final EventLoopGroup clients, final BenchExchange exchange, final CommandTimes times,
        final List<Trader> traders) throws Exception
    {
        final long connectStart = System.nanoTime();
        try (FeedFanOut fanOut = new FeedFanOut(clients, exchange.gateway.port(), subscribers, clock, times))
        {
            System.out.printf("%n#### Market-data fan-out: %,d WebSocket subscribers of `v4_orderbook` and `v4_trades` " +
                    "(connected and subscribed in %.1f s) while orders flow over %d WebSocket connections; delay µs%n%n",
                subscribers, (System.nanoTime() - connectStart) / 1e9, traders.size());
            System.out.println(loadLine());
            System.out.println();
            System.out.println("| orders/s | orders acked | order p99 µs | messages delivered | per subscriber (min-max) | " +
                "delivered/s | delay p50 | p90 | p99 | p99.9 | max | slow-consumer closes | other closes | connected after | GCs | CPU s |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            final List<String> threadLines = new ArrayList<>();
            for (int i = 0; i < feedRates.size(); i++)
            {
                final Usage usage = Usage.start();
                final FeedFanOut.Stats stats = fanOut.reset();
                final long startNs = clock.nanoTime();
                final RunOutcome orders = openLoop(traders, feedRates.get(i), seconds, seed + 100 + i);
                fanOut.awaitQuiet(1_000, TimeUnit.SECONDS.toMillis(ANSWER_TIMEOUT_SECONDS));
                final long[] perSubscriber = fanOut.receivedRange();
                final long messages = stats.messages.sum();
                final double perSecond = messages * 1e9 / Math.max(1, stats.lastArrivalNs.get() - startNs);
                System.out.printf("| %s | %,d | %,d | %,d | %,d-%,d | %s | %s | %,d | %,d | %,d | %s |%n",
                    rate(feedRates.get(i)), orders.acknowledgedCount(), micros(orders.latency().getValueAtPercentile(99)),
                    messages, perSubscriber[0], perSubscriber[1], rate(Math.round(perSecond)),
                    percentiles(fanOut.delays(stats)), stats.slowConsumerCloses.sum(), stats.otherCloses.sum(),
                    fanOut.connected(), usage.end());
                threadLines.add(rate(feedRates.get(i)) + " orders/s: " + usage.byThread());
            }
            printThreads(threadLines);
        }
    }

    private static void awaitAnswers(final RunOutcome run)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_TIMEOUT_SECONDS);
        while (run.answeredCount() < run.sentCount() && System.nanoTime() < deadline)
        {
            sleep(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void sleep(final long nanos)
    {
        final long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime())
        {
            LockSupport.parkNanos(left);
        }
    }

    private static String percentiles(final Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return "- | - | - | - | -";
        }
        return String.format("%,d | %,d | %,d | %,d | %,d", micros(histogram.getValueAtPercentile(50)),
            micros(histogram.getValueAtPercentile(90)), micros(histogram.getValueAtPercentile(99)),
            micros(histogram.getValueAtPercentile(99.9)), micros(histogram.getMaxValue()));
    }

    private static long micros(final long nanos)
    {
        return Math.round(nanos / 1_000.0);
    }

    private static String rate(final long perSecond)
    {
        return perSecond >= 1_000 ? String.format("%,.1fk", perSecond / 1_000.0) : Long.toString(perSecond);
    }

    private static String refusals(final Map<String, Long> refusals)
    {
        if (refusals.isEmpty())
        {
            return "0";
        }
        final StringBuilder text = new StringBuilder();
        refusals.forEach((code, count) -> text.append(text.length() == 0 ? "" : ", ").append(String.format("%,d %s", count, code)));
        return text.toString();
    }

    private void printEnvironment() throws IOException
    {
        final Runtime runtime = Runtime.getRuntime();
        System.out.printf("### Gateway benchmark%n%n");
        System.out.printf("- machine: %d CPUs (%s), %.1f GiB max heap%n", runtime.availableProcessors(), cpuModel(),
            runtime.maxMemory() / (1024.0 * 1024 * 1024));
        System.out.printf("- JVM: %s %s (%s)%n", System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
            System.getProperty("java.vendor"));
        System.out.printf("- arguments: %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf("- options: --phases %s --ws-connections %d --sbe-connections %d --rates %s --seconds %d " +
                "--warmup-seconds %d --window %d --subscribers %d --feed-rates %s --io-threads %d --client-threads %d --seed %d%n",
            String.join(",", phases), wsConnections, sbeConnections, join(rates), seconds, warmupSeconds, window, subscribers,
            join(feedRates), ioThreads, clientThreads, seed);
        System.out.printf("- start: %s%n", loadLine());
    }

    private static String join(final List<Integer> values)
    {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private static String cpuModel() throws IOException
    {
        final Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo))
        {
            return "model unknown";
        }
        return Files.readAllLines(cpuinfo).stream().filter(line -> line.startsWith("model name"))
            .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("model unknown");
    }

    /** {@code load average: a, b, c} (1, 5, 15 minutes) with the UTC time, as {@code uptime} prints it. */
    private static String loadLine()
    {
        String load;
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            load = fields[0] + ", " + fields[1] + ", " + fields[2];
        }
        catch (final IOException ex)
        {
            load = "unknown";
        }
        return java.time.Instant.now().toString().substring(0, 19) + "Z, load average " + load;
    }

    /**
     * GC count and CPU time over a run: the process's (exchange and clients together) and, from
     * {@link ThreadMXBean}, each thread's, summed by role.
     */
    private record Usage(long gcs, long cpuNs, Map<String, Long> threadCpuNs)
    {
        static Usage start()
        {
            return new Usage(gcCount(), cpuTime(), threadCpu());
        }

        String end()
        {
            return String.format("%d | %.1f", gcCount() - gcs, (cpuTime() - cpuNs) / 1e9);
        }

        /** CPU seconds per thread role since the start, largest first: {@code core 1.2, ...}. */
        String byThread()
        {
            final Map<String, Long> now = threadCpu();
            return now.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue() - threadCpuNs.getOrDefault(entry.getKey(), 0L)))
                .filter(entry -> entry.getValue() >= 50_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(entry -> String.format("%s %.1f", entry.getKey(), entry.getValue() / 1e9))
                .collect(Collectors.joining(", "));
        }

        private static Map<String, Long> threadCpu()
        {
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            final Map<String, Long> byRole = new TreeMap<>();
            for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
            {
                final long cpu = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0)
                {
                    byRole.merge(role(info.getThreadName()), cpu, Long::sum);
                }
            }
            return byRole;
        }

        /** Thread names without their numbers; the gateway's Netty threads keep Netty's default name. */
        private static String role(final String threadName)
        {
            final String role = threadName.replaceAll("[-#]?\\d+", "");
            return role.equals("nioEventLoopGroup") ? "gateway-netty" : role;
        }

        private static long gcCount()
        {
            long count = 0;
            for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
            {
                count += Math.max(0, gc.getCollectionCount());
            }
            return count;
        }

        private static long cpuTime()
        {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ?
                os.getProcessCpuTime() : 0;
        }
    }
}
