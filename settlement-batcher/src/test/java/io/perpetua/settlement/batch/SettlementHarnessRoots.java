package io.perpetua.settlement.batch;

import io.perpetua.settlement.tree.SparseRescueTree;

/** Roots of the empty trees the harness starts from. */
final class SettlementHarnessRoots
{
    private SettlementHarnessRoots()
    {
    }

    static long[] empty()
    {
        return SparseRescueTree.emptyRoot(SettlementHarness.DEPTH);
    }
}
