package io.perpetua.risk.margin;

import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.ledger.Ledger;
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
        final int count = account.positionCount();
        for (int i = 0; i <= count; i++)
        {
            final int market;
            long size;
            if (i < count)
            {
                final Position position = account.positionAt(i);
                market = position.marketId();
                size = position.sizeLots();
                final long behind = FixedPoint.add(ledger.fundingIndex(market), -position.fundingIndex());
                final long owed = behind == FixedPoint.OVERFLOW ? behind : Funding.payment(behind, position.sizeLots());
                if (owed == FixedPoint.OVERFLOW)
                {
                    return false;
                }
                nc = nc == FixedPoint.OVERFLOW ? nc : FixedPoint.add(nc, -owed);
                if (market == marketId)
                {
                    size += deltaLots;
                    tradedSeen = true;
                }
            }
            else
            {
                if (tradedSeen)
                {
                    break;
                }
                market = marketId;
                size = deltaLots;
            }
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
            final long absolute = Math.abs(notional);
            final RiskParams params = risk.params();
            final long openInterest = ledger.openInterestLots(market) + (market == marketId ? openInterestDeltaLots : 0);
            final long imf = params.initialFractionPpm(openInterest, account.leverage(market));
            final long im = FixedPoint.ppmCeil(absolute, imf);
            final long mm = FixedPoint.ppmCeil(absolute, params.maintenanceMarginPpm);
            if (im == FixedPoint.OVERFLOW || mm == FixedPoint.OVERFLOW)
            {
                return false;
            }
            imr = FixedPoint.add(imr, im);
            mmr = FixedPoint.add(mmr, mm);
            if (market == marketId)
            {
                tradedNotional = notional;
                tradedMaintenance = mm;
            }
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
