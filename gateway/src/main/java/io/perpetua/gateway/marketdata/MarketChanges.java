package io.perpetua.gateway.marketdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** What one events document changed in one market: the feed's deltas. */
public final class MarketChanges
{
    private final MarketState market;
    final NavigableMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
    final NavigableMap<Long, Long> asks = new TreeMap<>();
    final List<Trade> trades = new ArrayList<>();
    final Map<CandleResolution, Candle> candles = new EnumMap<>(CandleResolution.class);
    boolean configured;
    boolean figures;

    MarketChanges(final MarketState market)
    {
        this.market = market;
    }

    public MarketState market()
    {
        return market;
    }

    /** Bid levels whose size changed, to their new size (0: removed), best first. */
    public NavigableMap<Long, Long> bids()
    {
        return Collections.unmodifiableNavigableMap(bids);
    }

    public NavigableMap<Long, Long> asks()
    {
        return Collections.unmodifiableNavigableMap(asks);
    }

    public boolean bookChanged()
    {
        return !bids.isEmpty() || !asks.isEmpty();
    }

    /** New trades, oldest first. */
    public List<Trade> trades()
    {
        return Collections.unmodifiableList(trades);
    }

    /** Candles a trade updated, as they are now. */
    public Map<CandleResolution, Candle> candles()
    {
        return Collections.unmodifiableMap(candles);
    }

    /** The mark price, the open interest, the margin fractions or the funding figures changed. */
    public boolean figuresChanged()
    {
        return figures;
    }

    /** The market was created or its spec changed. */
    public boolean configured()
    {
        return configured;
    }
}
