package io.perpetua.settlement.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.perpetua.core.sbe.Side;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.tree.Leaf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.perpetua.settlement.batch.SettlementHarness.COIN;
import static io.perpetua.settlement.batch.SettlementHarness.USD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session with deposits through the contract, trades with fees, a funding tick (settled lazily by
 * the accounts' later trades), a liquidation (insurance fee), a transfer and a signed withdrawal:
 * every batch is accepted in order, roots chain, each leaf (balances, positions, cached funding
 * indexes, the funding account's leaf) equals the engine's own state at the batch's last sequence,
 * and escrow = L2 balances + unclaimed withdrawals (+ deposits not yet credited).
 */
class SettlementEndToEndTest
{
    @TempDir
    Path dir;

    @Test
    void aSessionSettlesBatchByBatchAndTheContractsBooksBalance() throws Exception
    {
        final List<SettlementBatch> accepted = new ArrayList<>();
        final SettlementHarness[] self = new SettlementHarness[1];
        final SettlementHarness h = new SettlementHarness(dir, 6, ProofOptions.P100, batch ->
        {
            final SettlementHarness hh = self[0];
            hh.contract.submitBatch(batch, hh.nowNs);
            accepted.add(batch);
            final BatchBlob blob = batch.decodedBlob();
            assertEquals(hh.sequence, blob.lastSequence(), "sealed right after its last command");
            long l2 = 0;
            for (final long index : hh.engineIndexes())
            {
                final Leaf leaf = hh.batcher.committedLeaf(index);
                assertEquals(hh.engineLeaf(index), leaf, "leaf " + index + " at seq " + blob.lastSequence());
                l2 += leaf.balance();
            }
            assertEquals(hh.contract.escrow(), l2 + hh.contract.unclaimedWithdrawals() + hh.contract.unconfirmedDeposits(),
                "escrow = L2 balances + unclaimed withdrawals + uncredited deposits after batch " + batch.batchId());
        });
        self[0] = h;

        h.market(1, -100, 500, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(1, 100 * USD);
        h.deposit(2, 10_000 * USD);
        h.deposit(3, 5_000 * USD);
        h.limit(2, 1, Side.SELL, 100 * USD, 15 * COIN);
        h.limit(1, 1, Side.BUY, 100 * USD, 15 * COIN);
        h.limit(3, 1, Side.SELL, 101 * USD, 2 * COIN);
        h.limit(2, 1, Side.BUY, 101 * USD, 1 * COIN);
        h.fundingTick(1, 2_500_000);
        h.oracle(1, 96 * USD);
        h.limit(2, 1, Side.BUY, 95 * USD, 20 * COIN);
        h.liquidate(1);
        h.transfer(3, 4, 500 * USD, 1);
        h.withdraw(3, 1_000 * USD, 2);
        h.batcher.flush();

        assertTrue(h.batcher.failure() == null, () -> String.valueOf(h.batcher.failure()));
        assertTrue(accepted.size() >= 3, "several batches: " + accepted.size());
        assertEquals(accepted.size(), h.contract.lastBatchId());
        for (int i = 1; i < accepted.size(); i++)
        {
            assertArrayEquals(accepted.get(i - 1).newPositionRoot(), accepted.get(i).prevPositionRoot(), "position roots chain");
            assertArrayEquals(accepted.get(i - 1).inputs().newRoot(), accepted.get(i).inputs().prevRoot(), "balance roots chain");
            assertEquals(accepted.get(i - 1).decodedBlob().lastSequence() + 1, accepted.get(i).decodedBlob().firstSequence(),
                "sequence ranges are contiguous");
        }
        assertArrayEquals(accepted.get(accepted.size() - 1).newPositionRoot(), h.contract.positionRoot());
        assertEquals(0, h.contract.unconfirmedDeposits(), "every deposit confirmed by a batch");
        assertTrue(h.risk.ledger().insuranceBalance() > 0, "the liquidation paid the fund");
        assertTrue(h.risk.ledger().feeBalance() > 0, "fees were charged");
        final BatchBlob last = accepted.get(accepted.size() - 1).decodedBlob();
        assertTrue(last.markets().stream().anyMatch(m -> m.marketId() == 1 && m.fundingIndex() != 0),
            "the funding tick moved the index the blob carries: " + last.markets());

        // The withdrawal became claimable at the contract; claiming it keeps the books balanced.
        assertEquals(1_000 * USD, h.contract.claimable(3));
        final long escrowBefore = h.contract.escrow();
        assertEquals(1_000 * USD, h.contract.claim(3));
        assertEquals(escrowBefore - 1_000 * USD, h.contract.escrow());
        long l2 = 0;
        for (final long index : h.engineIndexes())
        {
            l2 += h.batcher.committedLeaf(index).balance();
        }
        assertEquals(h.contract.escrow(), l2);

        // The same batches, read back from disk, pass an auditor's re-execution and a fresh STARK verifier.
        for (final VerificationMode mode : VerificationMode.values())
        {
            final BatchVerifier verifier = new BatchVerifier(mode, ProofOptions.P100, SettlementHarness.DEPTH);
            long[] positionRoot = SettlementHarnessRoots.empty();
            long[] balanceRoot = SettlementHarnessRoots.empty();
            for (long id = 1; id <= accepted.size(); id++)
            {
                final SettlementBatch stored = h.store.read(id).orElseThrow();
                assertArrayEquals(accepted.get((int)id - 1).encode(), stored.encode());
                verifier.verify(stored, id - 1, positionRoot, balanceRoot);
                positionRoot = stored.newPositionRoot();
                balanceRoot = stored.inputs().newRoot();
            }
            assertTrue(Arrays.equals(positionRoot, h.contract.positionRoot()), mode.name());
        }
    }
}
