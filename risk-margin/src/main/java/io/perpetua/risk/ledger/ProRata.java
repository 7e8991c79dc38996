package io.perpetua.risk.ledger;

import java.math.BigInteger;

/** Exact pro-rata shares of signed amounts, for the rare paths where a product can pass 64 bits. */
public final class ProRata
{
    private ProRata()
    {
    }

    /** {@code value * part / whole} rounded toward zero; {@code 0 <= part <= whole}, {@code whole > 0}. */
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
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(part)).divide(BigInteger.valueOf(whole)).longValueExact();
    }

    /** {@code a * b / c} rounded toward negative infinity, exactly; {@code c > 0}. */
    public static long floorMulDiv(final long a, final long b, final long c)
    {
        final BigInteger[] qr = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divideAndRemainder(BigInteger.valueOf(c));
        final BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        return q.longValueExact();
    }

    /** {@code a * b / c} rounded toward positive infinity, exactly; {@code c > 0}. */
    public static long ceilMulDiv(final long a, final long b, final long c)
    {
        return -floorMulDiv(-a, b, c);
    }

    /** {@code numerator / denominator} rounded toward positive infinity; {@code denominator > 0}; fits a long. */
    public static long ceilDiv(final BigInteger numerator, final BigInteger denominator)
    {
        final BigInteger[] qr = numerator.divideAndRemainder(denominator);
        return (qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0]).longValueExact();
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
}
