package io.perpetua.settlement.stark;

import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;

/**
 * The FRI folding step shared by prover and verifier.
 *
 * <p>A layer f over the coset s&lt;w&gt; of size N is committed in leaves of k values
 * f(x_j * z^i), i &lt; k, where x_j = s w^j, j &lt; N/k and z is a primitive k-th root of unity. Writing
 * f(x) = sum_m x^m f_m(x^k), the folded layer is f'(y) = sum_m alpha^m f_m(y) at y = x_j^k, computed
 * from one leaf as g_m = (1/k) sum_i z^(-im) f(x_j z^i) and f' = sum_m (alpha / x_j)^m g_m.
 * The degree bound shrinks by k per layer.
 */
final class Fri
{
    private static final long INV_2 = Goldilocks.inv(2);
    private static final long INV_4 = Goldilocks.inv(4);
    private static final long INV_8 = Goldilocks.inv(8);

    private Fri()
    {
    }

    /** z^(-t) for t &lt; k, the inverse k-th roots of unity. */
    static long[] inverseRoots(final int k)
    {
        final long z = Goldilocks.twoAdicRoot(Integer.numberOfTrailingZeros(k));
        final long zInv = Goldilocks.inv(z);
        final long[] r = new long[k];
        r[0] = 1;
        for (int t = 1; t < k; t++)
        {
            r[t] = Goldilocks.mul(r[t - 1], zInv);
        }
        return r;
    }

    /** 1/k for the folding factors in use (an inversion per leaf would cost more than the fold). */
    private static long inverseOf(final int k)
    {
        return switch (k)
        {
            case 2 -> INV_2;
            case 4 -> INV_4;
            case 8 -> INV_8;
            default -> Goldilocks.inv(k);
        };
    }

    /**
     * Folds one leaf of k extension elements (AoS in {@code leaf} from element index 0) at the point
     * with inverse {@code xInv}, writing the result at element index {@code outIndex} of {@code out}.
     */
    static void foldLeaf(final Extension e, final int k, final long[] invRoots, final long[] leaf, final long xInv,
        final long[] alpha, final long[] out, final int outIndex, final long[] scratch)
    {
        final int d = e.degree();
        final long kInv = inverseOf(k);
        // scratch layout: [0] accumulator, [1] g_m, [2] power (alpha / x)^m, [3] alpha / x, [4] tmp
        e.mulBase(alpha, 0, xInv, scratch, 3);
        e.setBase(scratch, 2, 1);
        e.setBase(scratch, 0, 0);
        for (int m = 0; m < k; m++)
        {
            e.setBase(scratch, 1, 0);
            for (int i = 0; i < k; i++)
            {
                e.mulBase(leaf, i, invRoots[(i * m) % k], scratch, 4);
                e.add(scratch, 1, scratch, 4, scratch, 1);
            }
            e.mulBase(scratch, 1, kInv, scratch, 1);
            e.mul(scratch, 1, scratch, 2, scratch, 4);
            e.add(scratch, 0, scratch, 4, scratch, 0);
            e.mul(scratch, 2, scratch, 3, scratch, 2);
        }
        for (int c = 0; c < d; c++)
        {
            out[outIndex * d + c] = scratch[c];
        }
    }
}
