package io.perpetua.settlement.stark.air;

/**
 * The degree of one transition constraint: {@code base} in the trace columns, multiplied by one
 * periodic column of each cycle length in {@code cycles}.
 *
 * <p>Why it must be declared: the prover sizes the composition polynomial from these bounds and the
 * verifier fixes the proof shape from them, so they have to be known without the trace. A bound
 * that is too low makes honest proofs fail, never bad proofs pass.
 *
 * @param base   degree in the trace polynomials
 * @param cycles cycle lengths of periodic columns the constraint is multiplied by
 */
public record TransitionDegree(int base, int... cycles)
{
    public TransitionDegree
    {
        if (base < 1)
        {
            throw new IllegalArgumentException("degree must be at least 1");
        }
        cycles = cycles.clone();
    }

    /** Upper bound on the degree of the constraint polynomial over a trace of length n. */
    public long bound(final int traceLength)
    {
        long d = (long)base * (traceLength - 1);
        for (final int c : cycles)
        {
            d += traceLength - traceLength / c;
        }
        return d;
    }
}
