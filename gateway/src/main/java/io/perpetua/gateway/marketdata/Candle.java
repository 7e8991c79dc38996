package io.perpetua.gateway.marketdata;

/**
 * One candle of one market and resolution, in integer units: prices in price units, base volume in
 * size units, quote volume in quote quantums. The order-book mids are {@code bid + ask} in price
 * units (twice the mid, so they stay integers), or -1 when a side was empty.
 */
public final class Candle
{
    final CandleResolution resolution;
    final long startedAtNs;
    long open;
    long high;
    long low;
    long close;
    long baseVolume;
    long quoteVolume;
    int trades;
    long midSumOpen;
    long midSumClose;

    Candle(final CandleResolution resolution, final long startedAtNs, final long price, final long midSum)
    {
        this.resolution = resolution;
        this.startedAtNs = startedAtNs;
        this.open = price;
        this.high = price;
        this.low = price;
        this.close = price;
        this.midSumOpen = midSum;
        this.midSumClose = midSum;
    }

    void add(final long price, final long size, final long quote, final long midSum)
    {
        high = Math.max(high, price);
        low = Math.min(low, price);
        close = price;
        baseVolume += size;
        quoteVolume += quote;
        trades++;
        midSumClose = midSum;
    }

    public CandleResolution resolution()
    {
        return resolution;
    }

    public long startedAtNs()
    {
        return startedAtNs;
    }

    public long open()
    {
        return open;
    }

    public long high()
    {
        return high;
    }

    public long low()
    {
        return low;
    }

    public long close()
    {
        return close;
    }

    public long baseVolume()
    {
        return baseVolume;
    }

    public long quoteVolume()
    {
        return quoteVolume;
    }

    public int trades()
    {
        return trades;
    }

    public long midSumOpen()
    {
        return midSumOpen;
    }

    public long midSumClose()
    {
        return midSumClose;
    }
}
