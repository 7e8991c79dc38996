package io.perpetua.settlement.stark;

import java.util.function.LongUnaryOperator;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.TraceTable;

/** Test access to dishonest prover behaviour, for soundness tests in other packages. */
public final class CheatingProver
{
    private CheatingProver()
    {
    }

    /** Runs the full protocol on a trace that may violate the AIR, skipping the prover's own checks. */
    public static byte[] proveAnyway(final Air air, final TraceTable trace, final ProofOptions options)
    {
        return Prover.prove(air, trace, options, new Prover.Cheats()
        {
            @Override
            public boolean ignoreDegreeChecks()
            {
                return true;
            }
        }).toBytes();
    }

    /** An honest proof except that the proof-of-work nonce is replaced. */
    public static byte[] proveWithNonce(final Air air, final TraceTable trace, final ProofOptions options,
        final LongUnaryOperator nonce)
    {
        return Prover.prove(air, trace, options, new Prover.Cheats()
        {
            @Override
            public long tamperNonce(final long n)
            {
                return nonce.applyAsLong(n);
            }
        }).toBytes();
    }
}
