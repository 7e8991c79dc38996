package io.perpetua.settlement.stark.field;

import java.math.BigInteger;


/**
 * Field extensions of Goldilocks in which verifier challenges live: degree 1 (the base field
 * itself), degree 2 (u^2 = 7) and degree 3 (u^3 = u + 1).
 *
 * <p>Why: a 64-bit field gives at most ~64 bits of soundness to a random out-of-domain point or
 * FRI folding challenge; drawing them from a 128- or 192-bit extension removes that ceiling.
 * An element is {@code degree()} consecutive {@code long}s (lowest coefficient first). Methods take
 * arrays with <em>element</em> indices so that constraint code can run unchanged over the base
 * field (prover, on the LDE domain) and over an extension (verifier, at the out-of-domain point)
 * without allocating.
 */
public enum Extension
{
    /** The base field: degree 1. */
    BASE(1)
    {
        @Override
        public void mul(final long[] a, final int ai, final long[] b, final int bi, final long[] r, final int ri)
        {
            r[ri] = Goldilocks.mul(a[ai], b[bi]);
        }

        // single-coefficient versions of the generic loops: this is the prover's hot path

        @Override
        public void add(final long[] a, final int ai, final long[] b, final int bi, final long[] r, final int ri)
        {
            r[ri] = Goldilocks.add(a[ai], b[bi]);
        }

        @Override
        public void sub(final long[] a, final int ai, final long[] b, final int bi, final long[] r, final int ri)
        {
            r[ri] = Goldilocks.sub(a[ai], b[bi]);
        }

        @Override
        public void mulBase(final long[] a, final int ai, final long s, final long[] r, final int ri)
        {
            r[ri] = Goldilocks.mul(a[ai], s);
        }

        @Override
        public void addBase(final long[] a, final int ai, final long s, final long[] r, final int ri)
        {
            r[ri] = Goldilocks.add(a[ai], s);
        }

        @Override
        public void setBase(final long[] r, final int ri, final long s)
        {
            r[ri] = s;
        }

        @Override
        public void copy(final long[] a, final int ai, final long[] r, final int ri)
        {
            r[ri] = a[ai];
        }
    },

    /** F_p[u] / (u^2 - 7); 7 generates F_p^*, so it is not a square and the polynomial is irreducible. */
    QUADRATIC(2)
    {
        @Override
        public void mul(final long[] a, final int ai, final long[] b, final int bi, final long[] r, final int ri)
        {
            final int x = ai * 2;
            final int y = bi * 2;
            final long a0 = a[x];
            final long a1 = a[x + 1];
            final long b0 = b[y];
            final long b1 = b[y + 1];
            final long c0 = Goldilocks.add(Goldilocks.mul(a0, b0), Goldilocks.mul(7, Goldilocks.mul(a1, b1)));
            final long c1 = Goldilocks.add(Goldilocks.mul(a0, b1), Goldilocks.mul(a1, b0));
            r[ri * 2] = c0;
            r[ri * 2 + 1] = c1;
        }
    },

    /** F_p[u] / (u^3 - u - 1); irreducibility over Goldilocks is checked by a test (no roots in F_p). */
    CUBIC(3)
    {
        @Override
        public void mul(final long[] a, final int ai, final long[] b, final int bi, final long[] r, final int ri)
        {
            final int x = ai * 3;
            final int y = bi * 3;
            final long a0 = a[x];
            final long a1 = a[x + 1];
            final long a2 = a[x + 2];
            final long b0 = b[y];
            final long b1 = b[y + 1];
            final long b2 = b[y + 2];
            final long c0 = Goldilocks.mul(a0, b0);
            final long c1 = Goldilocks.add(Goldilocks.mul(a0, b1), Goldilocks.mul(a1, b0));
            final long c2 = Goldilocks.add(Goldilocks.add(Goldilocks.mul(a0, b2), Goldilocks.mul(a1, b1)), Goldilocks.mul(a2, b0));
            final long c3 = Goldilocks.add(Goldilocks.mul(a1, b2), Goldilocks.mul(a2, b1));
            final long c4 = Goldilocks.mul(a2, b2);
            r[ri * 3] = Goldilocks.add(c0, c3);
            r[ri * 3 + 1] = Goldilocks.add(Goldilocks.add(c1, c3), c4);
            r[ri * 3 + 2] = Goldilocks.add(c2, c4);
        }
    };

    private final int degree;
    private final long[] inverseExponentBits;

    Extension(final int degree)
    {
        this.degree = degree;
        final BigInteger e = new BigInteger(Long.toUnsignedString(Goldilocks.P)).pow(degree).subtract(BigInteger.TWO);
        final long[] bits = new long[e.bitLength()];
        for (int i = 0; i < bits.length; i++)
        {
            bits[i] = e.testBit(i) ? 1 : 0;
        }
        this.inverseExponentBits = bits;
    }

    /** Number of base-field coefficients per element. */
    public int degree()
    {
        return degree;
    }

    /** Bits of field size, used in the conjectured-security formula. */
    public int fieldBits()
    {
        return 64 * degree;
    }

    /** r[ri] = a[ai] * b[bi] (element indices). */
    public abstract void mul(long[] a, int ai, long[] b, int bi, long[] r, int ri);

    /** r[ri] = a[ai] + b[bi]. */
    public void add(final long[] a, final int ai, final long[] b, final int bi, final long[] r, final int ri)
    {
        for (int k = 0; k < degree; k++)
        {
            r[ri * degree + k] = Goldilocks.add(a[ai * degree + k], b[bi * degree + k]);
        }
    }

    /** r[ri] = a[ai] - b[bi]. */
    public void sub(final long[] a, final int ai, final long[] b, final int bi, final long[] r, final int ri)
    {
        for (int k = 0; k < degree; k++)
        {
            r[ri * degree + k] = Goldilocks.sub(a[ai * degree + k], b[bi * degree + k]);
        }
    }

    /** r[ri] = a[ai] * s for a base-field scalar s. */
    public void mulBase(final long[] a, final int ai, final long s, final long[] r, final int ri)
    {
        for (int k = 0; k < degree; k++)
        {
            r[ri * degree + k] = Goldilocks.mul(a[ai * degree + k], s);
        }
    }

    /** r[ri] = a[ai] + s for a base-field scalar s. */
    public void addBase(final long[] a, final int ai, final long s, final long[] r, final int ri)
    {
        for (int k = 0; k < degree; k++)
        {
            r[ri * degree + k] = k == 0 ? Goldilocks.add(a[ai * degree], s) : a[ai * degree + k];
        }
    }

    /** r[ri] = the base-field element s. */
    public void setBase(final long[] r, final int ri, final long s)
    {
        r[ri * degree] = s;
        for (int k = 1; k < degree; k++)
        {
            r[ri * degree + k] = 0;
        }
    }

    /** r[ri] = a[ai]. */
    public void copy(final long[] a, final int ai, final long[] r, final int ri)
    {
        System.arraycopy(a, ai * degree, r, ri * degree, degree);
    }

    /** r[ri] = a[ai]^7, the Rescue S-box. */
    public void exp7(final long[] a, final int ai, final long[] r, final int ri)
    {
        if (degree == 1)
        {
            r[ri] = Goldilocks.exp7(a[ai]);
            return;
        }
        final long[] t = new long[3 * degree];
        copy(a, ai, t, 0);
        mul(t, 0, t, 0, t, 1);
        mul(t, 1, t, 0, t, 2);
        mul(t, 1, t, 1, t, 1);
        mul(t, 1, t, 2, r, ri);
    }

    // ---- allocating conveniences for the verifier and tests ----

    public long[] zero()
    {
        return new long[degree];
    }

    public long[] one()
    {
        return fromBase(1);
    }

    public long[] fromBase(final long s)
    {
        final long[] r = new long[degree];
        r[0] = s;
        return r;
    }

    public long[] mul(final long[] a, final long[] b)
    {
        final long[] r = new long[degree];
        mul(a, 0, b, 0, r, 0);
        return r;
    }

    public long[] add(final long[] a, final long[] b)
    {
        final long[] r = new long[degree];
        add(a, 0, b, 0, r, 0);
        return r;
    }

    public long[] sub(final long[] a, final long[] b)
    {
        final long[] r = new long[degree];
        sub(a, 0, b, 0, r, 0);
        return r;
    }

    public long[] mulBase(final long[] a, final long s)
    {
        final long[] r = new long[degree];
        mulBase(a, 0, s, r, 0);
        return r;
    }

    public long[] neg(final long[] a)
    {
        return sub(zero(), a);
    }

    public boolean isZero(final long[] a)
    {
        for (int k = 0; k < degree; k++)
        {
            if (a[k] != 0)
            {
                return false;
            }
        }
        return true;
    }

    /** a^e for a non-negative exponent. */
    public long[] pow(final long[] a, final long e)
    {
        long[] result = one();
        long[] base = a.clone();
        long exp = e;
        while (exp != 0)
        {
            if ((exp & 1) != 0)
            {
                result = mul(result, base);
            }
            base = mul(base, base);
            exp >>>= 1;
        }
        return result;
    }

    /** Multiplicative inverse as a^(p^degree - 2); throws for zero. */
    public long[] inv(final long[] a)
    {
        if (isZero(a))
        {
            throw new ArithmeticException("inverse of zero");
        }
        long[] result = one();
        for (int i = inverseExponentBits.length - 1; i >= 0; i--)
        {
            result = mul(result, result);
            if (inverseExponentBits[i] != 0)
            {
                result = mul(result, a);
            }
        }
        return result;
    }

    /**
     * Inverts {@code count} elements stored consecutively in {@code values}, in place, with one
     * extension inversion. Every element must be non-zero.
     */
    public void batchInverse(final long[] values, final int count)
    {
        if (count == 0)
        {
            return;
        }
        final long[] prefix = new long[count * degree];
        final long[] acc = one();
        for (int i = 0; i < count; i++)
        {
            copy(acc, 0, prefix, i);
            mul(acc, 0, values, i, acc, 0);
        }
        final long[] inv = inv(acc);
        final long[] tmp = new long[degree];
        for (int i = count - 1; i >= 0; i--)
        {
            copy(values, i, tmp, 0);
            mul(inv, 0, prefix, i, values, i);
            mul(inv, 0, tmp, 0, inv, 0);
        }
    }
}
