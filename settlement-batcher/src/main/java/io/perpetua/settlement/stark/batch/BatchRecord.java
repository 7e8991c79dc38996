package io.perpetua.settlement.stark.batch;

/**
 * One settled balance change in a batch: an account's quote balance moves from {@code preBalance}
 * by {@code delta} to {@code postBalance} (quote quantums, signed).
 *
 * <p>Why these bounds: the proof works in a 64-bit prime field, where "the deltas sum to E" means
 * nothing unless each term is known to be small (p - x would forge -x). The batch AIR enforces
 * -2^48 &lt;= delta &lt; 2^48 and -2^62 &lt;= post &lt; 2^62 by bit decomposition; this type refuses
 * anything outside the stricter |delta| &lt; 2^48, |post| &lt; 2^62 before a trace is ever built.
 *
 * @param accountId   account (leaf index in the position tree), non-negative
 * @param preBalance  balance before the batch
 * @param delta       change applied by the batch
 * @param postBalance balance after; must equal preBalance + delta
 */
public record BatchRecord(long accountId, long preBalance, long delta, long postBalance)
{
    /** Exclusive bound on |delta|. */
    public static final long DELTA_BOUND = 1L << 48;
    /** Exclusive bound on |balance|. */
    public static final long BALANCE_BOUND = 1L << 62;

    public BatchRecord
    {
        if (accountId < 0)
        {
            throw new IllegalArgumentException("account id must be non-negative");
        }
        if (Math.abs(delta) >= DELTA_BOUND)
        {
            throw new IllegalArgumentException("|delta| must be below 2^48: " + delta);
        }
        if (postBalance <= -BALANCE_BOUND || postBalance >= BALANCE_BOUND || preBalance <= -BALANCE_BOUND || preBalance >= BALANCE_BOUND)
        {
            throw new IllegalArgumentException("|balance| must be below 2^62");
        }
        if (preBalance + delta != postBalance)
        {
            throw new IllegalArgumentException("post balance must equal pre balance + delta");
        }
    }
}
