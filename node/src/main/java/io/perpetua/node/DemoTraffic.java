package io.perpetua.node;

import io.perpetua.gateway.marketdata.MarketUnits;
import io.perpetua.node.config.NodeConfig;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's order flow, from a seed: a market maker (account 1, requests of the SBE order-entry
 * protocol, see {@link Maker}) that re-quotes a five-level ladder around the oracle price whenever it
 * moves (and pulls its quotes for two seconds after a sharp move, as makers do), now and then cancels
 * one of its quotes or backs it off by a tick, and leveraged takers (trading API JSON requests) (accounts 100..139, funded
 * with $2,000-$20,000 by the demo's configuration, at 10x-20x; even-numbered takers lean long, odd
 * ones short) that rest GTT orders near the mid, cross the spread with IOC and market orders, and
 * cancel or shrink their recent orders. The client reads the wall clock only to set GTT expiries
 * and to time the maker's pause, as a real client would; the engine sees time only through the
 * sequencer's stamps.
 */
final class DemoTraffic
{
    static final long MAKER_ACCOUNT = 1;
    static final long FIRST_TAKER = 100;
    static final int TAKER_ACCOUNTS = 40;
    private static final int LEVELS = 5;
    private static final int QUOTE_COMMANDS = 1 + 2 * LEVELS;
    private static final int RECENT = 512;
    /** A mark move larger than this (ppm) makes the maker pull its quotes. */
    private static final long SHARP_MOVE_PPM = 30_000;
    private static final long PULL_NS = 2_000_000_000L;
    /** Takers' order sizes are multiples of this many lots, so that positions reach their leverage within seconds. */
    private static final long TAKER_SIZE = 3;

    /** Where a request goes: the connection of the account that sends it. */
    @FunctionalInterface
    interface Sink
    {
        void send(long accountId, String request);
    }

    /** The market maker's order entry (prices and sizes in the engine's units). */
    interface Maker
    {
        /** A GTC limit order. */
        void newOrder(int marketId, long clientOrderId, boolean buy, long price, long size);

        void cancel(int marketId, long clientOrderId);

        /** Moves the order to a new price, keeping its size. */
        void cancelReplace(int marketId, long clientOrderId, long newPrice);

        void massCancel(int marketId);
    }

    private final long[] pulledUntilNs;
    private final boolean[] pullPending;
    private final long[] quotedMidTicks;
    private final SplittableRandom random;
    private final List<NodeConfig.Market> markets;
    private final MarketUnits[] units;
    private final long[] midTicks;
    private final int[] quoteStep;
    /** Client order id and price (ticks) of each quote of each market's current ladder: bids, then asks; 0 when none. */
    private final long[][] ladderClientIds;
    private final long[][] ladderTicks;
    private final long[] recentAccount = new long[RECENT];
    private final int[] recentMarket = new int[RECENT];
    private final long[] recentClientId = new long[RECENT];
    private long recentCount;
    private long nextClientId = 1_000_000;
    private long nextRequestId;

    DemoTraffic(final long seed, final List<NodeConfig.Market> markets)
    {
        this.random = new SplittableRandom(seed);
        this.markets = markets;
        this.units = new MarketUnits[markets.size()];
        this.midTicks = new long[markets.size()];
        this.quoteStep = new int[markets.size()];
        this.pulledUntilNs = new long[markets.size()];
        this.pullPending = new boolean[markets.size()];
        this.quotedMidTicks = new long[markets.size()];
        this.ladderClientIds = new long[markets.size()][2 * LEVELS];
        this.ladderTicks = new long[markets.size()][2 * LEVELS];
        for (int m = 0; m < markets.size(); m++)
        {
            final NodeConfig.Market market = markets.get(m);
            units[m] = units(market);
            midTicks[m] = market.referencePrice() / market.tickSize();
            quoteStep[m] = -1;
        }
    }

    /** How the gateway writes the market's prices and sizes (its default, cents where the scale allows). */
    static MarketUnits units(final NodeConfig.Market market)
    {
        return new MarketUnits(MarketUnits.PriceDecimals.CENTS.priceDecimals(market.symbol(), market.quoteScaleExponent()),
            market.quoteScaleExponent());
    }

    /** The leverage taker {@code index} (0-based) chooses in market {@code m}: 10x to 20x (the tier's maximum). */
    void setLeverage(final int takerIndex, final int m, final Sink sink)
    {
        sink.send(FIRST_TAKER + takerIndex, request("setLeverage") + ",\"market\":\"" + markets.get(m).symbol() +
            "\",\"leverage\":" + (10 + random.nextInt(11)) + "}");
    }

    /**
     * The oracle price the flow quotes around (price units); a sharp move makes the maker pull its
     * quotes for a while, a smaller one makes it re-quote.
     */
    void onOraclePrice(final int marketIndex, final long price, final long wallClockNs)
    {
        final long ticks = Math.max(1, price / markets.get(marketIndex).tickSize());
        final long previous = midTicks[marketIndex];
        midTicks[marketIndex] = ticks;
        if (Math.abs(ticks - previous) * 1_000_000L > previous * SHARP_MOVE_PPM)
        {
            pullPending[marketIndex] = true;
            pulledUntilNs[marketIndex] = wallClockNs + PULL_NS;
        }
    }

    /**
     * Sends the next request of the flow, the maker's to {@code maker}, the takers' to {@code sink};
     * {@code nowNs} is the client's wall clock, for GTT expiries.
     */
    void next(final long nowNs, final Sink sink, final Maker maker)
    {
        final int m = random.nextInt(markets.size());
        if (pullPending[m])
        {
            pullPending[m] = false;
            quoteStep[m] = -1;
            cancelAll(m, maker);
            return;
        }
        final boolean pulled = nowNs < pulledUntilNs[m];
        if (quoteStep[m] >= 0 && !pulled)
        {
            quote(m, maker);
            return;
        }
        if (!pulled && (quotedMidTicks[m] != midTicks[m] || random.nextInt(60) == 0))
        {
            quotedMidTicks[m] = midTicks[m];
            quoteStep[m] = 0;
            quote(m, maker);
            return;
        }
        final int roll = random.nextInt(100);
        if (roll < 55)
        {
            restingOrder(m, nowNs, sink);
            return;
        }
        if (roll < 75)
        {
            crossingOrder(m, sink);
            return;
        }
        final NodeConfig.Market market = markets.get(m);
        if (roll < 80)
        {
            final long account = takerAccount();
            sink.send(account, request("place") + market(m) + ",\"side\":\"" + side(account) +
                "\",\"type\":\"MARKET\",\"size\":\"" + units[m].size(market.lotSize() * TAKER_SIZE * (1 + random.nextInt(20))) +
                "\",\"selfTradePrevention\":\"CANCEL_TAKER\"}");
            return;
        }
        if (recentCount == 0)
        {
            restingOrder(m, nowNs, sink);
            return;
        }
        if (random.nextInt(4) == 0 && adjustQuote(m, roll < 92, maker))
        {
            return;
        }
        final int r = (int)(random.nextLong(Math.min(recentCount, RECENT)));
        final int recent = recentMarket[r];
        if (roll < 92)
        {
            sink.send(recentAccount[r], request("cancel") + market(recent) + ",\"clientOrderId\":" + recentClientId[r] + "}");
            return;
        }
        sink.send(recentAccount[r], request("amend") + market(recent) + ",\"clientOrderId\":" + recentClientId[r] +
            ",\"reduceBy\":\"" + units[recent].size(markets.get(recent).lotSize()) + "\"}");
    }

    /** The next step of a re-quote: a mass cancel, then the ladder's bids and asks, innermost first. */
    private void quote(final int m, final Maker maker)
    {
        final NodeConfig.Market market = markets.get(m);
        final int step = quoteStep[m]++;
        if (step == QUOTE_COMMANDS - 1)
        {
            quoteStep[m] = -1;
        }
        if (step == 0)
        {
            cancelAll(m, maker);
            return;
        }
        final int level = (step - 1) % LEVELS;
        final boolean buy = step <= LEVELS;
        final long distanceTicks = 1 + 2L * level;
        final long priceTicks = buy ? midTicks[m] - distanceTicks : midTicks[m] + distanceTicks;
        final long clientId = nextClientId++;
        ladderClientIds[m][step - 1] = clientId;
        ladderTicks[m][step - 1] = priceTicks;
        maker.newOrder(market.id(), clientId, buy, priceTicks * market.tickSize(), market.lotSize() * (50 + random.nextInt(200)));
    }

    private void cancelAll(final int m, final Maker maker)
    {
        Arrays.fill(ladderClientIds[m], 0);
        maker.massCancel(markets.get(m).id());
    }

    /**
     * Cancels one quote of the market's ladder, or moves it a tick away from the mid (it may have
     * been filled already: the engine then rejects the request as UNKNOWN_ORDER).
     *
     * @return false if the ladder has no quote
     */
    private boolean adjustQuote(final int m, final boolean cancel, final Maker maker)
    {
        final int slot = random.nextInt(2 * LEVELS);
        final long clientId = ladderClientIds[m][slot];
        if (clientId == 0)
        {
            return false;
        }
        final NodeConfig.Market market = markets.get(m);
        if (cancel)
        {
            ladderClientIds[m][slot] = 0;
            maker.cancel(market.id(), clientId);
            return true;
        }
        ladderTicks[m][slot] += slot < LEVELS ? -1 : 1;
        maker.cancelReplace(market.id(), clientId, ladderTicks[m][slot] * market.tickSize());
        return true;
    }

    private void restingOrder(final int m, final long nowNs, final Sink sink)
    {
        final NodeConfig.Market market = markets.get(m);
        final long account = takerAccount();
        final String side = side(account);
        final long distanceTicks = 1 + random.nextInt(30);
        final long priceTicks = side.equals("BUY") ? midTicks[m] - distanceTicks : midTicks[m] + distanceTicks;
        final long clientId = nextClientId++;
        final int slot = (int)(recentCount++ % RECENT);
        recentAccount[slot] = account;
        recentMarket[slot] = m;
        recentClientId[slot] = clientId;
        final long expiresAtMs = (nowNs + 2_000_000_000L + random.nextLong(8_000_000_000L)) / 1_000_000;
        sink.send(account, request("place") + market(m) + ",\"side\":\"" + side + "\",\"timeInForce\":\"GTT\",\"price\":\"" +
            units[m].price(priceTicks * market.tickSize()) + "\",\"size\":\"" +
            units[m].size(market.lotSize() * TAKER_SIZE * (1 + random.nextInt(10))) + "\",\"clientOrderId\":" + clientId +
            ",\"expiresAt\":" + expiresAtMs + "}");
    }

    private void crossingOrder(final int m, final Sink sink)
    {
        final NodeConfig.Market market = markets.get(m);
        final long account = takerAccount();
        final String side = side(account);
        final long throughTicks = random.nextInt(6);
        final long priceTicks = side.equals("BUY") ? midTicks[m] + throughTicks : midTicks[m] - throughTicks;
        sink.send(account, request("place") + market(m) + ",\"side\":\"" + side + "\",\"timeInForce\":\"IOC\",\"price\":\"" +
            units[m].price(priceTicks * market.tickSize()) + "\",\"size\":\"" +
            units[m].size(market.lotSize() * TAKER_SIZE * (1 + random.nextInt(40))) + "\",\"selfTradePrevention\":\"CANCEL_TAKER\"}");
    }

    /** The start of a request object, up to and without its closing brace. */
    private String request(final String op)
    {
        return "{\"op\":\"" + op + "\",\"requestId\":\"" + (++nextRequestId) + "\"";
    }

    private String market(final int m)
    {
        return ",\"market\":\"" + markets.get(m).symbol() + "\"";
    }

    private long takerAccount()
    {
        return FIRST_TAKER + random.nextInt(TAKER_ACCOUNTS);
    }

    /** Even-numbered takers buy two times in three, odd ones sell two times in three. */
    private String side(final long account)
    {
        final boolean leanSide = random.nextInt(3) != 0;
        return (account % 2 == 0) == leanSide ? "BUY" : "SELL";
    }
}
