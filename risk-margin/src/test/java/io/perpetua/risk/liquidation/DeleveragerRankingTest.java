package io.perpetua.risk.liquidation;

import io.perpetua.risk.TestRandom;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The allocation-free rank comparison against the BigInteger fractions it replaced. */
class DeleveragerRankingTest
{
    private static final long[] EXTREMES = {
        0, 1, -1, 2, -2, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1L << 62, -(1L << 62),
        1L << 32, -(1L << 32), 1_000_000, -1_000_000};

    @Test
    void ranksCompareAsTheBigIntegerFractionsDid()
    {
        final long seed = TestRandom.seed();
        final SplittableRandom random = new SplittableRandom(seed);
        final Deleverager.Ranking ranking = new Deleverager.Ranking();
        for (int i = 0; i < 200_000; i++)
        {
            final Deleverager.Candidate a = candidate(random);
            final Deleverager.Candidate b = random.nextInt(8) == 0 ?
                new Deleverager.Candidate(a.accountId() + 1, a.sizeLots(), a.costBasis(), a.notional(), a.netCollateral()) :
                candidate(random);
            assertEquals(Integer.signum(compareByBigInteger(a, b)), Integer.signum(ranking.compare(a, b)),
                "seed " + seed + ": " + a + " vs " + b);
        }
    }

    /** The former Candidate.compareTo over the former Deleverager.candidate's fractions. */
    private static int compareByBigInteger(final Deleverager.Candidate a, final Deleverager.Candidate b)
    {
        final BigInteger[] rankA = rank(a);
        final BigInteger[] rankB = rank(b);
        final int byRank = rankB[0].multiply(rankA[1]).compareTo(rankA[0].multiply(rankB[1]));
        return byRank != 0 ? byRank : Long.compare(a.accountId(), b.accountId());
    }

    private static BigInteger[] rank(final Deleverager.Candidate c)
    {
        final BigInteger pnl = BigInteger.valueOf(c.notional()).subtract(BigInteger.valueOf(c.costBasis()));
        final BigInteger basis = BigInteger.valueOf(Math.max(1, Math.abs(c.costBasis())));
        final BigInteger collateral = BigInteger.valueOf(Math.max(1, c.netCollateral()));
        final BigInteger absNotional = BigInteger.valueOf(c.notional()).abs().max(BigInteger.ONE);
        return pnl.signum() > 0 ?
            new BigInteger[] {pnl.multiply(absNotional), basis.multiply(collateral)} :
            new BigInteger[] {pnl.multiply(collateral), basis.multiply(absNotional)};
    }

    private static Deleverager.Candidate candidate(final SplittableRandom random)
    {
        return new Deleverager.Candidate(random.nextInt(1, 1_000), 1, value(random), value(random), value(random));
    }

    private static long value(final SplittableRandom random)
    {
        return TestRandom.edgeBiased(random, EXTREMES);
    }
}
