package io.perpetua.settlement.stark.rescue;

import java.util.SplittableRandom;

import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RescuePrimeTest
{
    /** Winterfell rp64_256 tests.rs apply_permutation: permuting [0..11]. */
    @Test
    void permutationKnownAnswer()
    {
        final long[] state = new long[12];
        for (int i = 0; i < 12; i++)
        {
            state[i] = i;
        }
        RescuePrime.permute(state);
        final long[] expected = {
            Long.parseUnsignedLong("11084501481526603421"), Long.parseUnsignedLong("6291559951628160880"),
            Long.parseUnsignedLong("13626645864671311919"), Long.parseUnsignedLong("18397438323058963117"),
            Long.parseUnsignedLong("7443014167353970324"), Long.parseUnsignedLong("17930833023906771425"),
            Long.parseUnsignedLong("4275355080008025761"), Long.parseUnsignedLong("7676681476902901785"),
            Long.parseUnsignedLong("3460534574143792217"), Long.parseUnsignedLong("11912731278641497187"),
            Long.parseUnsignedLong("8104899243369883110"), Long.parseUnsignedLong("674509706691634438")};
        assertArrayEquals(expected, state);
    }

    @Test
    void inverseMdsAndSboxExponents()
    {
        for (int i = 0; i < 12; i++)
        {
            for (int j = 0; j < 12; j++)
            {
                long acc = 0;
                for (int k = 0; k < 12; k++)
                {
                    acc = Goldilocks.add(acc, Goldilocks.mul(RescuePrime.MDS[i][k], RescuePrime.INV_MDS[k][j]));
                }
                assertEquals(i == j ? 1 : 0, acc);
            }
        }
        // the published first entry of Winterfell's INV_MDS
        assertEquals(Long.parseUnsignedLong("14868391535953158196"), RescuePrime.INV_MDS[0][0]);
        final long x = 123456789;
        assertEquals(x, Goldilocks.pow(Goldilocks.exp7(x), RescuePrime.INV_ALPHA));
        final SplittableRandom rnd = new SplittableRandom(8);
        for (int i = 0; i < 1000; i++)
        {
            final long v = Goldilocks.fromUnsigned(rnd.nextLong());
            final long[] lanes = new long[12];
            for (int k = 0; k < 12; k++)
            {
                lanes[k] = k == 0 ? v : Goldilocks.fromUnsigned(rnd.nextLong());
            }
            final long[] roots = lanes.clone();
            RescuePrime.invSbox(roots);
            for (int k = 0; k < 12; k++)
            {
                assertEquals(Goldilocks.pow(lanes[k], RescuePrime.INV_ALPHA), roots[k], "addition chain, lane " + k);
            }
            final long[] state = new long[12];
            for (int k = 0; k < 12; k++)
            {
                state[k] = i == 0 ? Goldilocks.P - 1 : Goldilocks.fromUnsigned(rnd.nextLong());
            }
            final long[] naive = new long[12];
            for (int r = 0; r < 12; r++)
            {
                for (int c = 0; c < 12; c++)
                {
                    naive[r] = Goldilocks.add(naive[r], Goldilocks.mul(RescuePrime.MDS[r][c], state[c]));
                }
            }
            assertArrayEquals(naive, RescuePrime.applyMds(state), "MDS with split halves");
        }
    }

    @Test
    void mergeEqualsHashOfEightElementsAndPaddingMatters()
    {
        final SplittableRandom rnd = new SplittableRandom(9);
        final long[] a = new long[4];
        final long[] b = new long[4];
        final long[] all = new long[8];
        for (int i = 0; i < 4; i++)
        {
            a[i] = Goldilocks.fromUnsigned(rnd.nextLong());
            b[i] = Goldilocks.fromUnsigned(rnd.nextLong());
            all[i] = a[i];
            all[4 + i] = b[i];
        }
        assertArrayEquals(RescuePrime.hashElements(all), RescuePrime.merge(a, b));
        assertNotEquals(RescuePrime.hashElements(new long[] {1, 2})[0], RescuePrime.hashElements(new long[] {1, 2, 0})[0]);
    }

    /** The AIR form of a round is zero exactly on a real round transition. */
    @Test
    void roundConstraintsVanishOnRealRoundsOnly()
    {
        final long[][] ark = RescueConstraints.roundConstantColumns(new int[] {0, 1, 2, 3, 4, 5, 6});
        final long[] state = new long[12];
        for (int i = 0; i < 12; i++)
        {
            state[i] = 1000 + i;
        }
        for (int r = 0; r < RescuePrime.ROUNDS; r++)
        {
            final long[] next = state.clone();
            RescuePrime.applyRound(next, r);
            final long[] periodic = new long[24];
            for (int c = 0; c < 24; c++)
            {
                periodic[c] = ark[c][r];
            }
            final long[] out = new long[12];
            RescueConstraints.evaluateRound(Extension.BASE, state, 0, next, 0, periodic, 0, out, 0);
            assertArrayEquals(new long[12], out, "round " + r);
            next[5] = Goldilocks.add(next[5], 1);
            RescueConstraints.evaluateRound(Extension.BASE, state, 0, next, 0, periodic, 0, out, 0);
            for (final long v : out)
            {
                assertNotEquals(0, v);
            }
            System.arraycopy(next, 0, state, 0, 12);
            state[5] = Goldilocks.sub(state[5], 1);
        }
    }
}
