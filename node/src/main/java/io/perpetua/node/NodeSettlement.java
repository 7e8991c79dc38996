package io.perpetua.node;

import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.sbe.DepositDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.risk.view.JournalTailer;
import io.perpetua.settlement.batch.BatchStore;
import io.perpetua.settlement.batch.Batcher;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.SettlementContract;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.batch.BatchProofs;
import io.perpetua.settlement.tree.Leaf;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The demo's settlement layer: the simulated L1 contract (state in {@code <journal>/settlement}),
 * deposits escrowed there before the engine credits them, and the batcher tailing the events
 * journal, proving on its own thread and submitting each batch to the contract. Batches and the
 * contract state stay in the journal directory, where {@code perpetua batches verify} finds them.
 */
final class DemoSettlement
{
    /** Tree depth of the demo (account ids up to 1,020); {@code perpetua batches verify} pins the same by default. */
    static final int TREE_DEPTH = 10;
    private static final int MAX_TRANSITIONS = 1_000_000;
    private static final long MAX_BATCH_TIME_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long FREEZE_GRACE_NS = TimeUnit.DAYS.toNanos(7);

    private final EpochNanoClock l1Clock = new OffsetEpochNanoClock();
    private final SettlementContract contract;
    private final Batcher batcher;
    private final JournalTailer tailer;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final DepositDecoder deposit = new DepositDecoder();

    DemoSettlement(final Path journal)
    {
        contract = new SettlementContract(new BatchVerifier(VerificationMode.STARK, ProofOptions.P100, TREE_DEPTH), FREEZE_GRACE_NS,
            BatchStore.contractStateFile(journal));
        batcher = new Batcher(new Batcher.Config(TREE_DEPTH, MAX_TRANSITIONS, MAX_BATCH_TIME_NS, ProofOptions.P100,
            BatchProofs.DEFAULT_CHUNK, true), new BatchStore(BatchStore.batchesDir(journal)),
            batch -> contract.submitIfNew(batch, l1Clock.nanoTime()));
        tailer = new JournalTailer("perpetua-batcher", new JournalLayout(journal).eventsDir(), batcher::onEvents);
    }

    void start()
    {
        tailer.start();
    }

    /** Escrows the encoded Deposit command's amount at the contract, which must hand out the command's deposit id. */
    void escrow(final DirectBuffer command, final int length)
    {
        header.wrap(command, 0);
        deposit.wrap(command, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final byte[] key = new byte[Leaf.KEY_LENGTH];
        deposit.getPublicKey(key, 0, key.length);
        final long id;
        try
        {
            id = contract.deposit(deposit.accountId(), key, deposit.amount());
        }
        catch (final ContractException ex)
        {
            throw new IllegalStateException("the contract refused the demo's deposit", ex);
        }
        if (id != deposit.depositId())
        {
            throw new IllegalStateException("contract deposit id " + id + " but the demo's command carries " + deposit.depositId());
        }
    }

    /** After the pipeline closed: reads the rest of the journal, settles the last batch; returns the batches the contract holds. */
    long finish()
    {
        tailer.close();
        if (tailer.failure() == null)
        {
            batcher.flush();
        }
        batcher.close();
        if (tailer.failure() != null || batcher.failure() != null)
        {
            throw new IllegalStateException("settlement failed", tailer.failure() != null ? tailer.failure() : batcher.failure());
        }
        return contract.lastBatchId();
    }
}
