package io.perpetua.settlement.stark.poly;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

import io.perpetua.settlement.stark.field.Goldilocks;

/**
 * The radix-2 NTT specialised to Goldilocks: static field calls the JIT inlines, contiguous cached
 * twiddles per butterfly size, and cache blocking (all butterflies up to {@link #BLOCK} points run
 * block by block while the block is in cache; only the wider stages stream the whole array).
 * Same contract as {@link Ntt#forward}.
 */
final class GoldilocksNtt
{
    private static final int BLOCK = 1 << 11;
    /**
     * STAGE_TWIDDLES[s][j] = w_{2^s}^j for j &lt; 2^(s-1), built on first use. Published through an
     * atomic array so that a worker thread never sees a table before its contents.
     */
    private static final AtomicReferenceArray<long[]> STAGE_TWIDDLES = new AtomicReferenceArray<>(Goldilocks.TWO_ADICITY + 1);
    /** Per pair of stages, see {@link #radix4Twiddles}. */
    private static final AtomicReferenceArray<long[]> RADIX4_TWIDDLES = new AtomicReferenceArray<>(Goldilocks.TWO_ADICITY + 1);

    static
    {
        if (Goldilocks.twoAdicRoot(2) != 1L << 48)
        {
            throw new IllegalStateException("the radix-4 butterfly assumes w_4 = 2^48");
        }
    }

    private GoldilocksNtt()
    {
    }

    private static long[] stageTwiddles(final int logLen)
    {
        long[] tw = STAGE_TWIDDLES.get(logLen);
        if (tw == null)
        {
            final int half = 1 << (logLen - 1);
            tw = new long[half];
            final long w = Goldilocks.twoAdicRoot(logLen);
            tw[0] = 1;
            for (int j = 1; j < half; j++)
            {
                tw[j] = Goldilocks.mul(tw[j - 1], w);
            }
            STAGE_TWIDDLES.set(logLen, tw); // a racing thread computes the same table
        }
        return tw;
    }

    static void forward(final long[] a)
    {
        final int n = a.length;
        final int logN = Ntt.log2(n);
        if (n == 1)
        {
            return;
        }
        final int shift = 32 - logN;
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
        butterflies(a, 0, n);
    }

    /** The transform of a[from, from + n) given in bit-reversed order; leaves natural order. */
    private static void butterflies(final long[] a, final int from, final int n)
    {
        final int logN = Ntt.log2(n);
        if (n == 1)
        {
            return;
        }
        final int block = Math.min(n, BLOCK);
        final int logBlock = Ntt.log2(block);
        for (int start = from; start < from + n; start += block)
        {
            firstTwoStages(a, start, start + block, logBlock);
            stages(a, start, start + block, 3, logBlock);
        }
        stages(a, from, from + n, logBlock + 1, logN);
    }

    /** Stages first..last over [from, to): two at a time (radix 4), the odd one out as radix 2. */
    private static void stages(final long[] a, final int from, final int to, final int first, final int last)
    {
        int s = first;
        for (; s + 1 <= last; s += 2)
        {
            radix4(a, from, to, s);
        }
        if (s <= last)
        {
            stage(a, from, to, s);
        }
    }

    /**
     * Stages s and s + 1 in one pass. With v = w_(2^(s+1))^j, the four points a0..a3 of a group
     * become (a0 + v^2 a1) +- (v a2 + v^3 a3) and (a0 - v^2 a1) +- w_4 (v a2 - v^3 a3): three
     * general multiplications and one by w_4 = 2^48 (a shift and a reduction) where two radix-2
     * stages take four, and one pass over the array instead of two.
     */
    private static void radix4(final long[] a, final int from, final int to, final int s)
    {
        final int h = 1 << (s - 1);
        final int len = 4 * h;
        final long[] tw = radix4Twiddles(s);
        for (int k = from; k < to; k += len)
        {
            // j = 0: all twiddles are 1
            final long y1 = a[k + h];
            final long y2 = a[k + 2 * h];
            final long y3 = a[k + 3 * h];
            final long e0 = Goldilocks.add(a[k], y1);
            final long f0 = Goldilocks.sub(a[k], y1);
            final long e1 = Goldilocks.add(y2, y3);
            final long f1 = mulByOmega4(Goldilocks.sub(y2, y3));
            a[k] = Goldilocks.add(e0, e1);
            a[k + 2 * h] = Goldilocks.sub(e0, e1);
            a[k + h] = Goldilocks.add(f0, f1);
            a[k + 3 * h] = Goldilocks.sub(f0, f1);
            for (int j = 1, i0 = k + 1, t = 3; j < h; j++, i0++, t += 3)
            {
                final int i1 = i0 + h;
                final int i2 = i1 + h;
                final int i3 = i2 + h;
                final long x0 = a[i0];
                final long x1 = Goldilocks.mul(a[i1], tw[t + 1]);
                final long x2 = Goldilocks.mul(a[i2], tw[t]);
                final long x3 = Goldilocks.mul(a[i3], tw[t + 2]);
                final long s0 = Goldilocks.add(x0, x1);
                final long d0 = Goldilocks.sub(x0, x1);
                final long s1 = Goldilocks.add(x2, x3);
                final long d1 = mulByOmega4(Goldilocks.sub(x2, x3));
                a[i0] = Goldilocks.add(s0, s1);
                a[i2] = Goldilocks.sub(s0, s1);
                a[i1] = Goldilocks.add(d0, d1);
                a[i3] = Goldilocks.sub(d0, d1);
            }
        }
    }

    /** x * w_4 where w_4 = 2^48 (checked when the class loads): the 128-bit product is a shift. */
    private static long mulByOmega4(final long x)
    {
        return Goldilocks.reduce(x >>> 16, x << 48);
    }

    /** RADIX4_TWIDDLES[s][3j + e] = v^(e+1) for v = w_(2^(s+1))^j, j &lt; 2^(s-1). */
    private static long[] radix4Twiddles(final int s)
    {
        long[] tw = RADIX4_TWIDDLES.get(s);
        if (tw == null)
        {
            final int h = 1 << (s - 1);
            final long[] v = stageTwiddles(s + 1);
            tw = new long[3 * h];
            for (int j = 0; j < h; j++)
            {
                final long v2 = Goldilocks.mul(v[j], v[j]);
                tw[3 * j] = v[j];
                tw[3 * j + 1] = v2;
                tw[3 * j + 2] = Goldilocks.mul(v2, v[j]);
            }
            RADIX4_TWIDDLES.set(s, tw);
        }
        return tw;
    }

    /** Butterfly stages 1 and 2 (twiddles 1 and w_4) of a block, without the general loop's overhead. */
    private static void firstTwoStages(final long[] a, final int from, final int to, final int logBlock)
    {
        for (int k = from; k < to; k += 2)
        {
            final long u = a[k];
            final long v = a[k + 1];
            a[k] = Goldilocks.add(u, v);
            a[k + 1] = Goldilocks.sub(u, v);
        }
        if (logBlock < 2)
        {
            return;
        }
        final long w4 = stageTwiddles(2)[1];
        for (int k = from; k < to; k += 4)
        {
            final long u0 = a[k];
            final long t0 = a[k + 2];
            final long u1 = a[k + 1];
            final long t1 = Goldilocks.mul(w4, a[k + 3]);
            a[k] = Goldilocks.add(u0, t0);
            a[k + 2] = Goldilocks.sub(u0, t0);
            a[k + 1] = Goldilocks.add(u1, t1);
            a[k + 3] = Goldilocks.sub(u1, t1);
        }
    }

    private static void stage(final long[] a, final int from, final int to, final int logLen)
    {
        final int len = 1 << logLen;
        final int half = len >>> 1;
        final long[] tw = stageTwiddles(logLen);
        for (int k = from; k < to; k += len)
        {
            final long u0 = a[k];
            final long t0 = a[k + half];
            a[k] = Goldilocks.add(u0, t0);
            a[k + half] = Goldilocks.sub(u0, t0);
            for (int j = 1; j < half; j++)
            {
                final long t = Goldilocks.mul(tw[j], a[k + j + half]);
                final long u = a[k + j];
                a[k + j] = Goldilocks.add(u, t);
                a[k + j + half] = Goldilocks.sub(u, t);
            }
        }
    }

    /**
     * (shift * w_size^t)^i at index t * m + i: the factor of coefficient i when evaluating on coset
     * t (see {@link #evaluateOnCoset}). One table serves every column of a low-degree extension, so
     * each coefficient costs one multiplication instead of two dependent ones.
     */
    static long[] cosetScalings(final long shift, final int m, final int size)
    {
        final int cosets = size / m;
        final long[] table = new long[size];
        final long omega = Goldilocks.twoAdicRoot(Ntt.log2(size));
        IntStream.range(0, cosets).parallel().forEach(t ->
        {
            final long g = Goldilocks.mul(shift, Goldilocks.pow(omega, t));
            long p = 1;
            for (int i = 0; i < m; i++)
            {
                table[t * m + i] = p;
                p = Goldilocks.mul(p, g);
            }
        });
        return table;
    }

    /**
     * Evaluates a polynomial with {@code m} coefficients (m a power of two) on the coset
     * shift * &lt;w_size&gt; as {@code size / m} transforms of size m: point j * (size/m) + t lies
     * on the small coset shift * w_size^t * &lt;w_m&gt;. Cheaper than one zero-padded transform.
     * {@code scalings} is {@link #cosetScalings}(shift, m, size).
     */
    static long[] evaluateOnCoset(final long[] coefficients, final long[] scalings, final int size)
    {
        final int m = coefficients.length;
        final int cosets = size / m;
        final int shift = 32 - Ntt.log2(m);
        // coset t is transformed in slice t of a scratch table (scaled coefficients written straight
        // to their bit-reversed slots), then the slices are interleaved into the output in one
        // sequential pass, instead of scattering every transform across the whole output
        final long[] slices = new long[size];
        for (int t = 0; t < cosets; t++)
        {
            final int base = t * m;
            for (int i = 0; i < m; i++)
            {
                slices[base + (m == 1 ? 0 : Integer.reverse(i) >>> shift)] = Goldilocks.mul(coefficients[i], scalings[base + i]);
            }
            butterflies(slices, base, m);
        }
        final long[] out = new long[size];
        for (int j = 0, o = 0; j < m; j++)
        {
            for (int t = 0; t < cosets; t++, o++)
            {
                out[o] = slices[t * m + j];
            }
        }
        return out;
    }
}
