package io.perpetua.peer;

import exchange.core2.core.ExchangeApi;
import exchange.core2.core.ExchangeCore;
import exchange.core2.core.common.CoreSymbolSpecification;
import exchange.core2.core.common.CoreWaitStrategy;
import exchange.core2.core.common.L2MarketData;
import exchange.core2.core.common.SymbolType;
import exchange.core2.core.common.api.ApiAddUser;
import exchange.core2.core.common.api.ApiAdjustUserBalance;
import exchange.core2.core.common.api.ApiCommand;
import exchange.core2.core.common.api.binary.BatchAddSymbolsCommand;
import exchange.core2.core.common.cmd.CommandResultCode;
import exchange.core2.core.common.cmd.OrderCommand;
import exchange.core2.core.common.config.ExchangeConfiguration;
import exchange.core2.core.common.config.InitialStateConfiguration;
import exchange.core2.core.common.config.PerformanceConfiguration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * exchange-core 0.5.3 itself on the peer stream, on this machine: Perpetua's throughput figures
 * stand beside this one, measured the same way, instead of beside a number quoted from elsewhere.
 *
 * <p>Each run starts a fresh exchange-core (no journal, no snapshots), adds the stream's symbol
 * with the spec of {@code exchange-core-3m.symbols.csv} and users 1..maxUid with ample balances,
 * applies the pre-fill untimed and collects garbage (as Perpetua's runs do), then submits the
 * 3,000,000 timed commands from one thread through {@link ExchangeApi#submitCommand} (commands built
 * beforehand, as exchange-core's own throughput test does) and stops the clock when the last trading
 * result reaches the results consumer. The
 * final book is compared with {@code exchange-core-3m.final-l2.txt}, so a driver that misread the
 * stream cannot report a figure.
 *
 * <pre>
 * java $(flags) -jar benchmarks-peer/target/perpetua-peer-bench.jar [--wait YIELDING|BUSY_SPIN|BLOCKING]
 *     [--runs 5] [--warmups 1] [--matching-engines 1] [--risk-engines 1] [--ring-size 65536] [--workloads DIR]
 * </pre>
 * It ends with {@code RESULT peer=exchange-core wait=<w> throughput=<median cmds/s> l2=<match|mismatch>}.
 */
public final class ExchangeCorePeer
{
    static final String COMMANDS_FILE = "exchange-core-3m.commands.csv.gz";
    static final String L2_FILE = "exchange-core-3m.final-l2.txt";
    private static final long BALANCE = 1L << 50;
    private static final int QUOTE_CURRENCY = 840;
    private static final int BASE_CURRENCY = 978;

    /** One run's figures and final book. */
    record Run(long timedCommands, long elapsedNs, List<String> book, long rejected)
    {
        double commandsPerSecond()
        {
            return timedCommands * 1e9 / elapsedNs;
        }
    }

    /** How exchange-core is configured. */
    record Settings(CoreWaitStrategy waitStrategy, int matchingEngines, int riskEngines, int ringSize)
    {
    }

    private ExchangeCorePeer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        // Before any Chronicle class loads: exchange-core's Chronicle would otherwise phone home.
        System.setProperty("chronicle.analytics.disable", "true");
        CoreWaitStrategy wait = CoreWaitStrategy.YIELDING;
        int runs = 5;
        int warmups = 1;
        int matchingEngines = 1;
        int riskEngines = 1;
        int ringSize = 1 << 16;
        Path workloads = null;
        for (int i = 0; i < args.length; i++)
        {
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--wait" -> wait = CoreWaitStrategy.valueOf(required(args[i], value));
                case "--runs" -> runs = Integer.parseInt(required(args[i], value));
                case "--warmups" -> warmups = Integer.parseInt(required(args[i], value));
                case "--matching-engines" -> matchingEngines = Integer.parseInt(required(args[i], value));
                case "--risk-engines" -> riskEngines = Integer.parseInt(required(args[i], value));
                case "--ring-size" -> ringSize = Integer.parseInt(required(args[i], value));
                case "--workloads" -> workloads = Path.of(required(args[i], value));
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if (runs < 1 || warmups < 0 || matchingEngines < 1 || riskEngines < 1 || Integer.bitCount(ringSize) != 1)
        {
            usage("need --runs >= 1, --warmups >= 0, engines >= 1 and a power-of-two --ring-size");
        }
        final Path dir = workloads != null ? workloads : findWorkloads();
        final Settings settings = new Settings(wait, matchingEngines, riskEngines, ringSize);
        final long loadStart = System.nanoTime();
        final PeerStream stream = PeerStream.read(dir.resolve(COMMANDS_FILE));
        final List<String> reference = Files.readAllLines(dir.resolve(L2_FILE));
        System.out.printf(Locale.ROOT, "# exchange-core %s on the peer stream: %,d pre-fill + %,d timed commands (loaded in %,d ms)%n",
            "0.5.3", stream.fill().size(), stream.timed().size(), (System.nanoTime() - loadStart) / 1_000_000);
        System.out.printf(Locale.ROOT, "machine: %d CPUs; JVM %s %s; wait %s, %d matching and %d risk engines, ring %,d%n",
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
            System.getProperty("java.vm.version"), wait, matchingEngines, riskEngines, ringSize);
        final double[] rates = new double[runs];
        String verdict = "match";
        for (int r = 0; r < warmups + runs; r++)
        {
            final Run run = run(stream, settings);
            final boolean matches = matches(reference, run.book());
            if (!matches)
            {
                verdict = "mismatch";
            }
            final boolean timed = r >= warmups;
            if (timed)
            {
                rates[r - warmups] = run.commandsPerSecond();
            }
            System.out.printf(Locale.ROOT, "%s %d: %,.0f commands/s, %,d rejected, l2 %s%n", timed ? "run" : "warm-up",
                timed ? r - warmups + 1 : r + 1, run.commandsPerSecond(), run.rejected(), matches ? "match" : "mismatch");
        }
        final double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "RESULT peer=exchange-core wait=%s throughput=%.0f l2=%s%n",
            wait, sorted[runs / 2], verdict);
        if (!"match".equals(verdict))
        {
            System.exit(1);
        }
    }

    /** One run on a fresh exchange-core; returns its timed rate and its final book. */
    static Run run(final PeerStream stream, final Settings settings) throws Exception
    {
        final AtomicLong tradingResults = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final ExchangeConfiguration configuration = ExchangeConfiguration.defaultBuilder()
            .initStateCfg(InitialStateConfiguration.CLEAN_TEST)
            .performanceCfg(PerformanceConfiguration.throughputPerformanceBuilder()
                .waitStrategy(settings.waitStrategy())
                .matchingEnginesNum(settings.matchingEngines())
                .riskEnginesNum(settings.riskEngines())
                .ringBufferSize(settings.ringSize())
                .threadFactory(runnable ->
                {
                    final Thread thread = new Thread(runnable, "exchange-core");
                    thread.setDaemon(true);
                    return thread;
                })
                .build())
            .build();
        final ExchangeCore core = new ExchangeCore((command, sequence) -> countTrading(command, tradingResults, rejected), configuration);
        core.startup();
        try
        {
            final ExchangeApi api = core.getApi();
            setUp(api, stream);
            submitAndAwait(api, stream.fill(), tradingResults, stream.fill().size());
            rejected.set(0);
            // As Perpetua's runs do: its structures go to the old generation before the clock starts.
            System.gc();
            final long start = System.nanoTime();
            submitAndAwait(api, stream.timed(), tradingResults, stream.fill().size() + (long)stream.timed().size());
            final long elapsed = System.nanoTime() - start;
            final L2MarketData book = api.requestOrderBookAsync(stream.symbol(), 100_000).get(60, TimeUnit.SECONDS);
            return new Run(stream.timed().size(), elapsed, lines(stream.symbol(), book), rejected.get());
        }
        finally
        {
            core.shutdown(30, TimeUnit.SECONDS);
        }
    }

    private static void countTrading(final OrderCommand command, final AtomicLong tradingResults, final AtomicLong rejected)
    {
        switch (command.command)
        {
            case PLACE_ORDER, MOVE_ORDER, CANCEL_ORDER, REDUCE_ORDER ->
            {
                if (command.resultCode != CommandResultCode.SUCCESS)
                {
                    rejected.lazySet(rejected.get() + 1);
                }
                // One results thread: an ordered store is enough for the publisher to see the count.
                tradingResults.lazySet(tradingResults.get() + 1);
            }
            default ->
            {
                // Set-up commands and queries are not part of the stream.
            }
        }
    }

    private static void setUp(final ExchangeApi api, final PeerStream stream) throws Exception
    {
        final CoreSymbolSpecification symbol = CoreSymbolSpecification.builder()
            .symbolId(stream.symbol())
            .type(SymbolType.FUTURES_CONTRACT)
            .baseCurrency(BASE_CURRENCY)
            .quoteCurrency(QUOTE_CURRENCY)
            .baseScaleK(100)
            .quoteScaleK(10)
            .takerFee(1160)
            .makerFee(847)
            .marginBuy(0)
            .marginSell(0)
            .build();
        expectSuccess(api.submitBinaryDataAsync(new BatchAddSymbolsCommand(symbol)).get(60, TimeUnit.SECONDS), "add symbol");
        final List<CompletableFuture<CommandResultCode>> results = new ArrayList<>();
        long transaction = 1;
        for (long uid = 1; uid <= stream.maxUid(); uid++)
        {
            results.add(api.submitCommandAsync(ApiAddUser.builder().uid(uid).build()));
            for (final int currency : new int[] {QUOTE_CURRENCY, BASE_CURRENCY})
            {
                results.add(api.submitCommandAsync(ApiAdjustUserBalance.builder()
                    .uid(uid).currency(currency).amount(BALANCE).transactionId(transaction++).build()));
            }
        }
        for (final CompletableFuture<CommandResultCode> result : results)
        {
            expectSuccess(result.get(60, TimeUnit.SECONDS), "add users and balances");
        }
    }

    private static void expectSuccess(final CommandResultCode code, final String what)
    {
        if (code != CommandResultCode.SUCCESS)
        {
            throw new IllegalStateException(what + ": " + code);
        }
    }

    private static void submitAndAwait(final ExchangeApi api, final List<ApiCommand> commands, final AtomicLong results,
        final long expected) throws InterruptedException
    {
        for (final ApiCommand command : commands)
        {
            api.submitCommand(command);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (results.get() < expected)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("exchange-core answered " + results.get() + " of " + expected + " commands");
            }
            Thread.yield();
        }
    }

    /** The book in the text form of {@code final-l2.txt} (with exchange-core's own levels and counts). */
    static List<String> lines(final int symbol, final L2MarketData book)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("symbol=" + symbol + " askLevels=" + book.askSize + " bidLevels=" + book.bidSize);
        for (int i = 0; i < book.askSize; i++)
        {
            lines.add("ASK " + book.askPrices[i] + " " + book.askVolumes[i] + " " + book.askOrders[i]);
        }
        for (int i = 0; i < book.bidSize; i++)
        {
            lines.add("BID " + book.bidPrices[i] + " " + book.bidVolumes[i] + " " + book.bidOrders[i]);
        }
        return lines;
    }

    /** Equal to the reference file, whose header also carries a state hash this comparison leaves out. */
    static boolean matches(final List<String> reference, final List<String> book)
    {
        if (reference.size() != book.size() || reference.isEmpty())
        {
            return false;
        }
        if (!reference.get(0).replaceAll(" stateHash=-?\\d+", "").equals(book.get(0)))
        {
            return false;
        }
        return reference.subList(1, reference.size()).equals(book.subList(1, book.size()));
    }

    /** {@code shared/workloads}, found by walking up from the working directory as Perpetua's harness does. */
    static Path findWorkloads()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("shared").resolve("workloads");
            if (Files.isRegularFile(candidate.resolve(COMMANDS_FILE)))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("shared/workloads not found above " + Path.of("").toAbsolutePath());
    }

    private static String required(final String option, final String value)
    {
        if (value == null)
        {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(final String problem)
    {
        System.err.println("perpetua-peer-bench: " + problem);
        System.err.println("usage: [--wait YIELDING|BUSY_SPIN|BLOCKING] [--runs N] [--warmups N] [--matching-engines N] "
            + "[--risk-engines N] [--ring-size POW2] [--workloads DIR]");
        System.exit(2);
    }
}
