package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.perpetua.risk.oracle.OracleFixture.MARKET;
import static io.perpetua.risk.oracle.OracleFixture.MILLI;
import static io.perpetua.risk.oracle.OracleFixture.SECOND;
import static io.perpetua.risk.oracle.OracleFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedPriceSourceTest
{
    private static final long STEP_NS = 100 * MILLI;

    @Test
    void aFlatPathShowsTheConfiguredDropAndItsLinearRecovery()
    {
        final SimulatedPricePath path = SimulatedPricePath.builder(MARKET, 100_000, T0, 1)
            .volatilityPpm(0).dropPpm(80_000).dropPeriodNs(45 * SECOND).dropOffsetNs(15 * SECOND)
            .recoveryNs(20 * SECOND).build();
        assertEquals(100_000, path.priceAt(T0));
        assertEquals(100_000, path.priceAt(T0 + 15 * SECOND - 1));
        assertEquals(92_000, path.priceAt(T0 + 15 * SECOND), "an 8% drop at once");
        assertEquals(94_000, path.priceAt(T0 + 20 * SECOND), "a quarter recovered after a quarter of 20 s");
        assertEquals(96_000, path.priceAt(T0 + 25 * SECOND));
        assertEquals(99_960, path.priceAt(T0 + 35 * SECOND - STEP_NS), "depth 80,000 * 0.1 s / 20 s = 400 ppm on the last step");
        assertEquals(100_000, path.priceAt(T0 + 35 * SECOND));
        assertEquals(100_000, path.priceAt(T0 + 60 * SECOND - 1));
        assertEquals(92_000, path.priceAt(T0 + 60 * SECOND), "and again one period later");
    }

    @Test
    void aNoisyPathDropsByTheConfiguredSizeOncePerPeriod()
    {
        final long seed = OracleFixture.seed();
        final SimulatedPricePath path = SimulatedPricePath.builder(MARKET, 5_000_000, T0, seed).build(); // demo defaults
        long previous = path.priceAt(T0);
        final List<Long> drops = new ArrayList<>();
        for (long t = T0 + STEP_NS; t < T0 + 180 * SECOND; t += STEP_NS)
        {
            final long price = path.priceAt(t);
            final long movePpm = (price - previous) * 1_000_000 / previous;
            if (movePpm < -1_000)
            {
                drops.add(t - T0);
                // 8% off the walk, which itself moved at most 300 ppm this step.
                assertTrue(movePpm <= -79_700 && movePpm >= -80_300, "seed " + seed + " move " + movePpm);
            }
            previous = price;
        }
        assertEquals(List.of(15 * SECOND, 60 * SECOND, 105 * SECOND, 150 * SECOND), drops, "seed " + seed);
    }

    @Test
    void theSamePathAndSeedsGiveTheSameSignedObservations()
    {
        final long seed = OracleFixture.seed();
        final List<SignedPrice> first = run(seed, 2);
        assertEquals(first, run(seed, 2), "seed " + seed);
        assertNotEquals(prices(first), prices(run(seed + 1, 2)), "another seed, another path; seed " + seed);
    }

    @Test
    void thePriceAtATimeDoesNotDependOnWhatWasAskedBefore()
    {
        final SimulatedPricePath stepped = SimulatedPricePath.builder(MARKET, 100_000, T0, 42).build();
        final SimulatedPricePath jumped = SimulatedPricePath.builder(MARKET, 100_000, T0, 42).build();
        final long[] expected = new long[400];
        for (int i = 0; i < expected.length; i++)
        {
            expected[i] = stepped.priceAt(T0 + i * STEP_NS + 17);
        }
        assertEquals(expected[399], jumped.priceAt(T0 + 399 * STEP_NS));
        for (int i = expected.length - 1; i >= 0; i -= 3)
        {
            assertEquals(expected[i], jumped.priceAt(T0 + i * STEP_NS), "step " + i);
        }
    }

    @Test
    void eachSourceAddsItsOwnBoundedNoiseAndSignsWithItsOwnKey()
    {
        final SimulatedPricePath path = SimulatedPricePath.builder(MARKET, 1_000_000, T0, 3).build();
        final List<SimulatedPriceSource> sources = SimulatedPriceSource.forPath(path, 3, 3, 500);
        final OracleConfig config = OracleConfig.builder(MARKET, List.of(
            sources.get(0).publicKey(), sources.get(1).publicKey(), sources.get(2).publicKey())).build();
        boolean sourcesDisagree = false;
        for (long t = T0; t < T0 + 20 * SECOND; t += 250 * MILLI)
        {
            final long pathPrice = path.priceAt(t);
            final long first = sources.get(0).observe(t).priceTicks();
            for (int s = 0; s < sources.size(); s++)
            {
                final SignedPrice observation = s == 0 ? sources.get(0).latest().orElseThrow() : sources.get(s).observe(t);
                assertTrue(Math.abs(observation.priceTicks() - pathPrice) <= pathPrice * 500 / 1_000_000 + 1);
                assertEquals(t, observation.timestampNs());
                assertTrue(observation.isSignedBy(config.sourcePublicKey(s)));
                assertFalse(observation.isSignedBy(config.sourcePublicKey((s + 1) % 3)));
                sourcesDisagree |= observation.priceTicks() != first;
            }
        }
        assertTrue(sourcesDisagree);
    }

    @Test
    void sourcesFedToTheAggregatorDriveTheCoreThroughTheDrop()
    {
        final SimulatedPricePath path = SimulatedPricePath.builder(MARKET, 2_000_000, T0, 11).build();
        final List<SimulatedPriceSource> sources = SimulatedPriceSource.forPath(path, 3, 11, 200);
        final List<byte[]> keys = new ArrayList<>();
        sources.forEach(source -> keys.add(source.publicKey()));
        final OracleConfig config = OracleConfig.builder(MARKET, keys).build();
        final OracleState state = OracleState.forConfig(config);
        final OracleVerifier verifier = new OracleVerifier();
        final List<SignedPriceSet> sets = new ArrayList<>();
        final OracleAggregator aggregator = new OracleAggregator(config, sources, 5 * SECOND, () -> 0, sets::add);

        long lowest = Long.MAX_VALUE;
        int accepted = 0;
        for (long t = T0; t <= T0 + 60 * SECOND; t += 250 * MILLI)
        {
            for (final SimulatedPriceSource source : sources)
            {
                source.observe(t);
            }
            if (aggregator.poll(t))
            {
                final SignedPriceSet set = sets.get(sets.size() - 1);
                assertEquals(OracleVerdict.ACCEPTED, verifier.verify(config, state, t + MILLI, set), set.toString());
                state.accept(t + MILLI, verifier.medianPriceTicks(), set);
                lowest = Math.min(lowest, state.lastPriceTicks());
                accepted++;
            }
            assertFalse(OracleVerifier.isStale(config, state, t + MILLI));
        }
        assertEquals(241, accepted, "one set per round");
        assertTrue(lowest < 2_000_000 * 0.94, "the drop reached the mark price: " + lowest);
    }

    @Test
    void refusesTimesItCannotAnswerAndInvalidSettings()
    {
        final SimulatedPricePath path = SimulatedPricePath.builder(MARKET, 100_000, T0, 1).build();
        assertThrows(IllegalArgumentException.class, () -> path.priceAt(T0 - 1));
        path.priceAt(T0 + (SimulatedPricePath.HISTORY_STEPS + 10) * STEP_NS);
        assertThrows(IllegalArgumentException.class, () -> path.priceAt(T0 + 5 * STEP_NS));

        assertThrows(IllegalArgumentException.class, () -> SimulatedPricePath.builder(MARKET, 0, T0, 1).build());
        assertThrows(IllegalArgumentException.class,
            () -> SimulatedPricePath.builder(MARKET, 1, T0, 1).stepNs(0).build());
        assertThrows(IllegalArgumentException.class,
            () -> SimulatedPricePath.builder(MARKET, 1, T0, 1).volatilityPpm(-1).build());
        assertThrows(IllegalArgumentException.class,
            () -> SimulatedPricePath.builder(MARKET, 1, T0, 1).driftPpm(600_000).volatilityPpm(400_000).build());
        assertThrows(IllegalArgumentException.class,
            () -> SimulatedPricePath.builder(MARKET, 1, T0, 1).dropPpm(1_000_000).build());
        assertThrows(IllegalArgumentException.class,
            () -> SimulatedPricePath.builder(MARKET, 1, T0, 1).dropOffsetNs(45 * SECOND).build());
        assertEquals("simulated price path: recoveryNs must be in (0, dropPeriodNs]: a drop recovers before the next one",
            assertThrows(IllegalArgumentException.class,
                () -> SimulatedPricePath.builder(MARKET, 1, T0, 1).recoveryNs(46 * SECOND).build()).getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> new SimulatedPriceSource(path, Ed25519Keys.deriveSeed("k", 0), 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new SimulatedPriceSource(path, new byte[31], 1, 0));
    }

    private static List<SignedPrice> run(final long seed, final int sourceCount)
    {
        final SimulatedPricePath path = SimulatedPricePath.builder(MARKET, 3_000_000, T0, seed).build();
        final List<SimulatedPriceSource> sources = SimulatedPriceSource.forPath(path, sourceCount, seed, 300);
        final List<SignedPrice> observations = new ArrayList<>();
        for (long t = T0; t < T0 + 30 * SECOND; t += 500 * MILLI)
        {
            for (final SimulatedPriceSource source : sources)
            {
                observations.add(source.observe(t));
            }
        }
        return observations;
    }

    private static List<Long> prices(final List<SignedPrice> observations)
    {
        final List<Long> prices = new ArrayList<>();
        observations.forEach(observation -> prices.add(observation.priceTicks()));
        return prices;
    }
}
