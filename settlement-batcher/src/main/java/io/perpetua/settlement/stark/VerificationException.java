package io.perpetua.settlement.stark;

/**
 * A proof was rejected; {@link #reason()} says which check failed.
 *
 * <p>Why a checked exception with an enum: rejection is an expected outcome that callers (the
 * settlement contract, the CLI) must handle and report by category, not a programming error.
 */
public final class VerificationException extends Exception
{
    private static final long serialVersionUID = 1L;

    /** Which check rejected the proof. */
    public enum Reason
    {
        /** Bytes do not parse exactly into a proof of the expected shape. */
        MALFORMED_PROOF,
        /** The proof was made under parameters other than the verifier's pinned preset. */
        OPTIONS_MISMATCH,
        /** The proof's trace length is not the one the statement implies. */
        TRACE_LENGTH_MISMATCH,
        /** Public inputs are out of their documented ranges. */
        INVALID_PUBLIC_INPUTS,
        /** The composition polynomial does not match the constraints at the out-of-domain point. */
        OOD_CONSTRAINT_MISMATCH,
        /** The proof-of-work nonce does not meet the grinding target. */
        INSUFFICIENT_PROOF_OF_WORK,
        /** Opened trace rows do not hash to the trace commitment. */
        TRACE_OPENING_INVALID,
        /** Opened composition rows do not hash to the composition commitment. */
        COMPOSITION_OPENING_INVALID,
        /** Opened FRI values do not hash to a layer commitment. */
        FRI_OPENING_INVALID,
        /** A FRI layer value disagrees with the fold of the previous layer (or with the DEEP value). */
        FRI_FOLDING_MISMATCH,
        /** The last folded values disagree with the remainder polynomial. */
        FRI_REMAINDER_MISMATCH,
        /** State-update chunks do not chain from prevRoot to newRoot, cover n updates and hash to D. */
        STATE_CHAIN_MISMATCH
    }

    private final Reason reason;

    public VerificationException(final Reason reason, final String detail)
    {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason()
    {
        return reason;
    }
}
