package io.perpetua.settlement.contract;

/** A call the settlement contract refused; it changed nothing. */
public final class ContractException extends Exception
{
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason
    {
        /** The contract is frozen: no batches, deposits or forced requests; only escapes and claims. */
        FROZEN,
        /** An escape before the contract was frozen. */
        NOT_FROZEN,
        /** Batch id other than the last accepted one plus one (replay or gap). */
        WRONG_BATCH_ID,
        /** The batch starts from another root than the contract's. */
        WRONG_PREVIOUS_ROOT,
        /** The batch's command-time range is before the previous batch or after the contract's clock. */
        TIME_WINDOW,
        /** The blob does not decode or does not hash to the batch's blob hash. */
        BLOB,
        /** Public inputs that the blob does not imply (D, n, E, fee or insurance delta, batch id, depth). */
        PUBLIC_INPUTS,
        /** The position-tree witness does not lead from the previous root to the claimed new root. */
        POSITION_TRANSITION,
        /** Re-execution: the balance-tree witness does not lead from prevRoot to newRoot. */
        BALANCE_TRANSITION,
        /** Re-execution: deltas plus fee and insurance deltas do not sum to E. */
        CONSERVATION,
        /** STARK mode: the proof does not verify under the contract's pinned parameters. */
        PROOF,
        /** The batch's deposits are not the contract's next pending deposits. */
        DEPOSITS,
        /** Deposit or forced request with a bad amount, key or account. */
        INVALID_REQUEST,
        /** A forced request whose signature does not verify under the account's key. */
        BAD_SIGNATURE,
        /** Freeze asked while no forced request is overdue. */
        NOTHING_OVERDUE,
        /** Claim with nothing claimable. */
        NOTHING_TO_CLAIM,
        /** A cancelled deposit reclaimed while a batch may still credit it (within the freeze grace of the cancellation). */
        RECLAIM_TOO_EARLY,
        /** The account already escaped. */
        ALREADY_ESCAPED,
        /** The escape's leaf and path do not lead to the last accepted root. */
        BAD_MERKLE_PROOF,
        /** Escape for a reserved ledger leaf, or a leaf with nothing to pay. */
        NOTHING_TO_ESCAPE,
        /** An escaping leaf holds a position in a market the last accepted batch did not price. */
        UNPRICED_POSITION,
        /** Arithmetic or escrow would go out of range. */
        OVERFLOW
    }

    private final Reason reason;

    public ContractException(final Reason reason, final String detail)
    {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason()
    {
        return reason;
    }
}
