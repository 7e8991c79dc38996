package io.perpetua.core.units;

/**
 * Division by a fixed positive divisor (a market's tick or lot size) when only exact multiples are
 * wanted, without a hardware divide: every price and size a command carries is checked against
 * the tick or lot and converted, and a 64-bit divide costs tens of cycles where this costs a
 * multiply, a rotate and a compare.
 *
 * <p>With {@code divisor = odd * 2^shift}, a non-negative {@code n} is a multiple of the divisor
 * exactly when {@code rotateRight(n * inverse(odd), shift)}, read as unsigned, is at most
 * {@code (2^64 - 1) / divisor}, and that value is then the quotient (Granlund and Montgomery,
 * "Division by invariant integers using multiplication", 1994, section 9).
 */
public final class ExactDivisor
{
    private final long divisor;
    private final long inverse;
    private final int shift;
    private final long limit;

    /**
     * @throws IllegalArgumentException if {@code divisor} is not positive
     */
    public ExactDivisor(final long divisor)
    {
        if (divisor <= 0)
        {
            throw new IllegalArgumentException("divisor must be positive: " + divisor);
        }
        this.divisor = divisor;
        this.shift = Long.numberOfTrailingZeros(divisor);
        final long odd = divisor >>> shift;
        // Newton's iteration for the inverse modulo 2^64: odd * odd == 1 (mod 8) gives 3 correct
        // bits, each step doubles them: 6, 12, 24, 48, 96.
        long x = odd;
        for (int i = 0; i < 5; i++)
        {
            x *= 2 - odd * x;
        }
        this.inverse = x;
        this.limit = Long.divideUnsigned(-1L, divisor);
    }

    public long divisor()
    {
        return divisor;
    }

    /**
     * {@code value / divisor} if {@code value} is a non-negative multiple of the divisor, else -1.
     */
    public long quotientOfMultiple(final long value)
    {
        final long quotient = Long.rotateRight(value * inverse, shift);
        return value >= 0 && Long.compareUnsigned(quotient, limit) <= 0 ? quotient : -1;
    }
}
