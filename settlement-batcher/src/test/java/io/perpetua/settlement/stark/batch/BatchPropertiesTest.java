package io.perpetua.settlement.stark.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.Verifier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Random valid batches verify, and the same proofs fail against a shifted E. Seeded: fresh each run,
 * fixed with PERPETUA_SEED; the seed is in every failure message.
 */
class BatchPropertiesTest
{
    private static long seed()
    {
        final String fixed = System.getenv("PERPETUA_SEED");
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
    }

    /** 1 to 40 records over the whole ranges the AIR accepts. */
    private static List<BatchRecord> randomBatch(final SplittableRandom random)
    {
        final int size = 1 + random.nextInt(40);
        final List<BatchRecord> records = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            final long account = random.nextLong(1L << 32);
            final long pre = random.nextLong(-(1L << 61), (1L << 61) + 1);
            final long delta = random.nextLong(-(1L << 48) + 1, 1L << 48);
            records.add(new BatchRecord(account, pre, delta, pre + delta));
        }
        return records;
    }

    @Test
    void validBatchesVerify()
    {
        final long seed = seed();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 6; trial++)
        {
            final List<BatchRecord> records = randomBatch(random);
            final long fee = random.nextLong(-(1L << 40), (1L << 40) + 1);
            final BatchAir air = new BatchAir(BatchExecutor.publicInputs(1, BatchFixtures.PREV_ROOT, BatchFixtures.NEW_ROOT,
                records, fee, -fee / 3));
            final byte[] proof = Prover.prove(air, BatchExecutor.trace(records), ProofOptions.P100);
            assertDoesNotThrow(() -> Verifier.verify(air, proof, ProofOptions.P100), "seed " + seed + " trial " + trial);
        }
    }

    @Test
    void shiftedNetDepositsAreRejected()
    {
        final long seed = seed();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 4; trial++)
        {
            final List<BatchRecord> records = randomBatch(random);
            final int shift = 1 + random.nextInt(1_000_000);
            final BatchPublicInputs honest = BatchFixtures.inputsFor(records);
            final byte[] proof = Prover.prove(new BatchAir(honest), BatchExecutor.trace(records), ProofOptions.P100);
            final BatchPublicInputs shifted = new BatchPublicInputs(honest.batchId(), honest.prevRoot(), honest.newRoot(),
                honest.daCommitment(), honest.recordCount(), honest.netDeposits() + shift, honest.feeDelta(),
                honest.insuranceDelta());
            assertThrows(VerificationException.class, () -> Verifier.verify(new BatchAir(shifted), proof, ProofOptions.P100),
                "seed " + seed + " trial " + trial + " shift " + shift);
        }
    }
}
