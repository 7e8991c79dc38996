package io.perpetua.settlement.stark.field;

/**
 * A prime field with a large power-of-two subgroup, as the NTT and polynomial code see it.
 *
 * <p>Why an interface: the proof system runs over {@link Goldilocks}, but the same transforms are
 * checked against published known answers in other fields (STARK 101 uses 3 * 2^30 + 1), so the
 * transforms are written once against this seam. Elements are canonical {@code long}s.
 */
public interface PrimeField
{
    /** The Goldilocks field, the one every proof uses. */
    PrimeField GOLDILOCKS = new GoldilocksField();

    long modulus();

    long add(long a, long b);

    long sub(long a, long b);

    long mul(long a, long b);

    long inv(long a);

    /** A generator of the multiplicative group, used as the coset shift of low-degree extensions. */
    long generator();

    /** A primitive 2^logN-th root of unity. */
    long twoAdicRoot(int logN);

    default long neg(final long a)
    {
        return sub(0, a);
    }

    default long pow(final long a, final long e)
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
}
