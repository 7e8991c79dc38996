package io.perpetua.risk.oracle;

import java.util.Arrays;

/**
 * One market's oracle state, owned by the core thread: the last accepted price and when it was
 * accepted, and per source the timestamp of its last accepted observation, so that an old signed
 * observation can never be accepted again.
 *
 * <p>For snapshots and the state hash the state is a flat list of longs ({@link #fieldCount()},
 * {@link #field(int)}), in this order:
 * <pre>
 * 0      sourceCount
 * 1      lastPriceTicks        0 while no price was ever accepted
 * 2      lastAcceptedNs        command time of that acceptance; Long.MIN_VALUE while none
 * 3 + i  lastObservationNs(i)  per source; Long.MIN_VALUE while none
 * </pre>
 * {@link #writeTo(long[], int)} writes exactly that list and {@link #readFrom(long[], int)} restores it.
 */
public final class OracleState
{
    /** Marks "never" in the time fields. */
    public static final long NONE = Long.MIN_VALUE;

    private static final int HEADER_FIELDS = 3;

    private final long[] lastObservationNs;
    private long lastPriceTicks;
    private long lastAcceptedNs = NONE;

    /** A state with no price yet, for a market with {@code sourceCount} sources. */
    public OracleState(final int sourceCount)
    {
        if (sourceCount < 1 || sourceCount > OracleConfig.MAX_SOURCES)
        {
            throw new IllegalArgumentException(
                "oracle state needs 1 to " + OracleConfig.MAX_SOURCES + " sources, not " + sourceCount);
        }
        lastObservationNs = new long[sourceCount];
        Arrays.fill(lastObservationNs, NONE);
    }

    /** A state with no price yet, sized for {@code config}. */
    public static OracleState forConfig(final OracleConfig config)
    {
        return new OracleState(config.sourceCount());
    }

    public int sourceCount()
    {
        return lastObservationNs.length;
    }

    public boolean hasPrice()
    {
        return lastPriceTicks > 0;
    }

    /** The last accepted price in ticks; 0 while there is none. */
    public long lastPriceTicks()
    {
        return lastPriceTicks;
    }

    /** Command time at which the last price was accepted; {@link #NONE} while there is none. */
    public long lastAcceptedNs()
    {
        return lastAcceptedNs;
    }

    /** Timestamp of the last accepted observation of {@code source}; {@link #NONE} while there is none. */
    public long lastObservationNs(final int source)
    {
        return lastObservationNs[source];
    }

    /**
     * Records a price {@link OracleVerifier} accepted: call it with the same command time and
     * observations, and the verifier's median, and only after an {@link OracleVerdict#ACCEPTED}.
     *
     * @throws IllegalArgumentException if the price is not positive or a source index is out of range,
     *                                  which cannot happen for a verified set
     */
    public void accept(final long commandTimeNs, final long medianPriceTicks, final OracleObservations observations)
    {
        if (medianPriceTicks <= 0)
        {
            throw new IllegalArgumentException("accepted price must be positive, not " + medianPriceTicks);
        }
        final int count = observations.count();
        for (int i = 0; i < count; i++)
        {
            final int source = observations.sourceIndex(i);
            if (source < 0 || source >= lastObservationNs.length)
            {
                throw new IllegalArgumentException("source index " + source + " out of range: not a verified set");
            }
        }
        for (int i = 0; i < count; i++)
        {
            final int source = observations.sourceIndex(i);
            lastObservationNs[source] = Math.max(lastObservationNs[source], observations.timestampNs(i));
        }
        lastPriceTicks = medianPriceTicks;
        lastAcceptedNs = commandTimeNs;
    }

    /** Number of longs in the snapshot form: 3 + sourceCount. */
    public int fieldCount()
    {
        return HEADER_FIELDS + lastObservationNs.length;
    }

    /** Field {@code index} of the snapshot form (see the class documentation); for hashing. */
    public long field(final int index)
    {
        switch (index)
        {
            case 0:
                return lastObservationNs.length;
            case 1:
                return lastPriceTicks;
            case 2:
                return lastAcceptedNs;
            default:
                return lastObservationNs[index - HEADER_FIELDS];
        }
    }

    /**
     * Writes the snapshot form into {@code dst} from {@code offset}.
     *
     * @return the number of longs written, {@link #fieldCount()}
     */
    public int writeTo(final long[] dst, final int offset)
    {
        final int count = fieldCount();
        for (int i = 0; i < count; i++)
        {
            dst[offset + i] = field(i);
        }
        return count;
    }

    /**
     * Restores this state from a snapshot form written by {@link #writeTo(long[], int)}.
     *
     * @return the number of longs read
     * @throws IllegalArgumentException if the form is for another number of sources or is inconsistent;
     *                                  the state is unchanged then
     */
    public int readFrom(final long[] src, final int offset)
    {
        final int count = fieldCount();
        if (src.length - offset < HEADER_FIELDS || src[offset] != lastObservationNs.length)
        {
            throw new IllegalArgumentException("oracle snapshot is not for " + lastObservationNs.length + " sources");
        }
        if (src.length - offset < count)
        {
            throw new IllegalArgumentException("oracle snapshot is truncated: " + (src.length - offset) + " of " +
                count + " fields");
        }
        final long priceTicks = src[offset + 1];
        final long acceptedNs = src[offset + 2];
        if (priceTicks < 0 || (priceTicks == 0) != (acceptedNs == NONE))
        {
            throw new IllegalArgumentException("oracle snapshot is inconsistent: price " + priceTicks +
                " accepted at " + acceptedNs);
        }
        lastPriceTicks = priceTicks;
        lastAcceptedNs = acceptedNs;
        System.arraycopy(src, offset + HEADER_FIELDS, lastObservationNs, 0, lastObservationNs.length);
        return count;
    }

    @Override
    public String toString()
    {
        return "OracleState{lastPriceTicks=" + lastPriceTicks + ", lastAcceptedNs=" + lastAcceptedNs +
            ", lastObservationNs=" + Arrays.toString(lastObservationNs) + '}';
    }
}
