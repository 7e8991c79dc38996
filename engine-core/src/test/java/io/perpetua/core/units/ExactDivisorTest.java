package io.perpetua.core.units;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ExactDivisor} against the plain {@code %} and {@code /} for divisors of every shape. */
class ExactDivisorTest
{
    @Test
    void agreesWithHardwareDivision()
    {
        final long seed = 8L;
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] fixed = {1, 2, 3, 5, 7, 10, 64, 100, 1000, 1 << 20, 1_000_000_007L, 3L << 40, 10_000_000_000L,
            Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 62};
        for (int round = 0; round < 2_000; round++)
        {
            final long divisor = round < fixed.length ? fixed[round] : randomDivisor(random);
            final ExactDivisor exact = new ExactDivisor(divisor);
            check(exact, 0, seed);
            check(exact, divisor, seed);
            check(exact, Long.MAX_VALUE, seed);
            check(exact, Long.MIN_VALUE, seed);
            check(exact, -divisor, seed);
            check(exact, -1, seed);
            for (int i = 0; i < 500; i++)
            {
                final long multiple = random.nextLong(Long.MAX_VALUE / divisor) * divisor;
                check(exact, multiple, seed);
                check(exact, multiple + 1, seed);
                check(exact, multiple - 1, seed);
                check(exact, random.nextLong(), seed);
                check(exact, random.nextLong(0, 1_000_000), seed);
            }
        }
    }

    @Test
    void refusesNonPositiveDivisors()
    {
        assertThrows(IllegalArgumentException.class, () -> new ExactDivisor(0));
        assertThrows(IllegalArgumentException.class, () -> new ExactDivisor(-10));
    }

    private static long randomDivisor(final SplittableRandom random)
    {
        // Small divisors (ticks and lots are mostly powers of ten or two), and wide ones.
        switch (random.nextInt(3))
        {
            case 0:
                return random.nextLong(1, 1_000_000);
            case 1:
                return random.nextLong(1, 1 << 20) << random.nextInt(40);
            default:
                return random.nextLong(1, Long.MAX_VALUE);
        }
    }

    private static void check(final ExactDivisor exact, final long value, final long seed)
    {
        final long divisor = exact.divisor();
        final long expected = value >= 0 && value % divisor == 0 ? value / divisor : -1;
        assertEquals(expected, exact.quotientOfMultiple(value), "seed " + seed + ": " + value + " / " + divisor);
    }
}
