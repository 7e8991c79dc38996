package io.perpetua.settlement.stark.batch;

import java.util.ArrayList;
import java.util.List;

import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.Verifier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Property tests (jqwik prints the seed of a failing try): valid batches verify, a shifted E does not. */
class BatchPropertiesTest
{
    @Provide
    Arbitrary<List<BatchRecord>> batches()
    {
        final Arbitrary<BatchRecord> record = Combinators.combine(
            Arbitraries.longs().between(0, (1L << 32) - 1),
            Arbitraries.longs().between(-(1L << 61), (1L << 61)),
            Arbitraries.longs().between(-(1L << 48) + 1, (1L << 48) - 1))
            .as((account, pre, delta) -> new BatchRecord(account, pre, delta, pre + delta));
        return record.list().ofMinSize(1).ofMaxSize(40).map(ArrayList::new);
    }

    @Property(tries = 6)
    void validBatchesVerify(@ForAll("batches") final List<BatchRecord> records,
        @ForAll @LongRange(min = -(1L << 40), max = 1L << 40) final long fee)
    {
        final BatchAir air = new BatchAir(BatchExecutor.publicInputs(1, BatchFixtures.PREV_ROOT, BatchFixtures.NEW_ROOT, records,
            fee, -fee / 3));
        final byte[] proof = Prover.prove(air, BatchExecutor.trace(records), ProofOptions.P100);
        assertDoesNotThrow(() -> Verifier.verify(air, proof, ProofOptions.P100));
    }

    @Property(tries = 4)
    void shiftedNetDepositsAreRejected(@ForAll("batches") final List<BatchRecord> records,
        @ForAll @IntRange(min = 1, max = 1_000_000) final int shift)
    {
        final BatchPublicInputs honest = BatchFixtures.inputsFor(records);
        final byte[] proof = Prover.prove(new BatchAir(honest), BatchExecutor.trace(records), ProofOptions.P100);
        final BatchPublicInputs shifted = new BatchPublicInputs(honest.batchId(), honest.prevRoot(), honest.newRoot(),
            honest.daCommitment(), honest.recordCount(), honest.netDeposits() + shift, honest.feeDelta(), honest.insuranceDelta());
        assertThrows(VerificationException.class, () -> Verifier.verify(new BatchAir(shifted), proof, ProofOptions.P100));
    }
}
