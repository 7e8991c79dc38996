package io.perpetua.risk.oracle;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static io.perpetua.risk.oracle.OracleFixture.MARKET;
import static io.perpetua.risk.oracle.OracleFixture.MILLI;
import static io.perpetua.risk.oracle.OracleFixture.SECOND;
import static io.perpetua.risk.oracle.OracleFixture.T0;
import static io.perpetua.risk.oracle.OracleFixture.key;
import static io.perpetua.risk.oracle.OracleFixture.sourceKeys;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OracleVerifierTest
{
    private final OracleConfig config = OracleFixture.config(); // 5 sources, quorum 3
    private final OracleState state = OracleState.forConfig(config);
    private final OracleVerifier verifier = new OracleVerifier();

    @Test
    void acceptsAQuorumAndTakesTheMedianOfAnOddCount()
    {
        final OracleFixture.Observations set = new OracleFixture.Observations()
            .signedBy(4, 100_300, T0 - 3 * MILLI).signedBy(0, 100_100, T0 - 2 * MILLI).signedBy(2, 100_200, T0 - MILLI);
        assertAccepted(100_200, T0, set);

        final OracleFixture.Observations five = new OracleFixture.Observations()
            .signedBy(0, 9, T0).signedBy(1, 1, T0).signedBy(2, 7, T0).signedBy(3, 3, T0).signedBy(4, 5, T0);
        assertEquals(OracleVerdict.ACCEPTED, verifier.verify(withoutMoveGuard(), state, T0, five));
        assertEquals(5, verifier.medianPriceTicks());
        assertEquals(-1, verifier.offendingObservation());
    }

    @Test
    void theMedianOfAnEvenCountIsTheLowerMiddlePrice()
    {
        final OracleFixture.Observations four = new OracleFixture.Observations()
            .signedBy(0, 100_400, T0).signedBy(1, 100_100, T0).signedBy(2, 100_300, T0).signedBy(3, 100_200, T0);
        assertAccepted(100_200, T0, four);
    }

    @Test
    void fewerThanAQuorumIsNoQuorum()
    {
        assertRejected(OracleVerdict.NO_QUORUM, -1, T0,
            new OracleFixture.Observations().signedBy(0, 100_000, T0).signedBy(1, 100_000, T0));
        assertRejected(OracleVerdict.NO_QUORUM, -1, T0, new OracleFixture.Observations());
    }

    @Test
    void theSameSourceTwiceIsADuplicateNotAQuorum()
    {
        assertRejected(OracleVerdict.DUPLICATE_SOURCE, 2, T0, new OracleFixture.Observations()
            .signedBy(0, 100_000, T0).signedBy(1, 100_000, T0).signedBy(0, 100_000, T0 - 1));
    }

    @Test
    void aSourceIndexOutsideTheConfigIsUnknown()
    {
        final byte[] signature = OracleMessage.sign(key(5).getPrivate(), MARKET, 100_000, T0);
        assertRejected(OracleVerdict.UNKNOWN_SOURCE, 3, T0, new OracleFixture.Observations()
            .signedBy(0, 100_000, T0).signedBy(1, 100_000, T0).signedBy(2, 100_000, T0).add(5, 100_000, T0, signature));
        assertRejected(OracleVerdict.UNKNOWN_SOURCE, 0, T0, new OracleFixture.Observations()
            .add(-1, 100_000, T0, signature).signedBy(1, 100_000, T0).signedBy(2, 100_000, T0));
    }

    @Test
    void observationsOutsideTheValidityWindowOrTooFarAheadAreOutOfWindow()
    {
        final long oldest = T0 - config.validityWindowNs();
        final long newest = T0 + config.maxFutureSkewNs();
        assertRejected(OracleVerdict.OUT_OF_WINDOW, 1, T0, new OracleFixture.Observations()
            .signedBy(0, 100_000, T0).signedBy(1, 100_000, oldest - 1).signedBy(2, 100_000, T0));
        assertRejected(OracleVerdict.OUT_OF_WINDOW, 2, T0, new OracleFixture.Observations()
            .signedBy(0, 100_000, T0).signedBy(1, 100_000, T0).signedBy(2, 100_000, newest + 1));
        assertAccepted(100_000, T0, new OracleFixture.Observations()
            .signedBy(0, 100_000, oldest).signedBy(1, 100_000, T0).signedBy(2, 100_000, newest));
    }

    @Test
    void extremeTimestampsAreOutOfWindowWithoutWrappingAround()
    {
        assertRejected(OracleVerdict.OUT_OF_WINDOW, 0, Long.MIN_VALUE + 5, new OracleFixture.Observations()
            .signedBy(0, 100_000, Long.MAX_VALUE).signedBy(1, 100_000, Long.MIN_VALUE).signedBy(2, 100_000, 0));
        assertRejected(OracleVerdict.OUT_OF_WINDOW, 0, Long.MAX_VALUE - 5, new OracleFixture.Observations()
            .signedBy(0, 100_000, Long.MIN_VALUE).signedBy(1, 100_000, Long.MAX_VALUE).signedBy(2, 100_000, 0));
        assertAccepted(100_000, Long.MAX_VALUE - 5, new OracleFixture.Observations()
            .signedBy(0, 100_000, Long.MAX_VALUE).signedBy(1, 100_000, Long.MAX_VALUE - 6).signedBy(2, 100_000, Long.MAX_VALUE));
    }

    @Test
    void anObservationNotNewerThanItsSourcesLastAcceptedIsReplayed()
    {
        final OracleFixture.Observations first = new OracleFixture.Observations()
            .signedBy(0, 100_000, T0 - 5 * MILLI).signedBy(1, 100_000, T0 - 5 * MILLI).signedBy(2, 100_000, T0 - 5 * MILLI);
        assertAccepted(100_000, T0, first);
        state.accept(T0, verifier.medianPriceTicks(), first);

        // The very same command again, and an older observation of source 1.
        assertRejected(OracleVerdict.REPLAYED, 0, T0 + SECOND, first);
        assertRejected(OracleVerdict.REPLAYED, 1, T0 + SECOND, new OracleFixture.Observations()
            .signedBy(0, 100_000, T0).signedBy(1, 100_000, T0 - 6 * MILLI).signedBy(3, 100_000, T0));
        // Source 3 was never accepted, so its older observation is fine; 0 and 1 are newer.
        assertAccepted(100_000, T0 + SECOND, new OracleFixture.Observations()
            .signedBy(0, 100_000, T0 - 4 * MILLI).signedBy(1, 100_000, T0 - 4 * MILLI).signedBy(3, 100_000, T0 - 9 * MILLI));
    }

    @Test
    void aWrongMissingOrMalformedSignatureIsBad()
    {
        final byte[] good = OracleMessage.sign(key(1).getPrivate(), MARKET, 100_000, T0);
        final byte[] flipped = good.clone();
        flipped[40] ^= 1;
        assertBadSignatureAt1(flipped, 100_000);
        assertBadSignatureAt1(OracleMessage.sign(key(3).getPrivate(), MARKET, 100_000, T0), 100_000); // source 3 signed
        assertBadSignatureAt1(good, 100_001); // price changed after signing
        assertBadSignatureAt1(OracleMessage.sign(key(1).getPrivate(), MARKET + 1, 100_000, T0), 100_000); // other market
        assertBadSignatureAt1(Arrays.copyOf(good, 63), 100_000);
        assertBadSignatureAt1(Arrays.copyOf(good, 65), 100_000);
        assertBadSignatureAt1(new byte[0], 100_000);
        assertBadSignatureAt1(new byte[64], 100_000);
    }

    @Test
    void aZeroOrNegativePriceIsRejectedEvenWhenSigned()
    {
        assertRejected(OracleVerdict.NON_POSITIVE_PRICE, 2, T0, new OracleFixture.Observations()
            .signedBy(0, 100_000, T0).signedBy(1, 100_000, T0).signedBy(2, 0, T0));
        assertRejected(OracleVerdict.NON_POSITIVE_PRICE, 0, T0, new OracleFixture.Observations()
            .signedBy(0, -100_000, T0).signedBy(1, 100_000, T0).signedBy(2, 100_000, T0));
    }

    @Test
    void theFirstFailingCheckInTheDocumentedOrderIsTheVerdict()
    {
        final byte[] bad = new byte[64];
        // Structure of every observation before the quorum, the quorum before any signature.
        assertRejected(OracleVerdict.OUT_OF_WINDOW, 1, T0, new OracleFixture.Observations()
            .add(0, 100_000, T0, bad).signedBy(1, 100_000, T0 - 11 * SECOND).signedBy(2, 100_000, T0));
        assertRejected(OracleVerdict.NO_QUORUM, -1, T0, new OracleFixture.Observations().add(0, 100_000, T0, bad));
        assertRejected(OracleVerdict.BAD_SIGNATURE, 0, T0, new OracleFixture.Observations()
            .add(0, 900_000, T0, bad).signedBy(1, 900_000, T0).signedBy(2, 900_000, T0));
    }

    @Test
    void aMoveBeyondMaxMoveIsRejectedInsideTheWindowAndAcceptedAfterIt()
    {
        acceptAll(T0, 100_000);

        final long inside = T0 + config.moveWindowNs() - 1;
        assertRejected(OracleVerdict.MAX_MOVE, -1, inside, setOf(inside, 110_001));
        assertRejected(OracleVerdict.MAX_MOVE, -1, inside, setOf(inside, 89_999));
        assertAccepted(110_000, inside, setOf(inside, 110_000)); // exactly 10%: allowed
        assertAccepted(90_000, inside, setOf(inside, 90_000));

        final long after = T0 + config.moveWindowNs();
        assertAccepted(150_000, after, setOf(after, 150_000));
        assertAccepted(1, after, setOf(after, 1));
    }

    @Test
    void theMoveGuardCountsFromTheLastAcceptedPrice()
    {
        acceptAll(T0, 100_000);
        acceptAll(T0 + 900 * MILLI, 108_000);
        final long t = T0 + 1_500 * MILLI; // 1.5 s after the first, 0.6 s after the second
        assertRejected(OracleVerdict.MAX_MOVE, -1, t, setOf(t, 119_000)); // > 10% of 108,000
        assertAccepted(118_800, t, setOf(t, 118_800));
    }

    @Test
    void aZeroMoveWindowTurnsTheGuardOff()
    {
        final OracleConfig noGuard = withoutMoveGuard();
        final OracleState noGuardState = OracleState.forConfig(noGuard);
        final OracleFixture.Observations first = setOf(T0, 100_000);
        assertEquals(OracleVerdict.ACCEPTED, verifier.verify(noGuard, noGuardState, T0, first));
        noGuardState.accept(T0, verifier.medianPriceTicks(), first);
        assertEquals(OracleVerdict.ACCEPTED, verifier.verify(noGuard, noGuardState, T0 + 1, setOf(T0 + 1, 10_000_000)));
    }

    @Test
    void theMoveCheckIsExactForHugePrices()
    {
        final OracleConfig noGuard = withoutMoveGuard();
        final OracleState hugeState = OracleState.forConfig(config);
        final OracleFixture.Observations huge = setOf(T0, Long.MAX_VALUE - 1);
        assertEquals(OracleVerdict.ACCEPTED, verifier.verify(noGuard, hugeState, T0, huge));
        hugeState.accept(T0, verifier.medianPriceTicks(), huge);

        assertEquals(OracleVerdict.MAX_MOVE, verifier.verify(config, hugeState, T0 + 1, setOf(T0 + 1, 1)));
        final long tenPercentDown = Long.MAX_VALUE - 1 - (Long.MAX_VALUE - 1) / 10;
        assertEquals(OracleVerdict.ACCEPTED, verifier.verify(config, hugeState, T0 + 1, setOf(T0 + 1, tenPercentDown)));
        assertEquals(OracleVerdict.MAX_MOVE, verifier.verify(config, hugeState, T0 + 1, setOf(T0 + 1, tenPercentDown - 1)));
        assertEquals(OracleVerdict.ACCEPTED, verifier.verify(config, hugeState, T0 + 1, setOf(T0 + 1, Long.MAX_VALUE)));
    }

    @Test
    void verifyChangesNothingAcceptDoesTheRest()
    {
        acceptAll(T0, 100_000);
        final long[] before = snapshot(state);
        assertRejected(OracleVerdict.MAX_MOVE, -1, T0 + 1, setOf(T0 + 1, 200_000));
        assertArrayEquals(before, snapshot(state));
        final OracleFixture.Observations next = setOf(T0 + 2, 101_000);
        assertAccepted(101_000, T0 + 2, next);
        assertArrayEquals(before, snapshot(state), "verify alone does not accept");

        state.accept(T0 + 2, verifier.medianPriceTicks(), next);
        assertEquals(101_000, state.lastPriceTicks());
        assertEquals(T0 + 2, state.lastAcceptedNs());
        assertEquals(T0 + 2, state.lastObservationNs(0));
        assertEquals(T0 + 2, state.lastObservationNs(2));
        assertEquals(OracleState.NONE, state.lastObservationNs(3));
    }

    @Test
    void staleWithoutAPriceAndOnceNoneWasAcceptedForStaleAfter()
    {
        assertTrue(OracleVerifier.isStale(config, state, T0));
        acceptAll(T0, 100_000);
        assertFalse(OracleVerifier.isStale(config, state, T0));
        assertFalse(OracleVerifier.isStale(config, state, T0 + config.staleAfterNs() - 1));
        assertTrue(OracleVerifier.isStale(config, state, T0 + config.staleAfterNs()));
        assertTrue(OracleVerifier.isStale(config, state, Long.MAX_VALUE));
        assertFalse(OracleVerifier.isStale(config, state, Long.MIN_VALUE), "a time before the price: not stale, no wrap");
        acceptAll(T0 + config.staleAfterNs(), 100_000);
        assertFalse(OracleVerifier.isStale(config, state, T0 + config.staleAfterNs()));
    }

    @Test
    void aStateForAnotherNumberOfSourcesIsAWiringFault()
    {
        assertThrows(IllegalArgumentException.class,
            () -> verifier.verify(config, new OracleState(4), T0, setOf(T0, 100_000)));
    }

    @Test
    void seededRandomSetsAreAcceptedAtTheLowerMedianInAnyOrder()
    {
        final long seed = OracleFixture.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        final OracleConfig guardless = withoutMoveGuard();
        final OracleState fresh = OracleState.forConfig(guardless);
        for (int round = 0; round < 60; round++)
        {
            final int count = guardless.quorum() + random.nextInt(guardless.sourceCount() - guardless.quorum() + 1);
            final int[] sources = shuffledSources(random, guardless.sourceCount());
            final long[] prices = new long[count];
            final OracleFixture.Observations set = new OracleFixture.Observations();
            final OracleFixture.Observations reversed = new OracleFixture.Observations();
            for (int i = 0; i < count; i++)
            {
                prices[i] = 1 + random.nextLong(1_000_000);
                set.signedBy(sources[i], prices[i], T0 - random.nextLong(guardless.validityWindowNs()));
            }
            for (int i = count - 1; i >= 0; i--)
            {
                reversed.signedBy(sources[i], prices[i], set.timestampNs(i));
            }
            final long[] sorted = prices.clone();
            Arrays.sort(sorted);
            final String where = "seed " + seed + " round " + round + " prices " + Arrays.toString(prices);
            assertEquals(OracleVerdict.ACCEPTED, verifier.verify(guardless, fresh, T0, set), where);
            assertEquals(sorted[(count - 1) / 2], verifier.medianPriceTicks(), where);
            assertEquals(OracleVerdict.ACCEPTED, verifier.verify(guardless, fresh, T0, reversed), where);
            assertEquals(sorted[(count - 1) / 2], verifier.medianPriceTicks(), where);
        }
    }

    @Test
    void compareProductsIsExactBeyond64Bits()
    {
        assertEquals(0, OracleVerifier.compareProducts(Long.MAX_VALUE, 2, 2, Long.MAX_VALUE));
        assertTrue(OracleVerifier.compareProducts(Long.MAX_VALUE, 1_000_000, Long.MAX_VALUE - 1, 1_000_000) > 0);
        assertTrue(OracleVerifier.compareProducts(1L << 62, 4, (1L << 62) + 1, 3) > 0);
        assertTrue(OracleVerifier.compareProducts(0, Long.MAX_VALUE, 1, 1) < 0);
    }

    private OracleConfig withoutMoveGuard()
    {
        return OracleConfig.builder(MARKET, sourceKeys(5)).moveWindowNs(0).build();
    }

    /** Sources 0, 1, 2 all observing {@code priceTicks} at {@code timestampNs}. */
    private static OracleFixture.Observations setOf(final long timestampNs, final long priceTicks)
    {
        return new OracleFixture.Observations()
            .signedBy(0, priceTicks, timestampNs).signedBy(1, priceTicks, timestampNs).signedBy(2, priceTicks, timestampNs);
    }

    private void acceptAll(final long commandTimeNs, final long priceTicks)
    {
        final OracleFixture.Observations set = setOf(commandTimeNs, priceTicks);
        assertAccepted(priceTicks, commandTimeNs, set);
        state.accept(commandTimeNs, verifier.medianPriceTicks(), set);
    }

    private void assertAccepted(final long median, final long commandTimeNs, final OracleObservations observations)
    {
        final long[] before = snapshot(state);
        assertEquals(OracleVerdict.ACCEPTED, verifier.verify(config, state, commandTimeNs, observations));
        assertEquals(median, verifier.medianPriceTicks());
        assertEquals(-1, verifier.offendingObservation());
        assertArrayEquals(before, snapshot(state));
    }

    private void assertRejected(
        final OracleVerdict verdict, final int offending, final long commandTimeNs, final OracleObservations observations)
    {
        final long[] before = snapshot(state);
        assertEquals(verdict, verifier.verify(config, state, commandTimeNs, observations));
        assertEquals(offending, verifier.offendingObservation());
        assertEquals(0, verifier.medianPriceTicks());
        assertArrayEquals(before, snapshot(state), "a reject changes nothing");
    }

    private void assertBadSignatureAt1(final byte[] signatureOfSource1, final long claimedPrice)
    {
        assertRejected(OracleVerdict.BAD_SIGNATURE, 1, T0, new OracleFixture.Observations()
            .signedBy(0, 100_000, T0).add(1, claimedPrice, T0, signatureOfSource1).signedBy(2, 100_000, T0));
    }

    private static int[] shuffledSources(final SplittableRandom random, final int count)
    {
        final int[] sources = new int[count];
        for (int i = 0; i < count; i++)
        {
            sources[i] = i;
        }
        for (int i = count - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = sources[i];
            sources[i] = sources[j];
            sources[j] = swap;
        }
        return sources;
    }

    private static long[] snapshot(final OracleState state)
    {
        final long[] snapshot = new long[state.fieldCount()];
        state.writeTo(snapshot, 0);
        return snapshot;
    }
}
