package io.perpetua.settlement.stark.poly;

import io.perpetua.settlement.stark.field.Goldilocks;

/**
 * The radix-2 NTT specialised to Goldilocks with cached twiddle tables: static field calls the JIT
 * inlines, and no root recomputation per transform. Same contract as {@link Ntt#forward}.
 */
final class GoldilocksNtt
{
    private static final long[][] TWIDDLES = new long[Goldilocks.TWO_ADICITY + 1][];

    private GoldilocksNtt()
    {
    }

    /** w^j for j &lt; n/2, w the primitive n-th root, n = 2^logN. */
    private static long[] twiddles(final int logN)
    {
        long[] tw = TWIDDLES[logN];
        if (tw == null)
        {
            final int half = Math.max(1, (1 << logN) >>> 1);
            tw = new long[half];
            final long w = Goldilocks.twoAdicRoot(logN);
            tw[0] = 1;
            for (int j = 1; j < half; j++)
            {
                tw[j] = Goldilocks.mul(tw[j - 1], w);
            }
            synchronized (TWIDDLES)
            {
                TWIDDLES[logN] = tw;
            }
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
        final long[] tw = twiddles(logN);
        for (int len = 2; len <= n; len <<= 1)
        {
            final int half = len >>> 1;
            final int step = n / len;
            for (int k = 0; k < n; k += len)
            {
                for (int j = 0; j < half; j++)
                {
                    final long t = Goldilocks.mul(tw[j * step], a[k + j + half]);
                    final long u = a[k + j];
                    a[k + j] = Goldilocks.add(u, t);
                    a[k + j + half] = Goldilocks.sub(u, t);
                }
            }
        }
    }
}
