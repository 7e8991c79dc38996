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
