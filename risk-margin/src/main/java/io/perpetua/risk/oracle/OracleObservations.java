package io.perpetua.risk.oracle;

/**
 * The signed observations carried by one oracle price command, read by index so that the core can
 * back it by the command's repeating group without copying into objects.
 *
 * <p>All observations are for the market of the {@link OracleConfig} they are verified against; a
 * source is addressed by its index in that config's source list.
 */
public interface OracleObservations
{
    /** Number of observations. */
    int count();

    /** Index of the signing source in {@link OracleConfig}'s source list. */
    int sourceIndex(int i);

    /** The observed price, in the market's price ticks. */
    long priceTicks(int i);

    /** When the source observed the price, in nanoseconds since the Unix epoch (the source's clock). */
    long timestampNs(int i);

    /**
     * Copies the observation's signature into {@code dst} (at most {@code dst.length} bytes) and returns
     * the signature's full length; any length other than 64 makes it a bad signature.
     */
    int signature(int i, byte[] dst);
}
