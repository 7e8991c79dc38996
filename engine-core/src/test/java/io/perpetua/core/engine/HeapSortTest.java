package io.perpetua.core.engine;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The engine's allocation-free sort of collected order ids against {@link Arrays#sort(long[])}. */
class HeapSortTest
{
    @Test
    void sortsLikeArraysSortWhateverTheInputOrder()
    {
        final long seed = Seeds.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 2_000; round++)
        {
            final int count = random.nextInt(40);
            final long[] values = new long[count + random.nextInt(5)];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(50);
            }
            switch (round % 4)
            {
                case 0 -> Arrays.sort(values, 0, count);
                case 1 ->
                {
                    Arrays.sort(values, 0, count);
                    for (int i = 0; i < count / 2; i++)
                    {
                        final long t = values[i];
                        values[i] = values[count - 1 - i];
                        values[count - 1 - i] = t;
                    }
                }
                case 2 ->
                {
                    Arrays.sort(values, 0, count);
                    if (count > 1)
                    {
                        // Sorted but for one order out of place, as after a conditional order fires.
                        final int at = random.nextInt(count - 1);
                        final long t = values[at];
                        values[at] = values[at + 1];
                        values[at + 1] = t;
                    }
                }
                default ->
                {
                }
            }
            final long[] expected = values.clone();
            Arrays.sort(expected, 0, count);
            final long[] actual = values.clone();
            MatchingEngine.heapSort(actual, count);
            assertArrayEquals(expected, actual, "round " + round + " (seed " + seed + ")");
        }
    }
}
