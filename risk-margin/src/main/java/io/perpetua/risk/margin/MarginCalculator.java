package io.perpetua.risk.margin;

import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.MarginCache;
import io.perpetua.risk.ledger.Position;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * Net collateral and margin requirements of an account at the mark prices (MECHANICS §3), now or
 * after a hypothetical trade:
 * {@code NC = balance + sum(size_i * mark_i)}, {@code IMR = sum ceil(|N_i| * IMF_i)},
 * {@code MMR = sum ceil(|N_i| * MMF_i)}. Requirements round up (against the account).
 * The balance is taken as settled: funding a position owes (or is owed) since its last settlement
 * counts as if paid, with the settlement's own rounding ({@link Funding#payment}), so a check sees
 * the same figures whether or not the position settled before it, and changes nothing.
 *
 * <p>One instance per thread; {@link #evaluate} fills {@link #netCollateral}, {@link #initialMargin}
 * and {@link #maintenanceMargin} and allocates nothing. It reports overflow instead of wrapping.
 */
public final class MarginCalculator
{
    private final Int2ObjectHashMap<MarketRisk> markets;
    private final Ledger ledger;

    public long netCollateral;
    public long initialMargin;
    public long maintenanceMargin;
    /** Notional of the position in the market of the hypothetical trade, after it (signed). */
    public long tradedNotional;
    /** Maintenance requirement of that position alone, after the trade. */
    public long tradedMaintenance;

    public MarginCalculator(final Int2ObjectHashMap<MarketRisk> markets, final Ledger ledger)
    {
        this.markets = markets;
        this.ledger = ledger;
    }

    /** The account as it stands. */
    public boolean evaluate(final Account account)
    {
        return evaluate(account, 0, 0, 0);
    }

    /**
     * The account after its size in {@code marketId} moves by {@code deltaLots} and its balance by
     * {@code balanceDelta}, at the market's open interest as it stands.
     *
     * @return false if a figure would overflow 64 bits (callers treat that as a failed check)
     */
    public boolean evaluate(final Account account, final int marketId, final long deltaLots, final long balanceDelta)
    {
        return evaluate(account, marketId, deltaLots, balanceDelta, 0);
    }

    /**
     * As {@link #evaluate(Account, int, long, long)}, with the open interest of {@code marketId} moved by
     * {@code openInterestDeltaLots}: a trade's own effect on the open interest, which can raise the IMF
     * of every position in that market (open-interest scaling).
     */
    public boolean evaluate(
        final Account account, final int marketId, final long deltaLots, final long balanceDelta,
        final long openInterestDeltaLots)
    {
        long nc = FixedPoint.add(account.balance(), balanceDelta);
        long imr = 0;
        long mmr = 0;
        tradedNotional = 0;
        tradedMaintenance = 0;
        boolean tradedSeen = deltaLots == 0;
        final long epoch = ledger.marginEpoch();
        final int count = account.positionCount();
        for (int i = 0; i <= count; i++)
        {
            final int market;
            final long size;
            final int leverage;
            final long owed;
            if (i < count)
            {
                final Position position = account.positionAt(i);
                market = position.marketId();
                final MarginCache cache = position.marginCache();
                if (cache.stamp != epoch)
                {
                    refresh(position, cache, epoch);
                }
                owed = cache.owedFunding;
                if (market != marketId)
                {
                    // Untouched by the trade: the cached figures, combined exactly as below.
                    if (owed == FixedPoint.OVERFLOW)
                    {
                        return false;
                    }
                    nc = nc == FixedPoint.OVERFLOW ? nc : FixedPoint.add(nc, -owed);
                    final long notional = cache.notional;
                    if (notional == FixedPoint.OVERFLOW || nc == FixedPoint.OVERFLOW)
                    {
                        return false;
                    }
                    nc = FixedPoint.add(nc, notional);
                    final long im = cache.scaledInitial ? initialMargin(market, notional, 0, position.leverage()) :
                        cache.initialMargin;
                    final long mm = cache.maintenanceMargin;
                    if (im == FixedPoint.OVERFLOW || mm == FixedPoint.OVERFLOW)
                    {
                        return false;
                    }
                    imr = FixedPoint.add(imr, im);
                    mmr = FixedPoint.add(mmr, mm);
                    continue;
                }
                size = position.sizeLots() + deltaLots;
                leverage = position.leverage();
                tradedSeen = true;
            }
            else
            {
                if (tradedSeen)
                {
                    break;
                }
                market = marketId;
                size = deltaLots;
                leverage = account.leverage(market);
                owed = 0;
            }
            // The market of the trade: its figures after the trade, computed afresh.
            if (owed == FixedPoint.OVERFLOW)
            {
                return false;
            }
            nc = nc == FixedPoint.OVERFLOW ? nc : FixedPoint.add(nc, -owed);
            if (size == 0)
            {
                continue;
            }
            final MarketRisk risk = markets.get(market);
            final long notional = FixedPoint.multiply(size, risk.markTicks(), risk.quantumsPerTickLot());
            if (notional == FixedPoint.OVERFLOW || nc == FixedPoint.OVERFLOW)
            {
                return false;
            }
            nc = FixedPoint.add(nc, notional);
            final long im = initialMargin(market, notional, openInterestDeltaLots, leverage);
            final long mm = FixedPoint.ppmCeil(Math.abs(notional), risk.params().maintenanceMarginPpm);
            if (im == FixedPoint.OVERFLOW || mm == FixedPoint.OVERFLOW)
            {
                return false;
            }
            imr = FixedPoint.add(imr, im);
            mmr = FixedPoint.add(mmr, mm);
            tradedNotional = notional;
            tradedMaintenance = mm;
        }
        if (nc == FixedPoint.OVERFLOW || imr == FixedPoint.OVERFLOW || mmr == FixedPoint.OVERFLOW)
        {
            return false;
        }
        netCollateral = nc;
        initialMargin = imr;
        maintenanceMargin = mmr;
        return true;
    }

    /** The initial requirement of a notional in a market, at its open interest moved by {@code openInterestDeltaLots}. */
    private long initialMargin(final int market, final long notional, final long openInterestDeltaLots, final int leverage)
    {
        final RiskParams params = markets.get(market).params();
        final long imf = params.initialFractionPpm(ledger.openInterestLots(market) + openInterestDeltaLots, leverage);
        return FixedPoint.ppmCeil(Math.abs(notional), imf);
    }

    /**
     * Recomputes a position's cached figures at the current marks, funding indexes and parameters,
     * with the same functions (and the same overflow markers) the full evaluation uses.
     */
    private void refresh(final Position position, final MarginCache cache, final long epoch)
    {
        final int market = position.marketId();
        final long behind = FixedPoint.add(ledger.fundingIndex(market), -position.fundingIndex());
        cache.owedFunding = behind == FixedPoint.OVERFLOW ? behind : Funding.payment(behind, position.sizeLots());
        final MarketRisk risk = markets.get(market);
        final RiskParams params = risk.params();
        final long notional = FixedPoint.multiply(position.sizeLots(), risk.markTicks(), risk.quantumsPerTickLot());
        cache.notional = notional;
        cache.scaledInitial = params.openInterestLowerCapLots > 0;
        if (notional == FixedPoint.OVERFLOW)
        {
            cache.initialMargin = FixedPoint.OVERFLOW;
            cache.maintenanceMargin = FixedPoint.OVERFLOW;
        }
        else
        {
            cache.initialMargin = cache.scaledInitial ? 0 : initialMargin(market, notional, 0, position.leverage());
            cache.maintenanceMargin = FixedPoint.ppmCeil(Math.abs(notional), params.maintenanceMarginPpm);
        }
        cache.stamp = epoch;
    }

    /** Liquidatable iff {@code MMR > 0 and NC < MMR} (MECHANICS §5). */
    public boolean liquidatable()
    {
        return maintenanceMargin > 0 && netCollateral < maintenanceMargin;
    }

    /** Free collateral: {@code NC - IMR} (may be negative). */
    public long freeCollateral()
    {
        return netCollateral - initialMargin;
    }
}
