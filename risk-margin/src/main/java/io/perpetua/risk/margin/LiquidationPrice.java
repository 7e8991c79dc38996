package io.perpetua.risk.margin;

import io.perpetua.core.units.FixedPoint;

import java.math.BigInteger;

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
 */
public final class LiquidationPrice
{
    private static final BigInteger PPM = BigInteger.valueOf(FixedPoint.PPM);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private LiquidationPrice()
    {
    }

    /**
     * @param sizeLots               signed size of the position (long > 0)
     * @param quantumsPerTickLot     quote quantums of one lot at one tick
     * @param maintenancePpm         the market's MMF
     * @param othersNetCollateral    the account's balance plus the notionals of its other positions
     * @param othersMaintenance      the MMR of its other positions
     * @return the boundary in ticks, or 0 if no positive mark price is one (a long that no fall can
     *         liquidate, a short liquidatable at any price, or no position)
     */
    public static long ticks(
        final long sizeLots,
        final long quantumsPerTickLot,
        final long maintenancePpm,
        final long othersNetCollateral,
        final long othersMaintenance)
    {
        // p * perTick >= deficit, where perTick = q * (s*10^6 - |s|*f) and deficit = (M - C) * 10^6.
        final BigInteger perTick = BigInteger.valueOf(quantumsPerTickLot).multiply(
            BigInteger.valueOf(sizeLots).multiply(PPM).subtract(BigInteger.valueOf(Math.abs(sizeLots)).multiply(
                BigInteger.valueOf(maintenancePpm))));
        if (perTick.signum() == 0)
        {
            return 0;
        }
        final BigInteger deficit = BigInteger.valueOf(othersMaintenance).subtract(BigInteger.valueOf(othersNetCollateral))
            .multiply(PPM);
        // Long (perTick > 0): p >= deficit / perTick, the smallest such tick. Short: p <= deficit / perTick, the
        // largest, which truncation gives whenever the quotient is positive (a negative one means no price).
        final BigInteger[] qr = deficit.divideAndRemainder(perTick);
        final BigInteger price = sizeLots > 0 && qr[1].signum() != 0 && deficit.signum() == perTick.signum() ?
            qr[0].add(BigInteger.ONE) : qr[0];
        return price.signum() <= 0 ? 0 : price.min(MAX).longValue();
    }
}
