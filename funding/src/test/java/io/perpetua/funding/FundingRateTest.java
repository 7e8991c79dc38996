package io.perpetua.funding;

import io.perpetua.core.sbe.Side;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The premium and rate of MECHANICS §4 worked by hand; rates in ppb (0.01% = 100,000). */
class FundingRateTest
{
    /** Tick $1, lot 0.001 coin: one lot at one tick is 1,000 quantums. Impact notional $10. */
    private static final long IMPACT = 10_000_000L;

    private static BookView book(final long markTicks)
    {
        final BookView book = new BookView(1, 1_000_000L, 1, 1_000L);
        book.markTicks(markTicks);
        return book;
    }

    @Test
    void premiumOfABidAboveTheIndexWithAnEmptyAskSide()
    {
        final BookView book = book(100);
        // $101 x 100 lots = $10.10 covers the $10 impact: impact bid $101, (101 - 100) / 100 = 1%.
        book.add(Side.BUY, 101, 100);
        book.add(Side.BUY, 90, 1_000);
        assertEquals(10_000_000L, book.premiumPpb(IMPACT));
    }

    @Test
    void premiumOfAnAskBelowTheIndexWalksTwoLevels()
    {
        final BookView book = book(105);
        book.add(Side.BUY, 101, 100);
        book.add(Side.SELL, 103, 50);
        book.add(Side.SELL, 104, 100);
        // Asks: 50 lots at $103 = $5.15, then $4.85 at $104 = 46.6346... lots; impact ask = 10 / 96.6346... lots
        // = 103,482.587 quantums per lot = 20,800,000 / 201. Bid term max(0, 101 - 105) = 0.
        // P = -(105,000 - 20,800,000/201) / 105,000 = -61,000,000,000 / 4,221 ppb = -14,451,551.76 -> -14,451,551.
        assertEquals(-14_451_551L, book.premiumPpb(IMPACT));
        // A bid level at $106 deep enough: + (106 - 105) / 105; the sum truncates once: -4,927,742.24 -> -4,927,742.
        book.add(Side.BUY, 106, 200);
        assertEquals(-4_927_742L, book.premiumPpb(IMPACT));
    }

    @Test
    void aSideTooThinForTheImpactNotionalOrEmptyCountsZero()
    {
        final BookView book = book(100);
        assertEquals(0, book.premiumPpb(IMPACT));
        // $120 x 50 lots = $6 < $10: the bid side cannot fill the impact notional.
        book.add(Side.BUY, 120, 50);
        assertEquals(0, book.premiumPpb(IMPACT));
        book.add(Side.BUY, 120, 50);
        // Now $12 at $120: impact bid $120, (120 - 100) / 100 = 20%.
        assertEquals(200_000_000L, book.premiumPpb(IMPACT));
        // No index: no premium.
        assertEquals(0, book(0).premiumPpb(IMPACT));
    }

    @Test
    void rateIsTheInterestWhenThePremiumIsWithinTheClamp()
    {
        // P = 0.03%: interest - P = -0.02% within +/-0.05%: rate = 0.03% - 0.02% = 0.01%.
        assertEquals(100_000L, FundingRate.rate8hPpb(300_000L, 100_000L, 120_000_000L));
        assertEquals(100_000L, FundingRate.rate8hPpb(0, 100_000L, 120_000_000L));
    }

    @Test
    void positiveAndNegativeRates()
    {
        // P = 0.1%: pull clamp(0.01% - 0.1%) = -0.05%: rate 0.05%.
        assertEquals(500_000L, FundingRate.rate8hPpb(1_000_000L, 100_000L, 120_000_000L));
        // P = -0.2%: pull clamp(0.01% + 0.2%) = +0.05%: rate -0.15%.
        assertEquals(-1_500_000L, FundingRate.rate8hPpb(-2_000_000L, 100_000L, 120_000_000L));
    }

    @Test
    void bothCapsAndBothInterestClampsHit()
    {
        // IMF 5%, MMF 3%: cap 6 x 2% = 12%.
        final long cap = FundingConfig.defaults().capPpb(50_000, 30_000);
        assertEquals(120_000_000L, cap);
        // P = 20%: 20% - 0.05% = 19.95% -> capped at +12%.
        assertEquals(120_000_000L, FundingRate.rate8hPpb(200_000_000L, 100_000L, cap));
        // P = -20%: -20% + 0.05% -> capped at -12%.
        assertEquals(-120_000_000L, FundingRate.rate8hPpb(-200_000_000L, 100_000L, cap));
        // An explicit cap wins over the derived one.
        assertEquals(1_000_000L, FundingConfig.defaults().withCapPpb(1_000_000L).capPpb(50_000, 30_000));
    }

    @Test
    void averageTruncatesTowardZero()
    {
        assertEquals(3, FundingRate.averagePpb(10, 3));
        assertEquals(-3, FundingRate.averagePpb(-10, 3));
        assertEquals(0, FundingRate.averagePpb(0, 0));
    }

    @Test
    void configurationRefusesNonsense()
    {
        final FundingConfig base = FundingConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> base.withIntervals(7, 10));
        assertThrows(IllegalArgumentException.class, () -> base.withIntervals(0, 10));
        assertThrows(IllegalArgumentException.class, () -> base.withImpactNotional(0));
        assertThrows(IllegalArgumentException.class, () -> base.withCapPpb(2_000_000_000L));
        assertThrows(IllegalArgumentException.class, () -> base.withInterestPpb(-2_000_000_000L));
    }
}
