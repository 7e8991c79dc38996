package io.perpetua.risk.view;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TriggerPrice} against {@link BigInteger} arithmetic: its predicate is exactly
 * {@code N - ceil(|N| * f / 10^6) >= floor} (where {@code N} fits 64 bits), and the triggers it returns are the exact boundaries of
 * that predicate (the mark just inside and the mark just outside), over random sizes, tick values,
 * maintenance fractions (100% included) and floors around the boundary.
 */
class TriggerPriceTest
{
    private static final BigInteger PPM = BigInteger.valueOf(1_000_000);

    private final TriggerPrice trigger = new TriggerPrice();

    @Test
    void boundariesAreExact()
    {
        final long seed = 20261206;
        final SplittableRandom random = new SplittableRandom(seed);
        int longs = 0;
        int shorts = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final long size = (random.nextBoolean() ? 1 : -1) * (1 + random.nextLong(random.nextBoolean() ? 1_000 : 10_000_000));
            final long perTickLot = 1 + random.nextLong(random.nextBoolean() ? 10 : 100_000);
            final long mmf = random.nextInt(10) == 0 ? 1_000_000 : 1 + random.nextInt(1_000_000);
            final long mark = 1 + random.nextLong(random.nextBoolean() ? 1_000 : 1_000_000);
            // A floor near the contribution at some mark, so that boundaries land in reach.
            final long floor = contribution(size, perTickLot, mmf, mark).longValueExact() +
                random.nextLong(2 * perTickLot * Math.abs(size) + 2) - perTickLot * Math.abs(size);
            final String what = "seed " + seed + " case " + i + ": size " + size + " q " + perTickLot + " mmf " + mmf +
                " floor " + floor;
            if (size > 0)
            {
                longs++;
                final long l = trigger.longTrigger(size, perTickLot, mmf, floor);
                if (l == TriggerPrice.LONG_ALWAYS)
                {
                    assertTrue(!reference(size, perTickLot, mmf, floor, Long.MAX_VALUE / (size * perTickLot)), what);
                }
                else
                {
                    assertTrue(reference(size, perTickLot, mmf, floor, l), what + " at " + l);
                    assertTrue(l == 1 || !reference(size, perTickLot, mmf, floor, l - 1), what + " below " + l);
                }
            }
            else
            {
                shorts++;
                final long u = trigger.shortTrigger(size, perTickLot, mmf, floor);
                if (u != TriggerPrice.SHORT_NEVER)
                {
                    assertTrue(!reference(size, perTickLot, mmf, floor, u + 1), what + " above " + u);
                    assertTrue(u == 0 || reference(size, perTickLot, mmf, floor, u), what + " at " + u);
                }
                else
                {
                    assertTrue(reference(size, perTickLot, mmf, floor, 1), what);
                }
            }
            // The predicate itself, at the parameters of the trigger just computed.
            final long probe = 1 + random.nextLong(2_000_000);
            assertEquals(reference(size, perTickLot, mmf, floor, probe), trigger.atOrAboveFloor(probe), what + " at " + probe);
        }
        assertTrue(longs > 1_000 && shorts > 1_000);
    }

    @Test
    void extremes()
    {
        // A long with a 100% maintenance fraction adds nothing at any mark: below a positive floor wherever its
        // notional fits 64 bits, so the trigger is the first mark where it does not.
        assertEquals(Long.MAX_VALUE / 100 + 1, trigger.longTrigger(10, 10, 1_000_000, 1));
        assertEquals(TriggerPrice.LONG_NEVER, trigger.longTrigger(10, 10, 1_000_000, 0));
        // A short below the floor even at one tick; and one above the lowest floor until its contribution
        // (-103 per tick) leaves 64 bits.
        assertEquals(TriggerPrice.SHORT_ALWAYS, trigger.shortTrigger(-10, 10, 30_000, 0));
        assertEquals(Long.MAX_VALUE / 103, trigger.shortTrigger(-10, 10, 30_000, Long.MIN_VALUE + 1));
        // Boundaries at the edge of 64 bits: 2p reaches 2^63 - 2 at p = 2^62 - 1; past it the notional overflows,
        // which counts as above any floor for a long and below any for a short.
        assertEquals(4_611_686_018_427_387_903L, trigger.longTrigger(2, 1, 0, Long.MAX_VALUE - 1));
        assertEquals(4_611_686_018_427_387_903L, trigger.shortTrigger(-2, 1, 0, -(Long.MAX_VALUE - 1)));
    }

    private static BigInteger contribution(final long size, final long perTickLot, final long mmf, final long mark)
    {
        final BigInteger notional = BigInteger.valueOf(size).multiply(BigInteger.valueOf(mark))
            .multiply(BigInteger.valueOf(perTickLot));
        final BigInteger[] qr = notional.abs().multiply(BigInteger.valueOf(mmf)).divideAndRemainder(PPM);
        final BigInteger maintenance = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return notional.subtract(maintenance);
    }

    /** As documented: a notional that does not fit 64 bits is above any floor for a long, below for a short. */
    private static boolean reference(final long size, final long perTickLot, final long mmf, final long floor, final long mark)
    {
        final BigInteger notional = BigInteger.valueOf(size).multiply(BigInteger.valueOf(mark))
            .multiply(BigInteger.valueOf(perTickLot));
        if (notional.abs().bitLength() > 62 && notional.abs().compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0)
        {
            return size > 0;
        }
        return contribution(size, perTickLot, mmf, mark).compareTo(BigInteger.valueOf(floor)) >= 0;
    }
}
