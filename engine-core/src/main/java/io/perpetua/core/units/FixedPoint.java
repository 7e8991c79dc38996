package io.perpetua.core.units;

/**
 * Checked integer fixed-point arithmetic for money and sizes.
 *
 * <p>Perpetua never lets a product wrap: every method here either returns the exact result or
 * {@link #OVERFLOW}, which callers turn into a reject. Divisions name their rounding direction,
 * because the direction is a business decision (requirements round up, payouts round down).
 * All methods are allocation-free and exception-free so they can sit on the matching path.
 */
public final class FixedPoint
{
    /** Marker for a result that does not fit in a signed 64-bit long. Never a valid amount. */
    public static final long OVERFLOW = Long.MIN_VALUE;

    /** One million: the scale of parts-per-million parameters. */
    public static final long PPM = 1_000_000L;

    private FixedPoint()
    {
    }

    /**
     * Exact product of two longs.
     *
     * @return {@code a * b}, or {@link #OVERFLOW} if it does not fit (including a product equal to
     *         {@code Long.MIN_VALUE}, which is reserved as the marker).
     */
    public static long multiply(final long a, final long b)
    {
        final long high = Math.multiplyHigh(a, b);
        final long low = a * b;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0))
        {
            return low == OVERFLOW ? OVERFLOW : low;
        }
        return OVERFLOW;
    }

    /** Exact product of three longs, or {@link #OVERFLOW}. */
    public static long multiply(final long a, final long b, final long c)
    {
        final long ab = multiply(a, b);
        return ab == OVERFLOW ? OVERFLOW : multiply(ab, c);
    }

    /** Exact sum, or {@link #OVERFLOW}. */
    public static long add(final long a, final long b)
    {
        final long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0 || sum == OVERFLOW)
        {
            return OVERFLOW;
        }
        return sum;
    }

    /** {@code value * ppm / 1e6}, rounded toward positive infinity; {@link #OVERFLOW} if too large. */
    public static long ppmCeil(final long value, final long ppm)
    {
        final long product = multiply(value, ppm);
        return product == OVERFLOW ? OVERFLOW : Math.floorDiv(product, PPM) + (Math.floorMod(product, PPM) == 0 ? 0 : 1);
    }

    /** {@code value * ppm / 1e6}, rounded toward negative infinity; {@link #OVERFLOW} if too large. */
    public static long ppmFloor(final long value, final long ppm)
    {
        final long product = multiply(value, ppm);
        return product == OVERFLOW ? OVERFLOW : Math.floorDiv(product, PPM);
    }

    /** 10 to the power {@code exponent} for 0..18. */
    public static long powerOfTen(final int exponent)
    {
        if (exponent < 0 || exponent > 18)
        {
            throw new IllegalArgumentException("exponent out of range 0..18: " + exponent);
        }
        long result = 1;
        for (int i = 0; i < exponent; i++)
        {
            result *= 10;
        }
        return result;
    }
}
