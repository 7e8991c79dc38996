package io.perpetua.settlement.stark.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.VerificationException;
import io.perpetua.settlement.stark.Verifier;
import io.perpetua.settlement.stark.rescue.RescuePrime;

import static io.perpetua.settlement.stark.VerificationException.Reason.INVALID_PUBLIC_INPUTS;
import static io.perpetua.settlement.stark.VerificationException.Reason.STATE_CHAIN_MISMATCH;

/**
 * The API the settlement batcher calls: prove a batch of balance changes against the position tree,
 * and verify a batch proof against its public inputs.
 *
 * <p>Why this shape: the batcher has records and a tree, the settlement contract has only the public
 * inputs and bytes. Proving checks the records against the reference executors first (a batch that
 * does not add up is a caller bug, reported as {@link IllegalArgumentException}); verifying checks
 * the {@link BatchAir} proof, every state-update chunk proof and the chain joining them, under
 * options and tree depth the verifier pins.
 */
public final class BatchProofs
{
    /** Default state-update chunk size (account updates per StateUpdateAir proof). */
    public static final int DEFAULT_CHUNK = 1024;

    private BatchProofs()
    {
    }

    /** The public inputs and proof of a batch. */
    public record Proven(BatchPublicInputs inputs, BatchProof proof)
    {
    }

    /**
     * Proves {@code records} (applied in order to {@code tree}, which is updated) together with the
     * fee and insurance deltas. The tree's depth is part of the statement the verifier pins.
     */
    public static Proven prove(final long batchId, final RescueMerkleTree tree, final List<BatchRecord> records,
        final long feeDelta, final long insuranceDelta, final ProofOptions options, final int chunkSize)
    {
        if (chunkSize < 1)
        {
            throw new IllegalArgumentException("chunk size must be positive");
        }
        final long[] prevRoot = tree.root();
        long[] da = StateUpdateExecutor.initialSpongeState(records.size());
        final List<BatchProof.Chunk> chunks = new ArrayList<>();
        for (int from = 0; from < records.size(); from += chunkSize)
        {
            final List<BatchRecord> part = records.subList(from, Math.min(records.size(), from + chunkSize));
            final StateUpdateExecutor.Result r = StateUpdateExecutor.execute(tree, part, da);
            final byte[] proof = Prover.prove(new StateUpdateAir(r.inputs()), r.trace(), options);
            chunks.add(new BatchProof.Chunk(part.size(), r.inputs().newRoot(), r.inputs().daStateOut(), proof));
            da = r.inputs().daStateOut();
        }
        final BatchExecutor.Witness witness = BatchExecutor.witness(batchId, prevRoot, tree.root(), records, feeDelta,
            insuranceDelta);
        final BatchPublicInputs inputs = witness.inputs();
        final String problem = inputs.rangeProblem();
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
        final byte[] batchProof = Prover.prove(new BatchAir(inputs), witness.trace(), options);
        return new Proven(inputs, new BatchProof(batchProof, chunks));
    }

    /** Verifies a serialized batch proof; returns normally only if every part checks. */
    public static void verify(final BatchPublicInputs inputs, final byte[] proofBytes, final ProofOptions options,
        final int treeDepth) throws VerificationException
    {
        final String problem = inputs.rangeProblem();
        if (problem != null)
        {
            throw new VerificationException(INVALID_PUBLIC_INPUTS, problem);
        }
        final BatchProof proof = BatchProof.fromBytes(proofBytes);
        Verifier.verify(new BatchAir(inputs), proof.batchProof(), options);

        long[] root = inputs.prevRoot();
        long[] da = StateUpdateExecutor.initialSpongeState(inputs.recordCount());
        long total = 0;
        for (final BatchProof.Chunk c : proof.chunks())
        {
            if (c.updates() < 1 || c.updates() > inputs.recordCount() - total)
            {
                throw new VerificationException(STATE_CHAIN_MISMATCH, "chunk update counts do not add up to n");
            }
            final StateUpdateAir chunkAir;
            try
            {
                chunkAir = new StateUpdateAir(new StateUpdateInputs(root, c.rootOut(), da, c.daStateOut(), c.updates(), treeDepth));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new VerificationException(STATE_CHAIN_MISMATCH, "chunk statement out of range: " + ex.getMessage());
            }
            Verifier.verify(chunkAir, c.proof(), options);
            total += c.updates();
            root = c.rootOut();
            da = c.daStateOut();
        }
        if (total != inputs.recordCount())
        {
            throw new VerificationException(STATE_CHAIN_MISMATCH, "chunk update counts do not add up to n");
        }
        if (!Arrays.equals(root, inputs.newRoot()))
        {
            throw new VerificationException(STATE_CHAIN_MISMATCH, "state updates do not end at newRoot");
        }
        if (!Arrays.equals(RescuePrime.digest(da), inputs.daCommitment()))
        {
            throw new VerificationException(STATE_CHAIN_MISMATCH, "state updates do not hash to the commitment D");
        }
    }
}
