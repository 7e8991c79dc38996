package io.perpetua.settlement.batch;

import java.nio.file.Path;

import io.perpetua.risk.auth.SignedRequests;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.DepositCancellation;
import io.perpetua.settlement.contract.SettlementContract;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.stark.ProofOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.perpetua.settlement.batch.SettlementHarness.GRACE_NS;
import static io.perpetua.settlement.batch.SettlementHarness.USD;
import static io.perpetua.settlement.batch.SettlementHarness.ownerKey;
import static io.perpetua.settlement.batch.SettlementHarness.ownerKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deposit no batch credits (the engine refused it, say) is not stuck in the escrow: its owner
 * cancels it, and once the operator's grace to credit it has passed takes it back; a batch that
 * credits it afterwards is refused, and one that credits it before keeps it.
 */
class DepositReclaimTest
{
    @TempDir
    Path dir;

    private SettlementHarness h;

    private SettlementHarness harness()
    {
        final SettlementHarness[] self = new SettlementHarness[1];
        h = new SettlementHarness(dir, 1_000, ProofOptions.P100, b -> self[0].contract.submitBatch(b, self[0].nowNs));
        self[0] = h;
        return h;
    }

    @Test
    void anUncreditedDepositIsPaidBackAfterTheGraceAndABatchCannotCreditItAfterwards() throws Exception
    {
        harness();
        h.deposit(1, 1_000 * USD);
        // Escrowed at the contract, never credited on L2.
        final long stuck = h.contract.deposit(2, ownerKey(2), 300 * USD);
        final long escrow = h.contract.escrow();

        assertEquals(ContractException.Reason.BAD_SIGNATURE, assertThrows(ContractException.class,
            () -> h.contract.cancelDeposit(stuck, DepositCancellation.sign(ownerKeys(1).getPrivate(), stuck), h.nowNs)).reason());
        assertEquals(ContractException.Reason.BAD_SIGNATURE, assertThrows(ContractException.class,
            () -> h.contract.cancelDeposit(stuck, DepositCancellation.sign(ownerKeys(2).getPrivate(), stuck + 1), h.nowNs)).reason(),
            "a signature of another deposit's cancellation");
        assertEquals(ContractException.Reason.INVALID_REQUEST, assertThrows(ContractException.class,
            () -> h.contract.cancelDeposit(99, DepositCancellation.sign(ownerKeys(2).getPrivate(), 99), h.nowNs)).reason());
        h.contract.cancelDeposit(stuck, DepositCancellation.sign(ownerKeys(2).getPrivate(), stuck), h.nowNs);
        final long cancelledAt = h.nowNs;
        assertEquals(ContractException.Reason.INVALID_REQUEST, assertThrows(ContractException.class,
            () -> h.contract.cancelDeposit(stuck, DepositCancellation.sign(ownerKeys(2).getPrivate(), stuck), h.nowNs)).reason());
        assertEquals(ContractException.Reason.RECLAIM_TOO_EARLY, assertThrows(ContractException.class,
            () -> h.contract.reclaimDeposit(stuck, cancelledAt + GRACE_NS - 1)).reason());

        h.batcher.flush();
        assertEquals(1, h.contract.lastBatchId(), "the batch credits the other deposit");
        assertEquals(cancelledAt, reopened().depositCancelledAt(stuck), "the cancellation is part of the durable state");

        assertEquals(300 * USD, h.contract.reclaimDeposit(stuck, cancelledAt + GRACE_NS));
        assertEquals(escrow - 300 * USD, h.contract.escrow());
        assertEquals(0, h.contract.unconfirmedDeposits(), "nothing pending any more");
        assertEquals(ContractException.Reason.INVALID_REQUEST, assertThrows(ContractException.class,
            () -> h.contract.reclaimDeposit(stuck, cancelledAt + GRACE_NS)).reason(), "paid once");
        assertEquals(escrow - 300 * USD, reopened().escrow());

        // An operator crediting it now produces a batch the contract refuses.
        SettlementHarness.expectAccepted(h.submit(h.accounts.deposit(h.buffer, 0, 2, 300 * USD, stuck, ownerKey(2))));
        h.batcher.flush();
        assertTrue(h.batcher.failure() instanceof ContractException, String.valueOf(h.batcher.failure()));
        assertEquals(ContractException.Reason.DEPOSITS, ((ContractException)h.batcher.failure()).reason());
        assertEquals(1, h.contract.lastBatchId());
    }

    @Test
    void aCancelledDepositThatABatchCreditsStaysCredited() throws Exception
    {
        harness();
        h.deposit(1, 1_000 * USD);
        final long id = 1; // the contract's first deposit id
        h.contract.cancelDeposit(id, DepositCancellation.sign(ownerKeys(1).getPrivate(), id), h.nowNs);
        final long escrow = h.contract.escrow();
        h.batcher.flush();
        assertEquals(1, h.contract.lastBatchId(), "within the grace the operator may still credit it");
        assertNull(h.contract.depositCancelledAt(id));
        assertEquals(ContractException.Reason.INVALID_REQUEST, assertThrows(ContractException.class,
            () -> h.contract.reclaimDeposit(id, h.nowNs + GRACE_NS)).reason());
        assertEquals(escrow, h.contract.escrow(), "credited on L2, so it stays in the escrow");
    }

    @Test
    void whileFrozenACancelledDepositIsPaidBackAtOnce() throws Exception
    {
        harness();
        h.deposit(1, 1_000 * USD);
        h.batcher.flush();
        final long stuck = h.contract.deposit(2, ownerKey(2), 300 * USD);
        final long expiry = h.nowNs + GRACE_NS;
        h.contract.requestForcedWithdrawal(1, 10 * USD, 1, expiry,
            SignedRequests.signWithdrawal(ownerKeys(1).getPrivate(), 1, 10 * USD, 1, expiry), h.nowNs);
        h.contract.freeze(h.nowNs + GRACE_NS);
        assertTrue(h.contract.frozen());

        h.contract.cancelDeposit(stuck, DepositCancellation.sign(ownerKeys(2).getPrivate(), stuck), h.nowNs + GRACE_NS);
        assertNotNull(h.contract.depositCancelledAt(stuck));
        assertEquals(300 * USD, h.contract.reclaimDeposit(stuck, h.nowNs + GRACE_NS), "no batch can credit it any more");
    }

    private SettlementContract reopened()
    {
        return new SettlementContract(new BatchVerifier(VerificationMode.STARK, ProofOptions.P100, SettlementHarness.DEPTH),
            GRACE_NS, dir.resolve("contract.state"));
    }
}
