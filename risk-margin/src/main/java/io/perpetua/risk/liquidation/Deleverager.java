package io.perpetua.risk.liquidation;

import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.PositionCause;
import io.perpetua.risk.engine.RiskEngine;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.Position;
import io.perpetua.risk.ledger.ProRata;
import io.perpetua.risk.ledger.WideInteger;
import io.perpetua.risk.margin.MarginCalculator;
import io.perpetua.risk.margin.MarketRisk;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Auto-deleveraging: what the book could not absorb is offset against the opposite positions in
 * the market, best ranked first, at the bankruptcy price (MECHANICS §5). The rank is BitMEX's:
 * for a profitable position {@code pnl% x leverage}, for a losing one {@code pnl% / leverage},
 * where {@code pnl% = unrealized PnL / |cost basis|} and {@code leverage = |notional| / NC}. Ties
 * go to the lower account id. Ranks compare as exact fractions, so the order is deterministic.
 *
 * <p>The core's ranking allocates nothing once its arrays have grown to the number of accounts:
 * counterparties sit in parallel arrays, ranks compare in reused {@link WideInteger}s (products of
 * four factors, up to 254 bits) and the order is a heap of indices the best are taken from.
 */
public final class Deleverager
{
    private final RiskEngine risk;
    private final MarginCalculator calculator;
    private final Ranking ranking = new Ranking();

    /** Counterparties of the offset in progress not yet taken, {@code order[0, count)} a heap of them by rank. */
    private int count;
    private long[] accountIds = new long[0];
    private long[] sizes = new long[0];
    private long[] costBases = new long[0];
    private long[] notionals = new long[0];
    private long[] netCollaterals = new long[0];
    private int[] order = new int[0];

    Deleverager(final RiskEngine risk)
    {
        this.risk = risk;
        this.calculator = risk.newCalculator();
    }

    /** A position's figures for ranking it (the views rank with these too). */
    public record Candidate(long accountId, long sizeLots, long costBasis, long notional, long netCollateral)
    {
    }

    /**
     * Higher rank first, then lower account id. A position's rank is the fraction: winners
     * {@code (pnl / basis) * (|N| / NC)}, losers {@code (pnl / basis) / (|N| / NC)}, with
     * {@code pnl = N - basis}; zero or negative bases and collateral count as one quantum. Holds two
     * scratch numbers, so an instance belongs to one thread.
     */
    public static final class Ranking implements Comparator<Candidate>
    {
        private final WideInteger left = new WideInteger();
        private final WideInteger right = new WideInteger();

        @Override
        public int compare(final Candidate a, final Candidate b)
        {
            return compare(a.accountId, a.costBasis, a.notional, a.netCollateral,
                b.accountId, b.costBasis, b.notional, b.netCollateral);
        }

        /** As {@link #compare(Candidate, Candidate)} on the candidates' figures. */
        public int compare(
            final long accountA, final long costBasisA, final long notionalA, final long netCollateralA,
            final long accountB, final long costBasisB, final long notionalB, final long netCollateralB)
        {
            // rank(b) - rank(a) has the sign of numerator(b) * denominator(a) - numerator(a) * denominator(b).
            crossProduct(left, costBasisB, notionalB, netCollateralB, costBasisA, notionalA, netCollateralA);
            crossProduct(right, costBasisA, notionalA, netCollateralA, costBasisB, notionalB, netCollateralB);
            final int byRank = left.compareTo(right);
            return byRank != 0 ? byRank : Long.compare(accountA, accountB);
        }

        /** {@code target = numerator(x) * denominator(y)}. */
        private static void crossProduct(
            final WideInteger target,
            final long costBasisX, final long notionalX, final long netCollateralX,
            final long costBasisY, final long notionalY, final long netCollateralY)
        {
            target.setDifference(notionalX, costBasisX); // pnl, up to 65 bits
            if (notionalX > costBasisX)
            {
                multiplyByAbsNotional(target, notionalX);
            }
            else
            {
                target.multiply(collateral(netCollateralX));
            }
            target.multiply(basis(costBasisY));
            if (notionalY > costBasisY)
            {
                target.multiply(collateral(netCollateralY));
            }
            else
            {
                multiplyByAbsNotional(target, notionalY);
            }
        }

        private static void multiplyByAbsNotional(final WideInteger target, final long notional)
        {
            // max(1, |N|) exactly: |Long.MIN_VALUE| is 2^63, which multiply takes as the magnitude.
            target.multiply(notional == 0 ? 1 : notional);
            if (notional < 0)
            {
                target.negate();
            }
        }

        private static long basis(final long costBasis)
        {
            return Math.max(1, Math.abs(costBasis));
        }

        private static long collateral(final long netCollateral)
        {
            return Math.max(1, netCollateral);
        }
    }

    /** Fills the candidate arrays with the counterparties of a position of {@code sign}, as a heap by rank. */
    private void rank(final int marketId, final long sign, final long excludedAccountId)
    {
        final Ledger ledger = risk.ledger();
        final MarketRisk market = risk.market(marketId);
        final long lotValue = market.markTicks() * market.quantumsPerTickLot();
        ensureCapacity(ledger.accountCount());
        count = 0;
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            final Account account = ledger.account(ledger.accountIdAt(i));
            final Position position = account.position(marketId);
            if (account.accountId() == excludedAccountId || position == null || Long.signum(position.sizeLots()) != -sign)
            {
                continue;
            }
            calculator.evaluate(account);
            accountIds[count] = account.accountId();
            sizes[count] = position.sizeLots();
            costBases[count] = position.costBasis();
            notionals[count] = Math.multiplyExact(position.sizeLots(), lotValue);
            netCollaterals[count] = calculator.netCollateral;
            order[count] = count;
            count++;
        }
        heapify();
    }

    /**
     * Arranges {@code order[0, count)} as a binary heap with the best-ranked candidate at the root.
     * An offset usually needs the first few of many counterparties, so they are taken one at a time
     * ({@link #takeBest}) instead of sorting them all; the ranking is a total order (ties go to the
     * lower account id), so they come out exactly as a sort would give them.
     */
    private void heapify()
    {
        for (int i = (count >>> 1) - 1; i >= 0; i--)
        {
            siftDown(i);
        }
    }

    /** Removes the best-ranked remaining candidate from the heap and returns its index. */
    private int takeBest()
    {
        final int best = order[0];
        count--;
        order[0] = order[count];
        siftDown(0);
        return best;
    }

    private void siftDown(final int from)
    {
        final int item = order[from];
        int i = from;
        int child;
        while ((child = 2 * i + 1) < count)
        {
            if (child + 1 < count && compareAt(order[child + 1], order[child]) < 0)
            {
                child++;
            }
            if (compareAt(order[child], item) >= 0)
            {
                break;
            }
            order[i] = order[child];
            i = child;
        }
        order[i] = item;
    }

    private int compareAt(final int a, final int b)
    {
        return ranking.compare(accountIds[a], costBases[a], notionals[a], netCollaterals[a],
            accountIds[b], costBases[b], notionals[b], netCollaterals[b]);
    }

    private void ensureCapacity(final int accounts)
    {
        if (accountIds.length < accounts)
        {
            final int capacity = Math.max(accounts, 2 * accountIds.length);
            accountIds = Arrays.copyOf(accountIds, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
            costBases = Arrays.copyOf(costBases, capacity);
            notionals = Arrays.copyOf(notionals, capacity);
            netCollaterals = Arrays.copyOf(netCollaterals, capacity);
            order = Arrays.copyOf(order, capacity);
        }
    }

    /**
     * Offsets {@code lots} of the account's position against ranked counterparties for
     * {@code quote} in total (signed as the liquidated account receives it), pro rata per
     * counterparty with the remainder on the last.
     *
     * @return the lots offset (less than asked only if the counterparties hold less)
     */
    long offset(final Account account, final int marketId, final long lots, final long quote)
    {
        final long size = account.sizeLots(marketId);
        final long sign = Long.signum(size);
        final MarketSpec spec = risk.market(marketId).book().spec();
        long remainingLots = Math.min(lots, Math.abs(size));
        long remainingQuote = quote;
        long offsetLots = 0;
        rank(marketId, sign, account.accountId());
        while (count > 0 && remainingLots > 0)
        {
            final int candidate = takeBest();
            final long take = Math.min(remainingLots, Math.abs(sizes[candidate]));
            final long takeQuote = ProRata.share(remainingQuote, take, remainingLots);
            remainingLots -= take;
            remainingQuote -= takeQuote;
            offsetLots += take;
            // The liquidated side closes (delta -sign*take), the counterparty reduces by the same size.
            // ledger.trade takes the buyer-pays amount; the liquidated side receives takeQuote when it sells.
            final long buyerPays = sign > 0 ? takeQuote : -takeQuote;
            final Account counterparty = risk.ledger().account(accountIds[candidate]);
            final long tradeId = risk.engine().allocateTradeId();
            risk.settleTrade(account, marketId, PositionCause.DELEVERAGE, tradeId, -sign * take, buyerPays, 0);
            risk.settleTrade(counterparty, marketId, PositionCause.DELEVERAGE, tradeId, sign * take, buyerPays, 0);
            risk.engine().events().deleveraged(account.accountId(), accountIds[candidate], marketId, tradeId,
                spec.toSize(take), takeQuote);
            risk.engine().trimReduceOnlyOrders(accountIds[candidate], marketId);
        }
        return offsetLots;
    }
}
