package io.perpetua.node;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import io.perpetua.gateway.http.Health;
import io.perpetua.node.config.NodeConfig;
import io.perpetua.risk.view.JournalTailer;
import io.perpetua.settlement.batch.BatchStore;
import io.perpetua.settlement.batch.Batcher;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.SettlementContract;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.batch.BatchProofs;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The node's settlement layer: the simulated L1 contract (state in {@code <journal>/settlement}),
 * deposits escrowed there before the engine credits them, and the batcher tailing the events
 * journal, proving on its own thread and submitting each batch to the contract. Batches and the
 * contract state stay in the journal directory, where {@code perpetua batches verify} finds them.
 */
final class NodeSettlement
{
    /** How long a forced request may wait before anyone may freeze the contract (the CLI's contract commands use it too). */
    static final long FREEZE_GRACE_NS = TimeUnit.DAYS.toNanos(7);

    /** A forced request the engine has not settled yet is relayed again after this long. */
    private static final long RELAY_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    private static final ResultListener IGNORE = (correlationId, sequence, events, offset, length) ->
    {
    };

    private final EpochNanoClock l1Clock = new OffsetEpochNanoClock();
    private final SettlementContract contract;
    private final Batcher batcher;
    private final JournalTailer tailer;
    /** Forced requests relayed to the engine, by request id: when (timer thread only). */
    private final Map<Long, Long> relayedAtNs = new HashMap<>();
    private final AccountCommandEncoder encoder = new AccountCommandEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);

    NodeSettlement(final Path journal, final NodeConfig.Settlement config)
    {
        contract = new SettlementContract(new BatchVerifier(VerificationMode.STARK, ProofOptions.P100, config.treeDepth()),
            FREEZE_GRACE_NS, BatchStore.contractStateFile(journal));
        batcher = new Batcher(new Batcher.Config(config.treeDepth(), config.maxTransitions(), config.maxBatchNs(),
            ProofOptions.P100, BatchProofs.DEFAULT_CHUNK, true, config.snapshotInterval()), new BatchStore(BatchStore.batchesDir(journal)),
            batch -> contract.submitIfNew(batch, l1Clock.nanoTime()));
        tailer = new JournalTailer("perpetua-batcher", new JournalLayout(journal).eventsDir(), batcher.resumeSequence(),
            batcher::onEvents);
    }

    /**
     * The operator's duty to the contract's forced withdrawals: each pending request goes to the
     * engine as the owner's signed Withdraw command, and again every 10 s until a batch settles it
     * (the engine executes it once; a refusal, for margin say, may not hold later). Called from the
     * node's timer thread.
     *
     * @return how many requests were relayed now
     */
    int relayForcedRequests(final Pipeline pipeline, final long nowNs)
    {
        final List<SettlementContract.ForcedRequest> pending = contract.pendingForcedRequests();
        final Set<Long> ids = new HashSet<>();
        int relayed = 0;
        for (final SettlementContract.ForcedRequest r : pending)
        {
            ids.add(r.requestId());
            final Long last = relayedAtNs.get(r.requestId());
            if (last != null && nowNs - last < RELAY_INTERVAL_NS)
            {
                continue;
            }
            final int length = encoder.withdraw(buffer, 0, r.accountId(), r.amount(), r.nonce(), r.expiryNs(), r.signature());
            if (pipeline.tryPublish(buffer, 0, length, IGNORE, r.requestId()) == PublishResult.PUBLISHED)
            {
                relayedAtNs.put(r.requestId(), nowNs);
                relayed++;
            }
        }
        relayedAtNs.keySet().retainAll(ids);
        return relayed;
    }

    /**
     * The settlement layer on {@code /health}: failed once its tailer or batcher stopped (a batch the
     * contract refused, say); its figures are the batches sealed and settled and the contract's last.
     */
    Health.Component health()
    {
        return Health.component("settlement", () -> tailer.failure() != null ? tailer.failure() : batcher.failure(), into ->
        {
            into.put("sealedBatches", batcher.sealedBatches());
            into.put("settledBatches", batcher.settledBatches());
            into.put("contractBatch", contract.lastBatchId());
            into.put("contractFrozen", contract.frozen());
        });
    }

    /** Where the batcher started: after the batch of a stored snapshot, or at the events journal's start and why. */
    String startState()
    {
        return batcher.startState();
    }

    void start()
    {
        tailer.start();
    }

    /** Escrows a deposit at the contract; returns the deposit id the contract hands out, which the Deposit command must carry. */
    long escrow(final long accountId, final byte[] ownerKey, final long amount)
    {
        try
        {
            return contract.deposit(accountId, ownerKey, amount);
        }
        catch (final ContractException ex)
        {
            throw new IllegalStateException("the contract refused the deposit of account " + accountId, ex);
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
