package io.perpetua.settlement.stark.field;

/**
 * A prime field with modulus below 2^32, whose products fit in an unsigned {@code long}.
 *
 * <p>Why it exists: published STARK teaching material (STARK 101, field 3 * 2^30 + 1) gives known
 * answers for trace generation, interpolation and coset evaluation; running our transforms in that
 * field and matching those answers checks them independently of our own Goldilocks code.
 */
public final class SmallPrimeField implements PrimeField
{
    /** The STARK 101 field 3 * 2^30 + 1 with generator 5. */
    public static final SmallPrimeField STARK101 = new SmallPrimeField(3L * (1L << 30) + 1, 5, 30);

    private final long p;
    private final long generator;
    private final int twoAdicity;

    /**
     * @param p          prime modulus, below 2^32
     * @param generator  generator of the multiplicative group
     * @param twoAdicity largest k with 2^k dividing p - 1
     */
    public SmallPrimeField(final long p, final long generator, final int twoAdicity)
    {
        if (p <= 2 || p >= (1L << 32))
        {
            throw new IllegalArgumentException("modulus must be in (2, 2^32): " + p);
        }
        this.p = p;
        this.generator = generator;
        this.twoAdicity = twoAdicity;
    }

    @Override
    public long modulus()
    {
        return p;
    }

    @Override
    public long add(final long a, final long b)
    {
        final long s = a + b;
        return s >= p ? s - p : s;
    }

    @Override
    public long sub(final long a, final long b)
    {
        final long d = a - b;
        return d < 0 ? d + p : d;
    }

    @Override
    public long mul(final long a, final long b)
    {
        return Long.remainderUnsigned(a * b, p);
    }

    @Override
    public long inv(final long a)
    {
        if (a == 0)
        {
            throw new ArithmeticException("inverse of zero");
        }
        return pow(a, p - 2);
    }

    @Override
    public long generator()
    {
        return generator;
    }

    @Override
    public long twoAdicRoot(final int logN)
    {
        if (logN < 0 || logN > twoAdicity)
        {
            throw new IllegalArgumentException("no 2^" + logN + "-th root of unity");
        }
        return pow(generator, (p - 1) >>> logN);
    }
}
