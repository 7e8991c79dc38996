package io.perpetua.settlement.stark.batch;

import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.Verifier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Completeness: random valid batches prove and verify, for 1 record, sizes around and at powers of
 * two (4 (n + 1) rows exactly a power of two for n = 1, 3, 7, ..., which get one padding cycle more
 * than their neighbours), and the largest CI size; the largest size the AIR accepts is sized but
 * not proved (2^23 rows).
 */
class CompletenessTest
{
    @Test
    void randomValidBatchesOfManySizesVerify()
    {
        final long seed = 91;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (final int n : new int[] {1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 100, 255, 1000})
        {
            final List<BatchRecord> records = BatchFixtures.randomRecords(n, rnd);
            final long batchId = rnd.nextLong(1L << 40);
            final long fee = rnd.nextLong(-(1L << 40), 1L << 40);
            final long insurance = rnd.nextLong(-(1L << 40), 1L << 40);
            final BatchPublicInputs inputs = BatchExecutor.publicInputs(batchId, BatchFixtures.PREV_ROOT, BatchFixtures.NEW_ROOT,
                records, fee, insurance);
            // the prover's one-pass witness states exactly what the reference executor computes
            final BatchExecutor.Witness witness = BatchExecutor.witness(batchId, BatchFixtures.PREV_ROOT, BatchFixtures.NEW_ROOT,
                records, fee, insurance);
            assertEquals(inputs, witness.inputs(), "n=" + n + " seed=" + seed);
            final BatchAir air = new BatchAir(inputs);
            final byte[] proof = Prover.prove(air, witness.trace(), ProofOptions.P100);
            assertDoesNotThrow(() -> Verifier.verify(air, proof, ProofOptions.P100), "n=" + n + " seed=" + seed);
            long sum = inputs.feeDelta() + inputs.insuranceDelta();
            for (final BatchRecord r : records)
            {
                sum += r.delta();
            }
            assertEquals(sum, inputs.netDeposits(), "reference E");
        }
    }

    @Test
    void randomValidBatchesWithStateUpdatesVerify()
    {
        final long seed = 92;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int depth = 8;
        final RescueMerkleTree tree = new RescueMerkleTree(depth);
        for (final int n : new int[] {1, 5, 16, 40})
        {
            final List<BatchRecord> records = StateUpdateAirTest.updates(tree, n, rnd);
            final BatchProofs.Proven p = BatchProofs.prove(n, tree, records, 0, 0, ProofOptions.P100, 16);
            assertArrayEquals(tree.root(), p.inputs().newRoot());
            final byte[] bytes = p.proof().toBytes();
            assertDoesNotThrow(() -> BatchProofs.verify(p.inputs(), bytes, ProofOptions.P100, depth), "n=" + n + " seed=" + seed);
        }
    }

    @Test
    void theLargestBatchHasAStatement()
    {
        final List<BatchRecord> one = BatchFixtures.randomRecords(1, new SplittableRandom(94));
        final BatchPublicInputs i = BatchFixtures.inputsFor(one);
        final BatchAir largest = new BatchAir(new BatchPublicInputs(i.batchId(), i.prevRoot(), i.newRoot(), i.daCommitment(),
            BatchPublicInputs.MAX_RECORDS, i.netDeposits(), i.feeDelta(), i.insuranceDelta()));
        assertEquals(1 << 23, largest.traceLength());
        assertThrows(IllegalArgumentException.class,
            () -> new BatchAir(new BatchPublicInputs(i.batchId(), i.prevRoot(), i.newRoot(), i.daCommitment(),
                BatchPublicInputs.MAX_RECORDS + 1, i.netDeposits(), i.feeDelta(), i.insuranceDelta())));
    }

    @Test
    void p128BatchVerifies()
    {
        final List<BatchRecord> records = BatchFixtures.randomRecords(6, new SplittableRandom(93));
        final BatchAir air = new BatchAir(BatchFixtures.inputsFor(records));
        final byte[] proof = Prover.prove(air, BatchExecutor.trace(records), ProofOptions.P128);
        assertDoesNotThrow(() -> Verifier.verify(air, proof, ProofOptions.P128));
    }
}
