package io.perpetua.core.engine;

import io.perpetua.core.book.OrderBook;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.Side;

/**
 * The seam where risk rules meet matching. The core thread calls the gate before an order may
 * rest or trade ({@link #checkOrder}), before each fill ({@link #checkFill}), for the fill's fees
 * ({@link #fee}) and after it ({@link #onFill}). Gates run on the core thread, read only state the
 * core owns and must be deterministic and allocation-free.
 *
 * <p>engine-core ships {@link OrderLimitsGate} (price band, size range, max notional); risk-margin
 * adds the margin gate, and the node composes them with {@link #andThen(RiskGate)}.
 */
public interface RiskGate
{
    /** What a fill check decided. */
    enum FillVerdict
    {
        /** The fill may happen. */
        PROCEED,
        /** The resting order may not trade: remove it from the book and try the next maker. */
        REMOVE_MAKER,
        /** The incoming order may not trade further: stop matching and cancel its remainder. */
        STOP_TAKER
    }

    /**
     * Checks an order (new, or an amend's new price and size) before it rests or trades.
     *
     * @return null to accept, or the reason to reject.
     */
    RejectReason checkOrder(OrderRequest request, OrderBook book);

    /** Checks one prospective fill of {@code sizeLots} at {@code priceTicks}. */
    FillVerdict checkFill(
        OrderBook book, long makerAccountId, long takerAccountId, Side takerSide, long priceTicks, long sizeLots);

    /**
     * The fee one side of a fill pays to the fee account, in quote quantums (negative = rebate).
     * Without a ledger there is no one to charge, so the default is 0.
     */
    default long fee(final OrderBook book, final long accountId, final long quote, final boolean maker)
    {
        return 0;
    }

    /**
     * How many lots an order of {@code side} may trade and still only reduce the account's position
     * (the size of the position it closes). Without positions nothing can be reduced.
     */
    default long reducibleLots(final OrderBook book, final long accountId, final Side side)
    {
        return 0;
    }

    /** Observes a fill that happened (positions and collateral move here in risk-margin). */
    void onFill(
        OrderBook book,
        long tradeId,
        long makerAccountId,
        long takerAccountId,
        Side takerSide,
        long priceTicks,
        long sizeLots,
        long quote,
        long makerFee,
        long takerFee);

    /** A gate that applies this gate's checks, then {@code next}'s; both observe every fill. */
    default RiskGate andThen(final RiskGate next)
    {
        final RiskGate first = this;
        return new RiskGate()
        {
            public RejectReason checkOrder(final OrderRequest request, final OrderBook book)
            {
                final RejectReason reason = first.checkOrder(request, book);
                return reason != null ? reason : next.checkOrder(request, book);
            }

            public FillVerdict checkFill(
                final OrderBook book,
                final long makerAccountId,
                final long takerAccountId,
                final Side takerSide,
                final long priceTicks,
                final long sizeLots)
            {
                final FillVerdict verdict =
                    first.checkFill(book, makerAccountId, takerAccountId, takerSide, priceTicks, sizeLots);
                return verdict != FillVerdict.PROCEED ?
                    verdict : next.checkFill(book, makerAccountId, takerAccountId, takerSide, priceTicks, sizeLots);
            }

            public long fee(final OrderBook book, final long accountId, final long quote, final boolean maker)
            {
                return Math.addExact(first.fee(book, accountId, quote, maker), next.fee(book, accountId, quote, maker));
            }

            public long reducibleLots(final OrderBook book, final long accountId, final Side side)
            {
                return Math.max(first.reducibleLots(book, accountId, side), next.reducibleLots(book, accountId, side));
            }

            public void onFill(
                final OrderBook book,
                final long tradeId,
                final long makerAccountId,
                final long takerAccountId,
                final Side takerSide,
                final long priceTicks,
                final long sizeLots,
                final long quote,
                final long makerFee,
                final long takerFee)
            {
                first.onFill(book, tradeId, makerAccountId, takerAccountId, takerSide, priceTicks, sizeLots, quote,
                    makerFee, takerFee);
                next.onFill(book, tradeId, makerAccountId, takerAccountId, takerSide, priceTicks, sizeLots, quote,
                    makerFee, takerFee);
            }
        };
    }
}
