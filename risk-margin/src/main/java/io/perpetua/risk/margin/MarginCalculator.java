package io.perpetua.risk.margin;

import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.MarginCache;
import io.perpetua.risk.ledger.MarginTotals;
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
 *
 * <p>Cost: each position's figures are cached ({@link MarginCache}) until its mark, funding index,
 * market parameters, size or leverage change, and the account keeps their sums ({@link MarginTotals}).
 * A check then costs one position's arithmetic (the traded market's) whatever the number of positions.
 * The sums are used only where they provably give the same figures, overflow included, as adding
 * the positions one by one in market order; otherwise (huge figures, open-interest scaling of a held
 * market) it does that.
 */
public final class MarginCalculator
{
    /**
     * Largest position figure the totals may hold: {@code |N| <= 2^43} also keeps {@code |N| * 10^6} inside
     * 64 bits, so the requirements of a bounded notional never overflow.
     */
    private static final long TERM_BOUND = 1L << 43;
    private static final int MAX_SUMMED_POSITIONS = 64;
    /** Largest balance (after the hypothetical change) evaluated from the totals: 2^61 + 5 * 64 * 2^43 < 2^62. */
    private static final long START_BOUND = 1L << 61;
    private static final int FITS = 0;
    private static final int OVERFLOWS = 1;
    private static final int UNBOUNDED = 2;

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
        final MarginTotals totals = account.marginTotals();
        final long epoch = ledger.marginEpoch();
        if (totals.stamp != epoch)
        {
            sum(account, totals, epoch);
        }
        tradedNotional = 0;
        tradedMaintenance = 0;
        if (totals.bounded)
        {
            final long start = FixedPoint.add(account.balance(), balanceDelta);
            if (start == FixedPoint.OVERFLOW)
            {
                // Position by position, an overflowed start fails every evaluation as well.
                return false;
            }
            if (Math.abs(start) <= START_BOUND)
            {
                final int verdict = evaluateFromTotals(account, totals, start, marketId, deltaLots, openInterestDeltaLots);
                if (verdict != UNBOUNDED)
                {
                    return verdict == FITS;
                }
            }
        }
        return evaluateByPositions(account, marketId, deltaLots, balanceDelta, openInterestDeltaLots);
    }

    /**
     * The account's totals with the traded market's position replaced by its state after the trade.
     * Every term is at most {@link #TERM_BOUND} in magnitude, at most {@link #MAX_SUMMED_POSITIONS} of them
     * and the start within {@link #START_BOUND}, so no partial sum in any order overflows: the figures are
     * exactly those of {@link #evaluateByPositions}, which this only reorders.
     *
     * @return {@link #FITS}, {@link #OVERFLOWS} (a figure of the traded market overflows, as position by
     *         position), or {@link #UNBOUNDED} if the traded market's new figures are too large to sum safely
     */
    private int evaluateFromTotals(
        final Account account, final MarginTotals totals, final long start, final int marketId, final long deltaLots,
        final long openInterestDeltaLots)
    {
        long nc = start - totals.owedFunding + totals.notional;
        long imr = totals.initialMargin;
        long mmr = totals.maintenanceMargin;
        long newNotional = 0;
        long newMaintenance = 0;
        final Position position = account.position(marketId);
        if (position != null || deltaLots != 0)
        {
            final long size;
            final int leverage;
            if (position != null)
            {
                final MarginCache cache = position.marginCache();
                nc -= cache.notional;
                imr -= cache.initialMargin;
                mmr -= cache.maintenanceMargin;
                size = position.sizeLots() + deltaLots;
                leverage = position.leverage();
            }
            else
            {
                size = deltaLots;
                leverage = account.leverage(marketId);
            }
            if (size != 0)
            {
                final MarketRisk risk = markets.get(marketId);
                newNotional = FixedPoint.multiply(size, risk.markTicks(), risk.quantumsPerTickLot());
                if (newNotional == FixedPoint.OVERFLOW)
                {
                    return OVERFLOWS;
                }
                if (Math.abs(newNotional) > TERM_BOUND)
                {
                    return UNBOUNDED;
                }
                newMaintenance = FixedPoint.ppmCeil(Math.abs(newNotional), risk.params().maintenanceMarginPpm);
                nc += newNotional;
                imr += initialMargin(marketId, newNotional, openInterestDeltaLots, leverage);
                mmr += newMaintenance;
            }
        }
        tradedNotional = newNotional;
        tradedMaintenance = newMaintenance;
        netCollateral = nc;
        initialMargin = imr;
        maintenanceMargin = mmr;
        return FITS;
    }

    /** Sums the account's position figures (refreshing stale ones) and decides whether the sums may be used. */
    private void sum(final Account account, final MarginTotals totals, final long epoch)
    {
        final int count = account.positionCount();
        boolean bounded = count <= MAX_SUMMED_POSITIONS;
        long owed = 0;
        long notional = 0;
        long initial = 0;
        long maintenance = 0;
        for (int i = 0; i < count && bounded; i++)
        {
            final Position position = account.positionAt(i);
            final MarginCache cache = position.marginCache();
            if (cache.stamp != epoch)
            {
                refresh(position, cache, epoch);
            }
            // OVERFLOW (Long.MIN_VALUE) is out of bounds too.
            bounded = !cache.scaledInitial && bounded(cache.owedFunding) && bounded(cache.notional) &&
                bounded(cache.initialMargin) && bounded(cache.maintenanceMargin);
            owed += cache.owedFunding;
            notional += cache.notional;
            initial += cache.initialMargin;
            maintenance += cache.maintenanceMargin;
        }
        totals.bounded = bounded;
        totals.owedFunding = owed;
        totals.notional = notional;
        totals.initialMargin = initial;
        totals.maintenanceMargin = maintenance;
        totals.stamp = epoch;
    }

    private static boolean bounded(final long term)
    {
        return term >= -TERM_BOUND && term <= TERM_BOUND;
    }

    /** The evaluation itself: each position in market order, every step checked for overflow. */
    private boolean evaluateByPositions(
        final Account account, final int marketId, final long deltaLots, final long balanceDelta,
        final long openInterestDeltaLots)
    {
        long nc = FixedPoint.add(account.balance(), balanceDelta);
        long imr = 0;
        long mmr = 0;
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
