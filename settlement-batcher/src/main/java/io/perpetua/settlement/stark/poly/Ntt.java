package io.perpetua.settlement.stark.poly;

import java.util.stream.IntStream;

import io.perpetua.settlement.stark.field.PrimeField;

/**
 * Number-theoretic transforms over two-adic subgroups and their cosets.
 *
 * <p>Why: moving between a column's values on the trace domain and its polynomial, and evaluating
 * that polynomial on a larger shifted domain (the low-degree extension), is most of a prover's
 * work; an O(n log n) radix-2 transform keeps a 2^20-point extension in tens of milliseconds.
 * Evaluation order is natural: {@code out[i] = f(shift * w^i)} for the primitive n-th root w
 * returned by {@link PrimeField#twoAdicRoot}.
 */
public final class Ntt
{
    private Ntt()
    {
    }

    /** In place: coefficients (natural order) to evaluations at w^i, i = 0..n-1. */
    public static void forward(final PrimeField f, final long[] a)
    {
        if (f == PrimeField.GOLDILOCKS)
        {
            GoldilocksNtt.forward(a);
            return;
        }
        final int n = a.length;
        final int logN = log2(n);
        bitReverse(a);
        for (int s = 1; s <= logN; s++)
        {
            final int m = 1 << s;
            final int half = m >>> 1;
            final long wm = f.twoAdicRoot(s);
            final long[] tw = new long[half];
            tw[0] = 1;
            for (int j = 1; j < half; j++)
            {
                tw[j] = f.mul(tw[j - 1], wm);
            }
            for (int k = 0; k < n; k += m)
            {
                for (int j = 0; j < half; j++)
                {
                    final long t = f.mul(tw[j], a[k + j + half]);
                    final long u = a[k + j];
                    a[k + j] = f.add(u, t);
                    a[k + j + half] = f.sub(u, t);
                }
            }
        }
    }

    /** In place: evaluations at w^i back to coefficients. */
    public static void inverse(final PrimeField f, final long[] a)
    {
        final int n = a.length;
        forward(f, a);
        // forward with w gives n * coefficients in the order (0, n-1, n-2, ..., 1)
        for (int i = 1, j = n - 1; i < j; i++, j--)
        {
            final long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        final long nInv = f.inv(n);
        for (int i = 0; i < n; i++)
        {
            a[i] = f.mul(a[i], nInv);
        }
    }

    /** Evaluates the polynomial with the given coefficients at shift * w^i for a domain of {@code size} points. */
    public static long[] evaluateOnCoset(final PrimeField f, final long[] coefficients, final long shift, final int size)
    {
        if (coefficients.length > size)
        {
            throw new IllegalArgumentException("degree bound " + coefficients.length + " exceeds domain " + size);
        }
        if (f == PrimeField.GOLDILOCKS && coefficients.length > 0 && Integer.bitCount(coefficients.length) == 1
            && Integer.bitCount(size) == 1)
        {
            return GoldilocksNtt.evaluateOnCoset(coefficients,
                GoldilocksNtt.cosetScalings(shift, coefficients.length, size), size);
        }
        final long[] a = new long[size];
        long s = 1;
        for (int i = 0; i < coefficients.length; i++)
        {
            a[i] = f.mul(coefficients[i], s);
            s = f.mul(s, shift);
        }
        forward(f, a);
        return a;
    }

    /**
     * Goldilocks low-degree extension of many columns at once: column c's polynomial (all with the
     * same power-of-two number of coefficients) evaluated at shift * w^i for a domain of
     * {@code size} points. Columns run in parallel; each task writes only its own column, so the
     * result does not depend on scheduling.
     */
    public static long[][] extendColumns(final long[][] coefficients, final long shift, final int size)
    {
        if (coefficients.length == 0)
        {
            return new long[0][];
        }
        final int m = coefficients[0].length;
        log2(m);
        log2(size);
        if (m > size)
        {
            throw new IllegalArgumentException("degree bound " + m + " exceeds domain " + size);
        }
        for (final long[] column : coefficients)
        {
            if (column.length != m)
            {
                throw new IllegalArgumentException("columns differ in length");
            }
        }
        final long[] scalings = GoldilocksNtt.cosetScalings(shift, m, size);
        final long[][] out = new long[coefficients.length][];
        IntStream.range(0, coefficients.length).parallel()
            .forEach(c -> out[c] = GoldilocksNtt.evaluateOnCoset(coefficients[c], scalings, size));
        return out;
    }

    /** Interpolates evaluations at shift * w^i (in place) into coefficients. */
    public static void interpolateCoset(final PrimeField f, final long[] evaluations, final long shift)
    {
        inverse(f, evaluations);
        final long shiftInv = f.inv(shift);
        long s = 1;
        for (int i = 0; i < evaluations.length; i++)
        {
            evaluations[i] = f.mul(evaluations[i], s);
            s = f.mul(s, shiftInv);
        }
    }

    /** log2 of a power of two; rejects anything else. */
    public static int log2(final int n)
    {
        if (n <= 0 || Integer.bitCount(n) != 1)
        {
            throw new IllegalArgumentException("not a power of two: " + n);
        }
        return Integer.numberOfTrailingZeros(n);
    }

    private static void bitReverse(final long[] a)
    {
        final int n = a.length;
        if (n <= 2)
        {
            return;
        }
        final int shift = 32 - log2(n);
        for (int i = 0; i < n; i++)
        {
            final int j = Integer.reverse(i) >>> shift;
            if (j > i)
            {
                final long t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }
    }
}
