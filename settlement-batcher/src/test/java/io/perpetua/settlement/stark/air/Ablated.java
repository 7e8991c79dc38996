package io.perpetua.settlement.stark.air;

import java.util.ArrayList;
import java.util.List;

import io.perpetua.settlement.stark.field.Extension;

/**
 * An AIR with one constraint removed (a transition constraint forced to zero, or an assertion
 * dropped), for tests that show every constraint of an AIR is load-bearing.
 */
public final class Ablated extends Air
{
    private final Air inner;
    private final int transition;
    private final int assertion;

    private Ablated(final Air inner, final int transition, final int assertion)
    {
        super(inner.id() + "-ablated-" + transition + "-" + assertion, inner.traceWidth(), inner.traceLength());
        this.inner = inner;
        this.transition = transition;
        this.assertion = assertion;
    }

    public static Ablated withoutTransition(final Air inner, final int index)
    {
        return new Ablated(inner, index, -1);
    }

    public static Ablated withoutAssertion(final Air inner, final int index)
    {
        return new Ablated(inner, -1, index);
    }

    @Override
    public long[] publicInputs()
    {
        return inner.publicInputs();
    }

    @Override
    public List<TransitionDegree> transitionDegrees()
    {
        return inner.transitionDegrees();
    }

    @Override
    public List<Assertion> assertions()
    {
        final List<Assertion> a = new ArrayList<>(inner.assertions());
        if (assertion >= 0)
        {
            a.remove(assertion);
        }
        return a;
    }

    @Override
    public List<long[]> periodicColumns()
    {
        return inner.periodicColumns();
    }

    @Override
    public void evaluateTransition(final Extension e, final long[] current, final long[] next, final long[] periodic,
        final long[] result)
    {
        inner.evaluateTransition(e, current, next, periodic, result);
        if (transition >= 0)
        {
            e.setBase(result, transition, 0);
        }
    }

    /** The label {@link Air#violations} uses for the removed constraint. */
    public static String label(final boolean isTransition, final int index)
    {
        return (isTransition ? "transition " : "assertion ") + index;
    }

    /** True if every violation belongs to the constraint (transition or assertion) {@code index}. */
    public static boolean onlyViolates(final List<String> violations, final boolean isTransition, final int index)
    {
        if (violations.isEmpty())
        {
            return false;
        }
        for (final String v : violations)
        {
            if (isTransition ? !v.startsWith("transition " + index + " at row") : !v.equals("assertion " + index))
            {
                return false;
            }
        }
        return true;
    }
}
