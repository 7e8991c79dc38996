package io.perpetua.funding;

/**
 * The rate formula of MECHANICS §4 (BitMEX/Binance form), in parts per billion:
 * {@code rate8h = clamp(P + clamp(interest - P, -0.05%, +0.05%), -cap, +cap)} with {@code P} the
 * average premium of the period.
 */
public final class FundingRate
{
    private FundingRate()
    {
    }

    public static long rate8hPpb(final long averagePremiumPpb, final long interestPpb, final long capPpb)
    {
        final long pull = clamp(interestPpb - averagePremiumPpb, FundingConfig.INTEREST_CLAMP_PPB);
        return clamp(averagePremiumPpb + pull, capPpb);
    }

    /**
     * The average of a period's samples, truncated toward zero; 0 without samples.
     */
    public static long averagePpb(final long sumPpb, final long count)
    {
        return count == 0 ? 0 : sumPpb / count;
    }

    private static long clamp(final long value, final long bound)
    {
        return Math.max(-bound, Math.min(bound, value));
    }
}
