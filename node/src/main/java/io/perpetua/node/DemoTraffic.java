package io.perpetua.node;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * The demo's order flow, from a seed: a market maker (account 1) that regularly cancels its quotes
 * and re-quotes a five-level ladder around a random-walk mid, and takers (accounts 100..139) that
 * rest GTT orders near the mid, cross the spread with IOC and market orders, and cancel or shrink
 * their recent orders. The client reads the wall clock only to set GTT expiries, as a real client
 * would; the engine sees time only through the sequencer's stamps.
 */
final class DemoTraffic
{
    private static final long MAKER_ACCOUNT = 1;
    private static final int TAKER_ACCOUNTS = 40;
    private static final int LEVELS = 5;
    private static final int QUOTE_COMMANDS = 1 + 2 * LEVELS;
    private static final int RECENT = 512;

    private final CommandEncoder encoder = new CommandEncoder();
    private final UnsafeBuffer buffer =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
    private final SplittableRandom random;
    private final DemoMarket[] markets;
    private final long[] midTicks;
    private final long[] referenceTicks;
    private final int[] quoteStep;
    private final long[] recentAccount = new long[RECENT];
    private final int[] recentMarket = new int[RECENT];
    private final long[] recentClientId = new long[RECENT];
    private long recentCount;
    private long nextClientId = 1_000_000;

    DemoTraffic(final long seed, final DemoMarket[] markets)
    {
        this.random = new SplittableRandom(seed);
        this.markets = markets;
        this.midTicks = new long[markets.length];
        this.referenceTicks = new long[markets.length];
        this.quoteStep = new int[markets.length];
        for (int m = 0; m < markets.length; m++)
        {
            referenceTicks[m] = markets[m].referencePrice() / markets[m].tickSize();
            midTicks[m] = referenceTicks[m];
            quoteStep[m] = -1;
        }
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    int addMarket(final DemoMarket market)
    {
        return encoder.addMarket(buffer, 0, market.marketId(), market.symbol(), market.tickSize(), market.lotSize(),
            market.quoteScaleExponent(), market.minSize(), market.maxSize(), 0, market.priceBandPpm(),
            market.makerFeePpm(), market.takerFeePpm(), market.referencePrice(), false, MarketStatus.ACTIVE);
    }

    int takeSnapshot()
    {
        return encoder.takeSnapshot(buffer, 0);
    }

    /** Encodes the next command of the flow; {@code nowNs} is the client's wall clock, for GTT expiries. */
    int next(final long nowNs)
    {
        final int m = random.nextInt(markets.length);
        if (quoteStep[m] >= 0)
        {
            return quote(m);
        }
        if (random.nextInt(60) == 0)
        {
            walk(m);
            quoteStep[m] = 0;
            return quote(m);
        }
        final int roll = random.nextInt(100);
        if (roll < 55)
        {
            return restingOrder(m, nowNs);
        }
        if (roll < 75)
        {
            return crossingOrder(m);
        }
        if (roll < 80)
        {
            return encoder.placeOrder(buffer, 0, takerAccount(), markets[m].marketId(), 0, side(), OrderType.MARKET, TimeInForce.IOC,
                (byte)0, SelfTradePrevention.CANCEL_TAKER, 0, markets[m].lotSize() * (1 + random.nextInt(3)), 0);
        }
        if (recentCount == 0)
        {
            return restingOrder(m, nowNs);
        }
        final int r = (int)(random.nextLong(Math.min(recentCount, RECENT)));
        if (roll < 92)
        {
            return encoder.cancelOrder(buffer, 0, recentAccount[r], recentMarket[r], 0, recentClientId[r]);
        }
        return encoder.amendOrder(buffer, 0, recentAccount[r], recentMarket[r], 0, recentClientId[r], 0, 0,
            markets[recentMarket[r] - 1].lotSize());
    }

    private int quote(final int m)
    {
        final DemoMarket market = markets[m];
        final int step = quoteStep[m]++;
        if (step == QUOTE_COMMANDS - 1)
        {
            quoteStep[m] = -1;
        }
        if (step == 0)
        {
            return encoder.cancelAll(buffer, 0, MAKER_ACCOUNT, market.marketId());
        }
        final int level = (step - 1) % LEVELS;
        final Side side = step <= LEVELS ? Side.BUY : Side.SELL;
        final long distanceTicks = 1 + 2L * level;
        final long priceTicks = side == Side.BUY ? midTicks[m] - distanceTicks : midTicks[m] + distanceTicks;
        return encoder.placeOrder(buffer, 0, MAKER_ACCOUNT, market.marketId(), 0, side, OrderType.LIMIT, TimeInForce.GTC, (byte)0,
            SelfTradePrevention.CANCEL_MAKER, priceTicks * market.tickSize(), market.lotSize() * (10 + random.nextInt(40)), 0);
    }

    private int restingOrder(final int m, final long nowNs)
    {
        final DemoMarket market = markets[m];
        final Side side = side();
        final long distanceTicks = 1 + random.nextInt(30);
        final long priceTicks = side == Side.BUY ? midTicks[m] - distanceTicks : midTicks[m] + distanceTicks;
        final long account = takerAccount();
        final long clientId = nextClientId++;
        final int slot = (int)(recentCount++ % RECENT);
        recentAccount[slot] = account;
        recentMarket[slot] = market.marketId();
        recentClientId[slot] = clientId;
        final long expiryNs = nowNs + 2_000_000_000L + random.nextLong(8_000_000_000L);
        return encoder.placeOrder(buffer, 0, account, market.marketId(), clientId, side, OrderType.LIMIT, TimeInForce.GTT, (byte)0,
            SelfTradePrevention.CANCEL_MAKER, priceTicks * market.tickSize(), market.lotSize() * (1 + random.nextInt(10)),
            expiryNs);
    }

    private int crossingOrder(final int m)
    {
        final DemoMarket market = markets[m];
        final Side side = side();
        final long throughTicks = random.nextInt(6);
        final long priceTicks = side == Side.BUY ? midTicks[m] + throughTicks : midTicks[m] - throughTicks;
        return encoder.placeOrder(buffer, 0, takerAccount(), market.marketId(), 0, side, OrderType.LIMIT, TimeInForce.IOC, (byte)0,
            SelfTradePrevention.CANCEL_TAKER, priceTicks * market.tickSize(), market.lotSize() * (1 + random.nextInt(5)), 0);
    }

    /** Moves the mid a few ticks, staying within 3% of the reference so quotes stay inside the price band. */
    private void walk(final int m)
    {
        final long next = midTicks[m] + random.nextInt(-3, 4);
        final long limit = referenceTicks[m] * 3 / 100;
        if (Math.abs(next - referenceTicks[m]) <= limit)
        {
            midTicks[m] = next;
        }
    }

    private long takerAccount()
    {
        return 100 + random.nextInt(TAKER_ACCOUNTS);
    }

    private Side side()
    {
        return random.nextBoolean() ? Side.BUY : Side.SELL;
    }
}
