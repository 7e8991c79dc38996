package io.perpetua.settlement.stark;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.batch.BatchAir;
import io.perpetua.settlement.stark.batch.BatchExecutor;
import io.perpetua.settlement.stark.batch.BatchPublicInputs;
import io.perpetua.settlement.stark.batch.BatchRecord;
import io.perpetua.settlement.stark.field.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rejection of malformed, tampered and downgraded proofs of a real (small) batch statement. */
class ProofSoundnessTest
{
    private static Air air;
    private static TraceTable trace;
    private static byte[] proof;

    @BeforeAll
    static void proveOnce()
    {
        final List<BatchRecord> records = List.of(new BatchRecord(1, 100, -30, 70), new BatchRecord(2, -5, 12, 7),
            new BatchRecord(9, 0, (1L << 48) - 1, (1L << 48) - 1));
        final BatchPublicInputs inputs = BatchExecutor.publicInputs(4, new long[] {1, 2, 3, 4}, new long[] {5, 6, 7, 8}, records,
            3, -2);
        air = new BatchAir(inputs);
        trace = BatchExecutor.trace(records);
        proof = Prover.prove(air, trace, ProofOptions.P100);
        assertDoesNotThrow(() -> Verifier.verify(air, proof, ProofOptions.P100));
    }

    private static VerificationException.Reason rejection(final byte[] bytes)
    {
        return assertThrows(VerificationException.class, () -> Verifier.verify(air, bytes, ProofOptions.P100)).reason();
    }

    @Test
    void everySampledByteFlipIsRejected()
    {
        final long seed = 61;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final TreeSet<Integer> positions = new TreeSet<>();
        for (int i = 0; i < 200; i++)
        {
            positions.add(i);
        }
        while (positions.size() < 450)
        {
            positions.add(rnd.nextInt(proof.length));
        }
        positions.add(proof.length - 1);
        for (final int at : positions)
        {
            final byte[] bad = proof.clone();
            bad[at] ^= (byte)(1 << rnd.nextInt(8));
            assertThrows(VerificationException.class, () -> Verifier.verify(air, bad, ProofOptions.P100),
                "flip at " + at + " of " + proof.length + " seed=" + seed);
        }
    }

    @Test
    void truncatedAndExtendedProofsAreMalformed()
    {
        for (final int len : new int[] {0, 3, 4, 5, 16, 100, proof.length / 2, proof.length - 33, proof.length - 1})
        {
            assertEquals(VerificationException.Reason.MALFORMED_PROOF, rejection(Arrays.copyOf(proof, len)), "length " + len);
        }
        assertEquals(VerificationException.Reason.MALFORMED_PROOF, rejection(Arrays.copyOf(proof, proof.length + 1)));
    }

    @Test
    void swappedOpeningsAreRejected() throws VerificationException
    {
        final ProofLayout layout = ProofLayout.of(air, ProofOptions.P100);
        final StarkProof p = StarkProof.parse(proof, layout);
        assertTrue(p.traceRows.length >= 2);
        final long[] first = p.traceRows[0];
        p.traceRows[0] = p.traceRows[1];
        p.traceRows[1] = first;
        assertEquals(VerificationException.Reason.TRACE_OPENING_INVALID, rejection(p.toBytes()));

        final StarkProof q = StarkProof.parse(proof, layout);
        final long[] c0 = q.compositionRows[0];
        q.compositionRows[0] = q.compositionRows[q.compositionRows.length - 1];
        q.compositionRows[q.compositionRows.length - 1] = c0;
        assertEquals(VerificationException.Reason.COMPOSITION_OPENING_INVALID, rejection(q.toBytes()));

        final StarkProof r = StarkProof.parse(proof, layout);
        final long[] f0 = r.friRows[0][0];
        r.friRows[0][0] = r.friRows[0][1];
        r.friRows[0][1] = f0;
        assertEquals(VerificationException.Reason.FRI_OPENING_INVALID, rejection(r.toBytes()));
    }

    @Test
    void wrongGrindingNonceIsRejected()
    {
        for (final long delta : new long[] {1, 2, 1L << 40})
        {
            final byte[] bad = CheatingProver.proveWithNonce(air, trace, ProofOptions.P100, n -> n + delta);
            rejection(bad);
        }
        final byte[] zero = CheatingProver.proveWithNonce(air, trace, ProofOptions.P100, n -> n == 0 ? 1 : 0);
        assertEquals(VerificationException.Reason.INSUFFICIENT_PROOF_OF_WORK, rejection(zero));
    }

    @Test
    void downgradedParametersAreRejected()
    {
        final ProofOptions p100 = ProofOptions.P100;
        final ProofOptions[] weaker = {
            new ProofOptions(p100.blowup(), 1, p100.grindingBits(), p100.extension(), p100.foldingFactor(), p100.maxRemainderCoefficients()),
            new ProofOptions(p100.blowup(), p100.numQueries(), 0, p100.extension(), p100.foldingFactor(), p100.maxRemainderCoefficients()),
            new ProofOptions(16, 8, 0, Extension.BASE, 4, 16),
            new ProofOptions(p100.blowup(), p100.numQueries(), p100.grindingBits(), Extension.BASE, p100.foldingFactor(), p100.maxRemainderCoefficients()),
            ProofOptions.P128};
        for (final ProofOptions w : weaker)
        {
            final byte[] p = Prover.prove(air, trace, w);
            assertDoesNotThrow(() -> Verifier.verify(air, p, w), "the proof is valid under its own options " + w);
            assertEquals(VerificationException.Reason.OPTIONS_MISMATCH, rejection(p), "pinned P100 must refuse " + w);
        }
        // and a P100 proof is refused by a verifier pinned to P128
        assertEquals(VerificationException.Reason.OPTIONS_MISMATCH,
            assertThrows(VerificationException.class, () -> Verifier.verify(air, proof, ProofOptions.P128)).reason());
    }

    @Test
    void proofForAnotherStatementIsRejected()
    {
        final BatchPublicInputs i = ((BatchAir)air).inputs();
        final long[] d = i.daCommitment().clone();
        d[2] ^= 4;
        assertThrows(VerificationException.class, () -> Verifier.verify(new BatchAir(i.withDaCommitment(d)), proof, ProofOptions.P100));
    }
}
