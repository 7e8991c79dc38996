package io.perpetua.risk.view;

import io.perpetua.core.units.FixedPoint;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Finds liquidatable accounts ({@code NC < MMR} at the marks the events report) after fills,
 * collateral changes and mark-price changes, and submits {@code Liquidate} for each through the
 * sequencer like any client (MECHANICS §5): it decides, the core re-checks and acts. An account
 * has at most one Liquidate in flight; when its result comes back (a liquidation step or a reject)
 * it is checked again, so a large position is closed slice after slice.
 *
 * <p><b>Trigger index.</b> A mark update does not re-evaluate every account in the market. Each time
 * an account is evaluated, its slack {@code S = NC - MMR} is shared equally among its {@code k}
 * positions, and each position gets a trigger: the mark at which its own contribution to
 * {@code NC - MMR}, {@code g_i = N_i - ceil(|N_i| * MMF_i)}, would fall by more than {@code floor(S / k)}
 * ({@link TriggerPrice}, exact). Longs sit in a per-market heap ordered by trigger (highest first),
 * shorts in another (lowest first); a mark update pops only the entries its new mark has crossed
 * (long: mark below the trigger; short: above) and re-evaluates those accounts exactly, which
 * re-shares their slack and replaces all their triggers in every market.
 *
 * <p><b>Why no liquidatable account is missed (cross margin).</b> Between two evaluations of an account
 * its balance, sizes, settled funding and the markets' funding indexes and parameters are fixed: any
 * event changing one of them re-evaluates it (a touched account; a funding tick or new risk
 * parameters re-evaluate every account in the market). Only marks move. While no trigger of the
 * account is crossed, every {@code g_i} is at least its value at the evaluation minus the share, so
 * {@code NC - MMR = balance - owed + sum g_i >= S - k * floor(S / k) >= 0}: not liquidatable, whichever
 * markets moved and in whichever order. An account that is liquidatable (or whose figures overflow)
 * gets triggers every mark crosses, so it is looked at again on each mark update of its markets, as
 * before; one with a Liquidate in flight is not looked at until the result comes back (its triggers
 * may be stale meanwhile), as before. Every account the full scan would submit is therefore among the accounts looked at, and
 * they are looked at in the same ascending order, so the monitor submits exactly what the full scan
 * submitted, in the same order ({@code LiquidationMonitorPropertyTest} checks both).
 *
 * <p><b>Stalled liquidations.</b> A Liquidate that closed nothing (its IOC slice found no bid or ask
 * within the fillable price and, the account being solvent and the fund able to pay, nothing was
 * deleveraged; or it was refused) would close nothing again if submitted straight back: asking
 * again on every result would then submit Liquidate after Liquidate, each one a no-op, for as long
 * as the book stays as it is (the generator of the perpetuals workload, which applies each command
 * before the next, never got past such an account). So the account is parked: evaluated and
 * indexed, not submitted, until something that could let a Liquidate make progress happens: the
 * account is touched, a market it holds is repriced (its triggers fire on any mark while it is
 * liquidatable) or rescanned, or an order that may rest is accepted that the stalled slice would
 * have traded with (a bid at or above a sell slice's limit price, an ask at or below a buy's; a
 * refusal waits for the others). A Liquidate that closed something is submitted again straight
 * away while the account stays liquidatable.
 *
 * <p>Allocation-free once its collections have grown: primitive arrays, Agrona maps and sets.
 */
final class LiquidationMonitor
{
    private final MarginState state;
    private final LongPredicate submitter;
    private final LongHashSet inFlight = new LongHashSet();
    /** Liquidatable accounts whose last Liquidate closed nothing, waiting for a reason to try again. */
    private final LongHashSet parked = new LongHashSet();
    /** Accounts whose result in the current document closed nothing. */
    private final LongHashSet stalled = new LongHashSet();
    private final Int2ObjectHashMap<MarketTriggers> triggers = new Int2ObjectHashMap<>();
    private final TriggerPrice triggerPrice = new TriggerPrice();
    private long[] candidates = new long[64];
    private int candidateCount;
    private long submitted;
    private long evaluated;

    /** {@code submitter} publishes a Liquidate command and says whether it was accepted for sequencing. */
    LiquidationMonitor(final MarginState state, final LongPredicate submitter)
    {
        this.state = state;
        this.submitter = submitter;
    }

    long submitted()
    {
        return submitted;
    }

    /** Accounts evaluated so far (the work the index saves shows here). */
    long evaluated()
    {
        return evaluated;
    }

    /** Whether a Liquidate of the account is in flight. */
    boolean inFlight(final long accountId)
    {
        return inFlight.contains(accountId);
    }

    /** Whether the account is liquidatable but parked after a Liquidate that closed nothing. */
    boolean parked(final long accountId)
    {
        return parked.contains(accountId);
    }

    /** Called after each events document. */
    void afterEvents()
    {
        final LongArrayList results = state.liquidationResults();
        final LongHashSet progress = state.liquidationProgress();
        for (int i = 0; i < results.size(); i++)
        {
            final long accountId = results.getLong(i);
            inFlight.remove(accountId);
            if (!progress.contains(accountId))
            {
                stalled.add(accountId);
            }
            addCandidate(accountId);
        }
        results.clear();
        progress.clear();
        final IntArrayList liquidity = state.liquidityAdded();
        final LongArrayList prices = state.liquidityPrices();
        for (int i = 0; i < liquidity.size() && !parked.isEmpty(); i++)
        {
            wakeParked(liquidity.getInt(i), prices.getLong(i));
        }
        liquidity.clear();
        prices.clear();
        final LongArrayList touched = state.touchedAccounts();
        for (int i = 0; i < touched.size(); i++)
        {
            addCandidate(touched.getLong(i));
        }
        touched.clear();
        final IntArrayList repriced = state.repricedMarkets();
        for (int i = 0; i < repriced.size(); i++)
        {
            popCrossed(repriced.getInt(i));
        }
        repriced.clear();
        final IntArrayList rescanned = state.rescannedMarkets();
        for (int i = 0; i < rescanned.size(); i++)
        {
            final MarginState.Market market = state.market(rescanned.getInt(i));
            final LongHashSet.LongIterator holders = market.holders.iterator();
            while (holders.hasNext())
            {
                addCandidate(holders.nextValue());
            }
        }
        rescanned.clear();

        sortCandidates();
        for (int i = 0; i < candidateCount; i++)
        {
            final long accountId = candidates[i];
            // An account with a Liquidate in flight is looked at (and indexed) again when its result comes back.
            if (i > 0 && candidates[i - 1] == accountId || inFlight.contains(accountId))
            {
                continue;
            }
            if (!reindex(accountId))
            {
                parked.remove(accountId);
            }
            else if (stalled.contains(accountId))
            {
                parked.add(accountId);
            }
            else if (submitter.test(accountId))
            {
                inFlight.add(accountId);
                parked.remove(accountId);
                submitted++;
            }
        }
        candidateCount = 0;
        stalled.clear();
    }

    /** Makes candidates of the parked accounts whose stalled slice the new resting order could fill. */
    private void wakeParked(final int liquiditySignal, final long price)
    {
        final LongHashSet.LongIterator accounts = parked.iterator();
        while (accounts.hasNext())
        {
            final long accountId = accounts.nextValue();
            if (state.holderOf(accountId).stalledSliceWouldTake(liquiditySignal, price))
            {
                addCandidate(accountId);
            }
        }
    }

    private void addCandidate(final long accountId)
    {
        if (candidateCount == candidates.length)
        {
            candidates = Arrays.copyOf(candidates, candidateCount * 2);
        }
        candidates[candidateCount++] = accountId;
    }

    /**
     * Sorts the candidates ascending in place: a heapsort, because {@code Arrays.sort} on primitives
     * allocates a run table for inputs of 44 or more that are not already sorted.
     */
    private void sortCandidates()
    {
        final long[] a = candidates;
        final int n = candidateCount;
        for (int start = n / 2 - 1; start >= 0; start--)
        {
            siftDown(a, start, n);
        }
        for (int end = n - 1; end > 0; end--)
        {
            final long largest = a[0];
            a[0] = a[end];
            a[end] = largest;
            siftDown(a, 0, end);
        }
    }

    private static void siftDown(final long[] a, final int start, final int end)
    {
        int parent = start;
        final long value = a[parent];
        while (true)
        {
            int child = 2 * parent + 1;
            if (child >= end)
            {
                break;
            }
            if (child + 1 < end && a[child + 1] > a[child])
            {
                child++;
            }
            if (a[child] <= value)
            {
                break;
            }
            a[parent] = a[child];
            parent = child;
        }
        a[parent] = value;
    }

    /** Moves every account whose trigger the market's current mark has crossed into the candidates. */
    private void popCrossed(final int marketId)
    {
        final MarketTriggers market = triggers.get(marketId);
        if (market == null)
        {
            return;
        }
        final long mark = state.market(marketId).markTicks;
        while (market.longs.hasKeyBelow(-mark))
        {
            addCandidate(market.longs.poll());
        }
        while (market.shorts.hasKeyBelow(mark))
        {
            addCandidate(market.shorts.poll());
        }
    }

    /**
     * Evaluates the account exactly and replaces its triggers in every market.
     *
     * @return whether it is liquidatable now
     */
    private boolean reindex(final long accountId)
    {
        final MarginState.Holder holder = state.holderOf(accountId);
        if (holder == null)
        {
            return false;
        }
        for (int i = 0; i < holder.triggerCount; i++)
        {
            final MarketTriggers market = triggers.get(holder.triggerMarkets[i]);
            market.longs.remove(accountId);
            market.shorts.remove(accountId);
        }
        holder.triggerCount = 0;
        if (holder.positionCount == 0)
        {
            return false;
        }
        evaluated++;
        final boolean figures = state.evaluate(holder);
        final long netCollateral = state.evaluatedNetCollateral;
        final long maintenance = state.evaluatedMaintenance;
        final boolean liquidatable = figures && maintenance > 0 && netCollateral < maintenance;
        // NC >= MMR >= 0 when figures are known and it is not liquidatable, unless MMR is 0 (no mark yet).
        final long slack = figures ? netCollateral - maintenance : -1;
        final long share = slack >= 0 ? slack / holder.positionCount : -1;
        for (int i = 0; i < holder.positionCount; i++)
        {
            final int marketId = holder.positionMarkets[i];
            final MarginState.Market market = state.market(marketId);
            final long size = holder.sizes[i];
            final long floor = share < 0 ? FixedPoint.OVERFLOW : floor(market, size, share);
            if (size > 0)
            {
                final long trigger = floor == FixedPoint.OVERFLOW ? TriggerPrice.LONG_ALWAYS :
                    triggerPrice.longTrigger(size, market.quantumsPerTickLot, market.params.maintenanceMarginPpm, floor);
                if (trigger != TriggerPrice.LONG_NEVER)
                {
                    triggersOf(marketId).longs.put(accountId, -trigger);
                    addTriggerMarket(holder, marketId);
                }
            }
            else
            {
                final long trigger = floor == FixedPoint.OVERFLOW ? TriggerPrice.SHORT_ALWAYS :
                    triggerPrice.shortTrigger(size, market.quantumsPerTickLot, market.params.maintenanceMarginPpm, floor);
                if (trigger != TriggerPrice.SHORT_NEVER)
                {
                    triggersOf(marketId).shorts.put(accountId, trigger);
                    addTriggerMarket(holder, marketId);
                }
            }
        }
        return liquidatable;
    }

    /**
     * The position's contribution {@code g = N - MMR_p} at the current mark less the share of the slack
     * ({@link FixedPoint#OVERFLOW} if that does not fit: the caller then triggers on any mark).
     */
    private static long floor(final MarginState.Market market, final long size, final long share)
    {
        // The account's figures were evaluated without overflow, so N and its requirement fit.
        final long notional = size * market.markTicks * market.quantumsPerTickLot;
        final long contribution = FixedPoint.add(notional,
            -FixedPoint.ppmCeil(Math.abs(notional), market.params.maintenanceMarginPpm));
        return contribution == FixedPoint.OVERFLOW ? contribution : FixedPoint.add(contribution, -share);
    }

    private MarketTriggers triggersOf(final int marketId)
    {
        MarketTriggers market = triggers.get(marketId);
        if (market == null)
        {
            market = new MarketTriggers();
            triggers.put(marketId, market);
        }
        return market;
    }

    private static void addTriggerMarket(final MarginState.Holder holder, final int marketId)
    {
        if (holder.triggerCount == holder.triggerMarkets.length)
        {
            holder.triggerMarkets = Arrays.copyOf(holder.triggerMarkets, holder.triggerCount * 2);
        }
        holder.triggerMarkets[holder.triggerCount++] = marketId;
    }

    /** One market's triggers: longs keyed by minus their trigger (the highest trigger first), shorts by theirs. */
    private static final class MarketTriggers
    {
        final TriggerHeap longs = new TriggerHeap();
        final TriggerHeap shorts = new TriggerHeap();
    }
}
