package io.perpetua.settlement.stark.batch;

import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Verifier;
import io.perpetua.settlement.stark.air.TraceTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchAirTest
{
    @Test
    void referenceTraceSatisfiesTheAir()
    {
        final long seed = 31;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (final int n : new int[] {0, 1, 2, 3, 7, 8, 15, 16, 100})
        {
            final List<BatchRecord> records = BatchFixtures.randomRecords(n, rnd);
            final BatchPublicInputs inputs = BatchFixtures.inputsFor(records);
            final BatchAir air = new BatchAir(inputs);
            final TraceTable trace = BatchExecutor.trace(records);
            assertEquals(List.of(), air.violations(trace, 5), "n=" + n + " seed=" + seed);
        }
    }

    /** The smallest power of two that leaves at least one row after cycle n (see BatchAir's class comment). */
    @Test
    void traceLengthLeavesARowAfterTheLastRecordsCycle()
    {
        for (final int n : new int[] {0, 1, 2, 3, 4, 7, 8, 1000, 10_000, (1 << 14) - 1, BatchPublicInputs.MAX_RECORDS})
        {
            final int length = BatchAir.traceLengthFor(n);
            assertEquals(1, Integer.bitCount(length), "n=" + n);
            assertTrue(length >= BatchAir.finalRow(n) + 2, "n=" + n);
            assertTrue(length / 2 < BatchAir.finalRow(n) + 2, "n=" + n);
        }
        assertEquals(8, BatchAir.traceLengthFor(0));
        assertEquals(16, BatchAir.traceLengthFor(1));
        assertEquals(1 << 16, BatchAir.traceLengthFor(10_000));
        assertEquals(1 << 23, BatchAir.traceLengthFor(BatchPublicInputs.MAX_RECORDS));
    }

    @Test
    void outOfRangePublicInputsCannotFormAStatement()
    {
        final BatchPublicInputs ok = BatchFixtures.inputsFor(List.of(new BatchRecord(1, 0, 5, 5)));
        final BatchPublicInputs hugeE = new BatchPublicInputs(ok.batchId(), ok.prevRoot(), ok.newRoot(), ok.daCommitment(), 1,
            1L << 62, ok.feeDelta(), ok.insuranceDelta());
        final BatchPublicInputs hugeFee = new BatchPublicInputs(ok.batchId(), ok.prevRoot(), ok.newRoot(), ok.daCommitment(), 1,
            ok.netDeposits(), 1L << 48, ok.insuranceDelta());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new BatchAir(hugeE));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new BatchAir(hugeFee));
    }

    @Test
    void smallBatchProvesAndVerifies()
    {
        final SplittableRandom rnd = new SplittableRandom(32);
        final List<BatchRecord> records = BatchFixtures.randomRecords(5, rnd);
        final BatchAir air = new BatchAir(BatchFixtures.inputsFor(records));
        final byte[] proof = Prover.prove(air, BatchExecutor.trace(records), ProofOptions.P100);
        assertDoesNotThrow(() -> Verifier.verify(air, proof, ProofOptions.P100));
    }
}
