package io.perpetua.risk.oracle;

/**
 * Time arithmetic that clamps at the ends of {@code long} instead of wrapping, so that a hostile
 * timestamp near {@code Long.MIN_VALUE} or {@code Long.MAX_VALUE} cannot wrap into the window.
 */
final class Saturating
{
    private Saturating()
    {
    }

    static long add(final long a, final long b)
    {
        final long sum = a + b;
        // Overflow iff both operands have the sign opposite to the result's.
        if (((a ^ sum) & (b ^ sum)) < 0)
        {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    static long subtract(final long a, final long b)
    {
        final long difference = a - b;
        // Overflow iff the operands have different signs and the result's sign differs from a's.
        if (((a ^ b) & (a ^ difference)) < 0)
        {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return difference;
    }
}
