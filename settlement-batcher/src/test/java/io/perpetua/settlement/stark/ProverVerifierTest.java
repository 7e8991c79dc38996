package io.perpetua.settlement.stark;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end prove/verify on small AIRs, and the basic rejections. */
class ProverVerifierTest
{
    private static long last(final TraceTable t, final int column)
    {
        return t.get(column, t.length() - 1);
    }

    @Test
    void fibonacciAcrossSizesAndPresets()
    {
        for (final int n : new int[] {8, 16, 64, 1024})
        {
            final TraceTable trace = TestAirs.Fibonacci.trace(n);
            final Air air = new TestAirs.Fibonacci(n, last(trace, 1));
            for (final ProofOptions options : new ProofOptions[] {TestAirs.toy(2, 4), TestAirs.toy(8, 20), ProofOptions.P100,
                new ProofOptions(4, 10, 2, Extension.CUBIC, 8, 1), new ProofOptions(16, 8, 0, Extension.BASE, 2, 1)})
            {
                final byte[] proof = Prover.prove(air, trace, options);
                assertDoesNotThrow(() -> Verifier.verify(air, proof, options), "n=" + n + " " + options);
            }
        }
    }

    @Test
    void fibonacciSquareAndPeriodicColumns()
    {
        final int n = 256;
        final TraceTable sq = TestAirs.FibonacciSquare.trace(n);
        final Air sqAir = new TestAirs.FibonacciSquare(n, last(sq, 1));
        final byte[] p1 = Prover.prove(sqAir, sq, ProofOptions.P100);
        assertDoesNotThrow(() -> Verifier.verify(sqAir, p1, ProofOptions.P100));

        final TraceTable per = TestAirs.Periodic.trace(n);
        final Air perAir = new TestAirs.Periodic(n, last(per, 0));
        final byte[] p2 = Prover.prove(perAir, per, ProofOptions.P100);
        assertDoesNotThrow(() -> Verifier.verify(perAir, p2, ProofOptions.P100));
    }

    @Test
    void p128ProofVerifies()
    {
        final TraceTable trace = TestAirs.Fibonacci.trace(32);
        final Air air = new TestAirs.Fibonacci(32, last(trace, 1));
        final byte[] proof = Prover.prove(air, trace, ProofOptions.P128);
        assertDoesNotThrow(() -> Verifier.verify(air, proof, ProofOptions.P128));
        assertEquals(128, ProofOptions.P128.conjecturedSecurityBits());
        assertEquals(99, ProofOptions.P100.conjecturedSecurityBits());
    }

    @Test
    void wrongPublicResultIsRejected()
    {
        final TraceTable trace = TestAirs.Fibonacci.trace(64);
        final long result = last(trace, 1);
        final byte[] proof = Prover.prove(new TestAirs.Fibonacci(64, result), trace, ProofOptions.P100);
        final VerificationException ex = assertThrows(VerificationException.class,
            () -> Verifier.verify(new TestAirs.Fibonacci(64, Goldilocks.add(result, 1)), proof, ProofOptions.P100));
        assertEquals(VerificationException.Reason.OOD_CONSTRAINT_MISMATCH, ex.reason());
    }

    @Test
    void honestProverRefusesBadTraceAndCheatingProverIsRejected()
    {
        final TraceTable trace = TestAirs.Fibonacci.trace(64);
        final long result = last(trace, 1);
        trace.set(0, 20, Goldilocks.add(trace.get(0, 20), 1));
        final Air air = new TestAirs.Fibonacci(64, result);
        assertTrue(!air.violations(trace, 10).isEmpty());
        assertThrows(IllegalStateException.class, () -> Prover.prove(air, trace, ProofOptions.P100));
        final byte[] forged = Prover.prove(air, trace, ProofOptions.P100, new Prover.Cheats()
        {
            @Override
            public boolean ignoreDegreeChecks()
            {
                return true;
            }
        }).toBytes();
        assertThrows(VerificationException.class, () -> Verifier.verify(air, forged, ProofOptions.P100));
    }
}
