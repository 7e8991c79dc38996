package io.perpetua.settlement.contract;

/** How the contract convinces itself that a batch's balances are right. */
public enum VerificationMode
{
    /** Verify the STARK batch proof (balance tree, ranges, conservation, D) under pinned parameters. */
    STARK,
    /** Recompute the balance-tree root from prevRoot and the blob's witness, and the sums, as an auditor would. */
    RE_EXECUTION
}
