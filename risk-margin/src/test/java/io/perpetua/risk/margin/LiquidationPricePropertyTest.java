package io.perpetua.risk.margin;

import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.TestRandom;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The allocation-free liquidation price against the BigInteger formula it replaced. */
class LiquidationPricePropertyTest
{
    private static final long[] EXTREMES = {
        0, 1, -1, 2, -2, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1L << 62, -(1L << 62),
        1L << 32, -(1L << 32), FixedPoint.PPM, -FixedPoint.PPM, FixedPoint.PPM - 1, FixedPoint.PPM + 1, 30_000};
    private static final BigInteger PPM = BigInteger.valueOf(FixedPoint.PPM);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @Test
    void agreesWithTheBigIntegerFormula()
    {
        final long seed = TestRandom.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        final LiquidationPrice price = new LiquidationPrice();
        for (int i = 0; i < 200_000; i++)
        {
            // Not Long.MIN_VALUE lots: the old formula took Math.abs of it, which stays negative.
            final long size = Math.max(Long.MIN_VALUE + 1, value(random));
            final long quantums = random.nextBoolean() ? Math.abs(value(random)) : value(random);
            final long mmf = random.nextBoolean() ? random.nextLong(0, 1_000_001) : value(random);
            final long others = value(random);
            final long othersMaintenance = value(random);
            assertEquals(byBigInteger(size, quantums, mmf, others, othersMaintenance),
                price.ticks(size, quantums, mmf, others, othersMaintenance),
                "seed " + seed + ": ticks(" + size + ", " + quantums + ", " + mmf + ", " + others + ", " +
                    othersMaintenance + ")");
        }
    }

    /** The former LiquidationPrice.ticks. */
    private static long byBigInteger(
        final long sizeLots, final long quantumsPerTickLot, final long maintenancePpm, final long othersNetCollateral,
        final long othersMaintenance)
    {
        final BigInteger perTick = BigInteger.valueOf(quantumsPerTickLot).multiply(
            BigInteger.valueOf(sizeLots).multiply(PPM).subtract(BigInteger.valueOf(Math.abs(sizeLots)).multiply(
                BigInteger.valueOf(maintenancePpm))));
        if (perTick.signum() == 0)
        {
            return 0;
        }
        final BigInteger deficit = BigInteger.valueOf(othersMaintenance).subtract(BigInteger.valueOf(othersNetCollateral))
            .multiply(PPM);
        final BigInteger[] qr = deficit.divideAndRemainder(perTick);
        final BigInteger price = sizeLots > 0 && qr[1].signum() != 0 && deficit.signum() == perTick.signum() ?
            qr[0].add(BigInteger.ONE) : qr[0];
        return price.signum() <= 0 ? 0 : price.min(MAX).longValue();
    }

    private static long value(final SplittableRandom random)
    {
        return TestRandom.edgeBiased(random, EXTREMES);
    }
}
