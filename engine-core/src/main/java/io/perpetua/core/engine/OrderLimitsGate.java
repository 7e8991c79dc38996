package io.perpetua.core.engine;

import io.perpetua.core.book.OrderBook;
import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.units.FixedPoint;

/**
 * Fat-finger limits every order must pass, whatever the account's margin: the size range, the max
 * notional of one order, and the price band around the reference price. It keeps no state, so it
 * never vetoes fills.
 */
public final class OrderLimitsGate implements RiskGate
{
    public RejectReason checkOrder(final OrderRequest request, final OrderBook book)
    {
        final MarketSpec spec = book.spec();
        final long sizeLots = request.sizeLots();
        // An amend may leave less than the minimum open (as a partial fill may); it may not exceed the max.
        if (sizeLots > spec.maxSizeLots() || (!request.isAmend() && sizeLots < spec.minSizeLots()))
        {
            return RejectReason.SIZE_OUT_OF_RANGE;
        }
        // Shrinking an order in place only lowers risk: it passes even if the market has since moved
        // so far that its price is outside the band.
        final boolean priceKept = request.isAmend() && request.priceTicks() == request.previousPriceTicks();
        if (priceKept && sizeLots <= request.previousSizeLots())
        {
            return null;
        }

        final long notional = spec.quote(request.priceTicks(), sizeLots);
        if (notional == FixedPoint.OVERFLOW)
        {
            return RejectReason.OVERFLOW;
        }
        if (spec.maxNotional() != 0 && notional > spec.maxNotional())
        {
            return RejectReason.NOTIONAL_TOO_LARGE;
        }

        if (hasLimitPrice(request.orderType()) && !withinBand(spec, book.referencePriceTicks(), request.priceTicks()))
        {
            return RejectReason.PRICE_BAND;
        }
        return null;
    }

    /** Market orders carry a protective limit, not a price of their own: the band does not apply. */
    private static boolean hasLimitPrice(final OrderType orderType)
    {
        return orderType == OrderType.LIMIT || orderType == OrderType.STOP_LIMIT || orderType == OrderType.TAKE_PROFIT_LIMIT;
    }

    /**
     * True if {@code priceTicks} deviates from the reference by at most the band. With no band or no
     * reference yet, every price is inside. Compared as {@code |p - ref| * 1e6 <= ref * band} so no
     * division rounds the boundary.
     */
    static boolean withinBand(final MarketSpec spec, final long referenceTicks, final long priceTicks)
    {
        if (spec.priceBandPpm() == 0 || referenceTicks == 0)
        {
            return true;
        }
        final long deviation = FixedPoint.multiply(Math.abs(priceTicks - referenceTicks), FixedPoint.PPM);
        final long allowed = FixedPoint.multiply(referenceTicks, spec.priceBandPpm());
        return deviation != FixedPoint.OVERFLOW && allowed != FixedPoint.OVERFLOW && deviation <= allowed;
    }

    public FillVerdict checkFill(
        final OrderBook book,
        final long makerAccountId,
        final long takerAccountId,
        final Side takerSide,
        final long priceTicks,
        final long sizeLots)
    {
        return FillVerdict.PROCEED;
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
        // Stateless: limits do not depend on fills.
    }
}
