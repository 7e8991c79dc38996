package io.perpetua.gateway.trading;

/**
 * Where the trading API's {@code oraclePrice} requests go: the node's oracle, which checks each
 * signed source price against the market's configured source keys and turns a fresh quorum into an
 * {@code OraclePrice} command. Called from I/O threads.
 */
@FunctionalInterface
public interface OracleInbox
{
    /** What became of one signed source price. */
    enum Outcome
    {
        /** Taken, and it completed a quorum: an {@code OraclePrice} command was submitted. */
        SUBMITTED,
        /** Taken; waiting for a quorum of fresh prices (or for the ring to take the command). */
        PENDING,
        /** The market has no oracle source with that index. */
        UNKNOWN_SOURCE,
        /** The signature is not the source's over (market, price, timestamp). */
        BAD_SIGNATURE,
        /** Not newer than the last price taken from that source. */
        NOT_NEWER
    }

    /**
     * Offers one source's signed price.
     *
     * @param price       in the market's price units (what the source signed)
     * @param timestampNs the observation time the source signed, epoch nanoseconds
     * @param signature   64-byte Ed25519 signature of {@code io.perpetua.risk.oracle.OracleMessage}
     */
    Outcome offer(int marketId, int sourceIndex, long price, long timestampNs, byte[] signature);
}
