package io.perpetua.settlement.stark.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random valid batches for tests. */
final class BatchFixtures
{
    static final long[] PREV_ROOT = {1, 2, 3, 4};
    static final long[] NEW_ROOT = {5, 6, 7, 8};

    private BatchFixtures()
    {
    }

    static List<BatchRecord> randomRecords(final int n, final SplittableRandom rnd)
    {
        final List<BatchRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final long pre = rnd.nextLong(-(1L << 40), 1L << 40);
            final long delta = rnd.nextInt(8) == 0 ? (rnd.nextBoolean() ? (1L << 48) - 1 : -(1L << 48) + 1)
                : rnd.nextLong(-(1L << 30), 1L << 30);
            records.add(new BatchRecord(rnd.nextLong(1L << 20), pre, delta, pre + delta));
        }
        return records;
    }

    static BatchPublicInputs inputsFor(final List<BatchRecord> records)
    {
        return BatchExecutor.publicInputs(7, PREV_ROOT, NEW_ROOT, records, 1234, -56);
    }
}
