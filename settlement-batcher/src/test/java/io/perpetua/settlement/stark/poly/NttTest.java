package io.perpetua.settlement.stark.poly;

import java.util.SplittableRandom;

import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.field.PrimeField;
import io.perpetua.settlement.stark.field.SmallPrimeField;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fast transforms against a naive DFT and Lagrange interpolation. */
class NttTest
{
    private static long[] random(final PrimeField f, final int n, final SplittableRandom rnd)
    {
        final long[] a = new long[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = Long.remainderUnsigned(rnd.nextLong(), f.modulus());
        }
        return a;
    }

    private static long[] naiveDft(final PrimeField f, final long[] coefficients, final long shift, final int size)
    {
        final long w = f.twoAdicRoot(Ntt.log2(size));
        final long[] out = new long[size];
        long x = shift;
        for (int i = 0; i < size; i++)
        {
            out[i] = Polynomials.evaluate(f, coefficients, x);
            x = f.mul(x, w);
        }
        return out;
    }

    @Test
    void forwardAndInverseMatchNaiveDft()
    {
        final long seed = 11;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (final PrimeField f : new PrimeField[] {PrimeField.GOLDILOCKS, SmallPrimeField.STARK101})
        {
            for (int log = 0; log <= 8; log++)
            {
                final int n = 1 << log;
                final long[] c = random(f, n, rnd);
                final long[] a = c.clone();
                Ntt.forward(f, a);
                assertArrayEquals(naiveDft(f, c, 1, n), a, "n=" + n + " seed=" + seed);
                Ntt.inverse(f, a);
                assertArrayEquals(c, a, "n=" + n + " seed=" + seed);
            }
        }
    }

    @Test
    void cosetExtensionMatchesNaiveEvaluation()
    {
        final long seed = 12;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final PrimeField f = PrimeField.GOLDILOCKS;
        for (int log = 0; log <= 6; log++)
        {
            final int n = 1 << log;
            final long[] c = random(f, n, rnd);
            final long[] lde = Ntt.evaluateOnCoset(f, c, Goldilocks.GENERATOR, 8 * n);
            assertArrayEquals(naiveDft(f, c, Goldilocks.GENERATOR, 8 * n), lde, "n=" + n + " seed=" + seed);
            Ntt.interpolateCoset(f, lde, Goldilocks.GENERATOR);
            for (int i = 0; i < 8 * n; i++)
            {
                assertEquals(i < n ? c[i] : 0, lde[i], "coefficient " + i + " seed=" + seed);
            }
        }
    }

    /**
     * Sizes past the cache block (2^11), where the wide stages run as radix-4 passes over the whole
     * array plus one radix-2 stage when their count is odd: sampled points against Horner, a round
     * trip through the inverse, and the multi-column extension against the single-column one.
     */
    @Test
    void largeTransformsMatchHornerAtSampledPoints()
    {
        final long seed = 13;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final PrimeField f = PrimeField.GOLDILOCKS;
        for (int log = 11; log <= 15; log++)
        {
            final int n = 1 << log;
            final long[] c = random(f, n, rnd);
            final long[] values = c.clone();
            Ntt.forward(f, values);
            final long w = f.twoAdicRoot(log);
            for (int k = 0; k < 40; k++)
            {
                final int i = rnd.nextInt(n);
                assertEquals(Polynomials.evaluate(f, c, f.pow(w, i)), values[i], "n=" + n + " i=" + i + " seed=" + seed);
            }
            Ntt.inverse(f, values);
            assertArrayEquals(c, values, "round trip n=" + n + " seed=" + seed);

            final int size = 4 * n;
            final long[][] columns = {c, random(f, n, rnd), random(f, n, rnd)};
            final long[][] lde = Ntt.extendColumns(columns, Goldilocks.GENERATOR, size);
            final long ws = f.twoAdicRoot(Ntt.log2(size));
            for (int col = 0; col < columns.length; col++)
            {
                assertArrayEquals(Ntt.evaluateOnCoset(f, columns[col], Goldilocks.GENERATOR, size), lde[col]);
                for (int k = 0; k < 10; k++)
                {
                    final int i = rnd.nextInt(size);
                    final long x = f.mul(Goldilocks.GENERATOR, f.pow(ws, i));
                    assertEquals(Polynomials.evaluate(f, columns[col], x), lde[col][i], "lde n=" + n + " seed=" + seed);
                }
            }
        }
    }

    @Test
    void lagrangeInterpolationAgreesWithInverseNtt()
    {
        final SplittableRandom rnd = new SplittableRandom(13);
        final PrimeField f = PrimeField.GOLDILOCKS;
        final int n = 16;
        final long[] ys = random(f, n, rnd);
        final long[] xs = new long[n];
        final long w = f.twoAdicRoot(4);
        long x = 1;
        for (int i = 0; i < n; i++)
        {
            xs[i] = x;
            x = f.mul(x, w);
        }
        final long[] viaNtt = ys.clone();
        Ntt.inverse(f, viaNtt);
        assertArrayEquals(viaNtt, Polynomials.interpolate(f, xs, ys));
    }
}
