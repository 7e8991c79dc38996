package io.perpetua.risk.ledger;

/**
 * Exact pro-rata shares of signed amounts, and the 128-bit arithmetic behind them and the other rare
 * paths where a product can pass 64 bits: allocation-free, so the core thread can take them.
 */
public final class ProRata
{
    private ProRata()
    {
    }

    /**
     * {@code value * part / whole} rounded toward zero; {@code 0 <= part <= whole}, {@code whole > 0}.
     *
     * @throws ArithmeticException if {@code whole} is zero, or (outside the contract) the quotient does not fit a long
     */
    public static long share(final long value, final long part, final long whole)
    {
        if (part == whole)
        {
            return value;
        }
        final long high = Math.multiplyHigh(value, part);
        final long low = value * part;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0))
        {
            return low / whole;
        }
        if (whole == 0)
        {
            throw new ArithmeticException("/ by zero");
        }
        // |value * part| / |whole| on magnitudes (Long.MIN_VALUE's is 2^63, read unsigned), then the sign.
        final long absValue = Math.abs(value);
        final long absPart = Math.abs(part);
        final long absWhole = Math.abs(whole);
        final long productHigh = unsignedMultiplyHigh(absValue, absPart);
        if (Long.compareUnsigned(productHigh, absWhole) >= 0)
        {
            throw new ArithmeticException("share does not fit a long");
        }
        final long quotient = divideUnsigned(productHigh, absValue * absPart, absWhole);
        final boolean negative = (value < 0) ^ (part < 0) ^ (whole < 0);
        if (negative ? Long.compareUnsigned(quotient, Long.MIN_VALUE) > 0 : quotient < 0)
        {
            throw new ArithmeticException("share does not fit a long");
        }
        return negative ? -quotient : quotient;
    }

    /** The sign of {@code a * b - c * d}, exactly (128-bit products). */
    public static int compareProducts(final long a, final long b, final long c, final long d)
    {
        final long h1 = Math.multiplyHigh(a, b);
        final long l1 = a * b;
        final long h2 = Math.multiplyHigh(c, d);
        final long l2 = c * d;
        if (h1 != h2)
        {
            return h1 < h2 ? -1 : 1;
        }
        return Long.compareUnsigned(l1, l2);
    }

    /** The high 64 bits of the unsigned 128-bit product {@code a * b} (Math.unsignedMultiplyHigh from Java 18). */
    static long unsignedMultiplyHigh(final long a, final long b)
    {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /**
     * The unsigned quotient of the unsigned 128-bit {@code high:low} by {@code divisor}, which must be
     * above {@code high} (unsigned) so the quotient fits 64 bits; the remainder is
     * {@code low - quotient * divisor}. Long division one bit at a time: 64 steps, no allocation.
     */
    static long divideUnsigned(final long high, final long low, final long divisor)
    {
        long remainder = high;
        long quotient = 0;
        for (int bit = Long.SIZE - 1; bit >= 0; bit--)
        {
            // remainder < divisor, so 2 * remainder + 1 fits 65 bits: the bit shifted out is the 65th.
            final boolean carry = remainder < 0;
            remainder = (remainder << 1) | ((low >>> bit) & 1);
            if (carry || Long.compareUnsigned(remainder, divisor) >= 0)
            {
                remainder -= divisor;
                quotient |= 1L << bit;
            }
        }
        return quotient;
    }
}
