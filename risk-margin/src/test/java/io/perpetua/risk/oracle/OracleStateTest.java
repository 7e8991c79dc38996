package io.perpetua.risk.oracle;

import org.junit.jupiter.api.Test;

import static io.perpetua.risk.oracle.OracleFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OracleStateTest
{
    @Test
    void startsWithoutAPriceOrObservations()
    {
        final OracleState state = new OracleState(3);
        assertFalse(state.hasPrice());
        assertEquals(0, state.lastPriceTicks());
        assertEquals(OracleState.NONE, state.lastAcceptedNs());
        assertEquals(OracleState.NONE, state.lastObservationNs(2));
        assertArrayEquals(new long[] {3, 0, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE}, fields(state));
    }

    @Test
    void acceptRecordsThePriceTheTimeAndEachSourcesObservation()
    {
        final OracleState state = new OracleState(3);
        state.accept(T0, 500, new OracleFixture.Observations().signedBy(2, 400, T0 - 7).signedBy(0, 600, T0 - 9));
        assertTrue(state.hasPrice());
        assertEquals(500, state.lastPriceTicks());
        assertEquals(T0, state.lastAcceptedNs());
        assertArrayEquals(new long[] {3, 500, T0, T0 - 9, Long.MIN_VALUE, T0 - 7}, fields(state));
    }

    @Test
    void snapshotRoundTripsThroughTheFlatForm()
    {
        final OracleState state = new OracleState(3);
        state.accept(T0, 500, new OracleFixture.Observations().signedBy(1, 500, T0 - 1));
        final long[] snapshot = new long[10];
        assertEquals(6, state.writeTo(snapshot, 2));
        assertArrayEquals(fields(state), java.util.Arrays.copyOfRange(snapshot, 2, 8));

        final OracleState restored = new OracleState(3);
        assertEquals(6, restored.readFrom(snapshot, 2));
        assertArrayEquals(fields(state), fields(restored));
        assertEquals(state.toString(), restored.toString());
    }

    @Test
    void refusesASnapshotOfAnotherShapeAndStaysUnchanged()
    {
        final OracleState state = new OracleState(2);
        final long[] before = fields(state);
        assertEquals("oracle snapshot is not for 2 sources",
            assertThrows(IllegalArgumentException.class, () -> state.readFrom(new long[] {3, 0, Long.MIN_VALUE, 0, 0, 0}, 0))
                .getMessage());
        assertEquals("oracle snapshot is truncated: 4 of 5 fields",
            assertThrows(IllegalArgumentException.class, () -> state.readFrom(new long[] {2, 5, 9, 0}, 0)).getMessage());
        assertEquals("oracle snapshot is inconsistent: price 0 accepted at 9",
            assertThrows(IllegalArgumentException.class, () -> state.readFrom(new long[] {2, 0, 9, 0, 0}, 0)).getMessage());
        assertEquals("oracle snapshot is inconsistent: price 5 accepted at " + Long.MIN_VALUE,
            assertThrows(IllegalArgumentException.class,
                () -> state.readFrom(new long[] {2, 5, Long.MIN_VALUE, 0, 0}, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> state.readFrom(new long[] {2, -5, 9, 0, 0}, 0));
        assertThrows(IllegalArgumentException.class, () -> state.readFrom(new long[] {2}, 0));
        assertArrayEquals(before, fields(state));
    }

    @Test
    void refusesToAcceptWhatCannotBeAVerifiedSet()
    {
        final OracleState state = new OracleState(2);
        assertThrows(IllegalArgumentException.class,
            () -> state.accept(T0, 0, new OracleFixture.Observations().signedBy(0, 1, T0)));
        assertThrows(IllegalArgumentException.class,
            () -> state.accept(T0, 5, new OracleFixture.Observations().signedBy(0, 5, T0).signedBy(2, 5, T0)));
        assertFalse(state.hasPrice());
        assertEquals(OracleState.NONE, state.lastObservationNs(0));
        assertThrows(IllegalArgumentException.class, () -> new OracleState(0));
        assertThrows(IllegalArgumentException.class, () -> new OracleState(256));
    }

    private static long[] fields(final OracleState state)
    {
        final long[] fields = new long[state.fieldCount()];
        for (int i = 0; i < fields.length; i++)
        {
            fields[i] = state.field(i);
        }
        return fields;
    }
}
