package io.perpetua.risk.margin;

import io.perpetua.core.units.FixedPoint;

/**
 * A market's margin and liquidation parameters (MECHANICS §3 and §5), all integers: fractions in
 * ppm, notionals in quote quantums, open-interest caps in lots. Defaults are dYdX's large-cap tier
 * at launch (IMF 5%, MMF 60% of it) and the liquidation rules of §5.
 */
public final class RiskParams
{
    public static final int DEFAULT_IMF_PPM = 50_000;
    public static final int DEFAULT_MMF_PPM = 30_000;
    public static final int DEFAULT_LIQUIDATION_FEE_PPM = 15_000;
    public static final int DEFAULT_SLICE_PPM = 100_000;
    /** 1,000 USDC. */
    public static final long DEFAULT_MIN_SLICE_NOTIONAL = 1_000_000_000L;
    /** 100,000 USDC. */
    public static final long DEFAULT_MAX_LIQUIDATION_NOTIONAL = 100_000_000_000L;
    public static final int DEFAULT_FILLABLE_FACTOR_PPM = 1_500_000;

    public final int initialMarginPpm;
    public final int maintenanceMarginPpm;
    public final long openInterestLowerCapLots;
    public final long openInterestUpperCapLots;
    public final int liquidationFeePpm;
    public final int liquidationSlicePpm;
    public final long minSliceNotional;
    public final long maxLiquidationNotional;
    public final int fillableFactorPpm;

    private RiskParams(
        final int initialMarginPpm,
        final int maintenanceMarginPpm,
        final long openInterestLowerCapLots,
        final long openInterestUpperCapLots,
        final int liquidationFeePpm,
        final int liquidationSlicePpm,
        final long minSliceNotional,
        final long maxLiquidationNotional,
        final int fillableFactorPpm)
    {
        this.initialMarginPpm = initialMarginPpm;
        this.maintenanceMarginPpm = maintenanceMarginPpm;
        this.openInterestLowerCapLots = openInterestLowerCapLots;
        this.openInterestUpperCapLots = openInterestUpperCapLots;
        this.liquidationFeePpm = liquidationFeePpm;
        this.liquidationSlicePpm = liquidationSlicePpm;
        this.minSliceNotional = minSliceNotional;
        this.maxLiquidationNotional = maxLiquidationNotional;
        this.fillableFactorPpm = fillableFactorPpm;
    }

    public static RiskParams defaults()
    {
        return new RiskParams(DEFAULT_IMF_PPM, DEFAULT_MMF_PPM, 0, 0, DEFAULT_LIQUIDATION_FEE_PPM, DEFAULT_SLICE_PPM,
            DEFAULT_MIN_SLICE_NOTIONAL, DEFAULT_MAX_LIQUIDATION_NOTIONAL, DEFAULT_FILLABLE_FACTOR_PPM);
    }

    /** Validated parameters, or null if any is out of range (the command is then rejected). */
    public static RiskParams of(
        final int initialMarginPpm,
        final int maintenanceMarginPpm,
        final long openInterestLowerCapLots,
        final long openInterestUpperCapLots,
        final int liquidationFeePpm,
        final int liquidationSlicePpm,
        final long minSliceNotional,
        final long maxLiquidationNotional,
        final int fillableFactorPpm)
    {
        final boolean valid = initialMarginPpm > 0 && initialMarginPpm <= FixedPoint.PPM &&
            maintenanceMarginPpm > 0 && maintenanceMarginPpm <= initialMarginPpm &&
            openInterestLowerCapLots >= 0 &&
            (openInterestLowerCapLots == 0 ? openInterestUpperCapLots == 0 : openInterestUpperCapLots > openInterestLowerCapLots) &&
            liquidationFeePpm >= 0 && liquidationFeePpm <= FixedPoint.PPM &&
            liquidationSlicePpm > 0 && liquidationSlicePpm <= FixedPoint.PPM &&
            minSliceNotional > 0 && maxLiquidationNotional >= minSliceNotional &&
            fillableFactorPpm >= 0 && fillableFactorPpm <= 10 * FixedPoint.PPM;
        return valid ? new RiskParams(initialMarginPpm, maintenanceMarginPpm, openInterestLowerCapLots,
            openInterestUpperCapLots, liquidationFeePpm, liquidationSlicePpm, minSliceNotional, maxLiquidationNotional,
            fillableFactorPpm) : null;
    }

    /**
     * The tier's IMF at an open interest, scaled linearly from the IMF at the lower cap to 100% at
     * the upper cap (rounded up), and never below the owner's choice {@code 1/leverage}.
     */
    public long initialFractionPpm(final long openInterestLots, final int leverage)
    {
        long imf = initialMarginPpm;
        if (openInterestLowerCapLots > 0 && openInterestLots > openInterestLowerCapLots)
        {
            final long over = Math.min(openInterestLots, openInterestUpperCapLots) - openInterestLowerCapLots;
            final long range = openInterestUpperCapLots - openInterestLowerCapLots;
            // (1e6 - imf) * over / range, rounded up; over <= range < 2^38, so the product fits.
            imf += ((FixedPoint.PPM - imf) * over + range - 1) / range;
        }
        if (leverage > 0)
        {
            imf = Math.max(imf, (FixedPoint.PPM + leverage - 1) / leverage);
        }
        return Math.min(imf, FixedPoint.PPM);
    }
}
