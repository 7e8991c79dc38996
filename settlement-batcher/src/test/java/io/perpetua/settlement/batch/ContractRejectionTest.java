package io.perpetua.settlement.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.perpetua.core.sbe.Side;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.SettlementContract;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.batch.BatchPublicInputs;
import io.perpetua.settlement.stark.field.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.perpetua.settlement.batch.SettlementHarness.COIN;
import static io.perpetua.settlement.batch.SettlementHarness.USD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every way a batch can be wrong is refused with its own reason, and a refused batch changes nothing. */
class ContractRejectionTest
{
    @TempDir
    Path dir;

    /** Two batches of a small session, collected but not submitted. */
    private static SettlementHarness session(final Path dir, final ProofOptions options, final List<SettlementBatch> out)
        throws ContractException
    {
        final SettlementHarness h = new SettlementHarness(dir, 4, options, out::add);
        h.market(1, 0, 500, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(1, 1_000 * USD);
        h.deposit(2, 1_000 * USD);
        h.limit(2, 1, Side.SELL, 100 * USD, 1 * COIN);
        h.limit(1, 1, Side.BUY, 100 * USD, 1 * COIN);
        h.withdraw(2, 10 * USD, 1);
        h.batcher.flush();
        assertEquals(2, out.size(), "the session makes two batches");
        return h;
    }

    private static ContractException.Reason refused(final SettlementContract contract, final SettlementBatch batch, final long now)
    {
        final long escrow = contract.escrow();
        final long[] root = contract.positionRoot();
        final long id = contract.lastBatchId();
        final ContractException ex = assertThrows(ContractException.class, () -> contract.submitBatch(batch, now));
        assertEquals(escrow, contract.escrow());
        assertArrayEquals(root, contract.positionRoot());
        assertEquals(id, contract.lastBatchId());
        return ex.reason();
    }

    private static long[] flipped(final long[] digest)
    {
        final long[] d = digest.clone();
        d[2] ^= 1;
        return d;
    }

    private static byte[] flipped(final byte[] bytes, final int at)
    {
        final byte[] b = bytes.clone();
        b[at] ^= 0x10;
        return b;
    }

    @Test
    void wrongBatchesAreRefusedAndGoodOnesStillAccepted() throws Exception
    {
        final List<SettlementBatch> batches = new ArrayList<>();
        final SettlementHarness h = session(dir, ProofOptions.P100, batches);
        final SettlementContract c = h.contract;
        final SettlementBatch first = batches.get(0);
        final SettlementBatch second = batches.get(1);
        final long now = h.nowNs;

        assertEquals(ContractException.Reason.WRONG_BATCH_ID, refused(c, second, now), "a gap");
        assertEquals(ContractException.Reason.TIME_WINDOW, refused(c, first, first.decodedBlob().lastTimeNs() - 1), "from the future");
        c.submitBatch(first, now);
        assertEquals(ContractException.Reason.WRONG_BATCH_ID, refused(c, first, now), "a replay");

        final SettlementBatch wrongPrev = new SettlementBatch(second.blob(), second.blobHash(), flipped(second.prevPositionRoot()),
            second.newPositionRoot(), second.inputs(), second.positionPaths(), second.balancePaths(), second.proof());
        assertEquals(ContractException.Reason.WRONG_PREVIOUS_ROOT, refused(c, wrongPrev, now));
        final BatchPublicInputs in = second.inputs();
        assertEquals(ContractException.Reason.WRONG_PREVIOUS_ROOT, refused(c, second.withInputs(new BatchPublicInputs(in.batchId(),
            flipped(in.prevRoot()), in.newRoot(), in.daCommitment(), in.recordCount(), in.netDeposits(), in.feeDelta(),
            in.insuranceDelta())), now));

        // A tampered blob: its hash no longer matches; with the hash recomputed, the inputs or the witness no longer do.
        final byte[] tamperedBlob = flipped(second.blob(), second.blob().length - 3);
        assertEquals(ContractException.Reason.BLOB, refused(c, second.withBlob(tamperedBlob), now));
        final SettlementBatch rehashed = new SettlementBatch(tamperedBlob, BatchBlob.sha256(tamperedBlob), second.prevPositionRoot(),
            second.newPositionRoot(), second.inputs(), second.positionPaths(), second.balancePaths(), second.proof());
        assertEquals(ContractException.Reason.PUBLIC_INPUTS, refused(c, rehashed, now));

        // Tampered roots: the position root fails the witness, the balance root fails the proof.
        assertEquals(ContractException.Reason.POSITION_TRANSITION, refused(c, second.withNewPositionRoot(flipped(second.newPositionRoot())), now));
        final SettlementBatch newRoot = second.withInputs(new BatchPublicInputs(in.batchId(), in.prevRoot(), flipped(in.newRoot()),
            in.daCommitment(), in.recordCount(), in.netDeposits(), in.feeDelta(), in.insuranceDelta()));
        assertEquals(ContractException.Reason.PROOF, refused(c, newRoot, now));
        final SettlementBatch moreMoney = second.withInputs(new BatchPublicInputs(in.batchId(), in.prevRoot(), in.newRoot(),
            in.daCommitment(), in.recordCount(), in.netDeposits() + 1, in.feeDelta(), in.insuranceDelta()));
        assertEquals(ContractException.Reason.PUBLIC_INPUTS, refused(c, moreMoney, now));

        // A tampered proof, at several places.
        for (final int at : new int[] {7, second.proof().length / 2, second.proof().length - 5})
        {
            assertEquals(ContractException.Reason.PROOF, refused(c, second.withProof(flipped(second.proof(), at)), now), "byte " + at);
        }

        // The genuine batch still goes through, and its withdrawal is claimable.
        c.submitBatch(second, now);
        assertEquals(10 * USD, c.claimable(2));

        // An auditor re-executing catches a wrong balance root without any proof.
        final BatchVerifier auditor = new BatchVerifier(VerificationMode.RE_EXECUTION, ProofOptions.P100, SettlementHarness.DEPTH);
        final ContractException audit = assertThrows(ContractException.class,
            () -> auditor.verify(newRoot, 1, second.prevPositionRoot(), in.prevRoot()));
        assertEquals(ContractException.Reason.BALANCE_TRANSITION, audit.reason());
    }

    @Test
    void aBatchProvenUnderWeakerParametersIsRefused() throws Exception
    {
        final ProofOptions weak = new ProofOptions(8, 8, 0, Extension.QUADRATIC, 4, 16);
        final List<SettlementBatch> batches = new ArrayList<>();
        final SettlementHarness h = session(dir, weak, batches);
        assertEquals(ContractException.Reason.PROOF, refused(h.contract, batches.get(0), h.nowNs));
        // The same batch is fine for a contract that pinned the weak parameters: the proof itself is genuine.
        final SettlementContract lax = new SettlementContract(new BatchVerifier(VerificationMode.STARK, weak, SettlementHarness.DEPTH),
            SettlementHarness.GRACE_NS, null);
        lax.deposit(1, SettlementHarness.ownerKey(1), 1_000 * USD);
        lax.deposit(2, SettlementHarness.ownerKey(2), 1_000 * USD);
        lax.submitBatch(batches.get(0), h.nowNs);
        assertEquals(1, lax.lastBatchId());
    }

    @Test
    void aBatchCreditingADepositTheContractNeverSawIsRefused() throws Exception
    {
        final List<SettlementBatch> batches = new ArrayList<>();
        final SettlementHarness h = session(dir, ProofOptions.P100, batches);
        final SettlementContract other = new SettlementContract(new BatchVerifier(VerificationMode.STARK, ProofOptions.P100,
            SettlementHarness.DEPTH), SettlementHarness.GRACE_NS, null);
        other.deposit(1, SettlementHarness.ownerKey(1), 1_000 * USD);
        assertEquals(ContractException.Reason.DEPOSITS, refused(other, batches.get(0), h.nowNs));
    }
}
