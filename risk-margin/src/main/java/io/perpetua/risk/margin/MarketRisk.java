package io.perpetua.risk.margin;

import io.perpetua.core.book.OrderBook;

/**
 * What the risk engine knows of one market: its book (for the spec and the mark price) and its
 * margin parameters. Oracle configuration and state sit beside it in the risk engine.
 */
public final class MarketRisk
{
    private final OrderBook book;
    private RiskParams params = RiskParams.defaults();

    public MarketRisk(final OrderBook book)
    {
        this.book = book;
    }

    public OrderBook book()
    {
        return book;
    }

    public int marketId()
    {
        return book.spec().marketId();
    }

    public RiskParams params()
    {
        return params;
    }

    public void params(final RiskParams params)
    {
        this.params = params;
    }

    /** Mark price in ticks, 0 before the first oracle price. */
    public long markTicks()
    {
        return book.markPriceTicks();
    }

    /** Quote quantums of one lot at one tick. */
    public long quantumsPerTickLot()
    {
        return book.spec().quantumsPerTickLot();
    }
}
