package io.perpetua.settlement.stark.batch;

import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.VerificationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The batch API end to end: BatchAir plus chained StateUpdateAir chunks. */
class BatchProofsTest
{
    private static final int DEPTH = 6;

    @Test
    void batchWithSeveralChunksVerifiesAndItsChainIsChecked()
    {
        final long seed = 51;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final RescueMerkleTree tree = new RescueMerkleTree(DEPTH);
        final List<BatchRecord> records = StateUpdateAirTest.updates(tree, 7, rnd);
        final BatchProofs.Proven proven = BatchProofs.prove(3, tree, records, 10, -4, ProofOptions.P100, 3);
        assertEquals(3, proven.proof().chunks().size());
        final byte[] bytes = proven.proof().toBytes();
        assertDoesNotThrow(() -> BatchProofs.verify(proven.inputs(), bytes, ProofOptions.P100, DEPTH), "seed=" + seed);

        // the verifier pins the depth
        assertThrows(VerificationException.class, () -> BatchProofs.verify(proven.inputs(), bytes, ProofOptions.P100, DEPTH + 1));
        // dropping a chunk breaks the chain
        final BatchProof shorter = new BatchProof(proven.proof().batchProof(), proven.proof().chunks().subList(0, 2));
        final VerificationException ex = assertThrows(VerificationException.class,
            () -> BatchProofs.verify(proven.inputs(), shorter.toBytes(), ProofOptions.P100, DEPTH));
        assertEquals(VerificationException.Reason.STATE_CHAIN_MISMATCH, ex.reason());
        // another newRoot
        final BatchPublicInputs i = proven.inputs();
        final long[] otherRoot = i.newRoot().clone();
        otherRoot[0] ^= 1;
        final BatchPublicInputs wrongRoot = new BatchPublicInputs(i.batchId(), i.prevRoot(), otherRoot, i.daCommitment(),
            i.recordCount(), i.netDeposits(), i.feeDelta(), i.insuranceDelta());
        assertThrows(VerificationException.class, () -> BatchProofs.verify(wrongRoot, bytes, ProofOptions.P100, DEPTH));
    }

    @Test
    void proverRefusesRecordsThatDisagreeWithTheTree()
    {
        final RescueMerkleTree tree = new RescueMerkleTree(DEPTH);
        final List<BatchRecord> records = List.of(new BatchRecord(3, 100, 5, 105));
        assertThrows(IllegalArgumentException.class, () -> BatchProofs.prove(1, tree, records, 0, 0, ProofOptions.P100, 8));
    }
}
