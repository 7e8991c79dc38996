package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;

/**
 * A reusable, allocation-free {@link OracleObservations} for the core: the command's observations are
 * copied in once (a decoded repeating group is read forward only, the verifier reads by index and more
 * than once), then verified and, if accepted, applied.
 *
 * <p>It holds at most {@link #CAPACITY} observations, one more than a market can have sources, and
 * ignores the rest. That cannot change a verdict: among {@code MAX_SOURCES + 1} observations at least one
 * is a duplicate or names an unknown source, so the verifier rejects the command at or before the last
 * one kept, exactly as it would over the full list. Owned by one thread.
 */
public final class OracleObservationBuffer implements OracleObservations
{
    /** Observations kept: {@link OracleConfig#MAX_SOURCES} + 1. */
    public static final int CAPACITY = OracleConfig.MAX_SOURCES + 1;

    private static final int SIGNATURE_LENGTH = Ed25519Keys.SIGNATURE_LENGTH;

    private final int[] sourceIndexes = new int[CAPACITY];
    private final long[] prices = new long[CAPACITY];
    private final long[] timestamps = new long[CAPACITY];
    private final int[] signatureLengths = new int[CAPACITY];
    private final byte[] signatures = new byte[CAPACITY * SIGNATURE_LENGTH];
    private int count;

    /** Empties the buffer for the next command. */
    public OracleObservationBuffer clear()
    {
        count = 0;
        return this;
    }

    /**
     * Appends an observation, copying its signature from {@code signature[offset, offset + length)}; a
     * length other than 64 is kept as such and verifies as a bad signature.
     *
     * @return false if the buffer is full and the observation was ignored (see the class documentation)
     */
    public boolean add(
        final int sourceIndex,
        final long priceTicks,
        final long timestampNs,
        final byte[] signature,
        final int offset,
        final int length)
    {
        if (count == CAPACITY)
        {
            return false;
        }
        sourceIndexes[count] = sourceIndex;
        prices[count] = priceTicks;
        timestamps[count] = timestampNs;
        signatureLengths[count] = length;
        System.arraycopy(signature, offset, signatures, count * SIGNATURE_LENGTH, storedLength(length));
        count++;
        return true;
    }

    @Override
    public int count()
    {
        return count;
    }

    @Override
    public int sourceIndex(final int i)
    {
        return sourceIndexes[checked(i)];
    }

    @Override
    public long priceTicks(final int i)
    {
        return prices[checked(i)];
    }

    @Override
    public long timestampNs(final int i)
    {
        return timestamps[checked(i)];
    }

    @Override
    public int signature(final int i, final byte[] dst)
    {
        final int length = signatureLengths[checked(i)];
        System.arraycopy(signatures, i * SIGNATURE_LENGTH, dst, 0, Math.min(dst.length, storedLength(length)));
        return length;
    }

    private static int storedLength(final int length)
    {
        return Math.max(0, Math.min(length, SIGNATURE_LENGTH));
    }

    private int checked(final int i)
    {
        if (i < 0 || i >= count)
        {
            throw new IndexOutOfBoundsException("observation " + i + " of " + count);
        }
        return i;
    }
}
