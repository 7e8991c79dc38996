package io.perpetua.settlement.stark.field;

/**
 * A sum of Goldilocks products kept unreduced as a 192-bit integer and reduced once at the end.
 *
 * <p>Why: in dot products (DEEP composition, the Rescue MDS rows) a full reduction after every
 * product and every addition costs more than the products; adding 128-bit products with carries
 * and reducing once is about half the work. Holds up to 2^32 products. Not thread-safe: one per
 * worker.
 */
public final class Accumulator
{
    private long lo;
    private long hi;
    private long top;

    /** Adds a * b for canonical a, b. */
    public void addProduct(final long a, final long b)
    {
        addWide(Goldilocks.mulHighUnsigned(a, b), a * b);
    }

    /** Adds a canonical element. */
    public void add(final long a)
    {
        addWide(0, a);
    }

    private void addWide(final long h, final long l)
    {
        final long newLo = lo + l;
        // h <= 2^64 - 2 for a product of elements below 2^64, so h + carry does not wrap
        final long h1 = h + ((newLo ^ Long.MIN_VALUE) < (l ^ Long.MIN_VALUE) ? 1 : 0);
        final long newHi = hi + h1;
        top += (newHi ^ Long.MIN_VALUE) < (h1 ^ Long.MIN_VALUE) ? 1 : 0;
        lo = newLo;
        hi = newHi;
    }

    /** The sum modulo p; the accumulator is zero afterwards. */
    public long reduceAndReset()
    {
        final long r = Goldilocks.reduce192(top, hi, lo);
        lo = 0;
        hi = 0;
        top = 0;
        return r;
    }
}
