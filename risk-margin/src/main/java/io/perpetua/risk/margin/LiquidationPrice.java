package io.perpetua.risk.margin;

import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.ledger.WideInteger;


/**
 * The mark price of one position at which its account reaches {@code NC = MMR} (MECHANICS §5),
 * every other position's mark held fixed. With the rest of the account worth {@code C} (balance
 * plus the other notionals) and requiring {@code M} (the other positions' MMR), a position of
 * {@code s} lots at mark {@code p} ticks, {@code q} quantums per tick and lot and MMF {@code f} ppm:
 * {@code C + s*p*q >= M + ceil(|s|*p*q*f / 10^6)} holds exactly when
 * {@code (C - M) * 10^6 + p*q*(s*10^6 - |s|*f) >= 0}, because an integer is at least the ceiling of
 * a number iff it is at least the number. So the boundary is exact in the engine's own rounding.
 *
 * <p>Rounded against the account: up for a long, down for a short. The account is liquidatable at
 * every mark strictly below the returned price (long) or strictly above it (short), and not at it.
 *
 * <p>Exact: the terms reach 192 bits in {@link WideInteger}s, which a caller keeps and reuses.
 */
public final class LiquidationPrice
{
    private final WideInteger perTick = new WideInteger();
    private final WideInteger deficit = new WideInteger();
    private final WideInteger bound = new WideInteger();

    /**
     * @param sizeLots               signed size of the position (long > 0)
     * @param quantumsPerTickLot     quote quantums of one lot at one tick
     * @param maintenancePpm         the market's MMF
     * @param othersNetCollateral    the account's balance plus the notionals of its other positions
     * @param othersMaintenance      the MMR of its other positions
     * @return the boundary in ticks, or 0 if no positive mark price is one (a long that no fall can
     *         liquidate, a short liquidatable at any price, or no position)
     */
    public long ticks(
        final long sizeLots,
        final long quantumsPerTickLot,
        final long maintenancePpm,
        final long othersNetCollateral,
        final long othersMaintenance)
    {
        // p * perTick >= deficit, where perTick = q * (s*10^6 - |s|*f) = q * s * (10^6 -/+ f) and
        // deficit = (M - C) * 10^6.
        perTickInto(perTick, sizeLots, quantumsPerTickLot, maintenancePpm);
        deficit.setDifference(othersMaintenance, othersNetCollateral).multiply(FixedPoint.PPM);
        // A positive price needs deficit and perTick of one sign (otherwise the truncated quotient is at most 0).
        if (deficit.signum() * perTick.signum() <= 0)
        {
            return 0;
        }
        if (deficit.signum() < 0)
        {
            deficit.negate();
            perTick.negate();
        }
        perTickInto(bound, sizeLots, quantumsPerTickLot, maintenancePpm).multiply(Long.MAX_VALUE);
        if (bound.signum() < 0)
        {
            bound.negate();
        }
        if (deficit.compareTo(bound) >= 0)
        {
            return Long.MAX_VALUE;
        }
        // Long (perTick > 0): p >= deficit / perTick, the smallest such tick. Short: p <= deficit / perTick, the
        // largest, which truncation gives.
        return sizeLots > 0 ? deficit.ceilDivide(perTick) : deficit.truncateDivide(perTick);
    }

    private static WideInteger perTickInto(
        final WideInteger target, final long sizeLots, final long quantumsPerTickLot, final long maintenancePpm)
    {
        // s*10^6 - |s|*f = s * (10^6 - f) for a long, s * (10^6 + f) = s * (f - (-10^6)) for a short.
        return (sizeLots > 0 ? target.setDifference(FixedPoint.PPM, maintenancePpm) :
            target.setDifference(maintenancePpm, -FixedPoint.PPM)).multiply(sizeLots).multiply(quantumsPerTickLot);
    }
}
