package io.perpetua.settlement.stark.poly;

import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.PrimeField;

/**
 * Dense polynomial utilities: evaluation (in the base field and at extension points), products and
 * Lagrange interpolation on arbitrary points.
 *
 * <p>Why: the verifier evaluates periodic columns and the FRI remainder at single points, and the
 * tests need an obviously-correct reference (interpolation on arbitrary points, quadratic-time
 * products) to check the fast transforms against. Coefficients are lowest degree first.
 */
public final class Polynomials
{
    private Polynomials()
    {
    }

    /** Horner evaluation of a base-field polynomial at a base-field point. */
    public static long evaluate(final PrimeField f, final long[] coefficients, final long x)
    {
        long acc = 0;
        for (int i = coefficients.length - 1; i >= 0; i--)
        {
            acc = f.add(f.mul(acc, x), coefficients[i]);
        }
        return acc;
    }

    /** Horner evaluation of a base-field (Goldilocks) polynomial at an extension point. */
    public static long[] evaluateAt(final Extension e, final long[] coefficients, final long[] x)
    {
        final long[] acc = e.zero();
        for (int i = coefficients.length - 1; i >= 0; i--)
        {
            e.mul(acc, 0, x, 0, acc, 0);
            e.addBase(acc, 0, coefficients[i], acc, 0);
        }
        return acc;
    }

    /**
     * Horner evaluation of an extension-field polynomial stored as {@code degree} coordinate arrays
     * (coordinates[k][i] is coordinate k of coefficient i) at an extension point.
     */
    public static long[] evaluateAt(final Extension e, final long[][] coordinates, final int from, final int to, final long[] x)
    {
        final int d = e.degree();
        final long[] acc = e.zero();
        final long[] c = e.zero();
        for (int i = to - 1; i >= from; i--)
        {
            e.mul(acc, 0, x, 0, acc, 0);
            for (int k = 0; k < d; k++)
            {
                c[k] = coordinates[k][i];
            }
            e.add(acc, 0, c, 0, acc, 0);
        }
        return acc;
    }

    /** Schoolbook product. */
    public static long[] multiply(final PrimeField f, final long[] a, final long[] b)
    {
        final long[] r = new long[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++)
        {
            for (int j = 0; j < b.length; j++)
            {
                r[i + j] = f.add(r[i + j], f.mul(a[i], b[j]));
            }
        }
        return r;
    }

    /**
     * The unique polynomial of degree &lt; xs.length through the points (xs[i], ys[i]); quadratic
     * time, for points that are not a subgroup. The xs must be distinct.
     */
    public static long[] interpolate(final PrimeField f, final long[] xs, final long[] ys)
    {
        final int n = xs.length;
        // master polynomial M(x) = prod (x - xs[i])
        long[] master = {1};
        for (final long x : xs)
        {
            master = multiply(f, master, new long[] {f.neg(x), 1});
        }
        final long[] result = new long[n];
        final long[] quotient = new long[n];
        for (int i = 0; i < n; i++)
        {
            // quotient = M(x) / (x - xs[i]) by synthetic division
            long carry = 0;
            for (int k = n; k >= 1; k--)
            {
                carry = f.add(master[k], f.mul(carry, xs[i]));
                quotient[k - 1] = carry;
            }
            final long denominator = evaluate(f, quotient, xs[i]);
            final long scale = f.mul(ys[i], f.inv(denominator));
            for (int k = 0; k < n; k++)
            {
                result[k] = f.add(result[k], f.mul(quotient[k], scale));
            }
        }
        return result;
    }
}
