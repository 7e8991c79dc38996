package io.perpetua.settlement.stark.field;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldilocksTest
{
    private static final BigInteger P = new BigInteger(Long.toUnsignedString(Goldilocks.P));
    private static final long[] EDGES = {0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFL, 0x1_0000_0000L,
        0xFFFF_FFFF_0000_0000L, Long.MAX_VALUE, 0x8000_0000_0000_0000L, 7};

    private static BigInteger big(final long v)
    {
        return new BigInteger(Long.toUnsignedString(v));
    }

    private static long element(final SplittableRandom rnd)
    {
        final long v = rnd.nextLong();
        return Goldilocks.fromUnsigned(v);
    }

    @Test
    void arithmeticMatchesBigInteger()
    {
        final long seed = 0x5eed_0001L;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++)
        {
            final long a = i < EDGES.length * EDGES.length ? EDGES[i % EDGES.length] : element(rnd);
            final long b = i < EDGES.length * EDGES.length ? EDGES[i / EDGES.length] : element(rnd);
            final String ctx = "seed=" + seed + " a=" + Long.toUnsignedString(a) + " b=" + Long.toUnsignedString(b);
            assertEquals(big(a).add(big(b)).mod(P), big(Goldilocks.add(a, b)), ctx);
            assertEquals(big(a).subtract(big(b)).mod(P), big(Goldilocks.sub(a, b)), ctx);
            assertEquals(big(a).multiply(big(b)).mod(P), big(Goldilocks.mul(a, b)), ctx);
            assertTrue(Goldilocks.isCanonical(Goldilocks.mul(a, b)), ctx);
        }
    }

    @Test
    void reductionOfArbitrary128BitValues()
    {
        final long seed = 0x5eed_0002L;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++)
        {
            final long hi = i == 0 ? -1L : rnd.nextLong();
            final long lo = i == 0 ? -1L : rnd.nextLong();
            final BigInteger v = big(hi).shiftLeft(64).add(big(lo));
            assertEquals(v.mod(P), big(Goldilocks.reduce128(hi, lo)), "seed=" + seed + " i=" + i);
        }
    }

    @Test
    void inversePowAndSignedMapping()
    {
        final long seed = 0x5eed_0003L;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++)
        {
            final long a = element(rnd);
            if (a == 0)
            {
                continue;
            }
            assertEquals(1, Goldilocks.mul(a, Goldilocks.inv(a)), "seed=" + seed);
            final long e = rnd.nextLong();
            assertEquals(big(a).modPow(big(e), P), big(Goldilocks.pow(a, e)), "seed=" + seed);
            assertEquals(big(a).pow(7).mod(P), big(Goldilocks.exp7(a)), "seed=" + seed);
        }
        assertThrows(ArithmeticException.class, () -> Goldilocks.inv(0));
        assertEquals(Goldilocks.P - 5, Goldilocks.fromSigned(-5));
        assertEquals(big(Goldilocks.fromSigned(Long.MIN_VALUE)), BigInteger.valueOf(Long.MIN_VALUE).mod(P));
    }

    @Test
    void unreducedSumsOfProductsMatchBigInteger()
    {
        final long seed = 0x5eed_0005L;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final Accumulator acc = new Accumulator();
        for (int trial = 0; trial < 300; trial++)
        {
            // long sums of near-maximal products carry into the top word many times
            final int terms = trial < 3 ? 1 << 16 : 1 + rnd.nextInt(200);
            BigInteger expected = BigInteger.ZERO;
            for (int i = 0; i < terms; i++)
            {
                final long a = trial < 3 ? Goldilocks.P - 1 - trial : element(rnd);
                final long b = trial < 3 ? Goldilocks.P - 1 : element(rnd);
                if (i % 7 == 3)
                {
                    acc.add(a);
                    expected = expected.add(big(a));
                }
                else
                {
                    acc.addProduct(a, b);
                    expected = expected.add(big(a).multiply(big(b)));
                }
            }
            assertEquals(expected.mod(P), big(acc.reduceAndReset()), "seed=" + seed + " trial=" + trial);
        }
        assertEquals(0, acc.reduceAndReset(), "reset leaves zero");
        for (int i = 0; i < 10_000; i++)
        {
            final long top = rnd.nextLong() >>> 32;
            final long hi = rnd.nextLong();
            final long lo = rnd.nextLong();
            final BigInteger v = BigInteger.valueOf(top).shiftLeft(128).add(big(hi).shiftLeft(64)).add(big(lo));
            assertEquals(v.mod(P), big(Goldilocks.reduce(top, hi, lo)), "seed=" + seed + " i=" + i);
        }
    }

    @Test
    void batchInverseMatchesSingleInverses()
    {
        final SplittableRandom rnd = new SplittableRandom(4);
        final long[] v = new long[1000];
        for (int i = 0; i < v.length; i++)
        {
            v[i] = 1 + Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P - 1);
        }
        final long[] w = v.clone();
        Goldilocks.batchInverse(w);
        for (int i = 0; i < v.length; i++)
        {
            assertEquals(Goldilocks.inv(v[i]), w[i]);
        }
    }

    @Test
    void rootsOfUnityHaveExactOrder()
    {
        for (int log = 0; log <= Goldilocks.TWO_ADICITY; log++)
        {
            final long w = Goldilocks.twoAdicRoot(log);
            long x = w;
            for (int i = 0; i < log; i++)
            {
                x = Goldilocks.mul(x, x);
            }
            assertEquals(1, x, "w^(2^" + log + ") must be 1");
            if (log > 0)
            {
                long y = w;
                for (int i = 0; i < log - 1; i++)
                {
                    y = Goldilocks.mul(y, y);
                }
                assertEquals(Goldilocks.P - 1, y, "w^(2^" + (log - 1) + ") must be -1");
            }
        }
        // 7 generates F_p^*: it is not a square (Euler's criterion gives -1)
        assertEquals(Goldilocks.P - 1, Goldilocks.pow(7, (Goldilocks.P - 1) >>> 1));
        assertNotEquals(1, Goldilocks.pow(7, (Goldilocks.P - 1) / 3));
    }
}
