package io.perpetua.risk.view;

/**
 * One position of an {@link AccountView}: size in size units (signed), cost basis and notional in
 * quote quantums, mark and liquidation prices in price units (0: no positive price liquidates it),
 * unrealized PnL, and the ADL rank quantile (5 = first to be deleveraged, 1 = last).
 */
public record PositionView(
    int marketId,
    long size,
    long costBasis,
    long notional,
    long markPrice,
    long unrealizedPnl,
    long liquidationPrice,
    int adlQuantile)
{
}
