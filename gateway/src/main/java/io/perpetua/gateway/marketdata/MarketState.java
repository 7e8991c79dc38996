package io.perpetua.gateway.marketdata;

import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The public market data of one market rebuilt from events: price levels (price units to open size
 * units), recent trades, candles and funding ticks. Read and written only under the {@link MarketDataState} lock.
 */
public final class MarketState
{
    /** Trades kept for REST and the trades snapshot. */
    public static final int MAX_TRADES = 1_000;
    /** Candles kept per resolution; a day of one-minute candles plus margin for the 24h figures. */
    public static final int MAX_CANDLES = 1_500;
    /** Funding ticks kept for the funding history: over a year of hourly ticks. */
    public static final int MAX_FUNDING_TICKS = 10_000;
    private static final long DAY_NS = TimeUnit.DAYS.toNanos(1);

    private MarketInfo info;
    private final NavigableMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<Long, Long> asks = new TreeMap<>();
    private final ArrayDeque<Trade> trades = new ArrayDeque<>();
    private final Map<CandleResolution, ArrayDeque<Candle>> candles = new EnumMap<>(CandleResolution.class);
    private long lastTradePrice;
    /** Accepted mark price (from MarkPriceUpdated); 0 before the first. */
    private long markPrice;
    /** From RiskConfigured; -1 while the market has no risk parameters. */
    private int initialMarginPpm = -1;
    private int maintenanceMarginPpm = -1;
    /** Signed position size per account, to keep {@link #openInterest} from PositionChanged's size-after. */
    private final Long2LongHashMap positions = new Long2LongHashMap(0);
    private long openInterest;
    private final ArrayDeque<FundingTick> fundingTicks = new ArrayDeque<>();

    MarketState(final MarketInfo info)
    {
        this.info = info;
        for (final CandleResolution resolution : CandleResolution.values())
        {
            candles.put(resolution, new ArrayDeque<>());
        }
    }

    public MarketInfo info()
    {
        return info;
    }

    void info(final MarketInfo info)
    {
        this.info = info;
    }

    /** Bids, best (highest) first. */
    public NavigableMap<Long, Long> bids()
    {
        return Collections.unmodifiableNavigableMap(bids);
    }

    /** Asks, best (lowest) first. */
    public NavigableMap<Long, Long> asks()
    {
        return Collections.unmodifiableNavigableMap(asks);
    }

    /** Recent trades, oldest first. */
    public Iterable<Trade> trades()
    {
        return Collections.unmodifiableCollection(trades);
    }

    public Iterator<Trade> tradesNewestFirst()
    {
        return trades.descendingIterator();
    }

    /** Candles of one resolution, newest first. */
    public Iterator<Candle> candlesNewestFirst(final CandleResolution resolution)
    {
        return candles.get(resolution).descendingIterator();
    }

    public long lastTradePrice()
    {
        return lastTradePrice;
    }

    /** The oracle's accepted mark price, or 0 before the first MarkPriceUpdated. */
    public long markPrice()
    {
        return markPrice;
    }

    void markPrice(final long price)
    {
        markPrice = price;
    }

    /** Base initial margin fraction in ppm (before open-interest scaling), or -1 if risk is not configured. */
    public int initialMarginPpm()
    {
        return initialMarginPpm;
    }

    public int maintenanceMarginPpm()
    {
        return maintenanceMarginPpm;
    }

    void marginFractions(final int initialMarginPpm, final int maintenanceMarginPpm)
    {
        this.initialMarginPpm = initialMarginPpm;
        this.maintenanceMarginPpm = maintenanceMarginPpm;
    }

    /** Open interest in size units: the sum of all long positions (equal to the sum of all shorts). */
    public long openInterest()
    {
        return openInterest;
    }

    /** Records an account's position size after a change and moves the open interest by the long side. */
    void position(final long accountId, final long sizeAfter)
    {
        final long before = sizeAfter == 0 ? positions.remove(accountId) : positions.put(accountId, sizeAfter);
        openInterest += Math.max(sizeAfter, 0) - Math.max(before, 0);
    }

    /** Applied funding ticks, newest first. */
    public Iterator<FundingTick> fundingTicksNewestFirst()
    {
        return fundingTicks.descendingIterator();
    }

    /** The latest applied funding tick, or null before the first. */
    public FundingTick lastFundingTick()
    {
        return fundingTicks.peekLast();
    }

    /**
     * The end of the next funding period, assuming it is as long as the latest one (the journal
     * records period ends, not the processor's interval), or -1 before the second tick (or past the
     * range of a long).
     */
    public long nextFundingTimeNs()
    {
        if (fundingTicks.size() < 2)
        {
            return -1;
        }
        final Iterator<FundingTick> newestFirst = fundingTicks.descendingIterator();
        final long last = newestFirst.next().fundingTimeNs();
        final long previous = newestFirst.next().fundingTimeNs();
        final long next = last + (last - previous);
        // Period ends only grow, so an overflow is the one way next can fall before last.
        return next > last ? next : -1;
    }

    void addFundingTick(final FundingTick tick)
    {
        fundingTicks.addLast(tick);
        if (fundingTicks.size() > MAX_FUNDING_TICKS)
        {
            fundingTicks.removeFirst();
        }
    }

    /** The reference price the engine uses: the last trade, or the configured one before any trade. */
    public long referencePrice()
    {
        return lastTradePrice != 0 ? lastTradePrice : info.referencePrice();
    }

    /** {@code bestBid + bestAsk}, or -1 if a side is empty. */
    public long midSum()
    {
        return bids.isEmpty() || asks.isEmpty() ? -1 : bids.firstKey() + asks.firstKey();
    }

    /**
     * Adds {@code delta} to the level at {@code price}.
     *
     * @return the level's new size (0: the level is gone)
     */
    long addToLevel(final boolean bid, final long price, final long delta)
    {
        final NavigableMap<Long, Long> levels = bid ? bids : asks;
        final long size = levels.getOrDefault(price, 0L) + delta;
        if (size < 0)
        {
            throw new IllegalStateException(info.symbol() + ": level " + price + " would go negative (" + size +
                "): the events journal and this view disagree");
        }
        if (size == 0)
        {
            levels.remove(price);
        }
        else
        {
            levels.put(price, size);
        }
        return size;
    }

    void addTrade(final Trade trade, final Map<CandleResolution, Candle> touched)
    {
        trades.addLast(trade);
        if (trades.size() > MAX_TRADES)
        {
            trades.removeFirst();
        }
        lastTradePrice = trade.price();
        for (final Map.Entry<CandleResolution, ArrayDeque<Candle>> entry : candles.entrySet())
        {
            final CandleResolution resolution = entry.getKey();
            final ArrayDeque<Candle> series = entry.getValue();
            final long start = resolution.startOf(trade.timestampNs());
            Candle candle = series.peekLast();
            if (candle == null || candle.startedAtNs < start)
            {
                candle = new Candle(resolution, start, trade.price(), midSum());
                series.addLast(candle);
                if (series.size() > MAX_CANDLES)
                {
                    series.removeFirst();
                }
            }
            // Command time never goes backwards, so a trade always belongs to the newest candle.
            candle.add(trade.price(), trade.size(), trade.quote(), midSum());
            touched.put(resolution, candle);
        }
    }

    /** Volume, trade count and price change over the 24 hours of command time up to {@code nowNs}. */
    public DayStats dayStats(final long nowNs)
    {
        long quoteVolume = 0;
        long trades = 0;
        long open = 0;
        long close = 0;
        for (final Iterator<Candle> it = candlesNewestFirst(CandleResolution.ONE_MINUTE); it.hasNext(); )
        {
            final Candle candle = it.next();
            if (candle.startedAtNs <= nowNs - DAY_NS)
            {
                break;
            }
            if (close == 0)
            {
                close = candle.close;
            }
            open = candle.open;
            quoteVolume += candle.quoteVolume;
            trades += candle.trades;
        }
        return new DayStats(quoteVolume, trades, close - open);
    }

    /** @param priceChange last price minus the first price of the window, in price units */
    public record DayStats(long quoteVolume, long trades, long priceChange)
    {
    }
}
