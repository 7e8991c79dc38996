package io.perpetua.bench;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.PositionCause;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.engine.RiskEngine;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.margin.MarginCalculator;
import io.perpetua.risk.margin.RiskParams;
import io.perpetua.risk.oracle.OracleMessage;
import io.perpetua.risk.view.MarginViews;
import org.agrona.ExpandableArrayBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.KeyPair;
import java.util.concurrent.TimeUnit;

/**
 * risk-margin's costs (issue 4): the placement check of an account holding 1, 10 or 50 positions
 * (the margin of the account as it is and as it would be after the order: what {@code checkOrder}
 * computes; the positions' cached figures and the account's sums are warm, as between two marks),
 * and what the liquidation monitor adds to one mark-price update when 100,000 accounts hold
 * positions in that market (decode the event, pop the triggers the mark crossed: none here, every
 * account is at 2x; before the trigger index it re-evaluated all 100,000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "-Dchronicle.analytics.disable=true", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RiskBenchmark
{
    private static final long USD = 1_000_000L;
    private static final long COIN = 1_000L;
    private static final int MONITORED_ACCOUNTS = 100_000;

    @Param({"1", "10", "50"})
    public int positions;

    private MarginCalculator before;
    private MarginCalculator after;
    private Account account;

    private MarginViews views;
    private final EventPublisher markEvents = new EventPublisher();
    private long markSequence;
    private boolean markUp;

    @Setup(Level.Trial)
    public void setUp()
    {
        final RiskEngine risk = new RiskEngine();
        final MatchingEngine engine = new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate(), risk, new EventPublisher());
        final CommandAdapter adapter = new CommandAdapter(engine);
        final CommandEncoder orders = new CommandEncoder();
        final AccountCommandEncoder accounts = new AccountCommandEncoder();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final KeyPair source = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("risk-benchmark-oracle", 0));
        final byte[][] sourceKeys = {Ed25519Keys.rawPublicKey(source.getPublic())};
        final long[] clock = {1_000_000_000_000L, 0};
        final java.util.function.IntConsumer apply = length ->
        {
            clock[0] += 1_000_000;
            CommandAdapter.stamp(buffer, 0, ++clock[1], clock[0]);
            adapter.apply(buffer, 0, length);
        };
        apply.accept(accounts.deposit(buffer, 0, 1, 1_000_000 * USD, 1, key(1)));
        apply.accept(accounts.deposit(buffer, 0, 2, 1_000_000 * USD, 2, key(2)));
        for (int m = 1; m <= positions; m++)
        {
            apply.accept(orders.addMarket(buffer, 0, m, "M" + m + "-USD", USD, 1, 3, 1, 1_000_000 * COIN, 0, 0, 0, 0, 0,
                false, MarketStatus.ACTIVE));
            apply.accept(accounts.configureOracle(buffer, 0, m, 1, 10_000_000_000L, 500_000, 1_000_000_000L,
                3_600_000_000_000L, sourceKeys));
            final long at = clock[0] + 1_000_000;
            apply.accept(accounts.oraclePrice(buffer, 0, m, 1, new int[] {0}, new long[] {100 * USD}, new long[] {at},
                new byte[][] {OracleMessage.sign(source.getPrivate(), m, 100 * USD, at)}));
            apply.accept(orders.limitOrder(buffer, 0, 2, m, 0, Side.SELL, 100 * USD, COIN));
            apply.accept(orders.limitOrder(buffer, 0, 1, m, 0, Side.BUY, 100 * USD, COIN));
        }
        account = risk.ledger().account(1);
        if (account.positionCount() != positions)
        {
            throw new IllegalStateException("set-up opened " + account.positionCount() + " positions, not " + positions);
        }
        before = risk.newCalculator();
        after = risk.newCalculator();

        views = new MarginViews(accountId -> true);
        final EventPublisher setup = new EventPublisher();
        setup.begin(1, 1);
        setup.marketConfigured(1, USD, 1, 3, 1, 1_000_000 * COIN, 0, 0, 0, 0, 0, false, MarketStatus.ACTIVE, true, "M1-USD");
        setup.riskConfigured(1, RiskParams.DEFAULT_IMF_PPM, RiskParams.DEFAULT_MMF_PPM, 0, 0,
            RiskParams.DEFAULT_LIQUIDATION_FEE_PPM, RiskParams.DEFAULT_SLICE_PPM, RiskParams.DEFAULT_MIN_SLICE_NOTIONAL,
            RiskParams.DEFAULT_MAX_LIQUIDATION_NOTIONAL, RiskParams.DEFAULT_FILLABLE_FACTOR_PPM);
        setup.markPriceUpdated(1, 100 * USD, 100 * USD, 1);
        views.onDocument(setup.buffer(), 0, setup.length());
        for (long a = 1; a <= MONITORED_ACCOUNTS; a++)
        {
            // Alternately long and short one coin at $100 with $50 of collateral: 2x, far from liquidation.
            final long size = a % 2 == 0 ? COIN : -COIN;
            setup.begin(1 + a, 1 + a);
            setup.positionChanged(a, 1, PositionCause.TRADE, a, size, size > 0 ? -100 * USD : 100 * USD, 0, size,
                size * 100_000, 0, size > 0 ? -50 * USD : 150 * USD);
            views.onDocument(setup.buffer(), 0, setup.length());
        }
        markSequence = 2 + MONITORED_ACCOUNTS;
    }

    private static byte[] key(final long accountId)
    {
        return Ed25519Keys.rawPublicKey(
            Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("risk-benchmark-account", accountId)).getPublic());
    }

    /** The placement check's arithmetic: the account now, and after buying one more coin at $100. */
    @Benchmark
    public long placementCheck()
    {
        before.evaluate(account);
        after.evaluate(account, 1, COIN, -100 * USD);
        return after.netCollateral - after.initialMargin + before.maintenanceMargin;
    }

    /** One mark-price update through the margin views and the liquidation monitor, 100,000 accounts in the market. */
    @Benchmark
    public long markUpdateWithMonitor()
    {
        markUp = !markUp;
        markEvents.begin(++markSequence, markSequence);
        markEvents.markPriceUpdated(1, markUp ? 101 * USD : 100 * USD, 100 * USD, 1);
        views.onDocument(markEvents.buffer(), 0, markEvents.length());
        return views.lastSequence();
    }
}
