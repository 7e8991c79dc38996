package io.perpetua.bench.gateway;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.gateway.Gateway;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.node.Engines;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.margin.RiskParams;
import io.perpetua.risk.oracle.OracleMessage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The exchange under test, in this process: a journaling pipeline running the node's engine
 * ({@link Engines#standard()}: order limits, accounts, oracle, margin) in a temporary directory, and
 * a {@link Gateway} on loopback ephemeral ports serving market data, JSON trading and SBE order entry.
 * One market (BTC-USD as in the demo), risk and a two-of-three oracle configured, every trading
 * account funded with ample collateral, and a signed mark price re-sent every few seconds so the
 * oracle never goes stale during a run (as the node's oracle feed would).
 */
final class BenchExchange implements AutoCloseable
{
    static final int MARKET_ID = 1;
    static final String SYMBOL = "BTC-USD";
    /** Price units (cents) and size units (1e-8 BTC) of the market. */
    static final long TICK = 50;
    static final long LOT = 100_000;
    static final long MID = 6_000_000;
    static final long DEPOSIT = 10_000_000L * 1_000_000L;
    private static final int ORACLE_SOURCES = 3;
    private static final long MARK_REFRESH_SECONDS = 5;

    final Pipeline pipeline;
    final Gateway gateway;
    final EpochNanoClock clock;
    private final Path journal;
    private final KeyPair[] oracleSources = new KeyPair[ORACLE_SOURCES];
    private final ScheduledExecutorService oracleFeed = Executors.newSingleThreadScheduledExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "bench-oracle-feed");
        thread.setDaemon(true);
        return thread;
    });
    private final CommandEncoder orders = new CommandEncoder();
    private final AccountCommandEncoder accounts = new AccountCommandEncoder();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[1024]);

    /**
     * @param accounts  trading accounts 1..accounts, each with API key {@link #apiKey} and secret {@link #secret}
     * @param ioThreads the gateway's I/O threads
     * @param clock     the sequencer's clock, shared with the clients so delays compare like with like
     */
    BenchExchange(final int accounts, final int ioThreads, final EpochNanoClock clock) throws Exception
    {
        this.clock = clock;
        journal = Files.createTempDirectory("perpetua-gateway-bench");
        // The node's engine, but without its cap of 1,000 open orders per account: the SBE phase's ten
        // accounts rest far more GTT orders than that, and the bench would time refusals.
        final EngineConfig sizing = new EngineConfig(EngineConfig.DEFAULT.preallocatedOrders(), EngineConfig.DEFAULT.orderCapacity());
        pipeline = Pipeline.start(new Pipeline.Context().journalDir(journal).engineFactory(() -> Engines.standard(sizing)).clock(clock));
        final ApiKeyStore keys = new ApiKeyStore();
        for (int account = 1; account <= accounts; account++)
        {
            keys.add(apiKey(account), secret(account), account);
        }
        // Rate limits are per key and would cap the offered load: lift them far above it.
        gateway = Gateway.start(journal, new Gateway.Config()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .ioThreads(ioThreads)
            .trading(pipeline, keys)
            .sbe(new InetSocketAddress("127.0.0.1", 0))
            .rateLimit(10_000_000, 10_000_000));
        setUp(accounts);
        oracleFeed.scheduleAtFixedRate(this::refreshMark, MARK_REFRESH_SECONDS, MARK_REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    static String apiKey(final int account)
    {
        return "bench-key-" + account;
    }

    static byte[] secret(final int account)
    {
        return ("bench-secret-of-account-" + account).getBytes(StandardCharsets.US_ASCII);
    }

    /** The market with risk and oracle, a mark price, and every account funded. */
    private void setUp(final int accountCount) throws Exception
    {
        submit(orders.addMarket(command, 0, MARKET_ID, SYMBOL, TICK, LOT, 4, LOT, 1_000_000_000, 0, 50_000,
            -100, 500, MID, false, MarketStatus.ACTIVE));
        submit(accounts.configureRisk(command, 0, MARKET_ID, RiskParams.DEFAULT_IMF_PPM, RiskParams.DEFAULT_MMF_PPM, 0, 0,
            RiskParams.DEFAULT_LIQUIDATION_FEE_PPM, RiskParams.DEFAULT_SLICE_PPM, RiskParams.DEFAULT_MIN_SLICE_NOTIONAL,
            RiskParams.DEFAULT_MAX_LIQUIDATION_NOTIONAL, RiskParams.DEFAULT_FILLABLE_FACTOR_PPM));
        final byte[][] publicKeys = new byte[ORACLE_SOURCES][];
        for (int i = 0; i < ORACLE_SOURCES; i++)
        {
            oracleSources[i] = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("perpetua/gateway-bench-oracle", i));
            publicKeys[i] = Ed25519Keys.rawPublicKey(oracleSources[i].getPublic());
        }
        submit(accounts.configureOracle(command, 0, MARKET_ID, 2, 10_000_000_000L, 150_000, 1_000_000_000L,
            30_000_000_000L, publicKeys));
        submitMark();
        final byte[] owner = Ed25519Keys.rawPublicKey(
            Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("perpetua/gateway-bench-owner", 0)).getPublic());
        long last = 0;
        for (int account = 1; account <= accountCount; account++)
        {
            last = submit(accounts.deposit(command, 0, account, DEPOSIT, account, owner));
        }
        if (!gateway.marketData().awaitSequence(last, 60, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the gateway's market data did not reach the set-up's end in 60 s");
        }
    }

    private synchronized void refreshMark()
    {
        try
        {
            submitMark();
        }
        catch (final Exception ex)
        {
            ex.printStackTrace();
        }
    }

    /** The mid as the mark, observed a moment ago by two of the three sources. */
    private synchronized long submitMark() throws Exception
    {
        final long observedNs = clock.nanoTime() - TimeUnit.MILLISECONDS.toNanos(1);
        final byte[][] signatures = {
            OracleMessage.sign(oracleSources[0].getPrivate(), MARKET_ID, MID, observedNs),
            OracleMessage.sign(oracleSources[1].getPrivate(), MARKET_ID, MID, observedNs)};
        return submit(accounts.oraclePrice(command, 0, MARKET_ID, 2, new int[] {0, 1}, new long[] {MID, MID},
            new long[] {observedNs, observedNs}, signatures));
    }

    /** Publishes the command in {@link #command}, waits for it and fails if the engine rejected it. */
    private synchronized long submit(final int length) throws Exception
    {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        PublishResult published;
        while ((published = pipeline.tryPublish(command, 0, length,
            (id, sequence, events, offset, eventsLength) -> done.complete(rejected(events, offset, eventsLength) ?
                -sequence : sequence), 0)) == PublishResult.BUSY)
        {
            Thread.onSpinWait();
        }
        if (published != PublishResult.PUBLISHED)
        {
            throw new IllegalStateException("set-up command not published: " + published);
        }
        final long sequence = done.get(30, TimeUnit.SECONDS);
        if (sequence < 0)
        {
            throw new IllegalStateException("set-up command rejected at sequence " + -sequence);
        }
        return sequence;
    }

    private static boolean rejected(final DirectBuffer events, final int offset, final int length)
    {
        return length > 0 && new MessageHeaderDecoder().wrap(events, offset).templateId() == RejectedDecoder.TEMPLATE_ID;
    }

    @Override
    public void close()
    {
        oracleFeed.shutdownNow();
        gateway.close();
        pipeline.close();
        try (Stream<Path> files = Files.walk(journal))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
