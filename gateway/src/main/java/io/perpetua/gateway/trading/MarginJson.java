package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.perpetua.gateway.marketdata.MarketInfo;
import io.perpetua.gateway.marketdata.MarketUnits;
import io.perpetua.risk.view.AccountView;
import io.perpetua.risk.view.PositionView;

import java.math.BigDecimal;
import java.util.function.IntFunction;

/**
 * An account's margin view (risk-margin's {@link AccountView}, at the current marks) as the
 * {@code margin} event of the trading API: amounts in USDC, ratios as decimals.
 */
final class MarginJson
{
    private MarginJson()
    {
    }

    static ObjectNode margin(final AccountView view, final IntFunction<MarketInfo> markets)
    {
        final ObjectNode node = JsonNodeFactory.instance.objectNode().put("event", "margin")
            .put("balance", MarketUnits.quote(view.balance()))
            .put("netCollateral", MarketUnits.quote(view.netCollateral()))
            .put("initialMargin", MarketUnits.quote(view.initialMargin()))
            .put("maintenanceMargin", MarketUnits.quote(view.maintenanceMargin()))
            .put("freeCollateral", MarketUnits.quote(view.freeCollateral()));
        ratio(node, "marginRatio", view.marginRatioPpm());
        ratio(node, "leverage", view.leveragePpm());
        final ArrayNode positions = node.putArray("positions");
        for (final PositionView position : view.positions())
        {
            final MarketInfo market = markets.apply(position.marketId());
            if (market == null)
            {
                throw new IllegalStateException("position in market " + position.marketId() + " the gateway has not seen configured");
            }
            final MarketUnits units = market.units();
            final ObjectNode entry = positions.addObject()
                .put("market", market.symbol())
                .put("size", units.size(position.size()))
                .put("costBasis", MarketUnits.quote(position.costBasis()))
                .put("notional", MarketUnits.quote(position.notional()))
                .put("markPrice", units.price(position.markPrice()))
                .put("unrealizedPnl", MarketUnits.quote(position.unrealizedPnl()));
            if (position.liquidationPrice() == 0)
            {
                entry.putNull("liquidationPrice");
            }
            else
            {
                entry.put("liquidationPrice", units.price(position.liquidationPrice()));
            }
            entry.put("adlQuantile", position.adlQuantile());
        }
        return node;
    }

    /** A ppm ratio as a decimal; null when it is unbounded (net collateral at or below zero). */
    private static void ratio(final ObjectNode node, final String field, final long ppm)
    {
        if (ppm == Long.MAX_VALUE)
        {
            node.putNull(field);
        }
        else
        {
            node.put(field, BigDecimal.valueOf(ppm, 6).stripTrailingZeros().toPlainString());
        }
    }
}
