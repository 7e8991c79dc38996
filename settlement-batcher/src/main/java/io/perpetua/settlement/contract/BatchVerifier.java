package io.perpetua.settlement.contract;

import java.util.Arrays;
import java.util.List;

import io.perpetua.settlement.batch.BatchBlob;
import io.perpetua.settlement.batch.SettlementBatch;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.batch.BatchExecutor;
import io.perpetua.settlement.stark.batch.BatchProofs;
import io.perpetua.settlement.stark.batch.BatchPublicInputs;
import io.perpetua.settlement.stark.batch.BatchRecord;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.tree.SparseRescueTree;

import static io.perpetua.settlement.contract.ContractException.Reason.BALANCE_TRANSITION;
import static io.perpetua.settlement.contract.ContractException.Reason.BLOB;
import static io.perpetua.settlement.contract.ContractException.Reason.CONSERVATION;
import static io.perpetua.settlement.contract.ContractException.Reason.POSITION_TRANSITION;
import static io.perpetua.settlement.contract.ContractException.Reason.PROOF;
import static io.perpetua.settlement.contract.ContractException.Reason.PUBLIC_INPUTS;
import static io.perpetua.settlement.contract.ContractException.Reason.WRONG_BATCH_ID;
import static io.perpetua.settlement.contract.ContractException.Reason.WRONG_PREVIOUS_ROOT;

/**
 * The checks of a batch that need nothing but the batch and the chain it continues (previous batch
 * id and both previous roots): what the contract runs before it moves money, and what
 * {@code perpetua batches verify} runs over a directory of batch files.
 *
 * <p>Parameters (verification mode, proof options, tree depth) are the verifier's own, never the
 * batch's: a batch proven under weaker options fails here.
 */
public final class BatchVerifier
{
    private final VerificationMode mode;
    private final ProofOptions options;
    private final int depth;

    public BatchVerifier(final VerificationMode mode, final ProofOptions options, final int depth)
    {
        if (depth < 2 || depth > 32)
        {
            throw new IllegalArgumentException("depth must be in [2, 32]: " + depth);
        }
        this.mode = mode;
        this.options = options;
        this.depth = depth;
    }

    public VerificationMode mode()
    {
        return mode;
    }

    public ProofOptions options()
    {
        return options;
    }

    public int depth()
    {
        return depth;
    }

    /**
     * Checks the batch against the chain state; returns its decoded blob when every check passes.
     *
     * @throws ContractException with the first failing check
     */
    public BatchBlob verify(final SettlementBatch batch, final long lastBatchId, final long[] positionRoot, final long[] balanceRoot)
        throws ContractException
    {
        final BatchPublicInputs inputs = batch.inputs();
        if (inputs.batchId() != lastBatchId + 1)
        {
            throw new ContractException(WRONG_BATCH_ID, "expected batch " + (lastBatchId + 1) + ", got " + inputs.batchId());
        }
        if (!Arrays.equals(batch.prevPositionRoot(), positionRoot) || !Arrays.equals(inputs.prevRoot(), balanceRoot))
        {
            throw new ContractException(WRONG_PREVIOUS_ROOT, "batch " + inputs.batchId() + " does not start at the current roots");
        }
        if (!Arrays.equals(BatchBlob.sha256(batch.blob()), batch.blobHash()))
        {
            throw new ContractException(BLOB, "blob does not hash to the batch's blob hash");
        }
        final BatchBlob blob;
        final List<BatchRecord> records;
        try
        {
            blob = BatchBlob.decode(batch.blob());
            records = blob.records();
        }
        catch (final IllegalArgumentException | ArithmeticException ex)
        {
            throw new ContractException(BLOB, "blob malformed: " + ex.getMessage());
        }
        checkInputs(batch, blob, records);
        checkPositionTree(batch, blob);
        if (mode == VerificationMode.STARK)
        {
            try
            {
                BatchProofs.verify(inputs, batch.proof(), options, depth);
            }
            catch (final VerificationException ex)
            {
                throw new ContractException(PROOF, ex.getMessage());
            }
        }
        else
        {
            reExecute(batch, records);
        }
        return blob;
    }

    private void checkInputs(final SettlementBatch batch, final BatchBlob blob, final List<BatchRecord> records)
        throws ContractException
    {
        final BatchPublicInputs inputs = batch.inputs();
        final String range = inputs.rangeProblem();
        if (range != null)
        {
            throw new ContractException(PUBLIC_INPUTS, range);
        }
        if (blob.batchId() != inputs.batchId() || blob.treeDepth() != depth)
        {
            throw new ContractException(PUBLIC_INPUTS, "blob names batch " + blob.batchId() + " at depth " + blob.treeDepth());
        }
        final long e;
        final long fee;
        final long insurance;
        try
        {
            e = blob.netDeposits();
            fee = blob.feeDelta();
            insurance = blob.insuranceDelta();
        }
        catch (final ArithmeticException ex)
        {
            throw new ContractException(PUBLIC_INPUTS, "blob totals overflow");
        }
        if (records.isEmpty() || inputs.recordCount() != records.size() || inputs.netDeposits() != e || inputs.feeDelta() != fee
            || inputs.insuranceDelta() != insurance)
        {
            throw new ContractException(PUBLIC_INPUTS, "n, E, fee or insurance delta differ from the blob's");
        }
        if (!Arrays.equals(BatchExecutor.commitment(records), inputs.daCommitment()))
        {
            throw new ContractException(PUBLIC_INPUTS, "the blob's records do not hash to the commitment D");
        }
    }

    private void checkPositionTree(final SettlementBatch batch, final BatchBlob blob) throws ContractException
    {
        final List<BatchBlob.Entry> entries = blob.entries();
        if (batch.positionPaths().length != entries.size())
        {
            throw new ContractException(POSITION_TRANSITION, "one position path per entry expected");
        }
        long[] root = batch.prevPositionRoot();
        for (int i = 0; i < entries.size(); i++)
        {
            root = step(root, entries.get(i).index(), entries.get(i).before().digest(), entries.get(i).after().digest(),
                batch.positionPaths()[i], POSITION_TRANSITION);
        }
        if (!Arrays.equals(root, batch.newPositionRoot()))
        {
            throw new ContractException(POSITION_TRANSITION, "entries do not end at the claimed position root");
        }
    }

    private void reExecute(final SettlementBatch batch, final List<BatchRecord> records) throws ContractException
    {
        if (batch.balancePaths().length != records.size())
        {
            throw new ContractException(BALANCE_TRANSITION, "one balance path per record expected");
        }
        long[] root = batch.inputs().prevRoot();
        long sum = 0;
        for (int i = 0; i < records.size(); i++)
        {
            final BatchRecord r = records.get(i);
            root = step(root, r.accountId(), balanceLeaf(r.preBalance()), balanceLeaf(r.postBalance()), batch.balancePaths()[i],
                BALANCE_TRANSITION);
            sum = Math.addExact(sum, r.delta());
        }
        if (!Arrays.equals(root, batch.inputs().newRoot()))
        {
            throw new ContractException(BALANCE_TRANSITION, "records do not end at newRoot");
        }
        final BatchPublicInputs inputs = batch.inputs();
        if (Math.addExact(Math.addExact(sum, inputs.feeDelta()), inputs.insuranceDelta()) != inputs.netDeposits())
        {
            throw new ContractException(CONSERVATION, "deltas + fee + insurance != E");
        }
    }

    private long[] step(final long[] root, final long index, final long[] before, final long[] after, final long[][] path,
        final ContractException.Reason reason) throws ContractException
    {
        if (path.length != depth)
        {
            throw new ContractException(reason, "path of depth " + path.length + " in a depth-" + depth + " tree");
        }
        if (!SparseRescueTree.verify(root, index, before, path))
        {
            throw new ContractException(reason, "leaf " + index + ": old leaf and path do not match the running root");
        }
        return SparseRescueTree.rootFromPath(index, after, path);
    }

    /** The STARK package's balance-tree leaf: (balance mod p, 0, 0, 0). */
    public static long[] balanceLeaf(final long balance)
    {
        return new long[] {Goldilocks.fromSigned(balance), 0, 0, 0};
    }
}
