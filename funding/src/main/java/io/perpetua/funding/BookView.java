package io.perpetua.funding;

import io.perpetua.core.sbe.Side;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.margin.RiskParams;

import java.math.BigInteger;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One market as the funding processor sees it from the events alone: the resting size per price
 * level on each side, the mark price (the index of MECHANICS §4) and the margin fractions the
 * default cap derives from. Prices in ticks, sizes in lots.
 */
public final class BookView
{
    private static final BigInteger RATE_SCALE = BigInteger.valueOf(Funding.RATE_SCALE);

    private final int marketId;
    private final long tickSize;
    private final long lotSize;
    private final long quantumsPerTickLot;
    /** Best first on both sides. */
    private final TreeMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
    private final TreeMap<Long, Long> asks = new TreeMap<>();
    private long markTicks;
    private int initialMarginPpm = RiskParams.defaults().initialMarginPpm;
    private int maintenanceMarginPpm = RiskParams.defaults().maintenanceMarginPpm;

    public BookView(final int marketId, final long tickSize, final long lotSize, final long quantumsPerTickLot)
    {
        this.marketId = marketId;
        this.tickSize = tickSize;
        this.lotSize = lotSize;
        this.quantumsPerTickLot = quantumsPerTickLot;
    }

    public int marketId()
    {
        return marketId;
    }

    public long tickSize()
    {
        return tickSize;
    }

    public long lotSize()
    {
        return lotSize;
    }

    /** The index price in ticks (the oracle's mark), 0 before the first. */
    public long markTicks()
    {
        return markTicks;
    }

    /** Sets the index (the processor does it from MarkPriceUpdated events). */
    public void markTicks(final long markTicks)
    {
        this.markTicks = markTicks;
    }

    void margins(final int initialMarginPpm, final int maintenanceMarginPpm)
    {
        this.initialMarginPpm = initialMarginPpm;
        this.maintenanceMarginPpm = maintenanceMarginPpm;
    }

    public int initialMarginPpm()
    {
        return initialMarginPpm;
    }

    public int maintenanceMarginPpm()
    {
        return maintenanceMarginPpm;
    }

    /** Adds (or with a negative delta removes) resting size at a price level. */
    public void add(final Side side, final long priceTicks, final long deltaLots)
    {
        final TreeMap<Long, Long> levels = side == Side.BUY ? bids : asks;
        final long size = levels.getOrDefault(priceTicks, 0L) + deltaLots;
        if (size <= 0)
        {
            levels.remove(priceTicks);
        }
        else
        {
            levels.put(priceTicks, size);
        }
    }

    /** Resting lots at a price on a side (0 if none). */
    public long sizeAt(final Side side, final long priceTicks)
    {
        return (side == Side.BUY ? bids : asks).getOrDefault(priceTicks, 0L);
    }

    /**
     * The premium sample of MECHANICS §4 in parts per billion, truncated toward zero:
     * {@code (max(0, impactBid - index) - max(0, index - impactAsk)) / index}, where an impact
     * price is the average price of filling {@code impactNotional} against that side; a side that
     * is empty or cannot fill the whole impact notional contributes 0. 0 without an index.
     */
    public long premiumPpb(final long impactNotional)
    {
        if (markTicks <= 0)
        {
            return 0;
        }
        final BigInteger index = BigInteger.valueOf(markTicks).multiply(BigInteger.valueOf(quantumsPerTickLot));
        final BigInteger[] bid = impactPrice(bids, impactNotional);
        final BigInteger[] ask = impactPrice(asks, impactNotional);
        // Each term as a fraction n / d of quantums per lot above (bid) or below (ask) the index.
        BigInteger bidNumerator = BigInteger.ZERO;
        BigInteger bidDenominator = BigInteger.ONE;
        if (bid != null)
        {
            bidNumerator = bid[0].subtract(bid[1].multiply(index)).max(BigInteger.ZERO);
            bidDenominator = bid[1];
        }
        BigInteger askNumerator = BigInteger.ZERO;
        BigInteger askDenominator = BigInteger.ONE;
        if (ask != null)
        {
            askNumerator = ask[1].multiply(index).subtract(ask[0]).max(BigInteger.ZERO);
            askDenominator = ask[1];
        }
        final BigInteger numerator = bidNumerator.multiply(askDenominator).subtract(askNumerator.multiply(bidDenominator))
            .multiply(RATE_SCALE);
        return numerator.divide(bidDenominator.multiply(askDenominator).multiply(index)).longValueExact();
    }

    /**
     * The average price (quantums per lot) of filling {@code notional} against the levels, best
     * first, as {@code {numerator, denominator}}; null if they cannot fill it.
     */
    private BigInteger[] impactPrice(final TreeMap<Long, Long> levels, final long notional)
    {
        long filledQuote = 0;
        long filledLots = 0;
        for (final Map.Entry<Long, Long> level : levels.entrySet())
        {
            final long lotValue = Math.multiplyExact(level.getKey(), quantumsPerTickLot);
            final long levelQuote = Math.multiplyExact(lotValue, level.getValue());
            if (levelQuote >= notional - filledQuote)
            {
                // notional / (filledLots + (notional - filledQuote) / lotValue)
                final BigInteger value = BigInteger.valueOf(lotValue);
                return new BigInteger[] {
                    BigInteger.valueOf(notional).multiply(value),
                    BigInteger.valueOf(filledLots).multiply(value).add(BigInteger.valueOf(notional - filledQuote))};
            }
            filledQuote += levelQuote;
            filledLots += level.getValue();
        }
        return null;
    }
}
