package io.perpetua.funding;

import io.perpetua.risk.ledger.Funding;

/**
 * A market's funding parameters (MECHANICS §4), held by the funding processor only: the core needs
 * nothing but the rate each tick carries, so changing how the rate is derived never touches the
 * journal's replay. Rates are in parts per billion of the 8-hour rate, amounts in quote quantums,
 * intervals in command-time nanoseconds.
 *
 * @param sampleIntervalNs  how often the premium is sampled (60 s)
 * @param fundingIntervalNs how often a tick is submitted (3600 s); a multiple of the sample interval
 * @param impactNotional    quote the impact prices fill against each side (10,000 USDC)
 * @param interestPpb       interest rate per 8 hours (0.01% = 100,000 ppb)
 * @param capPpb            |rate| cap; {@link #DERIVED_CAP} for {@code 6 * (IMF - MMF)} of the market's margin
 */
public record FundingConfig(
    long sampleIntervalNs, long fundingIntervalNs, long impactNotional, long interestPpb, long capPpb)
{
    /** {@link #capPpb} value that asks for dYdX's {@code 6 * (IMF - MMF)}. */
    public static final long DERIVED_CAP = -1;
    public static final long SECOND_NS = 1_000_000_000L;
    /** The premium's pull toward the interest rate is clamped to +/-0.05%. */
    public static final long INTEREST_CLAMP_PPB = 500_000L;

    public FundingConfig
    {
        if (sampleIntervalNs <= 0 || fundingIntervalNs <= 0 || fundingIntervalNs % sampleIntervalNs != 0)
        {
            throw new IllegalArgumentException("funding interval must be a positive multiple of the sample interval");
        }
        if (impactNotional <= 0)
        {
            throw new IllegalArgumentException("impact notional must be positive: " + impactNotional);
        }
        if (Math.abs(interestPpb) > Funding.MAX_RATE_PPB)
        {
            throw new IllegalArgumentException("interest out of range: " + interestPpb);
        }
        if (capPpb != DERIVED_CAP && (capPpb < 0 || capPpb > Funding.MAX_RATE_PPB))
        {
            throw new IllegalArgumentException("cap out of range: " + capPpb);
        }
    }

    /** The defaults of MECHANICS §4: 60 s samples, hourly ticks, 10,000 USDC impact, 0.01% interest, derived cap. */
    public static FundingConfig defaults()
    {
        return new FundingConfig(60 * SECOND_NS, 3600 * SECOND_NS, 10_000_000_000L, 100_000L, DERIVED_CAP);
    }

    public FundingConfig withIntervals(final long sampleIntervalNs, final long fundingIntervalNs)
    {
        return new FundingConfig(sampleIntervalNs, fundingIntervalNs, impactNotional, interestPpb, capPpb);
    }

    public FundingConfig withImpactNotional(final long impactNotional)
    {
        return new FundingConfig(sampleIntervalNs, fundingIntervalNs, impactNotional, interestPpb, capPpb);
    }

    public FundingConfig withInterestPpb(final long interestPpb)
    {
        return new FundingConfig(sampleIntervalNs, fundingIntervalNs, impactNotional, interestPpb, capPpb);
    }

    public FundingConfig withCapPpb(final long capPpb)
    {
        return new FundingConfig(sampleIntervalNs, fundingIntervalNs, impactNotional, interestPpb, capPpb);
    }

    /** The cap for a market with these margin fractions (ppm): this config's, or {@code 6 * (IMF - MMF)}. */
    public long capPpb(final int initialMarginPpm, final int maintenanceMarginPpm)
    {
        return capPpb != DERIVED_CAP ? capPpb :
            Math.min(Funding.MAX_RATE_PPB, 6L * (initialMarginPpm - maintenanceMarginPpm) * 1_000L);
    }
}
