package io.perpetua.risk.liquidation;

import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.PositionCause;
import io.perpetua.risk.engine.RiskEngine;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.Position;
import io.perpetua.risk.ledger.ProRata;
import io.perpetua.risk.margin.MarginCalculator;
import io.perpetua.risk.margin.MarketRisk;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Auto-deleveraging: what the book could not absorb is offset against the opposite positions in
 * the market, best ranked first, at the bankruptcy price (MECHANICS §5). The rank is BitMEX's:
 * for a profitable position {@code pnl% x leverage}, for a losing one {@code pnl% / leverage},
 * where {@code pnl% = unrealized PnL / |cost basis|} and {@code leverage = |notional| / NC}. Ties
 * go to the lower account id. Ranks compare as exact fractions, so the order is deterministic.
 */
public final class Deleverager
{
    private final RiskEngine risk;
    private final MarginCalculator calculator;

    Deleverager(final RiskEngine risk)
    {
        this.risk = risk;
        this.calculator = risk.newCalculator();
    }

    /** A counterparty and its rank {@code numerator / denominator} (denominator > 0). */
    public record Candidate(long accountId, long sizeLots, BigInteger numerator, BigInteger denominator)
        implements Comparable<Candidate>
    {
        /** Higher rank first, then lower account id. */
        public int compareTo(final Candidate other)
        {
            final int byRank = other.numerator.multiply(denominator).compareTo(numerator.multiply(other.denominator));
            return byRank != 0 ? byRank : Long.compare(accountId, other.accountId);
        }
    }

    /**
     * A position's rank: winners {@code (pnl / basis) * (|N| / NC)}, losers {@code (pnl / basis) / (|N| / NC)},
     * with {@code pnl = N - basis}; zero or negative bases and collateral count as one quantum.
     */
    public static Candidate candidate(
        final long accountId, final long sizeLots, final long costBasis, final long notional, final long netCollateral)
    {
        final BigInteger pnl = BigInteger.valueOf(notional).subtract(BigInteger.valueOf(costBasis));
        final BigInteger basis = BigInteger.valueOf(Math.max(1, Math.abs(costBasis)));
        final BigInteger collateral = BigInteger.valueOf(Math.max(1, netCollateral));
        final BigInteger absNotional = BigInteger.valueOf(notional).abs().max(BigInteger.ONE);
        return pnl.signum() > 0 ?
            new Candidate(accountId, sizeLots, pnl.multiply(absNotional), basis.multiply(collateral)) :
            new Candidate(accountId, sizeLots, pnl.multiply(collateral), basis.multiply(absNotional));
    }

    /** The counterparties of a position of {@code sign} in a market, best ranked first. */
    public List<Candidate> rank(final int marketId, final long sign, final long excludedAccountId)
    {
        final Ledger ledger = risk.ledger();
        final MarketRisk market = risk.market(marketId);
        final long lotValue = market.markTicks() * market.quantumsPerTickLot();
        final List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            final Account account = ledger.account(ledger.accountIdAt(i));
            final Position position = account.position(marketId);
            if (account.accountId() == excludedAccountId || position == null || Long.signum(position.sizeLots()) != -sign)
            {
                continue;
            }
            calculator.evaluate(account);
            candidates.add(candidate(account.accountId(), position.sizeLots(), position.costBasis(),
                Math.multiplyExact(position.sizeLots(), lotValue), calculator.netCollateral));
        }
        candidates.sort(null);
        return candidates;
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
        for (final Candidate candidate : rank(marketId, sign, account.accountId()))
        {
            if (remainingLots == 0)
            {
                break;
            }
            final long take = Math.min(remainingLots, Math.abs(candidate.sizeLots()));
            final long takeQuote = ProRata.share(remainingQuote, take, remainingLots);
            remainingLots -= take;
            remainingQuote -= takeQuote;
            offsetLots += take;
            // The liquidated side closes (delta -sign*take), the counterparty reduces by the same size.
            // ledger.trade takes the buyer-pays amount; the liquidated side receives takeQuote when it sells.
            final long buyerPays = sign > 0 ? takeQuote : -takeQuote;
            final Account counterparty = risk.ledger().account(candidate.accountId());
            final long tradeId = risk.engine().allocateTradeId();
            risk.settleTrade(account, marketId, PositionCause.DELEVERAGE, tradeId, -sign * take, buyerPays, 0);
            risk.settleTrade(counterparty, marketId, PositionCause.DELEVERAGE, tradeId, sign * take, buyerPays, 0);
            risk.engine().events().deleveraged(account.accountId(), candidate.accountId(), marketId, tradeId,
                spec.toSize(take), takeQuote);
            risk.engine().trimReduceOnlyOrders(candidate.accountId(), marketId);
        }
        return offsetLots;
    }
}
