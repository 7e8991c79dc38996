package io.perpetua.settlement.stark.air;

import java.util.ArrayList;
import java.util.List;

import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;

/**
 * An algebraic intermediate representation: the statement "a trace of this shape exists whose
 * consecutive rows satisfy these transition constraints and whose cells meet these assertions".
 *
 * <p>Why an abstract class: the prover and verifier are generic; each computation (a hash chain, a
 * batch of records, a Merkle update) only says what its rows must satisfy. Transition constraints
 * hold between row i and row i+1 for every i except the last. Periodic columns are public columns
 * repeating with a power-of-two cycle (round constants, row selectors) that the verifier can
 * evaluate itself.
 *
 * <p>{@link #evaluateTransition} is written once against {@link Extension}: the prover runs it over
 * the base field on every point of the extended domain, the verifier over the extension at the
 * out-of-domain point.
 */
public abstract class Air
{
    private final String id;
    private final int traceWidth;
    private final int traceLength;

    protected Air(final String id, final int traceWidth, final int traceLength)
    {
        if (traceLength < 8 || Integer.bitCount(traceLength) != 1)
        {
            throw new IllegalArgumentException("trace length must be a power of two >= 8: " + traceLength);
        }
        if (traceWidth < 1)
        {
            throw new IllegalArgumentException("trace width must be positive");
        }
        this.id = id;
        this.traceWidth = traceWidth;
        this.traceLength = traceLength;
    }

    /** A stable name of the statement, absorbed into the transcript so proofs cannot cross AIRs. */
    public String id()
    {
        return id;
    }

    public int traceWidth()
    {
        return traceWidth;
    }

    public int traceLength()
    {
        return traceLength;
    }

    /** Every public input as field elements; all of them are absorbed before the first challenge. */
    public abstract long[] publicInputs();

    /** One entry per transition constraint, in the order {@link #evaluateTransition} writes them. */
    public abstract List<TransitionDegree> transitionDegrees();

    /** Boundary assertions. */
    public abstract List<Assertion> assertions();

    /** Periodic column values over one cycle each (power-of-two length dividing the trace length). */
    public List<long[]> periodicColumns()
    {
        return List.of();
    }

    /**
     * Writes the value of every transition constraint into {@code result} (element i at element
     * index i), given the current and next rows and the periodic column values at this point.
     * All values are zero on a valid trace.
     */
    public abstract void evaluateTransition(Extension e, long[] current, long[] next, long[] periodic, long[] result);

    public final int transitionCount()
    {
        return transitionDegrees().size();
    }

    /**
     * Checks a trace directly, row by row, and returns the violated constraints as readable strings
     * ("transition 3 at row 17", "assertion 0"). Used by the prover to fail fast and by tests to
     * show that a crafted bad trace breaks exactly the constraint it targets.
     */
    public List<String> violations(final TraceTable trace, final int limit)
    {
        final List<String> out = new ArrayList<>();
        final int w = traceWidth;
        final long[] cur = new long[w];
        final long[] next = new long[w];
        final List<long[]> periodic = periodicColumns();
        final long[] per = new long[periodic.size()];
        final long[] res = new long[transitionCount()];
        for (int row = 0; row + 1 < traceLength && out.size() < limit; row++)
        {
            trace.readRow(row, cur);
            trace.readRow(row + 1, next);
            for (int j = 0; j < per.length; j++)
            {
                final long[] col = periodic.get(j);
                per[j] = col[row % col.length];
            }
            evaluateTransition(Extension.BASE, cur, next, per, res);
            for (int c = 0; c < res.length && out.size() < limit; c++)
            {
                if (res[c] != 0)
                {
                    out.add("transition " + c + " at row " + row);
                }
            }
        }
        final List<Assertion> assertions = assertions();
        for (int a = 0; a < assertions.size() && out.size() < limit; a++)
        {
            final Assertion as = assertions.get(a);
            if (trace.get(as.column(), as.row()) != as.value())
            {
                out.add("assertion " + a);
            }
        }
        for (int c = 0; c < w && out.size() < limit; c++)
        {
            for (int r = 0; r < traceLength; r++)
            {
                if (!Goldilocks.isCanonical(trace.get(c, r)))
                {
                    out.add("non-canonical cell " + c + "," + r);
                    break;
                }
            }
        }
        return out;
    }
}
