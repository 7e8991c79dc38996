package io.perpetua.risk.ledger;

/**
 * A mutable signed integer of up to 256 bits for exact products of up to four longs and their
 * quotients, without allocating: the liquidation path keeps one per operand and reuses it. Results
 * that must come back as a long either fit exactly or throw {@link ArithmeticException}, as
 * {@code BigInteger.longValueExact} did before.
 *
 * <p>Not thread-safe; each instance belongs to one thread.
 */
public final class WideInteger
{
    private static final int LIMBS = 4;

    /** Magnitude, least significant 64-bit limb first, unsigned. */
    private final long[] magnitude = new long[LIMBS];
    private boolean negative;

    /** Division scratch: the running remainder and the shifted divisor. */
    private final long[] remainder = new long[LIMBS];
    private final long[] shifted = new long[LIMBS];

    /** Sets this to {@code value}; returns this. */
    public WideInteger set(final long value)
    {
        negative = value < 0;
        magnitude[0] = Math.abs(value); // Long.MIN_VALUE stays 2^63 read as unsigned
        for (int i = 1; i < LIMBS; i++)
        {
            magnitude[i] = 0;
        }
        return this;
    }

    /** Sets this to {@code a - b}, exactly (65 bits at most); returns this. */
    public WideInteger setDifference(final long a, final long b)
    {
        final long difference = a - b;
        if (((a ^ b) & (a ^ difference)) >= 0)
        {
            return set(difference);
        }
        // The subtraction wrapped: the true value is difference + 2^64 (a >= 0) or difference - 2^64 (a < 0),
        // whose magnitude is difference, respectively -difference, read unsigned.
        set(0);
        negative = a < 0;
        magnitude[0] = negative ? -difference : difference;
        return this;
    }

    /** Negates this; returns this. */
    public WideInteger negate()
    {
        negative = !negative && !isZero(magnitude);
        return this;
    }

    /**
     * Multiplies this by {@code factor}; returns this.
     *
     * @throws ArithmeticException if the magnitude would pass 256 bits (more than four long factors)
     */
    public WideInteger multiply(final long factor)
    {
        final long m = Math.abs(factor);
        long carry = 0;
        for (int i = 0; i < LIMBS; i++)
        {
            final long limb = magnitude[i];
            final long low = limb * m;
            final long high = ProRata.unsignedMultiplyHigh(limb, m);
            final long sum = low + carry;
            carry = high + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0);
            magnitude[i] = sum;
        }
        if (carry != 0)
        {
            throw new ArithmeticException("product passes 256 bits");
        }
        negative = isZero(magnitude) ? false : negative ^ (factor < 0);
        return this;
    }

    /** -1, 0 or 1 as this is negative, zero or positive. */
    public int signum()
    {
        return isZero(magnitude) ? 0 : negative ? -1 : 1;
    }

    /** The sign of {@code this - other}. */
    public int compareTo(final WideInteger other)
    {
        final int sign = signum();
        final int otherSign = other.signum();
        if (sign != otherSign)
        {
            return Integer.compare(sign, otherSign);
        }
        final int byMagnitude = compareMagnitudes(magnitude, other.magnitude);
        return sign < 0 ? -byMagnitude : byMagnitude;
    }

    /**
     * {@code this / divisor} rounded toward positive infinity.
     *
     * @throws ArithmeticException if {@code divisor} is not positive or the quotient does not fit a long
     */
    public long ceilDivide(final WideInteger divisor)
    {
        final long quotient = divideMagnitudes(divisor);
        final boolean inexact = !isZero(remainder);
        return negative ? negate(quotient) : positive(quotient, inexact ? 1 : 0);
    }

    /**
     * {@code this / divisor} rounded toward negative infinity.
     *
     * @throws ArithmeticException if {@code divisor} is not positive or the quotient does not fit a long
     */
    public long floorDivide(final WideInteger divisor)
    {
        final long quotient = divideMagnitudes(divisor);
        final boolean inexact = !isZero(remainder);
        return negative ? negate(add(quotient, inexact ? 1 : 0)) : positive(quotient, 0);
    }

    /**
     * {@code this / divisor} rounded toward zero.
     *
     * @throws ArithmeticException if {@code divisor} is not positive or the quotient does not fit a long
     */
    public long truncateDivide(final WideInteger divisor)
    {
        final long quotient = divideMagnitudes(divisor);
        return negative ? negate(quotient) : positive(quotient, 0);
    }

    /**
     * The unsigned quotient of the magnitudes by shift and subtract, leaving the remainder's magnitude
     * in {@link #remainder}.
     */
    private long divideMagnitudes(final WideInteger divisor)
    {
        if (divisor.signum() <= 0)
        {
            throw new ArithmeticException("divisor must be positive");
        }
        System.arraycopy(magnitude, 0, remainder, 0, LIMBS);
        final int shift = bitLength(magnitude) - bitLength(divisor.magnitude);
        if (shift < 0)
        {
            return 0;
        }
        if (shift >= Long.SIZE + 1)
        {
            throw tooLarge(); // the quotient is at least 2^64
        }
        shiftLeft(divisor.magnitude, shift, shifted);
        long quotient = 0;
        for (int bit = shift; bit >= 0; bit--)
        {
            if (compareMagnitudes(remainder, shifted) >= 0)
            {
                if (bit == Long.SIZE)
                {
                    throw tooLarge();
                }
                subtract(remainder, shifted);
                quotient |= 1L << bit;
            }
            shiftRightOne(shifted);
        }
        return quotient;
    }

    /** {@code quotient + adjustment} (quotient unsigned) as a non-negative long. */
    private static long positive(final long quotient, final long adjustment)
    {
        final long value = add(quotient, adjustment);
        if (value < 0)
        {
            throw tooLarge();
        }
        return value;
    }

    /** {@code -magnitude} for an unsigned magnitude up to 2^63. */
    private static long negate(final long magnitude)
    {
        if (Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0)
        {
            throw tooLarge();
        }
        return -magnitude;
    }

    /** Unsigned sum that must not wrap. */
    private static long add(final long a, final long b)
    {
        final long sum = a + b;
        if (Long.compareUnsigned(sum, a) < 0)
        {
            throw tooLarge();
        }
        return sum;
    }

    private static ArithmeticException tooLarge()
    {
        return new ArithmeticException("quotient does not fit a long");
    }

    private static boolean isZero(final long[] value)
    {
        for (int i = 0; i < LIMBS; i++)
        {
            if (value[i] != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static int bitLength(final long[] value)
    {
        for (int i = LIMBS - 1; i >= 0; i--)
        {
            if (value[i] != 0)
            {
                return i * Long.SIZE + Long.SIZE - Long.numberOfLeadingZeros(value[i]);
            }
        }
        return 0;
    }

    private static int compareMagnitudes(final long[] a, final long[] b)
    {
        for (int i = LIMBS - 1; i >= 0; i--)
        {
            if (a[i] != b[i])
            {
                return Long.compareUnsigned(a[i], b[i]);
            }
        }
        return 0;
    }

    /** {@code a -= b}; requires {@code a >= b}. */
    private static void subtract(final long[] a, final long[] b)
    {
        long borrow = 0;
        for (int i = 0; i < LIMBS; i++)
        {
            final long difference = a[i] - b[i] - borrow;
            borrow = Long.compareUnsigned(a[i], b[i]) < 0 || (a[i] == b[i] && borrow != 0) ? 1 : 0;
            a[i] = difference;
        }
    }

    /** {@code target = value << bits}; the result must fit 256 bits. */
    private static void shiftLeft(final long[] value, final int bits, final long[] target)
    {
        final int limbs = bits / Long.SIZE;
        final int within = bits % Long.SIZE;
        for (int i = LIMBS - 1; i >= 0; i--)
        {
            final int from = i - limbs;
            final long high = from >= 0 ? value[from] << within : 0;
            final long low = from - 1 >= 0 && within != 0 ? value[from - 1] >>> (Long.SIZE - within) : 0;
            target[i] = high | low;
        }
    }

    private static void shiftRightOne(final long[] value)
    {
        for (int i = 0; i < LIMBS; i++)
        {
            final long carried = i + 1 < LIMBS ? value[i + 1] << (Long.SIZE - 1) : 0;
            value[i] = (value[i] >>> 1) | carried;
        }
    }
}
