package io.perpetua.settlement.stark.field;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Extension arithmetic against schoolbook polynomial arithmetic in BigInteger. */
class ExtensionTest
{
    private static final BigInteger P = new BigInteger(Long.toUnsignedString(Goldilocks.P));

    /** Reference product of a and b modulo the extension's defining polynomial, all in BigInteger. */
    private static long[] referenceMul(final Extension e, final long[] a, final long[] b)
    {
        final int d = e.degree();
        final BigInteger[] c = new BigInteger[2 * d - 1];
        java.util.Arrays.fill(c, BigInteger.ZERO);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                c[i + j] = c[i + j].add(big(a[i]).multiply(big(b[j])));
            }
        }
        // reduce high terms: quadratic u^2 = 7; cubic u^3 = u + 1
        for (int k = 2 * d - 2; k >= d; k--)
        {
            final BigInteger top = c[k];
            c[k] = BigInteger.ZERO;
            if (e == Extension.QUADRATIC)
            {
                c[k - 2] = c[k - 2].add(top.multiply(BigInteger.valueOf(7)));
            }
            else
            {
                c[k - 3] = c[k - 3].add(top);
                c[k - 2] = c[k - 2].add(top);
            }
        }
        final long[] r = new long[d];
        for (int i = 0; i < d; i++)
        {
            r[i] = c[i].mod(P).longValue();
        }
        return r;
    }

    private static BigInteger big(final long v)
    {
        return new BigInteger(Long.toUnsignedString(v));
    }

    private static long[] random(final Extension e, final SplittableRandom rnd)
    {
        final long[] r = new long[e.degree()];
        for (int i = 0; i < r.length; i++)
        {
            r[i] = Goldilocks.fromUnsigned(rnd.nextLong());
        }
        return r;
    }

    @Test
    void multiplicationAndInverseMatchReference()
    {
        final long seed = 77;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (final Extension e : new Extension[] {Extension.QUADRATIC, Extension.CUBIC})
        {
            for (int i = 0; i < 2_000; i++)
            {
                final long[] a = random(e, rnd);
                final long[] b = random(e, rnd);
                assertArrayEquals(referenceMul(e, a, b), e.mul(a, b), e + " seed=" + seed);
                if (i < 200)
                {
                    assertArrayEquals(e.one(), e.mul(a, e.inv(a)), e + " seed=" + seed);
                    final long[] cube = e.mul(a, e.mul(a, a));
                    assertArrayEquals(cube, e.pow(a, 3));
                    final long[] s7 = new long[e.degree()];
                    e.exp7(a, 0, s7, 0);
                    assertArrayEquals(e.pow(a, 7), s7);
                }
            }
            assertThrows(ArithmeticException.class, () -> e.inv(e.zero()));
        }
    }

    @Test
    void batchInverse()
    {
        final SplittableRandom rnd = new SplittableRandom(5);
        final Extension e = Extension.CUBIC;
        final long[] v = new long[30 * 3];
        for (int i = 0; i < v.length; i++)
        {
            v[i] = Goldilocks.fromUnsigned(rnd.nextLong());
        }
        final long[] w = v.clone();
        e.batchInverse(w, 30);
        for (int i = 0; i < 30; i++)
        {
            final long[] x = java.util.Arrays.copyOfRange(v, 3 * i, 3 * i + 3);
            assertArrayEquals(e.inv(x), java.util.Arrays.copyOfRange(w, 3 * i, 3 * i + 3));
        }
    }

    /** u^3 - u - 1 has no root in F_p (so, being cubic, it is irreducible): gcd(x^p - x, u^3 - u - 1) = 1. */
    @Test
    void cubicModulusIsIrreducible()
    {
        final Extension e = Extension.CUBIC;
        final long[] u = {0, 1, 0};
        // x^p mod (x^3 - x - 1) computed as u^p in the extension ring
        long[] up = e.one();
        long[] base = u;
        long exp = Goldilocks.P;
        while (exp != 0)
        {
            if ((exp & 1) != 0)
            {
                up = e.mul(up, base);
            }
            base = e.mul(base, base);
            exp >>>= 1;
        }
        final long[] g = e.sub(up, u); // x^p - x reduced mod f, degree <= 2
        // gcd(f, g) over F_p by the Euclidean algorithm on BigInteger coefficient lists
        java.util.List<BigInteger> a = java.util.List.of(P.subtract(BigInteger.ONE), P.subtract(BigInteger.ONE), BigInteger.ZERO, BigInteger.ONE);
        java.util.List<BigInteger> b = trim(java.util.List.of(big(g[0]), big(g[1]), big(g[2])));
        while (!b.isEmpty())
        {
            final java.util.List<BigInteger> r = polyMod(a, b);
            a = b;
            b = r;
        }
        assertEquals(1, a.size(), "gcd must be a non-zero constant");
        assertTrue(a.get(0).signum() != 0);
        // and the quadratic non-residue property of 7 (u^2 = 7 irreducible)
        assertEquals(Goldilocks.P - 1, Goldilocks.pow(7, (Goldilocks.P - 1) >>> 1));
    }

    private static java.util.List<BigInteger> trim(final java.util.List<BigInteger> p)
    {
        final java.util.ArrayList<BigInteger> r = new java.util.ArrayList<>(p);
        while (!r.isEmpty() && r.get(r.size() - 1).signum() == 0)
        {
            r.remove(r.size() - 1);
        }
        return r;
    }

    private static java.util.List<BigInteger> polyMod(final java.util.List<BigInteger> a, final java.util.List<BigInteger> b)
    {
        final java.util.ArrayList<BigInteger> r = new java.util.ArrayList<>(a);
        final BigInteger leadInv = b.get(b.size() - 1).modInverse(P);
        while (r.size() >= b.size())
        {
            final BigInteger factor = r.get(r.size() - 1).multiply(leadInv).mod(P);
            final int shift = r.size() - b.size();
            for (int i = 0; i < b.size(); i++)
            {
                r.set(i + shift, r.get(i + shift).subtract(factor.multiply(b.get(i))).mod(P));
            }
            r.remove(r.size() - 1);
            final java.util.List<BigInteger> t = trim(r);
            r.clear();
            r.addAll(t);
        }
        return r;
    }
}
