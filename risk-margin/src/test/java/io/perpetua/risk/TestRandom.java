package io.perpetua.risk;

import java.util.SplittableRandom;

/** Seeds and edge-biased values for risk-margin's randomized tests. */
public final class TestRandom
{
    private TestRandom()
    {
    }

    /** Fresh each run, or fixed with PERPETUA_SEED to reproduce a failure (failure messages print it). */
    public static long seed()
    {
        final String fixed = System.getenv("PERPETUA_SEED");
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
    }

    /**
     * One of {@code extremes}, a neighbour of one, a plausible amount (within 10^12 either way) or a
     * random value of a random bit length and sign, each a quarter of the time: overflow and rounding
     * faults live at the edges, which uniform longs almost never hit.
     */
    public static long edgeBiased(final SplittableRandom random, final long[] extremes)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return extremes[random.nextInt(extremes.length)];
            case 1:
                return extremes[random.nextInt(extremes.length)] + random.nextInt(-3, 4);
            case 2:
                return random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
            default:
                final long magnitude = random.nextLong() >>> random.nextInt(64);
                return random.nextBoolean() ? magnitude : -magnitude;
        }
    }
}
