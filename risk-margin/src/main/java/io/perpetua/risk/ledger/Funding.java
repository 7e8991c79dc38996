package io.perpetua.risk.ledger;

import io.perpetua.core.units.FixedPoint;

/**
 * Funding arithmetic shared by the core and the views (MECHANICS §4).
 *
 * <p>Rates are 8-hour rates in parts per billion ({@link #RATE_SCALE}). The cumulative funding
 * index of a market is in {@code 1 / INDEX_SCALE} quote quantum per lot with
 * {@code INDEX_SCALE = 8 * RATE_SCALE}, so a tick's increment {@code rate8h / 8 * mark} is the
 * exact integer {@code rate8hPpb * markTicks * quantumsPerTickLot}: the index never rounds. Only a
 * position's payment rounds, and always up: {@code ceil(indexDelta * size / INDEX_SCALE)} is what the
 * account pays, so payers pay up and receivers (negative payments) receive down.
 */
public final class Funding
{
    /** Scale of funding rates: parts per billion. */
    public static final long RATE_SCALE = 1_000_000_000L;
    /** Index units per quote quantum per lot. */
    public static final long INDEX_SCALE = 8 * RATE_SCALE;
    /** Largest accepted |rate8h|: 100% per 8 hours. */
    public static final long MAX_RATE_PPB = RATE_SCALE;

    private Funding()
    {
    }

    /** The index increment of one tick ({@code rate8h / 8 * mark} per lot), or {@link FixedPoint#OVERFLOW}. */
    public static long indexIncrement(final long rate8hPpb, final long markTicks, final long quantumsPerTickLot)
    {
        return FixedPoint.multiply(rate8hPpb, markTicks, quantumsPerTickLot);
    }

    /**
     * What a position of {@code sizeLots} pays for an index move of {@code indexDelta}:
     * {@code ceil(indexDelta * sizeLots / INDEX_SCALE)}, negative when it receives; longs pay when
     * the index rises. {@link FixedPoint#OVERFLOW} if the payment does not fit 64 bits.
     */
    public static long payment(final long indexDelta, final long sizeLots)
    {
        final long high = Math.multiplyHigh(indexDelta, sizeLots);
        final long low = indexDelta * sizeLots;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0))
        {
            final long floor = Math.floorDiv(low, INDEX_SCALE);
            return Math.floorMod(low, INDEX_SCALE) == 0 ? floor : floor + 1;
        }
        // Past 64 bits: |indexDelta * sizeLots| / INDEX_SCALE on magnitudes (128-bit product, long division).
        final long absDelta = Math.abs(indexDelta);
        final long absSize = Math.abs(sizeLots);
        final long productHigh = ProRata.unsignedMultiplyHigh(absDelta, absSize);
        if (Long.compareUnsigned(productHigh, INDEX_SCALE) >= 0)
        {
            return FixedPoint.OVERFLOW; // the quotient passes 64 bits
        }
        final long productLow = absDelta * absSize;
        final long quotient = ProRata.divideUnsigned(productHigh, productLow, INDEX_SCALE);
        if ((indexDelta < 0) != (sizeLots < 0))
        {
            // ceil(-x) = -floor(x); -Long.MAX_VALUE is the most negative payment (Long.MIN_VALUE is OVERFLOW).
            return quotient < 0 ? FixedPoint.OVERFLOW : -quotient;
        }
        final long ceil = quotient + (productLow - quotient * INDEX_SCALE == 0 ? 0 : 1);
        return quotient < 0 || ceil < 0 ? FixedPoint.OVERFLOW : ceil;
    }
}
