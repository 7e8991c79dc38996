package io.perpetua.core.engine;

import io.perpetua.core.book.OrderBook;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.Side;

/**
 * The seam where risk rules meet matching. The core thread calls the gate before an order may
 * rest or trade ({@link #checkOrder}), before each fill ({@link #checkFill}) and after it
 * ({@link #onFill}). Gates run on the core thread, read only state the core owns and must be
 * deterministic and allocation-free.
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

    /** Observes a fill that happened (positions and collateral move here in risk-margin). */
    void onFill(
        OrderBook book, long makerAccountId, long takerAccountId, Side takerSide, long priceTicks, long sizeLots, long quote);

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

            public void onFill(
                final OrderBook book,
                final long makerAccountId,
                final long takerAccountId,
                final Side takerSide,
                final long priceTicks,
                final long sizeLots,
                final long quote)
            {
                first.onFill(book, makerAccountId, takerAccountId, takerSide, priceTicks, sizeLots, quote);
                next.onFill(book, makerAccountId, takerAccountId, takerSide, priceTicks, sizeLots, quote);
            }
        };
    }
}
