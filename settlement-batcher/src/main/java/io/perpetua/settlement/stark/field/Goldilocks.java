package io.perpetua.settlement.stark.field;

/**
 * Arithmetic in the Goldilocks prime field p = 2^64 - 2^32 + 1, the base field of every proof.
 *
 * <p>Why this field: p - 1 is divisible by 2^32, so NTTs of any size a prover needs exist, and a
 * 128-bit product reduces with two identities (2^64 = 2^32 - 1 and 2^96 = -1 mod p) instead of a
 * division. Elements are canonical {@code long}s in [0, p) read as unsigned. Java 17 has no
 * unsigned high multiply, so {@link #mul} corrects {@link Math#multiplyHigh} for the sign bits.
 */
public final class Goldilocks
{
    /** The modulus 2^64 - 2^32 + 1 (negative as a signed long). */
    public static final long P = 0xFFFF_FFFF_0000_0001L;
    /** 2^64 mod p = 2^32 - 1. */
    static final long EPSILON = 0xFFFF_FFFFL;
    /** A generator of the whole multiplicative group. */
    public static final long GENERATOR = 7;
    /** The largest k such that 2^k divides p - 1. */
    public static final int TWO_ADICITY = 32;
    private static final long ROOT_2_32 = pow(GENERATOR, (P - 1) >>> 32);

    private Goldilocks()
    {
    }

    /** True if {@code v} is a canonical element, i.e. unsigned v &lt; p. */
    public static boolean isCanonical(final long v)
    {
        return Long.compareUnsigned(v, P) < 0;
    }

    /** Reduces any 64-bit pattern (read unsigned) into [0, p). */
    public static long fromUnsigned(final long v)
    {
        return isCanonical(v) ? v : v - P;
    }

    /** Maps a signed integer with |v| &lt; p to its field element (negatives to p - |v|). */
    public static long fromSigned(final long v)
    {
        return v >= 0 ? fromUnsigned(v) : v + P;
    }

    public static long add(final long a, final long b)
    {
        // a + b = a - (p - b); a borrow means the sum was below p. Unsigned comparisons written as
        // signed ones on flipped sign bits compile to conditional moves, not mispredicted branches.
        final long negB = P - b;
        final long d = a - negB;
        return (a ^ Long.MIN_VALUE) < (negB ^ Long.MIN_VALUE) ? d + P : d;
    }

    public static long sub(final long a, final long b)
    {
        final long d = a - b;
        return (a ^ Long.MIN_VALUE) < (b ^ Long.MIN_VALUE) ? d + P : d;
    }

    public static long neg(final long a)
    {
        return a == 0 ? 0 : P - a;
    }

    public static long mul(final long a, final long b)
    {
        return reduce128(mulHighUnsigned(a, b), a * b);
    }

    /** The high 64 bits of the unsigned 128-bit product (Java 17 has only the signed high multiply). */
    public static long mulHighUnsigned(final long a, final long b)
    {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** Reduces the unsigned 128-bit value hi * 2^64 + lo modulo p. */
    public static long reduce(final long hi, final long lo)
    {
        return reduce128(hi, lo);
    }

    /** Reduces the unsigned 128-bit value hi * 2^64 + lo modulo p. */
    static long reduce128(final long hi, final long lo)
    {
        // hi = hiHi * 2^32 + hiLo; hiHi * 2^96 = -hiHi and hiLo * 2^64 = hiLo * (2^32 - 1)
        final long hiHi = hi >>> 32;
        final long hiLo = hi & EPSILON;
        long t0 = lo - hiHi;
        t0 -= (lo ^ Long.MIN_VALUE) < (hiHi ^ Long.MIN_VALUE) ? EPSILON : 0;
        final long t1 = (hiLo << 32) - hiLo;
        long t2 = t0 + t1;
        t2 += (t2 ^ Long.MIN_VALUE) < (t1 ^ Long.MIN_VALUE) ? EPSILON : 0;
        return (t2 ^ Long.MIN_VALUE) >= (P ^ Long.MIN_VALUE) ? t2 - P : t2;
    }

    /**
     * Reduces the unsigned 192-bit value top * 2^128 + hi * 2^64 + lo modulo p, for sums of many
     * unreduced products ({@link Accumulator}, dot products); top must be below 2^32.
     */
    public static long reduce(final long top, final long hi, final long lo)
    {
        return reduce192(top, hi, lo);
    }

    static long reduce192(final long top, final long hi, final long lo)
    {
        // 2^128 = 2^32 * 2^96 = -2^32 (mod p)
        return sub(reduce128(hi, lo), top << 32);
    }

    public static long square(final long a)
    {
        return mul(a, a);
    }

    /** a^7, the Rescue S-box. */
    public static long exp7(final long a)
    {
        final long a2 = mul(a, a);
        final long a3 = mul(a2, a);
        final long a4 = mul(a2, a2);
        return mul(a4, a3);
    }

    /** a^e with e read as an unsigned 64-bit exponent. */
    public static long pow(final long a, final long e)
    {
        long result = 1;
        long base = a;
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

    /** Multiplicative inverse; throws for zero because zero has none. */
    public static long inv(final long a)
    {
        if (a == 0)
        {
            throw new ArithmeticException("inverse of zero");
        }
        return pow(a, P - 2);
    }

    /** A primitive 2^logN-th root of unity, the generator of the NTT domain of that size. */
    public static long twoAdicRoot(final int logN)
    {
        if (logN < 0 || logN > TWO_ADICITY)
        {
            throw new IllegalArgumentException("no 2^" + logN + "-th root of unity");
        }
        long r = ROOT_2_32;
        for (int i = logN; i < TWO_ADICITY; i++)
        {
            r = mul(r, r);
        }
        return r;
    }

    /** Inverts every element of {@code values} in place with one field inversion (Montgomery's trick). */
    public static void batchInverse(final long[] values)
    {
        final int n = values.length;
        if (n == 0)
        {
            return;
        }
        final long[] prefix = new long[n];
        long acc = 1;
        for (int i = 0; i < n; i++)
        {
            prefix[i] = acc;
            acc = mul(acc, values[i]);
        }
        long inv = inv(acc);
        for (int i = n - 1; i >= 0; i--)
        {
            final long v = values[i];
            values[i] = mul(inv, prefix[i]);
            inv = mul(inv, v);
        }
    }
}
