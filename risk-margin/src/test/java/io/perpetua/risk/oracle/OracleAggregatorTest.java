package io.perpetua.risk.oracle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.perpetua.risk.oracle.OracleFixture.MARKET;
import static io.perpetua.risk.oracle.OracleFixture.MILLI;
import static io.perpetua.risk.oracle.OracleFixture.SECOND;
import static io.perpetua.risk.oracle.OracleFixture.T0;
import static io.perpetua.risk.oracle.OracleFixture.signed;
import static io.perpetua.risk.oracle.OracleFixture.sourceKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OracleAggregatorTest
{
    private static final long MAX_AGE_NS = 5 * SECOND;

    private final OracleConfig config = OracleConfig.builder(MARKET, sourceKeys(3)).build(); // quorum 2
    private final List<Source> sources = List.of(new Source(), new Source(), new Source());
    private final List<SignedPriceSet> submitted = new ArrayList<>();
    private boolean sinkTakes = true;
    private long clockNs = T0;
    private final OracleAggregator aggregator = new OracleAggregator(
        config, sources, MAX_AGE_NS, () -> clockNs, set -> sinkTakes && submitted.add(set));

    @Test
    void submitsOncePerFreshQuorumAndNeverTheSameSetTwice()
    {
        assertFalse(aggregator.poll(T0), "no observations yet");
        publish(0, 100_000, T0);
        assertFalse(aggregator.poll(T0), "one source is not a quorum");
        publish(1, 100_200, T0 + MILLI);
        assertTrue(aggregator.poll(T0 + MILLI));
        assertEquals("SignedPriceSet{market=7, 0:100000@" + T0 + ", 1:100200@" + (T0 + MILLI) + "}",
            submitted.get(0).toString());

        assertFalse(aggregator.poll(T0 + 2 * MILLI), "nothing new since");
        publish(2, 100_100, T0 + 3 * MILLI);
        assertFalse(aggregator.poll(T0 + 3 * MILLI), "one new observation is not a quorum");
        publish(0, 100_300, T0 + 4 * MILLI);
        assertTrue(aggregator.poll(T0 + 4 * MILLI));
        assertEquals("SignedPriceSet{market=7, 0:100300@" + (T0 + 4 * MILLI) + ", 2:100100@" + (T0 + 3 * MILLI) + "}",
            submitted.get(1).toString());
        assertFalse(aggregator.poll(T0 + 5 * MILLI));
        assertEquals(2, submitted.size());
        assertEquals(2, aggregator.submittedSets());
    }

    @Test
    void leavesOutSourcesWhoseLatestObservationIsTooOldOrTooFarAhead()
    {
        publish(0, 100_000, T0);
        publish(1, 100_000, T0);
        publish(2, 100_000, T0);
        assertFalse(aggregator.poll(T0 + MAX_AGE_NS + 1), "all too old");

        final long now = T0 + 10 * SECOND;
        publish(0, 101_000, now - MAX_AGE_NS);
        publish(1, 101_000, now + config.maxFutureSkewNs() + 1);
        assertFalse(aggregator.poll(now), "source 1 is too far ahead, source 2 too old");
        publish(1, 101_000, now + config.maxFutureSkewNs());
        assertTrue(aggregator.poll(now));
        final SignedPriceSet set = submitted.get(0);
        assertEquals(2, set.count());
        assertEquals(0, set.sourceIndex(0));
        assertEquals(1, set.sourceIndex(1));
    }

    @Test
    void leavesOutObservationsTheCoreWouldRejectAndCountsThemOnce()
    {
        publish(0, 100_000, T0);
        sources.get(1).latest = signed(2, 100_000, T0); // signed by source 2's key
        sources.get(2).latest = new SignedPrice(MARKET + 1, 100_000, T0,
            OracleMessage.sign(OracleFixture.key(2).getPrivate(), MARKET + 1, 100_000, T0));
        assertFalse(aggregator.poll(T0));
        assertFalse(aggregator.poll(T0));
        assertEquals(2, aggregator.rejectedObservations());

        sources.get(2).latest = signed(2, 0, T0 + 1);
        assertFalse(aggregator.poll(T0 + 1));
        assertEquals(3, aggregator.rejectedObservations());

        publish(2, 100_000, T0 + 2);
        assertTrue(aggregator.poll(T0 + 2));
        assertEquals(2, submitted.get(0).count());
    }

    @Test
    void aSetTheSinkRefusesIsOfferedAgain()
    {
        publish(0, 100_000, T0);
        publish(1, 100_000, T0);
        sinkTakes = false;
        assertFalse(aggregator.poll(T0));
        assertEquals(0, aggregator.submittedSets());
        sinkTakes = true;
        assertTrue(aggregator.poll(T0 + 1));
        assertFalse(aggregator.poll(T0 + 2));
        assertEquals(1, submitted.size());
    }

    @Test
    void asAnAgentItReadsTheClockEachDutyCycle()
    {
        publish(0, 100_000, T0);
        publish(1, 100_000, T0);
        clockNs = T0 + MAX_AGE_NS + 1;
        assertEquals(0, aggregator.doWork(), "too old by the clock");
        publish(0, 100_000, clockNs);
        publish(1, 100_000, clockNs);
        assertEquals(1, aggregator.doWork());
        assertEquals(0, aggregator.doWork());
        assertEquals("oracle-aggregator-7", aggregator.roleName());
    }

    @Test
    void everySubmittedSetIsAcceptedByTheCore()
    {
        final OracleVerifier verifier = new OracleVerifier();
        final OracleState state = OracleState.forConfig(config);
        for (int round = 0; round < 20; round++)
        {
            final long now = T0 + round * 300 * MILLI;
            publish(round % 3, 100_000 + round, now);
            publish((round + 1) % 3, 100_000 - round, now - MILLI);
            if (aggregator.poll(now))
            {
                final SignedPriceSet set = submitted.get(submitted.size() - 1);
                final long commandTimeNs = now + 2 * MILLI; // sequenced a little later
                assertEquals(OracleVerdict.ACCEPTED, verifier.verify(config, state, commandTimeNs, set), set.toString());
                state.accept(commandTimeNs, verifier.medianPriceTicks(), set);
            }
        }
        assertEquals(20, submitted.size());
    }

    @Test
    void refusesAMismatchedSetup()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new OracleAggregator(config, sources.subList(0, 2), MAX_AGE_NS, () -> T0, set -> true));
        assertThrows(IllegalArgumentException.class,
            () -> new OracleAggregator(config, sources, 0, () -> T0, set -> true));
        assertThrows(IllegalArgumentException.class,
            () -> new OracleAggregator(config, sources, config.validityWindowNs() + 1, () -> T0, set -> true));
    }

    private void publish(final int source, final long priceTicks, final long timestampNs)
    {
        sources.get(source).latest = signed(source, priceTicks, timestampNs);
    }

    private static final class Source implements PriceSource
    {
        private SignedPrice latest;

        @Override
        public Optional<SignedPrice> latest()
        {
            return Optional.ofNullable(latest);
        }
    }
}
