package io.perpetua.risk.oracle;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.perpetua.risk.oracle.OracleFixture.MILLI;
import static io.perpetua.risk.oracle.OracleFixture.T0;
import static io.perpetua.risk.oracle.OracleFixture.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OracleObservationBufferTest
{
    private final OracleConfig config = OracleFixture.config();
    private final OracleState state = OracleState.forConfig(config);
    private final OracleVerifier verifier = new OracleVerifier();
    private final OracleObservationBuffer buffer = new OracleObservationBuffer();

    @Test
    void holdsACopyOfACommandsObservationsThatVerifiesLikeTheOriginal()
    {
        final SignedPriceSet set = new SignedPriceSet(OracleFixture.MARKET, new int[] {0, 2, 4},
            new SignedPrice[] {signed(0, 100_000, T0 - MILLI), signed(2, 100_100, T0 - 2 * MILLI), signed(4, 99_000, T0)});
        final byte[] padded = new byte[80];
        for (int i = 0; i < set.count(); i++)
        {
            System.arraycopy(set.price(i).signature(), 0, padded, 9, 64);
            assertTrue(buffer.add(set.sourceIndex(i), set.priceTicks(i), set.timestampNs(i), padded, 9, 64));
        }
        assertEquals(3, buffer.count());
        assertEquals(2, buffer.sourceIndex(1));
        assertEquals(100_100, buffer.priceTicks(1));
        assertEquals(T0 - 2 * MILLI, buffer.timestampNs(1));

        assertEquals(OracleVerdict.ACCEPTED, verifier.verify(config, state, T0, buffer));
        assertEquals(100_000, verifier.medianPriceTicks());
        state.accept(T0, verifier.medianPriceTicks(), buffer);
        assertEquals(T0, state.lastObservationNs(4));

        buffer.clear();
        assertEquals(0, buffer.count());
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.priceTicks(0));
    }

    @Test
    void aSignatureOfAnotherLengthIsKeptAsBad()
    {
        final byte[] signature = signed(1, 100_000, T0).signature();
        for (final int length : new int[] {63, 65, 0, -1})
        {
            buffer.clear();
            buffer.add(0, 100_000, T0, signed(0, 100_000, T0).signature(), 0, 64);
            buffer.add(1, 100_000, T0, Arrays.copyOf(signature, 70), 0, length);
            buffer.add(2, 100_000, T0, signed(2, 100_000, T0).signature(), 0, 64);
            assertEquals(length, buffer.signature(1, new byte[64]));
            assertEquals(OracleVerdict.BAD_SIGNATURE, verifier.verify(config, state, T0, buffer), "length " + length);
            assertEquals(1, verifier.offendingObservation());
        }
    }

    @Test
    void observationsBeyondCapacityAreIgnoredWithoutChangingTheVerdict()
    {
        final byte[] signature = signed(0, 100_000, T0).signature();
        final OracleFixture.Observations full = new OracleFixture.Observations();
        int kept = 0;
        for (int i = 0; i < 300; i++)
        {
            final int source = i < 5 ? i : 4 - i % 5; // sources 0..4, then repeats
            full.add(source, 100_000, T0, signature);
            kept += buffer.add(source, 100_000, T0, signature, 0, 64) ? 1 : 0;
        }
        assertEquals(OracleObservationBuffer.CAPACITY, kept);
        assertFalse(buffer.add(0, 1, 1, signature, 0, 64));
        assertEquals(verifier.verify(config, state, T0, full), verifier.verify(config, state, T0, buffer));
        assertEquals(OracleVerdict.DUPLICATE_SOURCE, verifier.verify(config, state, T0, buffer));
        assertEquals(5, verifier.offendingObservation());
    }
}
