package io.perpetua.risk.oracle;

/**
 * The outcome of verifying an oracle price command: accepted, or the first reason to reject it.
 *
 * <p>A command is all or nothing: one bad observation rejects the whole command and changes nothing.
 * The aggregator only submits observations it has already checked, so a bad one means a faulty or
 * hostile submitter, and a partially applied price would hide that.
 */
public enum OracleVerdict
{
    /** Quorum of valid, fresh, correctly signed observations; the median is the new price. */
    ACCEPTED,
    /** An observation names a source index the market's config does not have. */
    UNKNOWN_SOURCE,
    /** Two observations from the same source: a quorum needs distinct signers. */
    DUPLICATE_SOURCE,
    /** An observation's price is zero or negative. */
    NON_POSITIVE_PRICE,
    /** An observation is older than the validity window or further ahead than the allowed clock skew. */
    OUT_OF_WINDOW,
    /** An observation is not newer than the last one accepted from its source. */
    REPLAYED,
    /** Fewer observations than the quorum. */
    NO_QUORUM,
    /** A signature is malformed or not the source's signature of (market, price, timestamp). */
    BAD_SIGNATURE,
    /** The median moves further from the last accepted price than the guard allows this soon. */
    MAX_MOVE
}
