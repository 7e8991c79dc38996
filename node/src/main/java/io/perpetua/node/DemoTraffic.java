package io.perpetua.node;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.margin.RiskParams;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * The demo's order flow, from a seed: a market maker (account 1) that re-quotes a five-level ladder
 * around the oracle price whenever it moves (and pulls its quotes for two seconds after a sharp
 * move, as makers do), and leveraged takers (accounts 100..139, funded with $2,000-$20,000 at 10x-20x;
 * even-numbered takers lean long, odd ones short)
 * that rest GTT orders near the mid, cross the spread with IOC and market orders, and cancel or
 * shrink their recent orders. The client reads the wall clock only to set GTT expiries and to time
 * the maker's pause, as a real client would; the engine sees time only through the sequencer's stamps.
 */
final class DemoTraffic
{
    private static final long MAKER_ACCOUNT = 1;
    private static final int TAKER_ACCOUNTS = 40;
    private static final int LEVELS = 5;
    private static final int QUOTE_COMMANDS = 1 + 2 * LEVELS;
    private static final int RECENT = 512;
    /** A mark move larger than this (ppm) makes the maker pull its quotes. */
    private static final long SHARP_MOVE_PPM = 30_000;
    private static final long PULL_NS = 2_000_000_000L;
    private static final long MAKER_DEPOSIT = 100_000_000_000_000L;

    private final CommandEncoder encoder = new CommandEncoder();
    private final AccountCommandEncoder accounts = new AccountCommandEncoder();
    private final long[] pulledUntilNs;
    private final boolean[] pullPending;
    private final long[] quotedMidTicks;
    private final UnsafeBuffer buffer =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
    private final SplittableRandom random;
    private final DemoMarket[] markets;
    private final long[] midTicks;
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
        this.quoteStep = new int[markets.length];
        this.pulledUntilNs = new long[markets.length];
        this.pullPending = new boolean[markets.length];
        this.quotedMidTicks = new long[markets.length];
        for (int m = 0; m < markets.length; m++)
        {
            midTicks[m] = markets[m].referencePrice() / markets[m].tickSize();
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

    /** The market's margin parameters: the large-cap defaults (IMF 5%, MMF 3%) and MECHANICS §5's liquidation rules. */
    int configureRisk(final DemoMarket market)
    {
        return accounts.configureRisk(buffer, 0, market.marketId(), RiskParams.DEFAULT_IMF_PPM, RiskParams.DEFAULT_MMF_PPM,
            0, 0, RiskParams.DEFAULT_LIQUIDATION_FEE_PPM, RiskParams.DEFAULT_SLICE_PPM, RiskParams.DEFAULT_MIN_SLICE_NOTIONAL,
            RiskParams.DEFAULT_MAX_LIQUIDATION_NOTIONAL, RiskParams.DEFAULT_FILLABLE_FACTOR_PPM);
    }

    /** Number of accounts the flow funds: the maker and the takers. */
    static int fundedAccounts()
    {
        return 1 + TAKER_ACCOUNTS;
    }

    /** The deposit of funded account {@code index} (0 = the maker), with deposit id {@code index + 1}. */
    int deposit(final int index)
    {
        final long accountId = index == 0 ? MAKER_ACCOUNT : 100 + index - 1;
        final long amount = index == 0 ? MAKER_DEPOSIT : (2_000 + random.nextInt(18_001)) * 1_000_000L;
        return accounts.deposit(buffer, 0, accountId, amount, index + 1, publicKey(accountId));
    }

    /** The leverage taker {@code index} (0-based) chooses in a market: 10x to 20x (the tier's maximum). */
    int setLeverage(final int takerIndex, final DemoMarket market)
    {
        return accounts.setLeverage(buffer, 0, 100 + takerIndex, market.marketId(), 10 + random.nextInt(11));
    }

    static int takerAccounts()
    {
        return TAKER_ACCOUNTS;
    }

    /** The owner key of a demo account, derived from its id (the demo signs nothing with it). */
    private static byte[] publicKey(final long accountId)
    {
        return Ed25519Keys.rawPublicKey(
            Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("perpetua/demo-account", accountId)).getPublic());
    }

    /**
     * The oracle price the flow quotes around (price units); a sharp move makes the maker pull its
     * quotes for a while, a smaller one makes it re-quote.
     */
    void onOraclePrice(final int marketIndex, final long price, final long wallClockNs)
    {
        final long ticks = Math.max(1, price / markets[marketIndex].tickSize());
        final long previous = midTicks[marketIndex];
        midTicks[marketIndex] = ticks;
        if (Math.abs(ticks - previous) * 1_000_000L > previous * SHARP_MOVE_PPM)
        {
            pullPending[marketIndex] = true;
            pulledUntilNs[marketIndex] = wallClockNs + PULL_NS;
        }
    }

    int takeSnapshot()
    {
        return encoder.takeSnapshot(buffer, 0);
    }

    /** Encodes the next command of the flow; {@code nowNs} is the client's wall clock, for GTT expiries. */
    int next(final long nowNs)
    {
        final int m = random.nextInt(markets.length);
        if (pullPending[m])
        {
            pullPending[m] = false;
            quoteStep[m] = -1;
            return encoder.cancelAll(buffer, 0, MAKER_ACCOUNT, markets[m].marketId());
        }
        final boolean pulled = nowNs < pulledUntilNs[m];
        if (quoteStep[m] >= 0 && !pulled)
        {
            return quote(m);
        }
        if (!pulled && (quotedMidTicks[m] != midTicks[m] || random.nextInt(60) == 0))
        {
            quotedMidTicks[m] = midTicks[m];
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
            final long account = takerAccount();
            return encoder.placeOrder(buffer, 0, account, markets[m].marketId(), 0, side(account), OrderType.MARKET, TimeInForce.IOC,
                (byte)0, SelfTradePrevention.CANCEL_TAKER, 0, markets[m].lotSize() * (1 + random.nextInt(20)), 0);
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
            SelfTradePrevention.CANCEL_MAKER, priceTicks * market.tickSize(), market.lotSize() * (50 + random.nextInt(200)), 0);
    }

    private int restingOrder(final int m, final long nowNs)
    {
        final DemoMarket market = markets[m];
        final long account = takerAccount();
        final Side side = side(account);
        final long distanceTicks = 1 + random.nextInt(30);
        final long priceTicks = side == Side.BUY ? midTicks[m] - distanceTicks : midTicks[m] + distanceTicks;
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
        final long account = takerAccount();
        final Side side = side(account);
        final long throughTicks = random.nextInt(6);
        final long priceTicks = side == Side.BUY ? midTicks[m] + throughTicks : midTicks[m] - throughTicks;
        return encoder.placeOrder(buffer, 0, account, market.marketId(), 0, side, OrderType.LIMIT, TimeInForce.IOC, (byte)0,
            SelfTradePrevention.CANCEL_TAKER, priceTicks * market.tickSize(), market.lotSize() * (1 + random.nextInt(40)), 0);
    }

    private long takerAccount()
    {
        return 100 + random.nextInt(TAKER_ACCOUNTS);
    }

    /** Even-numbered takers buy two times in three, odd ones sell two times in three. */
    private Side side(final long account)
    {
        final boolean leanSide = random.nextInt(3) != 0;
        return (account % 2 == 0) == leanSide ? Side.BUY : Side.SELL;
    }
}
