package io.perpetua.bench;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.funding.BookView;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.engine.RiskEngine;
import io.perpetua.risk.oracle.OracleMessage;
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
 * Funding's costs (issue 7): one premium sample on a deep book (5,000 levels a side; the impact
 * notional decides how many levels the walk reads), and one FundingTick command applied by the
 * core with 1,000 or 100,000 open positions in the market: settlement is lazy, so the tick is
 * O(markets) and both position counts should cost the same.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "-Dchronicle.analytics.disable=true", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FundingBenchmark
{
    private static final long USD = 1_000_000L;
    private static final int LEVELS = 5_000;

    /** A deep book: a $50,000 coin in lots of 0.001 (one lot $50 at tick $1), 10 lots a level, one-tick spread. */
    @State(Scope.Thread)
    public static class DeepBook
    {
        /** Impact notional of the premium sample, USDC: 20 or 2,000 levels of $500 each. */
        @Param({"10000", "1000000"})
        public long impactUsd;

        BookView book;

        @Setup(Level.Trial)
        public void setUp()
        {
            book = new BookView(1, USD, 1, 1_000L);
            book.markTicks(50_000);
            for (int i = 0; i < LEVELS; i++)
            {
                book.add(Side.BUY, 49_999 - i, 10);
                book.add(Side.SELL, 50_001 + i, 10);
            }
        }
    }

    /** A core whose market holds {@code positions} open positions (half long, half short). */
    @State(Scope.Thread)
    public static class OpenPositions
    {
        @Param({"1000", "100000"})
        public int positions;

        private MatchingEngine engine;
        private CommandAdapter adapter;
        private final FundingCommandEncoder funding = new FundingCommandEncoder();
        private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        private long sequence;
        private long nowNs = 1_000_000_000_000L;
        private long fundingTimeNs = 1;
        private boolean positive;

        @Setup(Level.Trial)
        public void setUp()
        {
            final RiskEngine risk = new RiskEngine();
            engine = new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate(), risk, new EventPublisher());
            adapter = new CommandAdapter(engine);
            final CommandEncoder orders = new CommandEncoder();
            final AccountCommandEncoder accounts = new AccountCommandEncoder();
            final KeyPair source = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("funding-benchmark-oracle", 0));
            final byte[] owner = Ed25519Keys.rawPublicKey(
                Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("funding-benchmark-account", 0)).getPublic());
            apply(orders.addMarket(buffer, 0, 1, "M1-USD", USD, 1, 3, 1, 1_000_000_000L, 0, 0, 0, 0, 0, false,
                MarketStatus.ACTIVE));
            apply(accounts.configureOracle(buffer, 0, 1, 1, 10_000_000_000L, 500_000, 1_000_000_000L, Long.MAX_VALUE / 4,
                new byte[][] {Ed25519Keys.rawPublicKey(source.getPublic())}));
            final long at = nowNs + 1_000_000;
            apply(accounts.oraclePrice(buffer, 0, 1, 1, new int[] {0}, new long[] {100 * USD}, new long[] {at},
                new byte[][] {OracleMessage.sign(source.getPrivate(), 1, 100 * USD, at)}));
            // Accounts share one owner key (only signed requests need distinct ones); pairs trade one lot each.
            for (long a = 1; a <= positions; a++)
            {
                apply(accounts.deposit(buffer, 0, a, 1_000 * USD, a, owner));
            }
            for (long a = 1; a < positions; a += 2)
            {
                apply(orders.placeOrder(buffer, 0, a, 1, 0, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, (byte)0,
                    SelfTradePrevention.CANCEL_MAKER, 100 * USD, 1, 0));
                apply(orders.placeOrder(buffer, 0, a + 1, 1, 0, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, (byte)0,
                    SelfTradePrevention.CANCEL_MAKER, 100 * USD, 1, 0));
            }
            final long open = risk.ledger().funding(1).openPositions();
            if (open != positions)
            {
                throw new IllegalStateException("set-up opened " + open + " positions, not " + positions);
            }
        }

        private void apply(final int length)
        {
            nowNs += 1_000_000;
            CommandAdapter.stamp(buffer, 0, ++sequence, nowNs);
            adapter.apply(buffer, 0, length);
        }
    }

    /** One premium sample: both impact prices walked from the best level, against the index. */
    @Benchmark
    public long premiumSample(final DeepBook state)
    {
        return state.book.premiumPpb(state.impactUsd * USD);
    }

    /** One FundingTick through the core (decode, checks, index update, event), all positions left to settle lazily. */
    @Benchmark
    public int fundingTick(final OpenPositions state)
    {
        state.positive = !state.positive;
        state.apply(state.funding.fundingTick(state.buffer, 0, 1, state.positive ? 100_000 : -100_000,
            state.fundingTimeNs++));
        return state.engine.events().length();
    }
}
