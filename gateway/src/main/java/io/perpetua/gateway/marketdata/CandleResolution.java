package io.perpetua.gateway.marketdata;

import java.util.concurrent.TimeUnit;

/** The candle resolutions of the dYdX v4 indexer, by their wire names. */
public enum CandleResolution
{
    ONE_MINUTE("1MIN", TimeUnit.MINUTES.toNanos(1)),
    FIVE_MINUTES("5MINS", TimeUnit.MINUTES.toNanos(5)),
    FIFTEEN_MINUTES("15MINS", TimeUnit.MINUTES.toNanos(15)),
    THIRTY_MINUTES("30MINS", TimeUnit.MINUTES.toNanos(30)),
    ONE_HOUR("1HOUR", TimeUnit.HOURS.toNanos(1)),
    FOUR_HOURS("4HOURS", TimeUnit.HOURS.toNanos(4)),
    ONE_DAY("1DAY", TimeUnit.DAYS.toNanos(1));

    private static final CandleResolution[] VALUES = values();

    private final String wireName;
    private final long lengthNs;

    CandleResolution(final String wireName, final long lengthNs)
    {
        this.wireName = wireName;
        this.lengthNs = lengthNs;
    }

    public String wireName()
    {
        return wireName;
    }

    public long lengthNs()
    {
        return lengthNs;
    }

    /** Start of the candle holding {@code timestampNs} (candles are aligned to the epoch, in UTC). */
    public long startOf(final long timestampNs)
    {
        return Math.floorDiv(timestampNs, lengthNs) * lengthNs;
    }

    /** @return the resolution with that wire name, or null */
    public static CandleResolution fromWireName(final String wireName)
    {
        for (final CandleResolution resolution : VALUES)
        {
            if (resolution.wireName.equals(wireName))
            {
                return resolution;
            }
        }
        return null;
    }
}
