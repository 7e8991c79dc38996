package io.perpetua.risk.view;

import java.util.List;

/**
 * An account's margin at the current marks, in quote quantums unless named otherwise: equity
 * ({@code NC}), initial and maintenance requirements, free collateral ({@code NC - IMR}), margin
 * ratio ({@code MMR / NC}, ppm; at 1,000,000 the account is liquidatable) and leverage
 * ({@code sum |N| / NC}, ppm); both ratios are {@code Long.MAX_VALUE} when {@code NC <= 0}.
 */
public record AccountView(
    long accountId,
    long parentAccountId,
    long balance,
    long netCollateral,
    long initialMargin,
    long maintenanceMargin,
    long freeCollateral,
    long marginRatioPpm,
    long leveragePpm,
    List<PositionView> positions)
{
}
