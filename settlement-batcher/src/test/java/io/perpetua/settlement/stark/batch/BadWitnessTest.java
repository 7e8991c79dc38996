package io.perpetua.settlement.stark.batch;

import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.settlement.stark.CheatingProver;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.Verifier;
import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.field.Goldilocks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A bad witness cannot produce an accepted proof, even from a prover that skips its own checks,
 * and a valid proof does not verify against tampered public inputs.
 */
class BadWitnessTest
{
    private static final ProofOptions OPTIONS = ProofOptions.P100;
    private static final long[] ROOT_A = {1, 2, 3, 4};
    private static final long[] ROOT_B = {5, 6, 7, 8};

    private static void rejected(final Air air, final TraceTable trace, final String what)
    {
        assertFalse(air.violations(trace, 1).isEmpty(), what + ": the witness must actually be bad");
        final byte[] proof = CheatingProver.proveAnyway(air, trace, OPTIONS);
        assertThrows(VerificationException.class, () -> Verifier.verify(air, proof, OPTIONS), what);
    }

    private static BatchPublicInputs inputs(final long[][] raw, final long netDeposits)
    {
        final long[] d = BatchAirTestSupport.commitment(raw);
        return new BatchPublicInputs(1, ROOT_A, ROOT_B, d, raw.length, netDeposits, 0, 0);
    }

    @Test
    void conservationOffByOne()
    {
        final long[][] raw = {{1, 100, -30, 70}, {2, 0, 50, 50}};
        rejected(new BatchAir(inputs(raw, 20 + 1)), BatchExecutor.traceOfRaw(raw), "E off by one");
        rejected(new BatchAir(inputs(raw, 20 - 1)), BatchExecutor.traceOfRaw(raw), "E off by minus one");
    }

    /**
     * p - 5 is the field's -5. A forger who puts p - 5 in the delta column (so the sum counts a
     * debit of 5) while crediting the account +5, or who books the total as if it were +5, fails;
     * so do deltas beyond 2^48, whose range-check bits cannot exist.
     */
    @Test
    void deltaOfPMinusFiveAndOutOfRangeDeltas()
    {
        final long pMinus5AsSigned = -5; // raw rows are signed; the trace cell holds the field element p - 5
        assertEquals(Goldilocks.P - 5, Goldilocks.fromSigned(pMinus5AsSigned));
        final long[][] creditWhileDebiting = {{1, 100, pMinus5AsSigned, 105}, {2, 0, 50, 50}};
        rejected(new BatchAir(inputs(creditWhileDebiting, 45)), BatchExecutor.traceOfRaw(creditWhileDebiting),
            "delta p - 5 with post = pre + 5");
        final long[][] debit = {{1, 100, pMinus5AsSigned, 95}, {2, 0, 50, 50}};
        rejected(new BatchAir(inputs(debit, 55)), BatchExecutor.traceOfRaw(debit), "delta p - 5 booked as +5 in E");
        final Air ok = new BatchAir(inputs(debit, 45));
        assertDoesNotThrow(() -> Verifier.verify(ok, io.perpetua.settlement.stark.Prover.prove(ok, BatchExecutor.traceOfRaw(debit),
            OPTIONS), OPTIONS), "read as -5 the same record is a valid batch");
        for (final long delta : new long[] {1L << 48, (1L << 48) + 3, 1L << 55, -(1L << 48) - 1, Long.MAX_VALUE / 2})
        {
            final long[][] big = {{1, 0, delta, delta}, {2, 0, -delta, -delta}};
            rejected(new BatchAir(inputs(big, 0)), BatchExecutor.traceOfRaw(big), "delta " + delta);
        }
    }

    @Test
    void balanceOutOfRange()
    {
        final long[][] raw = {{1, (1L << 62) - 5, 10, (1L << 62) + 5}};
        rejected(new BatchAir(inputs(raw, 10)), BatchExecutor.traceOfRaw(raw), "post balance 2^62 + 5");
        final long[][] low = {{1, -(1L << 62) + 5, -10, -(1L << 62) - 5}};
        rejected(new BatchAir(inputs(low, -10)), BatchExecutor.traceOfRaw(low), "post balance -2^62 - 5");
    }

    @Test
    void oneFlippedHashCell()
    {
        final long[][] raw = {{1, 100, -30, 70}, {2, 0, 50, 50}, {3, 7, 7, 14}};
        final long seed = 71;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 6; trial++)
        {
            final TraceTable t = BatchExecutor.traceOfRaw(raw);
            // a state or mid-state cell of one of the records' cycles
            final int row = BatchAir.CYCLE + rnd.nextInt(raw.length * BatchAir.CYCLE);
            final int col = BatchAir.STATE + rnd.nextInt(2 * 12);
            t.set(col, row, Goldilocks.add(t.get(col, row), 1));
            rejected(new BatchAir(inputs(raw, 27)), t, "flipped state cell " + col + "," + row + " seed=" + seed);
        }
    }

    /**
     * D sits in the mid-state of the last row of cycle n, which round 6 constrains within that row;
     * with n + 1 a power of two that row would be the trace's last, where no transition constraint
     * holds, so the trace has a padding cycle more (here 1 record, 16 rows, D on row 7).
     */
    @Test
    void forgedDigestOnTheLastRecordsRow()
    {
        final long[][] raw = {{1, 100, -30, 70}};
        final TraceTable t = BatchExecutor.traceOfRaw(raw);
        final int row = BatchAir.finalRow(1);
        final long[] d = new long[4];
        for (int i = 0; i < 4; i++)
        {
            d[i] = t.get(BatchAir.MID + 4 + i, row);
        }
        d[0] = Goldilocks.add(d[0], 1);
        t.set(BatchAir.MID + 4, row, d[0]);
        rejected(new BatchAir(new BatchPublicInputs(1, ROOT_A, ROOT_B, d, 1, -30, 0, 0)), t, "D changed on row " + row);
    }

    @Test
    void wrongSiblingInTheStateUpdate()
    {
        final RescueMerkleTree tree = new RescueMerkleTree(4);
        tree.set(3, 10);
        tree.set(12, -4);
        final List<BatchRecord> records = List.of(new BatchRecord(3, 10, 5, 15), new BatchRecord(12, -4, 4, 0));
        final StateUpdateExecutor.Result r = StateUpdateExecutor.execute(tree, records,
            StateUpdateExecutor.initialSpongeState(records.size()));
        final TraceTable t = r.trace();
        // the sibling of level 2 of the second update
        final int cycle = 4 + 2;
        for (int row = StateUpdateAir.CYCLE * cycle; row < StateUpdateAir.CYCLE * (cycle + 1); row++)
        {
            t.set(StateUpdateAir.SIB + 1, row, Goldilocks.add(t.get(StateUpdateAir.SIB + 1, row), 1));
        }
        rejected(new StateUpdateAir(r.inputs()), t, "wrong sibling");
    }

    @Test
    void tamperedPublicInputsAreRejectedByTheBatchVerifier()
    {
        final int depth = 5;
        final RescueMerkleTree tree = new RescueMerkleTree(depth);
        final List<BatchRecord> records = StateUpdateAirTest.updates(tree, 4, new SplittableRandom(72));
        final BatchProofs.Proven p = BatchProofs.prove(9, tree, records, 6, -1, OPTIONS, 4);
        final byte[] bytes = p.proof().toBytes();
        final BatchPublicInputs i = p.inputs();
        assertDoesNotThrow(() -> BatchProofs.verify(i, bytes, OPTIONS, depth));
        final long[] d = i.daCommitment();
        d[0] = Goldilocks.add(d[0], 1);
        final long[] prev = i.prevRoot();
        prev[3] = Goldilocks.add(prev[3], 1);
        final long[] next = i.newRoot();
        next[1] = Goldilocks.add(next[1], 1);
        final List<BatchPublicInputs> tampered = List.of(
            i.withDaCommitment(d),
            new BatchPublicInputs(i.batchId(), i.prevRoot(), i.newRoot(), i.daCommitment(), i.recordCount(), i.netDeposits() + 1,
                i.feeDelta(), i.insuranceDelta()),
            new BatchPublicInputs(i.batchId(), prev, i.newRoot(), i.daCommitment(), i.recordCount(), i.netDeposits(),
                i.feeDelta(), i.insuranceDelta()),
            new BatchPublicInputs(i.batchId(), i.prevRoot(), next, i.daCommitment(), i.recordCount(), i.netDeposits(),
                i.feeDelta(), i.insuranceDelta()),
            new BatchPublicInputs(i.batchId(), i.prevRoot(), i.newRoot(), i.daCommitment(), i.recordCount() - 1, i.netDeposits(),
                i.feeDelta(), i.insuranceDelta()),
            new BatchPublicInputs(i.batchId(), i.prevRoot(), i.newRoot(), i.daCommitment(), i.recordCount() + 1, i.netDeposits(),
                i.feeDelta(), i.insuranceDelta()),
            new BatchPublicInputs(i.batchId() + 1, i.prevRoot(), i.newRoot(), i.daCommitment(), i.recordCount(), i.netDeposits(),
                i.feeDelta(), i.insuranceDelta()),
            new BatchPublicInputs(i.batchId(), i.prevRoot(), i.newRoot(), i.daCommitment(), i.recordCount(), i.netDeposits(),
                i.feeDelta() + 1, i.insuranceDelta() - 1));
        for (final BatchPublicInputs bad : tampered)
        {
            assertThrows(VerificationException.class, () -> BatchProofs.verify(bad, bytes, OPTIONS, depth), bad.toString());
        }
    }
}
