package io.perpetua.settlement.stark;

import java.util.SplittableRandom;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.field.Extension;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measured acceptance rate of a cheating prover at toy parameters, against the rate the query
 * phase should allow. The cheater commits a first FRI layer that is wrong on a fixed number of
 * positions (and folds on from the honest values), so a query is caught exactly when its folding
 * coset meets a wrong position. With s wrong positions among N, a query touching m distinct
 * cosets of size 2 passes with probability C(N - 2m, s) / C(N, s).
 */
class AcceptanceRateTest
{
    private static final int TRIALS = 200;

    @Test
    void acceptanceRateMatchesTheQueryBound()
    {
        final int n = 16;
        final TraceTable trace = TestAirs.Fibonacci.trace(n);
        final Air air = new TestAirs.Fibonacci(n, trace.get(1, n - 1));
        final long seed = 81;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (final int queries : new int[] {1, 2, 4})
        {
            final ProofOptions toy = new ProofOptions(4, queries, 0, Extension.QUADRATIC, 2, 4);
            final int bigN = n * toy.blowup();
            final int wrong = bigN / 8;
            int accepted = 0;
            for (int trial = 0; trial < TRIALS; trial++)
            {
                final long trialSeed = rnd.nextLong();
                final byte[] proof = Prover.prove(air, trace, toy, new CorruptFirstLayer(wrong, trialSeed)).toBytes();
                try
                {
                    Verifier.verify(air, proof, toy);
                    accepted++;
                }
                catch (final VerificationException ex)
                {
                    // rejected, as it should be most of the time
                }
            }
            final double measured = (double)accepted / TRIALS;
            final double expected = expectedAcceptance(bigN, wrong, queries);
            final double tolerance = 4 * Math.sqrt(expected * (1 - expected) / TRIALS) + 0.02;
            System.out.printf("acceptance q=%d blowup=%d wrong=%d/%d: measured %.3f expected %.3f%n", queries, toy.blowup(), wrong,
                bigN, measured, expected);
            assertTrue(Math.abs(measured - expected) <= tolerance,
                "q=" + queries + " measured " + measured + " expected " + expected + " seed=" + seed);
        }
    }

    /** Exact acceptance for q uniform queries over N/2 cosets of size 2 with s wrong positions. */
    static double expectedAcceptance(final int bigN, final int s, final int q)
    {
        final int cosets = bigN / 2;
        // occupancy distribution: probability that q draws hit exactly m distinct cosets
        double[] dist = new double[q + 1];
        dist[0] = 1;
        for (int draw = 0; draw < q; draw++)
        {
            final double[] next = new double[q + 1];
            for (int m = 0; m <= draw; m++)
            {
                next[m] += dist[m] * m / cosets;
                next[m + 1] += dist[m] * (cosets - m) / (double)cosets;
            }
            dist = next;
        }
        double total = 0;
        for (int m = 1; m <= q; m++)
        {
            // C(N - 2m, s) / C(N, s)
            double clean = 1;
            for (int i = 0; i < s; i++)
            {
                clean *= (double)(bigN - 2 * m - i) / (bigN - i);
            }
            total += dist[m] * clean;
        }
        return total;
    }

    /** Replaces {@code count} distinct positions of the first FRI layer by other values. */
    private static final class CorruptFirstLayer implements Prover.Cheats
    {
        private final int count;
        private final long seed;

        CorruptFirstLayer(final int count, final long seed)
        {
            this.count = count;
            this.seed = seed;
        }

        @Override
        public long[][] tamperFriLeaves(final int layer, final long[][] leafColumns)
        {
            if (layer != 0)
            {
                return leafColumns;
            }
            final SplittableRandom rnd = new SplittableRandom(seed);
            final long[][] copy = new long[leafColumns.length][];
            for (int c = 0; c < copy.length; c++)
            {
                copy[c] = leafColumns[c].clone();
            }
            final int leaves = copy[0].length;
            final int degree = copy.length / 2;
            final java.util.BitSet hit = new java.util.BitSet();
            while (hit.cardinality() < count)
            {
                final int position = rnd.nextInt(2 * leaves);
                if (hit.get(position))
                {
                    continue;
                }
                hit.set(position);
                final int slot = position / leaves;
                final int leaf = position % leaves;
                copy[slot * degree][leaf] = io.perpetua.settlement.stark.field.Goldilocks.add(copy[slot * degree][leaf], 1);
            }
            return copy;
        }
    }
}
