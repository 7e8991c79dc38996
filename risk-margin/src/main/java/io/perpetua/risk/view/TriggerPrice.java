package io.perpetua.risk.view;

import io.perpetua.core.units.FixedPoint;

/**
 * Where one position's contribution to {@code NC - MMR} crosses a floor, as a mark price in ticks.
 *
 * <p>A position of {@code s} lots (quantums {@code q} per tick and lot, MMF {@code f} ppm) adds
 * {@code g(p) = N - ceil(|N| * f / 10^6)} with {@code N = s * p * q} to {@code NC - MMR} at mark
 * {@code p} (MECHANICS §3, the requirement rounded up as the core rounds it). Since
 * {@code f <= 10^6}, {@code g} never falls as the mark rises for a long and never rises for a short,
 * so the marks at which {@code g(p) >= floor} form one interval reaching {@code p = 1} (long: upwards
 * from a boundary; short: up to one). {@link #longTrigger} and {@link #shortTrigger} find that boundary
 * exactly, with {@code g} evaluated in exact integer arithmetic (no rounding of the boundary at all),
 * and allocate nothing.
 *
 * <p>A notional that does not fit 64 bits counts as above any floor for a long and below any floor for
 * a short. Either way the account's margin cannot be evaluated at such a mark (the core refuses to
 * liquidate it: overflow), so the choice only keeps the interval an interval.
 */
final class TriggerPrice
{
    /** A long's trigger that every positive mark is below: the floor is above anything the position can add. */
    static final long LONG_ALWAYS = Long.MAX_VALUE;
    /** A short's trigger that every positive mark is above. */
    static final long SHORT_ALWAYS = 0;
    /** A short's trigger no mark exceeds: the position adds at least the floor at every mark. */
    static final long SHORT_NEVER = Long.MAX_VALUE;
    /** A long's trigger no positive mark is below. */
    static final long LONG_NEVER = 1;

    private long sizeLots;
    private long quantumsPerTickLot;
    private long maintenancePpm;
    private long floor;

    /**
     * For a long ({@code sizeLots > 0}): the smallest mark {@code L >= 1} with {@code g(L) >= floor}; the
     * position is below the floor exactly at marks under {@code L}. {@link #LONG_NEVER} if it never is,
     * {@link #LONG_ALWAYS} if it always is.
     */
    long longTrigger(final long sizeLots, final long quantumsPerTickLot, final long maintenancePpm, final long floor)
    {
        set(sizeLots, quantumsPerTickLot, maintenancePpm, floor);
        final long first = firstAtOrAboveFloor(true);
        return first == 0 ? LONG_ALWAYS : first;
    }

    /**
     * For a short ({@code sizeLots < 0}): the largest mark {@code U >= 0} with {@code g(p) >= floor} for
     * every {@code 1 <= p <= U}; the position is below the floor exactly at marks above {@code U}.
     * {@link #SHORT_ALWAYS} (0) if it is below at every positive mark, {@link #SHORT_NEVER} if at none.
     */
    long shortTrigger(final long sizeLots, final long quantumsPerTickLot, final long maintenancePpm, final long floor)
    {
        set(sizeLots, quantumsPerTickLot, maintenancePpm, floor);
        final long first = firstAtOrAboveFloor(false);
        return first == 0 ? SHORT_NEVER : first - 1;
    }

    private void set(final long sizeLots, final long quantumsPerTickLot, final long maintenancePpm, final long floor)
    {
        this.sizeLots = sizeLots;
        this.quantumsPerTickLot = quantumsPerTickLot;
        this.maintenancePpm = maintenancePpm;
        this.floor = floor;
    }

    /**
     * {@code g(p) >= floor}, exactly. {@code N} is formed with overflow checks; {@code ceil(|N| f / 10^6)}
     * is {@code (|N| / 10^6) * f + ceil((|N| mod 10^6) * f / 10^6)}, which cannot overflow for {@code f <= 10^6}.
     */
    boolean atOrAboveFloor(final long markTicks)
    {
        final long notional = FixedPoint.multiply(sizeLots, markTicks, quantumsPerTickLot);
        if (notional == FixedPoint.OVERFLOW)
        {
            return sizeLots > 0;
        }
        final long absolute = Math.abs(notional);
        final long remainder = absolute % FixedPoint.PPM * maintenancePpm;
        final long maintenance = absolute / FixedPoint.PPM * maintenancePpm + (remainder + FixedPoint.PPM - 1) / FixedPoint.PPM;
        final long contribution = FixedPoint.add(notional, -maintenance);
        if (contribution == FixedPoint.OVERFLOW)
        {
            return false;
        }
        return contribution >= floor;
    }

    /**
     * For a long, the smallest mark in {@code [1, Long.MAX_VALUE]} at or above the floor (0 if none);
     * for a short, the smallest mark below it (0 if none). Either predicate is monotone in the mark
     * (false, then true), so this gallops from an estimate of the boundary, then bisects.
     */
    private long firstAtOrAboveFloor(final boolean isLong)
    {
        if (test(1, isLong))
        {
            return 1;
        }
        if (!test(Long.MAX_VALUE, isLong))
        {
            return 0;
        }
        // Invariant: test(low) is false, test(high) is true.
        long low = 1;
        long high = Long.MAX_VALUE;
        final long guess = estimate();
        if (guess > low && guess < high)
        {
            if (test(guess, isLong))
            {
                high = guess;
                for (long step = 1; guess - step > low; step <<= 1)
                {
                    if (!test(guess - step, isLong))
                    {
                        low = guess - step;
                        break;
                    }
                    high = guess - step;
                }
            }
            else
            {
                low = guess;
                for (long step = 1; guess < high - step; step <<= 1)
                {
                    if (test(guess + step, isLong))
                    {
                        high = guess + step;
                        break;
                    }
                    low = guess + step;
                }
            }
        }
        while (high - low > 1)
        {
            final long middle = low + (high - low) / 2;
            if (test(middle, isLong))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }
        return high;
    }

    private boolean test(final long markTicks, final boolean isLong)
    {
        return isLong == atOrAboveFloor(markTicks);
    }

    /**
     * The boundary of {@code p * s * q * (10^6 -+ f) = floor * 10^6} in floating point: only a
     * starting point for the integer search above, which tests each candidate exactly, so the
     * trigger returned never depends on this estimate's rounding (Java's floating point is strict
     * anyway); it just saves search steps.
     */
    private long estimate()
    {
        final double perTick = (double)sizeLots * quantumsPerTickLot *
            (FixedPoint.PPM - Math.signum((double)sizeLots) * maintenancePpm);
        if (perTick == 0)
        {
            return 0;
        }
        final double boundary = (double)floor * FixedPoint.PPM / perTick;
        return boundary >= 1 && boundary < 9.0e18 ? (long)boundary : 0;
    }
}
