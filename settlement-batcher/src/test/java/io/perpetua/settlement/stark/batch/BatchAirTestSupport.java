package io.perpetua.settlement.stark.batch;

import io.perpetua.settlement.stark.rescue.RescueSponge;

/** Helpers for tests that build raw (unvalidated) batches. */
final class BatchAirTestSupport
{
    private BatchAirTestSupport()
    {
    }

    /** The commitment D of raw (account, pre, delta, post) rows, as the trace computes it. */
    static long[] commitment(final long[][] raw)
    {
        final RescueSponge sponge = new RescueSponge(raw.length, BatchAir.TAG);
        for (final long[] r : raw)
        {
            sponge.absorb(BatchExecutor.fieldBlock(r));
        }
        return sponge.digest();
    }
}
