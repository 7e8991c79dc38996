package io.perpetua.settlement.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.batch.BatchProofs;
import io.perpetua.settlement.stark.batch.BatchRecord;
import io.perpetua.settlement.stark.batch.RescueMerkleTree;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.ReservedLeaves;
import io.perpetua.settlement.tree.SparseRescueTree;
import org.agrona.DirectBuffer;

/**
 * Tails the events (one call per command's events document), keeps the L2 position tree, closes
 * batches after N state transitions or T of command time, proves them off the calling thread,
 * persists them and hands them to a sink (the settlement contract).
 *
 * <p>Restart without gaps or duplicates: batch boundaries are a function of the event journal
 * (command sequences and command time), so a batcher started again reads the journal from the
 * beginning and re-derives the same batches. Where a batch is already stored, its stored boundary
 * is used, its blob must be byte-identical to the re-derived one (anything else is a divergence and
 * stops the batcher), and it is not proven again; the sink skips what the contract already holds.
 * Every {@code snapshotInterval} batches the state after the batch is stored beside it
 * ({@link BatcherSnapshot}); a batcher that finds the newest usable one starts from it, and its
 * reader can skip the journal up to {@link #resumeSequence()}.
 */
public final class Batcher implements AutoCloseable
{
    /**
     * @param treeDepth       position- and balance-tree depth (account ids must stay below 2^depth - 3)
     * @param maxTransitions  close a batch once it holds this many state transitions (balance, position, insurance, account events)
     * @param maxBatchTimeNs  close a batch before a command whose time is this far after the batch's first command
     * @param options         proof options
     * @param chunkSize       state-update chunk size of the proof
     * @param asyncProving    prove, store and submit on a dedicated thread (false: on the calling thread)
     * @param snapshotInterval store a snapshot of the batcher's state after every this many batches (0: never)
     */
    public record Config(int treeDepth, int maxTransitions, long maxBatchTimeNs, ProofOptions options, int chunkSize,
        boolean asyncProving, int snapshotInterval)
    {
        public Config
        {
            if (treeDepth < 2 || treeDepth > 32 || maxTransitions < 1 || maxBatchTimeNs < 1 || chunkSize < 1
                || snapshotInterval < 0)
            {
                throw new IllegalArgumentException("batcher config out of range");
            }
        }
    }

    /** Receives each batch once it is proven and stored, in batch order, on the proving thread. */
    @FunctionalInterface
    public interface Sink
    {
        void accept(SettlementBatch batch) throws Exception;
    }

    private final Config config;
    private final BatchStore store;
    private final Sink sink;
    private final L2Ledger ledger;
    private SparseRescueTree positionTree;
    private SparseRescueTree balanceMirror;
    private RescueMerkleTree provingTree;
    private final Map<Long, Leaf> committed = new HashMap<>();
    private final String startState;
    private boolean resumed;
    private final Map<Long, long[]> storedBoundaries = new HashMap<>();
    private final ExecutorService prover;
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong provingNanos = new AtomicLong();
    private volatile Throwable failure;

    private long sealed;
    private long lastSequence;
    private long lastTimeNs;
    private boolean open;
    private long openFirstSequence;
    private long openFirstTimeNs;

    public Batcher(final Config config, final BatchStore store, final Sink sink)
    {
        this.config = config;
        this.store = store;
        this.sink = sink;
        this.ledger = new L2Ledger(config.treeDepth());
        this.positionTree = new SparseRescueTree(config.treeDepth());
        this.balanceMirror = new SparseRescueTree(config.treeDepth());
        this.provingTree = new RescueMerkleTree(config.treeDepth());
        final long stored = store.lastContiguousId();
        this.startState = resume(stored);
        for (long id = sealed + 1; id <= stored; id++)
        {
            final BatchBlob blob = store.read(id).orElseThrow().decodedBlob();
            storedBoundaries.put(id, new long[] {blob.firstSequence(), blob.lastSequence()});
        }
        this.prover = config.asyncProving() ? Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "perpetua-prover");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Starts from the newest snapshot of a stored batch if there is one whose trees rebuild to that
     * batch's roots; otherwise from nothing. Says which, for the operator.
     */
    private String resume(final long storedBatches)
    {
        final List<Long> ids = store.snapshotIds();
        String refused = "";
        for (int i = ids.size() - 1; i >= 0; i--)
        {
            final long id = ids.get(i);
            if (id > storedBatches)
            {
                continue;
            }
            final String problem = tryResume(id);
            if (problem == null)
            {
                resumed = true;
                return "resumed after batch " + id + " (sequence " + lastSequence + ") from its snapshot" + refused;
            }
            refused += "; snapshot of batch " + id + " not used: " + problem;
        }
        return (ids.isEmpty() ? "no snapshot" : "no usable snapshot") + ": reading the events journal from its start" + refused;
    }

    /** Restores the snapshot of batch {@code id}; null if done, else why not (and nothing changed). */
    private String tryResume(final long id)
    {
        final BatcherSnapshot snapshot;
        try
        {
            snapshot = BatcherSnapshot.decode(store.readSnapshot(id).orElseThrow());
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
        if (snapshot.batchId() != id || snapshot.depth() != config.treeDepth())
        {
            return "it is of batch " + snapshot.batchId() + " at depth " + snapshot.depth();
        }
        final SettlementBatch batch = store.read(id).orElseThrow();
        final SparseRescueTree positions = new SparseRescueTree(config.treeDepth());
        final SparseRescueTree balances = new SparseRescueTree(config.treeDepth());
        final RescueMerkleTree proving = new RescueMerkleTree(config.treeDepth());
        final long fee = ReservedLeaves.fee(config.treeDepth());
        final long insurance = ReservedLeaves.insurance(config.treeDepth());
        snapshot.leaves().forEach((index, leaf) ->
        {
            positions.set(index, leaf.digest());
            // The balance tree holds the batches' records, which leave out the fee and insurance leaves.
            if (index != fee && index != insurance)
            {
                balances.set(index, BatchVerifier.balanceLeaf(leaf.balance()));
                proving.set(index, leaf.balance());
            }
        });
        if (snapshot.lastSequence() != batch.decodedBlob().lastSequence()
            || !Arrays.equals(positions.root(), batch.newPositionRoot())
            || !Arrays.equals(balances.root(), batch.inputs().newRoot())
            || !Arrays.equals(proving.root(), batch.inputs().newRoot()))
        {
            return "its leaves do not rebuild the stored batch's roots";
        }
        ledger.restore(snapshot.markets(), snapshot.leaves());
        committed.putAll(snapshot.leaves());
        positionTree = positions;
        balanceMirror = balances;
        provingTree = proving;
        sealed = id;
        lastSequence = snapshot.lastSequence();
        lastTimeNs = snapshot.lastTimeNs();
        return null;
    }

    /** How this batcher started: from which snapshot, or from the journal's start and why. */
    public String startState()
    {
        return startState;
    }

    /** The last command sequence already applied at start (0 without a snapshot): a reader may begin after it. */
    public long resumeSequence()
    {
        return resumed ? lastSequence : 0;
    }

    /** Applies one command's events; closes batches as the rules say. */
    public void onEvents(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failure != null)
        {
            throw new IllegalStateException("batcher stopped", failure);
        }
        if (length == 0)
        {
            return;
        }
        final long sequence = L2Ledger.sequenceOf(buffer, offset);
        final long timeNs = L2Ledger.timeOf(buffer, offset);
        if (sequence <= lastSequence)
        {
            return;
        }
        final long[] boundary = storedBoundaries.get(sealed + 1);
        if (boundary == null && open && timeNs - openFirstTimeNs >= config.maxBatchTimeNs())
        {
            seal();
        }
        if (!open)
        {
            open = true;
            openFirstSequence = sequence;
            openFirstTimeNs = timeNs;
        }
        ledger.onEvents(buffer, offset, length);
        lastSequence = sequence;
        lastTimeNs = timeNs;
        if (boundary != null)
        {
            if (sequence == boundary[1] && !seal())
            {
                throw new IllegalStateException("stored batch " + (sealed + 1) + " ends at " + sequence + " where nothing changed");
            }
            else if (sequence > boundary[1])
            {
                throw new IllegalStateException("journal diverged from stored batch " + (sealed + 1));
            }
        }
        else if (ledger.transitions() >= config.maxTransitions())
        {
            seal();
        }
    }

    /** Closes the open batch now (end of a session); does nothing if it changed nothing. */
    public void flush()
    {
        if (open)
        {
            seal();
        }
    }

    /** Closes the batch if it has records; false if there was nothing to settle yet. */
    private boolean seal()
    {
        final List<BatchBlob.Entry> entries = new ArrayList<>();
        for (final long index : ledger.touched())
        {
            entries.add(new BatchBlob.Entry(index, committed.getOrDefault(index, Leaf.EMPTY), ledger.leaf(index)));
        }
        final BatchBlob blob = new BatchBlob(sealed + 1, openFirstSequence, lastSequence, openFirstTimeNs, lastTimeNs,
            config.treeDepth(), ledger.marketPrices(), entries, ledger.deposits(), ledger.withdrawals());
        final List<BatchRecord> records = blob.records();
        if (records.isEmpty())
        {
            return false;
        }
        final long[] prevPositionRoot = positionTree.root();
        final long[][][] positionPaths = new long[entries.size()][][];
        for (int i = 0; i < entries.size(); i++)
        {
            final BatchBlob.Entry e = entries.get(i);
            positionPaths[i] = positionTree.path(e.index());
            positionTree.set(e.index(), e.after().digest());
            committed.put(e.index(), e.after());
        }
        final long[] prevBalanceRoot = balanceMirror.root();
        final long[][][] balancePaths = new long[records.size()][][];
        for (int i = 0; i < records.size(); i++)
        {
            final BatchRecord r = records.get(i);
            balancePaths[i] = balanceMirror.path(r.accountId());
            balanceMirror.set(r.accountId(), BatchVerifier.balanceLeaf(r.postBalance()));
        }
        final SealedBatch batch = new SealedBatch(blob, blob.encode(), prevPositionRoot, positionTree.root(), positionPaths,
            prevBalanceRoot, balanceMirror.root(), balancePaths, records);
        sealed++;
        ledger.resetBatch();
        open = false;
        // Taken now, on this thread, as the state after this batch; written once the batch itself is stored.
        final byte[] snapshot = config.snapshotInterval() > 0 && sealed % config.snapshotInterval() == 0 ?
            new BatcherSnapshot(sealed, lastSequence, lastTimeNs, config.treeDepth(), ledger.marketStates(), committed).encode() :
            null;
        if (prover != null)
        {
            prover.execute(() -> settle(batch, snapshot));
        }
        else
        {
            settle(batch, snapshot);
        }
        return true;
    }

    private void settle(final SealedBatch s, final byte[] snapshot)
    {
        if (failure != null)
        {
            return;
        }
        try
        {
            final long id = s.blob().batchId();
            final Optional<SettlementBatch> stored = storedBoundaries.containsKey(id) ? store.read(id) : Optional.empty();
            final SettlementBatch batch;
            if (stored.isPresent())
            {
                batch = stored.get();
                if (!Arrays.equals(batch.blob(), s.blobBytes()) || !Arrays.equals(batch.inputs().newRoot(), s.newBalanceRoot()))
                {
                    throw new IllegalStateException("stored batch " + id + " differs from the one the journal implies");
                }
                for (final BatchRecord r : s.records())
                {
                    provingTree.set(r.accountId(), r.postBalance());
                }
            }
            else
            {
                final long t0 = System.nanoTime();
                final BatchProofs.Proven proven = BatchProofs.prove(id, provingTree, s.records(), s.blob().feeDelta(),
                    s.blob().insuranceDelta(), config.options(), config.chunkSize());
                provingNanos.addAndGet(System.nanoTime() - t0);
                if (!Arrays.equals(proven.inputs().prevRoot(), s.prevBalanceRoot())
                    || !Arrays.equals(proven.inputs().newRoot(), s.newBalanceRoot()))
                {
                    throw new IllegalStateException("proving tree and balance mirror disagree at batch " + id);
                }
                batch = new SettlementBatch(s.blobBytes(), BatchBlob.sha256(s.blobBytes()), s.prevPositionRoot(), s.newPositionRoot(),
                    proven.inputs(), s.positionPaths(), s.balancePaths(), proven.proof().toBytes());
                store.write(batch);
            }
            if (snapshot != null)
            {
                store.writeSnapshot(id, snapshot);
            }
            sink.accept(batch);
            settled.incrementAndGet();
        }
        catch (final Exception | Error ex)
        {
            failure = ex;
        }
    }

    /** Batches closed so far (including re-derived stored ones). */
    public long sealedBatches()
    {
        return sealed;
    }

    /** Batches proven (or found stored) and handed to the sink. */
    public long settledBatches()
    {
        return settled.get();
    }

    /** Wall time spent proving on the proving thread (a benchmark figure, not state). */
    public long provingNanos()
    {
        return provingNanos.get();
    }

    /** What stopped the batcher, or null. */
    public Throwable failure()
    {
        return failure;
    }

    /** The last committed leaf at {@code index} (what the position tree holds). */
    public Leaf committedLeaf(final long index)
    {
        return committed.getOrDefault(index, Leaf.EMPTY);
    }

    /** Stops accepting work and waits (up to 10 minutes) until every sealed batch is settled or the batcher failed. */
    @Override
    public void close()
    {
        if (prover != null)
        {
            prover.shutdown();
            try
            {
                if (!prover.awaitTermination(10, TimeUnit.MINUTES))
                {
                    throw new IllegalStateException("proving did not finish within 10 minutes");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
