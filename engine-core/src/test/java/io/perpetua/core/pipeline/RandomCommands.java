package io.perpetua.core.pipeline;

import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.DirectBuffer;

import java.util.SplittableRandom;

/**
 * A seeded stream of commands over three markets: the markets first, then a mix of limit, market,
 * IOC/FOK/GTT and post-only orders around a random-walk mid (many crossing, so fills and
 * self-trades happen), cancels and amends of recent orders by client id, cancel-alls, heartbeats,
 * market updates (halts included), invalid orders and, optionally, periodic snapshots. The same
 * seed always yields the same stream; {@link #next()} allocates nothing.
 */
final class RandomCommands
{
    static final int MARKET_COUNT = 3;
    private static final int[] MARKET_IDS = {1, 2, 3};
    private static final long[] TICK = {50, 5, 1};
    private static final long[] LOT = {100_000, 10_000, 1_000};
    private static final long[] REFERENCE = {6_000_000, 300_000, 15_000};
    private static final int ACCOUNTS = 12;
    private static final int RECENT = 256;

    private final TestCommands encoder = new TestCommands();
    private final SplittableRandom random;
    private final int snapshotEvery;
    private final long clockStepNs;
    private final long[] midTicks = new long[MARKET_COUNT];
    private final boolean[] halted = new boolean[MARKET_COUNT];
    private final long[] recentAccount = new long[RECENT];
    private final int[] recentMarket = new int[RECENT];
    private final long[] recentClientId = new long[RECENT];
    private int recentCount;
    private long nextClientId = 1;
    private long index;

    /**
     * @param snapshotEvery a TakeSnapshot every this many commands, 0 for none
     * @param clockStepNs   the sequencer clock's step, to set GTT expiries a few hundred commands ahead
     */
    RandomCommands(final long seed, final int snapshotEvery, final long clockStepNs)
    {
        this.random = new SplittableRandom(seed);
        this.snapshotEvery = snapshotEvery;
        this.clockStepNs = clockStepNs;
        for (int m = 0; m < MARKET_COUNT; m++)
        {
            midTicks[m] = REFERENCE[m] / TICK[m];
        }
    }

    DirectBuffer buffer()
    {
        return encoder.buffer();
    }

    /** Commands generated so far. */
    long count()
    {
        return index;
    }

    /** Encodes the next command at offset 0 of {@link #buffer()}; returns its length. */
    int next()
    {
        final long i = index++;
        if (i < MARKET_COUNT)
        {
            final int m = (int)i;
            return encoder.addMarket(MARKET_IDS[m], "MKT" + MARKET_IDS[m] + "-USD", TICK[m], LOT[m], 2,
                LOT[m], LOT[m] * 1000, 0, 200_000, -100, 500, REFERENCE[m]);
        }
        if (snapshotEvery > 0 && i % snapshotEvery == 0)
        {
            return encoder.takeSnapshot();
        }
        final int m = random.nextInt(MARKET_COUNT);
        walk(m);
        final int roll = random.nextInt(1000);
        if (roll < 480)
        {
            return limit(m);
        }
        if (roll < 560)
        {
            final long account = account();
            return encoder.placeOrder(account, MARKET_IDS[m], clientId(m, account), side(), OrderType.MARKET, TimeInForce.IOC,
                (byte)0, stp(), 0, LOT[m] * (1 + random.nextInt(30)), 0);
        }
        if (roll < 760 && recentCount > 0)
        {
            final int r = random.nextInt(Math.min(recentCount, RECENT));
            return encoder.cancelOrder(recentAccount[r], recentMarket[r], 0, recentClientId[r]);
        }
        if (roll < 870 && recentCount > 0)
        {
            return amend(m);
        }
        if (roll < 900)
        {
            return encoder.cancelAll(account(), random.nextBoolean() ? 0 : MARKET_IDS[m]);
        }
        if (roll < 930)
        {
            return encoder.heartbeat();
        }
        if (roll < 940)
        {
            halted[m] = !halted[m] && random.nextInt(4) == 0;
            return encoder.updateMarket(MARKET_IDS[m], LOT[m], LOT[m] * 1000, 0, 200_000,
                -random.nextInt(200), 200 + random.nextInt(800), halted[m] ? MarketStatus.HALTED : MarketStatus.ACTIVE);
        }
        return invalid(m);
    }

    private int limit(final int m)
    {
        final Side side = side();
        final long offsetTicks = random.nextInt(-6, 25);
        final long priceTicks = Math.max(1, side == Side.BUY ? midTicks[m] - offsetTicks : midTicks[m] + offsetTicks);
        final int kind = random.nextInt(100);
        final TimeInForce timeInForce =
            kind < 75 ? TimeInForce.GTC : kind < 83 ? TimeInForce.IOC : kind < 90 ? TimeInForce.FOK : TimeInForce.GTT;
        final long expiryNs = timeInForce == TimeInForce.GTT ? (index + 1 + random.nextInt(400)) * clockStepNs : 0;
        final byte flags = timeInForce == TimeInForce.GTC && random.nextInt(10) == 0 ? CommandEncoder.POST_ONLY : 0;
        final long account = account();
        return encoder.placeOrder(account, MARKET_IDS[m], clientId(m, account), side, OrderType.LIMIT, timeInForce, flags, stp(),
            priceTicks * TICK[m], LOT[m] * (1 + random.nextInt(40)), expiryNs);
    }

    private int amend(final int m)
    {
        final int r = random.nextInt(Math.min(recentCount, RECENT));
        final int market = recentMarket[r] - 1;
        final int kind = random.nextInt(3);
        final long newPrice = kind == 0 ? (midTicks[market] + random.nextInt(-15, 16)) * TICK[market] : 0;
        final long newSize = kind == 1 ? LOT[market] * (1 + random.nextInt(40)) : 0;
        final long reduceBy = kind == 2 ? LOT[market] * (1 + random.nextInt(5)) : 0;
        return encoder.amendOrder(recentAccount[r], recentMarket[r], 0, recentClientId[r], Math.max(0, newPrice),
            newSize, reduceBy);
    }

    private int invalid(final int m)
    {
        switch (random.nextInt(5))
        {
            case 0:
                return encoder.limitOrder(account(), MARKET_IDS[m], 0, side(), midTicks[m] * TICK[m] + 1, LOT[m]);
            case 1:
                return encoder.limitOrder(account(), MARKET_IDS[m], 0, side(), midTicks[m] * TICK[m], 0);
            case 2:
                return encoder.limitOrder(account(), 99, 0, side(), midTicks[m] * TICK[m], LOT[m]);
            case 3:
                return encoder.limitOrder(account(), MARKET_IDS[m], 0, side(), -TICK[m], -LOT[m]);
            default:
                return encoder.limitOrder(account(), MARKET_IDS[m], 0, side(), Long.MAX_VALUE / TICK[m] * TICK[m],
                    LOT[m] * 1000);
        }
    }

    private void walk(final int m)
    {
        final long reference = REFERENCE[m] / TICK[m];
        final long next = midTicks[m] + random.nextInt(-2, 3);
        if (next > reference * 9 / 10 && next < reference * 11 / 10)
        {
            midTicks[m] = next;
        }
    }

    private long clientId(final int m, final long account)
    {
        if (random.nextInt(4) == 0)
        {
            return 0;
        }
        final long clientId = nextClientId++;
        final int slot = recentCount++ % RECENT;
        recentAccount[slot] = account;
        recentMarket[slot] = MARKET_IDS[m];
        recentClientId[slot] = clientId;
        return clientId;
    }

    private long account()
    {
        return 1 + random.nextInt(ACCOUNTS);
    }

    private Side side()
    {
        return random.nextBoolean() ? Side.BUY : Side.SELL;
    }

    private SelfTradePrevention stp()
    {
        return SelfTradePrevention.get((short)random.nextInt(3));
    }
}
