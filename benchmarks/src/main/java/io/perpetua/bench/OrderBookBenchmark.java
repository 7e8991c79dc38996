package io.perpetua.bench;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The matching engine on a book of realistic depth (1,000 price levels a side, 4 orders a level,
 * spread of one tick), driven through encoded commands exactly as the core thread applies them:
 * stamp, decode, validate, match, encode events. Each benchmark leaves the book as it found it,
 * so every invocation sees the same depth.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "-Dchronicle.analytics.disable=true", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class OrderBookBenchmark
{
    private static final int MARKET = 1;
    private static final int LEVELS = 1_000;
    private static final int ORDERS_PER_LEVEL = 4;
    private static final long BEST_BID = 99_990;
    private static final long BEST_ASK = 100_000;
    private static final long TICK = 10;
    private static final long LOT = 100;
    private static final int VARIANTS = 1024;

    private MatchingEngine engine;
    private CommandAdapter adapter;
    private long sequence;
    private long nowNs;

    private final UnsafeBuffer[] placeDeep = new UnsafeBuffer[VARIANTS];
    private final int[] placeDeepLength = new int[VARIANTS];
    private final UnsafeBuffer[] cancelDeep = new UnsafeBuffer[VARIANTS];
    private final int[] cancelDeepLength = new int[VARIANTS];
    private UnsafeBuffer sweep;
    private int sweepLength;
    private UnsafeBuffer moveAway;
    private int moveAwayLength;
    private UnsafeBuffer moveBack;
    private int moveBackLength;
    private final UnsafeBuffer[] replenish = new UnsafeBuffer[3];
    private final int[] replenishLength = new int[3];
    private int variant;

    @Setup(Level.Trial)
    public void setUp()
    {
        engine = new MatchingEngine(new EngineConfig(1 << 16, 1 << 20), new OrderLimitsGate(), new EventPublisher());
        adapter = new CommandAdapter(engine);
        final CommandEncoder encoder = new CommandEncoder();
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        apply(scratch, encoder.addMarket(scratch, 0, MARKET, "BTC-USD", TICK, LOT, 3, LOT, 1_000_000 * LOT, 0, 0, -100, 500,
            100_000, false, MarketStatus.ACTIVE));
        long account = 1000;
        for (int level = 0; level < LEVELS; level++)
        {
            for (int i = 0; i < ORDERS_PER_LEVEL; i++)
            {
                apply(scratch, encoder.limitOrder(scratch, 0, account++, MARKET, 0, Side.BUY, BEST_BID - level * TICK, 5 * LOT));
                apply(scratch, encoder.limitOrder(scratch, 0, account++, MARKET, 0, Side.SELL, BEST_ASK + level * TICK, 5 * LOT));
            }
        }

        final SplittableRandom random = new SplittableRandom(7);
        for (int v = 0; v < VARIANTS; v++)
        {
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long depth = random.nextInt(50);
            final long price = side == Side.BUY ? BEST_BID - depth * TICK : BEST_ASK + depth * TICK;
            placeDeep[v] = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
            placeDeepLength[v] = encoder.limitOrder(placeDeep[v], 0, 7, MARKET, 1 + v, side, price, LOT * (1 + random.nextInt(10)));
            cancelDeep[v] = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
            cancelDeepLength[v] = encoder.cancelOrder(cancelDeep[v], 0, 7, MARKET, 0, 1 + v);
        }

        // An order ten ticks below the best bid, moved by client id (as exchange-core's MOVE) one
        // tick deeper and back: neither price crosses, so each amend re-queues it without trading.
        final long moverPrice = BEST_BID - 10 * TICK;
        apply(scratch, encoder.limitOrder(scratch, 0, 8, MARKET, 1, Side.BUY, moverPrice, 2 * LOT));
        moveAway = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        moveAwayLength = encoder.amendOrder(moveAway, 0, 8, MARKET, 0, 1, moverPrice - TICK, 0, 0);
        moveBack = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        moveBackLength = encoder.amendOrder(moveBack, 0, 8, MARKET, 0, 1, moverPrice, 0, 0);

        // A taker that takes the three oldest orders at the best ask, then makers that put them back.
        sweep = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        sweepLength = encoder.placeOrder(sweep, 0, 9, MARKET, 0, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, (byte)0,
            SelfTradePrevention.CANCEL_MAKER, BEST_ASK, 15 * LOT, 0);
        for (int i = 0; i < 3; i++)
        {
            replenish[i] = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
            replenishLength[i] = encoder.limitOrder(replenish[i], 0, 2000 + i, MARKET, 0, Side.SELL, BEST_ASK, 5 * LOT);
        }
    }

    private void apply(final UnsafeBuffer buffer, final int length)
    {
        nowNs += 1_000;
        CommandAdapter.stamp(buffer, 0, ++sequence, nowNs);
        adapter.apply(buffer, 0, length);
    }

    /** Two commands: a limit order that rests within 50 ticks of the top, then its cancel by client id. */
    @Benchmark
    public int addThenCancel()
    {
        final int v = variant++ & (VARIANTS - 1);
        apply(placeDeep[v], placeDeepLength[v]);
        final int events = engine.events().length();
        apply(cancelDeep[v], cancelDeepLength[v]);
        return events + engine.events().length();
    }

    /** Two commands: a resting order's price amended one tick away and back (the peer stream's MOVE). */
    @Benchmark
    public int amendPriceAwayAndBack()
    {
        apply(moveAway, moveAwayLength);
        final int events = engine.events().length();
        apply(moveBack, moveBackLength);
        return events + engine.events().length();
    }

    /** Four commands: an IOC taker filling three makers at the best ask, then three new makers restoring it. */
    @Benchmark
    public int aggressiveMatchAndReplenish()
    {
        apply(sweep, sweepLength);
        final int events = engine.events().length();
        apply(replenish[0], replenishLength[0]);
        apply(replenish[1], replenishLength[1]);
        apply(replenish[2], replenishLength[2]);
        return events + engine.events().length();
    }
}
