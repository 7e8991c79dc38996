package io.perpetua.settlement.stark.batch;

import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.rescue.RescueConstraints;
import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.rescue.RescuePrime;

/** Crafts Rescue round outputs that violate exactly one of the 12 round constraints. */
final class RescueForgery
{
    private RescueForgery()
    {
    }

    /**
     * A next state for round {@code round} from {@code cur} such that the AIR round constraint is
     * zero in every component except {@code k}, where it is 1: solve (MDS^-1 (next - ARK2))^7 =
     * MDS(cur^7) + ARK1 + e_k by taking 7th roots (x^7 is a bijection on Goldilocks).
     */
    static long[] roundOutputOffBy(final long[] cur, final int round, final int k)
    {
        final long[][] ark = RescueConstraints.roundConstantColumns(new int[] {0, 1, 2, 3, 4, 5, 6});
        final long[] periodic = new long[24];
        for (int c = 0; c < 24; c++)
        {
            periodic[c] = ark[c][round];
        }
        // step1 = MDS(cur^7) + ARK1, obtained from the constraint with next = 0 shifted back
        final long[] zeroNext = new long[12];
        for (int c = 0; c < 12; c++)
        {
            zeroNext[c] = periodic[12 + c];
        }
        final long[] out = new long[12];
        RescueConstraints.evaluateRound(Extension.BASE, cur, 0, zeroNext, 0, periodic, 0, out, 0);
        // with next = ARK2, step2 = 0 so out = -step1
        final long[] target = new long[12];
        for (int c = 0; c < 12; c++)
        {
            target[c] = Goldilocks.neg(out[c]);
        }
        target[k] = Goldilocks.add(target[k], 1);
        final long invAlpha = Long.parseUnsignedLong("10540996611094048183");
        final long[] u = new long[12];
        for (int c = 0; c < 12; c++)
        {
            u[c] = Goldilocks.pow(target[c], invAlpha);
        }
        final long[] next = RescuePrime.applyMds(u);
        for (int c = 0; c < 12; c++)
        {
            next[c] = Goldilocks.add(next[c], periodic[12 + c]);
        }
        return next;
    }
}
