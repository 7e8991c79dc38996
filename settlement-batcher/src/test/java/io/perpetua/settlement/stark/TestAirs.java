package io.perpetua.settlement.stark;

import java.util.List;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.Assertion;
import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.air.TransitionDegree;
import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;

/** Small AIRs that exercise the framework: Fibonacci, STARK 101's FibonacciSq, a periodic column. */
final class TestAirs
{
    private TestAirs()
    {
    }

    /** Columns (a, b): a' = b, b' = a + b; a[0] = b[0] = 1, b[n-1] = result. */
    static final class Fibonacci extends Air
    {
        private final long result;

        Fibonacci(final int n, final long result)
        {
            super("test-fibonacci", 2, n);
            this.result = result;
        }

        static TraceTable trace(final int n)
        {
            final TraceTable t = new TraceTable(2, n);
            t.set(0, 0, 1);
            t.set(1, 0, 1);
            for (int i = 1; i < n; i++)
            {
                t.set(0, i, t.get(1, i - 1));
                t.set(1, i, Goldilocks.add(t.get(0, i - 1), t.get(1, i - 1)));
            }
            return t;
        }

        @Override
        public long[] publicInputs()
        {
            return new long[] {result};
        }

        @Override
        public List<TransitionDegree> transitionDegrees()
        {
            return List.of(new TransitionDegree(1), new TransitionDegree(1));
        }

        @Override
        public List<Assertion> assertions()
        {
            return List.of(new Assertion(0, 0, 1), new Assertion(1, 0, 1), new Assertion(1, traceLength() - 1, result));
        }

        @Override
        public void evaluateTransition(final Extension e, final long[] cur, final long[] next, final long[] periodic,
            final long[] result)
        {
            e.sub(next, 0, cur, 1, result, 0);
            e.add(cur, 0, cur, 1, result, 1);
            e.sub(next, 1, result, 1, result, 1);
        }
    }

    /** STARK 101's FibonacciSq over Goldilocks: (x, y) -&gt; (y, x^2 + y^2), x[0] = 1, y[0] = 3141592. */
    static final class FibonacciSquare extends Air
    {
        private final long result;

        FibonacciSquare(final int n, final long result)
        {
            super("test-fibonacci-square", 2, n);
            this.result = result;
        }

        static TraceTable trace(final int n)
        {
            final TraceTable t = new TraceTable(2, n);
            t.set(0, 0, 1);
            t.set(1, 0, 3141592);
            for (int i = 1; i < n; i++)
            {
                final long x = t.get(0, i - 1);
                final long y = t.get(1, i - 1);
                t.set(0, i, y);
                t.set(1, i, Goldilocks.add(Goldilocks.square(x), Goldilocks.square(y)));
            }
            return t;
        }

        @Override
        public long[] publicInputs()
        {
            return new long[] {result};
        }

        @Override
        public List<TransitionDegree> transitionDegrees()
        {
            return List.of(new TransitionDegree(1), new TransitionDegree(2));
        }

        @Override
        public List<Assertion> assertions()
        {
            return List.of(new Assertion(0, 0, 1), new Assertion(1, 0, 3141592), new Assertion(1, traceLength() - 1, result));
        }

        @Override
        public void evaluateTransition(final Extension e, final long[] cur, final long[] next, final long[] periodic,
            final long[] result)
        {
            final long[] t = new long[2 * e.degree()];
            e.sub(next, 0, cur, 1, result, 0);
            e.mul(cur, 0, cur, 0, t, 0);
            e.mul(cur, 1, cur, 1, t, 1);
            e.add(t, 0, t, 1, t, 0);
            e.sub(next, 1, t, 0, result, 1);
        }
    }

    /** One column: x' = x * c(row) + 1 with c periodic over (2, 3, 5, 7); x[0] = 1, x[n-1] = result. */
    static final class Periodic extends Air
    {
        static final long[] CYCLE = {2, 3, 5, 7};
        private final long result;

        Periodic(final int n, final long result)
        {
            super("test-periodic", 1, n);
            this.result = result;
        }

        static TraceTable trace(final int n)
        {
            final TraceTable t = new TraceTable(1, n);
            t.set(0, 0, 1);
            for (int i = 1; i < n; i++)
            {
                t.set(0, i, Goldilocks.add(Goldilocks.mul(t.get(0, i - 1), CYCLE[(i - 1) % 4]), 1));
            }
            return t;
        }

        @Override
        public long[] publicInputs()
        {
            return new long[] {result};
        }

        @Override
        public List<TransitionDegree> transitionDegrees()
        {
            return List.of(new TransitionDegree(1, 4));
        }

        @Override
        public List<Assertion> assertions()
        {
            return List.of(new Assertion(0, 0, 1), new Assertion(0, traceLength() - 1, result));
        }

        @Override
        public List<long[]> periodicColumns()
        {
            return List.of(CYCLE);
        }

        @Override
        public void evaluateTransition(final Extension e, final long[] cur, final long[] next, final long[] periodic,
            final long[] result)
        {
            e.mul(cur, 0, periodic, 0, result, 0);
            e.addBase(result, 0, 1, result, 0);
            e.sub(next, 0, result, 0, result, 0);
        }
    }

    /** A toy preset for fast tests (not secure): blowup 2, few queries, no grinding. */
    static ProofOptions toy(final int blowup, final int queries)
    {
        return new ProofOptions(blowup, queries, 0, Extension.QUADRATIC, 2, 4);
    }
}
