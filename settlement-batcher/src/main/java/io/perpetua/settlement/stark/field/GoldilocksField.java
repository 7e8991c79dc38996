package io.perpetua.settlement.stark.field;

/** {@link PrimeField} view of {@link Goldilocks}; a stateless adapter so generic code can use it. */
final class GoldilocksField implements PrimeField
{
    @Override
    public long modulus()
    {
        return Goldilocks.P;
    }

    @Override
    public long add(final long a, final long b)
    {
        return Goldilocks.add(a, b);
    }

    @Override
    public long sub(final long a, final long b)
    {
        return Goldilocks.sub(a, b);
    }

    @Override
    public long mul(final long a, final long b)
    {
        return Goldilocks.mul(a, b);
    }

    @Override
    public long inv(final long a)
    {
        return Goldilocks.inv(a);
    }

    @Override
    public long generator()
    {
        return Goldilocks.GENERATOR;
    }

    @Override
    public long twoAdicRoot(final int logN)
    {
        return Goldilocks.twoAdicRoot(logN);
    }
}
