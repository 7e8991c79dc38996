package io.perpetua.risk.oracle;

import java.util.SplittableRandom;

/**
 * A deterministic, seeded price path for one market, shared by its {@link SimulatedPriceSource}s: the
 * "true" price the simulated sources observe, with noise of their own, for the demo and tests.
 *
 * <p>Time is an input, on a grid of {@code stepNs} from {@code originNs}. The path is the product of
 * <ul>
 *   <li>a random walk: each step moves the price by {@code driftPpm} plus a uniform integer in
 *       [-{@code volatilityPpm}, +{@code volatilityPpm}] ppm of itself (from a {@link SplittableRandom}
 *       with the seed; rounded toward negative infinity, never below one tick), and</li>
 *   <li>sharp drops: at {@code originNs + dropOffsetNs + j * dropPeriodNs} (j = 0, 1, ...) the price
 *       falls by {@code dropPpm} at once, and the drop then shrinks linearly to nothing over
 *       {@code recoveryNs}: {@code price = walk * (1e6 - depth) / 1e6}, rounded down, with {@code depth}
 *       = {@code dropPpm * (recoveryNs - sinceDrop) / recoveryNs}, rounded down.</li>
 * </ul>
 * So for the same settings and seed the price at a given time is always the same, whatever times were
 * asked before, as long as they are within the last {@link #HISTORY_STEPS} steps of the latest one.
 * Not thread-safe.
 */
public final class SimulatedPricePath
{
    /** Steps kept behind the latest generated one; older times cannot be asked for again. */
    public static final int HISTORY_STEPS = 4096;

    private static final long PPM = 1_000_000L;

    private final int marketId;
    private final long originNs;
    private final long stepNs;
    private final int driftPpm;
    private final int volatilityPpm;
    private final int dropPpm;
    private final long dropPeriodNs;
    private final long dropOffsetNs;
    private final long recoveryNs;
    private final SplittableRandom random;
    private final long[] walk = new long[HISTORY_STEPS];
    private long latestStep;

    private SimulatedPricePath(final Builder builder)
    {
        marketId = builder.marketId;
        originNs = builder.originNs;
        stepNs = builder.stepNs;
        driftPpm = builder.driftPpm;
        volatilityPpm = builder.volatilityPpm;
        dropPpm = builder.dropPpm;
        dropPeriodNs = builder.dropPeriodNs;
        dropOffsetNs = builder.dropOffsetNs;
        recoveryNs = builder.recoveryNs;
        check(builder.initialPriceTicks > 0, "initialPriceTicks must be positive");
        check(stepNs > 0, "stepNs must be positive");
        check(Math.abs((long)driftPpm) + volatilityPpm < PPM && volatilityPpm >= 0,
            "volatilityPpm must be non-negative and |driftPpm| + volatilityPpm below 1,000,000");
        check(dropPpm >= 0 && dropPpm < PPM, "dropPpm must be in [0, 1,000,000)");
        check(dropPeriodNs > 0, "dropPeriodNs must be positive");
        check(dropOffsetNs >= 0 && dropOffsetNs < dropPeriodNs, "dropOffsetNs must be in [0, dropPeriodNs)");
        check(recoveryNs > 0 && recoveryNs <= dropPeriodNs,
            "recoveryNs must be in (0, dropPeriodNs]: a drop recovers before the next one");
        random = new SplittableRandom(builder.seed);
        walk[0] = builder.initialPriceTicks;
    }

    /**
     * A path for {@code marketId} starting at {@code initialPriceTicks} at {@code originNs}, with the
     * demo's defaults: 100 ms steps, no drift, up to 300 ppm of noise per step, and an 8% drop every 45 s
     * (the first 15 s after the origin), recovered over 30 s.
     */
    public static Builder builder(
        final int marketId, final long initialPriceTicks, final long originNs, final long seed)
    {
        return new Builder(marketId, initialPriceTicks, originNs, seed);
    }

    public int marketId()
    {
        return marketId;
    }

    /** The step containing {@code timeNs}: {@code floor((timeNs - originNs) / stepNs)}. */
    public long stepAt(final long timeNs)
    {
        check(timeNs >= originNs, "time " + timeNs + " is before the path's origin " + originNs);
        return (timeNs - originNs) / stepNs;
    }

    /**
     * The path's price at {@code timeNs}: the price of the step containing it.
     *
     * @throws IllegalArgumentException for a time before the origin or more than {@link #HISTORY_STEPS}
     *                                  steps before the latest time asked for
     */
    public long priceAt(final long timeNs)
    {
        final long step = stepAt(timeNs);
        check(step > latestStep - HISTORY_STEPS, "time " + timeNs + " is older than the path keeps");
        while (latestStep < step)
        {
            final long previous = walk[slot(latestStep)];
            final long movePpm = driftPpm + random.nextLong(-volatilityPpm, volatilityPpm + 1L);
            final long next = previous + Math.floorDiv(Math.multiplyExact(previous, movePpm), PPM);
            latestStep++;
            walk[slot(latestStep)] = Math.max(1, next);
        }
        final long stepTimeNs = originNs + step * stepNs;
        final long depthPpm = dropDepthPpm(stepTimeNs);
        return Math.max(1, Math.multiplyExact(walk[slot(step)], PPM - depthPpm) / PPM);
    }

    /** How deep, in ppm, the current drop still is at {@code timeNs}; 0 between drops. */
    long dropDepthPpm(final long timeNs)
    {
        final long sinceFirstDrop = timeNs - originNs - dropOffsetNs;
        if (sinceFirstDrop < 0)
        {
            return 0;
        }
        final long sinceDrop = sinceFirstDrop % dropPeriodNs;
        if (sinceDrop >= recoveryNs)
        {
            return 0;
        }
        return Math.multiplyExact((long)dropPpm, recoveryNs - sinceDrop) / recoveryNs;
    }

    private static int slot(final long step)
    {
        return (int)(step & (HISTORY_STEPS - 1));
    }

    private static void check(final boolean condition, final String problem)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("simulated price path: " + problem);
        }
    }

    /** A path's settings; see {@link SimulatedPricePath#builder}. */
    public static final class Builder
    {
        private final int marketId;
        private final long initialPriceTicks;
        private final long originNs;
        private final long seed;
        private long stepNs = 100_000_000L;
        private int driftPpm;
        private int volatilityPpm = 300;
        private int dropPpm = 80_000;
        private long dropPeriodNs = 45_000_000_000L;
        private long dropOffsetNs = 15_000_000_000L;
        private long recoveryNs = 30_000_000_000L;

        private Builder(final int marketId, final long initialPriceTicks, final long originNs, final long seed)
        {
            this.marketId = marketId;
            this.initialPriceTicks = initialPriceTicks;
            this.originNs = originNs;
            this.seed = seed;
        }

        public Builder stepNs(final long stepNs)
        {
            this.stepNs = stepNs;
            return this;
        }

        /** Trend per step, in ppm of the price. */
        public Builder driftPpm(final int driftPpm)
        {
            this.driftPpm = driftPpm;
            return this;
        }

        /** Largest random move per step, in ppm of the price. */
        public Builder volatilityPpm(final int volatilityPpm)
        {
            this.volatilityPpm = volatilityPpm;
            return this;
        }

        /** Size of each sharp drop, in ppm of the price; 0 for none. */
        public Builder dropPpm(final int dropPpm)
        {
            this.dropPpm = dropPpm;
            return this;
        }

        public Builder dropPeriodNs(final long dropPeriodNs)
        {
            this.dropPeriodNs = dropPeriodNs;
            return this;
        }

        /** Time of the first drop after the origin. */
        public Builder dropOffsetNs(final long dropOffsetNs)
        {
            this.dropOffsetNs = dropOffsetNs;
            return this;
        }

        /** How long a drop takes to recover fully, linearly. */
        public Builder recoveryNs(final long recoveryNs)
        {
            this.recoveryNs = recoveryNs;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SimulatedPricePath build()
        {
            return new SimulatedPricePath(this);
        }
    }
}
