package io.perpetua.risk.ledger;

import io.perpetua.core.testing.SteadyStateAllocation;
import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.TestRandom;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allocation-free 128- and 256-bit arithmetic (ProRata, Funding, WideInteger) against the
 * BigInteger formulas it replaced, on seeded random operands weighted towards the extremes.
 */
class ExactArithmeticTest
{
    private static final long[] EXTREMES = {
        0, 1, -1, 2, -2, 3, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE, Long.MIN_VALUE + 1,
        Long.MIN_VALUE + 2, 1L << 32, -(1L << 32), (1L << 32) - 1, 1L << 62, -(1L << 62), (1L << 63) - (1L << 31),
        Funding.INDEX_SCALE, -Funding.INDEX_SCALE, Funding.INDEX_SCALE - 1, FixedPoint.PPM, 3_037_000_499L,
        -3_037_000_500L};

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger PAYMENT_MIN = BigInteger.valueOf(Long.MIN_VALUE + 1);

    @Test
    void shareAgreesWithTheBigIntegerFormula()
    {
        final long seed = TestRandom.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++)
        {
            // The contract: 0 <= part <= whole, whole > 0 (a zero whole is rejected, as BigInteger rejected it).
            final long value = operand(random);
            final long whole = operand(random) == 0 ? 0 : Math.max(1, Math.abs(operand(random)));
            final long part = whole == 0 ? operand(random) : random.nextInt(3) == 0 ? whole : random.nextLong(whole);
            assertSame(() -> shareByBigInteger(value, part, whole), () -> ProRata.share(value, part, whole),
                "seed " + seed + ": share(" + value + ", " + part + ", " + whole + ")");
        }
    }

    @Test
    void fundingPaymentAgreesWithTheBigIntegerFormula()
    {
        final long seed = TestRandom.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++)
        {
            final long delta = operand(random);
            final long size = operand(random);
            assertEquals(paymentByBigInteger(delta, size), Funding.payment(delta, size),
                "seed " + seed + ": payment(" + delta + ", " + size + ")");
        }
        for (final long a : EXTREMES)
        {
            for (final long b : EXTREMES)
            {
                assertEquals(paymentByBigInteger(a, b), Funding.payment(a, b), "payment(" + a + ", " + b + ")");
            }
        }
    }

    @Test
    void quotientsOfProductsAgreeWithBigInteger()
    {
        final long seed = TestRandom.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        final WideInteger numerator = new WideInteger();
        final WideInteger divisor = new WideInteger();
        for (int i = 0; i < 200_000; i++)
        {
            final long[] top = operands(random, 1 + random.nextInt(4));
            final long[] bottom = operands(random, 1 + random.nextInt(3));
            for (int j = 0; j < bottom.length; j++)
            {
                bottom[j] = bottom[j] == Long.MIN_VALUE || random.nextBoolean() ? bottom[j] : Math.abs(bottom[j]);
            }
            final BigInteger n = product(top);
            final BigInteger d = product(bottom);
            final String where = "seed " + seed + ": " + n + " / " + d;
            product(numerator, top);
            product(divisor, bottom);
            assertEquals(n.signum(), numerator.signum(), where);
            assertSame(() -> ceilByBigInteger(n, d), () -> numerator.ceilDivide(divisor), where + " ceil");
            assertSame(() -> floorByBigInteger(n, d), () -> numerator.floorDivide(divisor), where + " floor");
            assertSame(() -> truncateByBigInteger(n, d), () -> numerator.truncateDivide(divisor), where + " truncate");
            assertEquals(Integer.signum(n.compareTo(d)), numerator.compareTo(divisor), where + " compare");
        }
    }

    @Test
    void quotientsAtTheEdgesOfALong()
    {
        final WideInteger n = new WideInteger();
        final WideInteger d = new WideInteger();
        // 2^63 / 1: no positive long, but its negation is Long.MIN_VALUE.
        assertThrows(ArithmeticException.class, () -> n.set(Long.MIN_VALUE).multiply(-1).ceilDivide(d.set(1)));
        assertEquals(Long.MIN_VALUE, n.set(Long.MIN_VALUE).ceilDivide(d.set(1)));
        assertEquals(Long.MIN_VALUE, n.set(Long.MIN_VALUE).multiply(3).floorDivide(d.set(3)));
        // -(2^64 + 1) / 2: the ceiling is Long.MIN_VALUE, the floor one below it.
        assertEquals(Long.MIN_VALUE, n.set(-274_177).multiply(67_280_421_310_721L).ceilDivide(d.set(2)));
        assertThrows(ArithmeticException.class, () -> n.set(-274_177).multiply(67_280_421_310_721L).floorDivide(d.set(2)));
        assertEquals(Long.MIN_VALUE, n.set(-274_177).multiply(67_280_421_310_721L).truncateDivide(d.set(2)));
        assertEquals(Long.MAX_VALUE, n.set(Long.MAX_VALUE).multiply(Long.MAX_VALUE).truncateDivide(d.set(Long.MAX_VALUE)));
        assertThrows(ArithmeticException.class,
            () -> n.set(Long.MAX_VALUE).multiply(Long.MAX_VALUE).multiply(2).ceilDivide(d.set(Long.MAX_VALUE)));
        // A quotient of 2^64 (a shift of 64 bits) and of 2^64 - 1.
        assertThrows(ArithmeticException.class, () -> n.set(-1).multiply(Long.MIN_VALUE).multiply(4).floorDivide(d.set(2)));
        assertThrows(ArithmeticException.class, () -> n.set(-1).multiply(Long.MIN_VALUE).multiply(4).ceilDivide(d.set(4)));
        assertThrows(ArithmeticException.class, () -> n.set(1).ceilDivide(d.set(0)));
        assertThrows(ArithmeticException.class, () -> n.set(1).ceilDivide(d.set(-1)));
        assertThrows(ArithmeticException.class, () -> ProRata.share(Long.MAX_VALUE, Long.MAX_VALUE, 0));
        // Four factors of 2^63 fit 256 bits; a fifth does not.
        n.set(Long.MIN_VALUE).multiply(Long.MIN_VALUE).multiply(Long.MIN_VALUE).multiply(Long.MIN_VALUE);
        assertThrows(ArithmeticException.class, () -> n.multiply(Long.MIN_VALUE));
        assertEquals(1, n.set(Long.MIN_VALUE).multiply(Long.MIN_VALUE).multiply(Long.MIN_VALUE).multiply(Long.MIN_VALUE)
            .multiply(8).signum(), "2^255 still fits");
        assertEquals(0, n.set(0).multiply(Long.MIN_VALUE).signum());
    }

    @Test
    void theWidePathsAllocateNothing()
    {
        final WideInteger numerator = new WideInteger();
        final WideInteger denominator = new WideInteger();
        final long[] sink = new long[1];
        final SteadyStateAllocation allocation = SteadyStateAllocation.measure(phase ->
        {
            for (int i = 0; i < 20_000; i++)
            {
                // Every operand past 64 bits, as the liquidation of a large account would have them.
                sink[0] += ProRata.share(Long.MAX_VALUE - i, Long.MAX_VALUE / 3 + i, Long.MAX_VALUE / 2);
                sink[0] += Funding.payment(-(1L << 60) - i, 1L << 20);
                sink[0] += numerator.set(-(1L << 50) - i).multiply(1L << 40).multiply(3 + i)
                    .ceilDivide(denominator.set(1L << 45).multiply(1_000_000).multiply(7));
            }
        });
        // The first phase warms up and allocates while the JIT works; a later one must come out clean.
        assertTrue(allocation.reachedZero(), "20,000 rounds a phase (sink " + sink[0] + "): " + allocation);
    }

    private static long shareByBigInteger(final long value, final long part, final long whole)
    {
        if (part == whole)
        {
            return value;
        }
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(part)).divide(BigInteger.valueOf(whole)).longValueExact();
    }

    private static long paymentByBigInteger(final long indexDelta, final long sizeLots)
    {
        final BigInteger[] qr = BigInteger.valueOf(indexDelta).multiply(BigInteger.valueOf(sizeLots))
            .divideAndRemainder(BigInteger.valueOf(Funding.INDEX_SCALE));
        final BigInteger ceil = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        return ceil.compareTo(LONG_MAX) > 0 || ceil.compareTo(PAYMENT_MIN) < 0 ? FixedPoint.OVERFLOW : ceil.longValue();
    }

    /** The Liquidator's former ProRata.ceilDiv: truncate, then up by one for a positive remainder. */
    private static long ceilByBigInteger(final BigInteger n, final BigInteger d)
    {
        requirePositive(d);
        final BigInteger[] qr = n.divideAndRemainder(d);
        return (qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0]).longValueExact();
    }

    private static long floorByBigInteger(final BigInteger n, final BigInteger d)
    {
        requirePositive(d);
        final BigInteger[] qr = n.divideAndRemainder(d);
        return (qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0]).longValueExact();
    }

    private static long truncateByBigInteger(final BigInteger n, final BigInteger d)
    {
        requirePositive(d);
        return n.divide(d).longValueExact();
    }

    private static void requirePositive(final BigInteger d)
    {
        if (d.signum() <= 0)
        {
            throw new ArithmeticException("divisor must be positive");
        }
    }

    /** Both return the same long, or both throw ArithmeticException. */
    private static void assertSame(final LongSupplier expected, final LongSupplier actual, final String where)
    {
        long want;
        try
        {
            want = expected.getAsLong();
        }
        catch (final ArithmeticException ex)
        {
            assertThrows(ArithmeticException.class, actual::getAsLong, where);
            return;
        }
        assertEquals(want, actual.getAsLong(), where);
    }

    private static BigInteger product(final long[] factors)
    {
        BigInteger product = BigInteger.ONE;
        for (final long factor : factors)
        {
            product = product.multiply(BigInteger.valueOf(factor));
        }
        return product;
    }

    private static void product(final WideInteger target, final long[] factors)
    {
        target.set(factors[0]);
        for (int i = 1; i < factors.length; i++)
        {
            target.multiply(factors[i]);
        }
    }

    private static long[] operands(final SplittableRandom random, final int count)
    {
        final long[] operands = new long[count];
        for (int i = 0; i < count; i++)
        {
            operands[i] = operand(random);
        }
        return operands;
    }

    private static long operand(final SplittableRandom random)
    {
        return TestRandom.edgeBiased(random, EXTREMES);
    }
}
