package io.perpetua.risk.ledger;

import io.perpetua.core.units.FixedPoint;

import java.math.BigInteger;

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

    private static final BigInteger BIG_SCALE = BigInteger.valueOf(INDEX_SCALE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE + 1);

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
        final BigInteger product = BigInteger.valueOf(indexDelta).multiply(BigInteger.valueOf(sizeLots));
        final BigInteger[] qr = product.divideAndRemainder(BIG_SCALE);
        BigInteger ceil = qr[0];
        if (qr[1].signum() > 0)
        {
            ceil = ceil.add(BigInteger.ONE);
        }
        return ceil.compareTo(MAX) > 0 || ceil.compareTo(MIN) < 0 ? FixedPoint.OVERFLOW : ceil.longValue();
    }
}
