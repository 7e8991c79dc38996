package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.CollateralChangedDecoder;
import io.perpetua.core.sbe.DeleveragedDecoder;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.FundingPaymentDecoder;
import io.perpetua.core.sbe.InsuranceFundChangedDecoder;
import io.perpetua.core.sbe.LeverageSetDecoder;
import io.perpetua.core.sbe.LiquidationStepDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderExpiredDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
import io.perpetua.core.sbe.OrderTriggeredDecoder;
import io.perpetua.core.sbe.PositionChangedDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.Side;
import io.perpetua.gateway.marketdata.JournalSchema;
import io.perpetua.gateway.marketdata.MarketInfo;
import io.perpetua.gateway.marketdata.MarketUnits;
import org.agrona.DirectBuffer;

import java.util.function.IntFunction;

/**
 * The events of one command as one account sees them, in Perpetua's JSON dialect: its own orders'
 * acceptance, fills (from its side: its order, side, liquidity and remaining size), rests, cancels,
 * amends, expiries, triggers and rejections; its collateral changes, positions after each change, leverage
 * choices, funding payments, and the liquidation events that touch it (slices, deleverages, insurance-fund moves).
 * Events of other accounts are left out. One instance per thread.
 */
final class AccountEvents
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JournalSchema schema = new JournalSchema();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final RejectedDecoder rejected = new RejectedDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final OrderRestedDecoder rested = new OrderRestedDecoder();
    private final OrderCancelledDecoder cancelled = new OrderCancelledDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final OrderExpiredDecoder expired = new OrderExpiredDecoder();
    private final OrderTriggeredDecoder triggered = new OrderTriggeredDecoder();
    private final CollateralChangedDecoder collateral = new CollateralChangedDecoder();
    private final PositionChangedDecoder positionChanged = new PositionChangedDecoder();
    private final LeverageSetDecoder leverage = new LeverageSetDecoder();
    private final LiquidationStepDecoder liquidation = new LiquidationStepDecoder();
    private final DeleveragedDecoder deleveraged = new DeleveragedDecoder();
    private final InsuranceFundChangedDecoder insurance = new InsuranceFundChangedDecoder();
    private final FundingPaymentDecoder fundingPayment = new FundingPaymentDecoder();
    private final IntFunction<MarketInfo> markets;

    /** @param markets market info by id (for tickers and decimal units) */
    AccountEvents(final IntFunction<MarketInfo> markets)
    {
        this.markets = markets;
    }

    /** Appends to {@code out} the events of the entry that concern {@code accountId}. */
    void collect(final DirectBuffer buffer, final int offset, final int length, final long accountId, final ArrayNode out)
    {
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            header.wrap(buffer, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            final int blockLength = header.blockLength();
            final int version = header.version();
            switch (header.templateId())
            {
                case OrderAcceptedDecoder.TEMPLATE_ID:
                    accepted.wrap(buffer, body, blockLength, version);
                    if (accepted.accountId() == accountId)
                    {
                        out.add(accepted());
                    }
                    break;
                case RejectedDecoder.TEMPLATE_ID:
                    rejected.wrap(buffer, body, blockLength, version);
                    if (rejected.accountId() == accountId)
                    {
                        out.add(rejected());
                    }
                    break;
                case FillDecoder.TEMPLATE_ID:
                    fill.wrap(buffer, body, blockLength, version);
                    if (fill.takerAccountId() == accountId)
                    {
                        out.add(fill(true));
                    }
                    if (fill.makerAccountId() == accountId)
                    {
                        out.add(fill(false));
                    }
                    break;
                case OrderRestedDecoder.TEMPLATE_ID:
                    rested.wrap(buffer, body, blockLength, version);
                    if (rested.accountId() == accountId)
                    {
                        final MarketUnits units = units(rested.marketId());
                        out.add(event("rested", rested.marketId(), rested.orderId())
                            .put("side", rested.side().name())
                            .put("price", units.price(rested.price()))
                            .put("size", units.size(rested.size())));
                    }
                    break;
                case OrderCancelledDecoder.TEMPLATE_ID:
                    cancelled.wrap(buffer, body, blockLength, version);
                    if (cancelled.accountId() == accountId)
                    {
                        final MarketUnits units = units(cancelled.marketId());
                        out.add(event("cancelled", cancelled.marketId(), cancelled.orderId())
                            .put("clientOrderId", cancelled.clientOrderId())
                            .put("side", cancelled.side().name())
                            .put("price", units.price(cancelled.price()))
                            .put("remaining", units.size(cancelled.remainingSize()))
                            .put("reason", cancelled.reason().name())
                            .put("wasResting", cancelled.wasResting() == BooleanType.TRUE));
                    }
                    break;
                case OrderAmendedDecoder.TEMPLATE_ID:
                    amended.wrap(buffer, body, blockLength, version);
                    if (amended.accountId() == accountId)
                    {
                        final MarketUnits units = units(amended.marketId());
                        out.add(event("amended", amended.marketId(), amended.orderId())
                            .put("clientOrderId", amended.clientOrderId())
                            .put("side", amended.side().name())
                            .put("oldPrice", units.price(amended.oldPrice()))
                            .put("oldSize", units.size(amended.oldSize()))
                            .put("newPrice", units.price(amended.newPrice()))
                            .put("newSize", units.size(amended.newSize()))
                            .put("priorityKept", amended.priorityKept() == BooleanType.TRUE));
                    }
                    break;
                case OrderExpiredDecoder.TEMPLATE_ID:
                    expired.wrap(buffer, body, blockLength, version);
                    if (expired.accountId() == accountId)
                    {
                        final MarketUnits units = units(expired.marketId());
                        out.add(event("expired", expired.marketId(), expired.orderId())
                            .put("clientOrderId", expired.clientOrderId())
                            .put("side", expired.side().name())
                            .put("price", units.price(expired.price()))
                            .put("remaining", units.size(expired.remainingSize())));
                    }
                    break;
                case OrderTriggeredDecoder.TEMPLATE_ID:
                    triggered.wrap(buffer, body, blockLength, version);
                    if (triggered.accountId() == accountId)
                    {
                        final MarketUnits units = units(triggered.marketId());
                        out.add(event("triggered", triggered.marketId(), triggered.orderId())
                            .put("triggerPrice", units.price(triggered.triggerPrice()))
                            .put("markPrice", units.price(triggered.markPrice())));
                    }
                    break;
                case CollateralChangedDecoder.TEMPLATE_ID:
                    collateral.wrap(buffer, body, blockLength, version);
                    if (collateral.accountId() == accountId)
                    {
                        out.add(NODES.objectNode().put("event", "collateral")
                            .put("cause", collateral.cause().name())
                            .put("amount", MarketUnits.quote(collateral.amount()))
                            .put("balance", MarketUnits.quote(collateral.balance()))
                            .put("reference", Long.toString(collateral.reference())));
                    }
                    break;
                case PositionChangedDecoder.TEMPLATE_ID:
                    positionChanged.wrap(buffer, body, blockLength, version);
                    if (positionChanged.accountId() == accountId)
                    {
                        out.add(positionChanged());
                    }
                    break;
                case LeverageSetDecoder.TEMPLATE_ID:
                    leverage.wrap(buffer, body, blockLength, version);
                    if (leverage.accountId() == accountId)
                    {
                        out.add(NODES.objectNode().put("event", "leverage")
                            .put("market", market(leverage.marketId()).symbol())
                            .put("leverage", leverage.leverage()));
                    }
                    break;
                case LiquidationStepDecoder.TEMPLATE_ID:
                    liquidation.wrap(buffer, body, blockLength, version);
                    if (liquidation.accountId() == accountId)
                    {
                        out.add(liquidation());
                    }
                    break;
                case DeleveragedDecoder.TEMPLATE_ID:
                    deleveraged.wrap(buffer, body, blockLength, version);
                    if (deleveraged.liquidatedAccountId() == accountId || deleveraged.counterpartyAccountId() == accountId)
                    {
                        final MarketUnits units = units(deleveraged.marketId());
                        out.add(NODES.objectNode().put("event", "deleveraged")
                            .put("market", market(deleveraged.marketId()).symbol())
                            .put("role", deleveraged.liquidatedAccountId() == accountId ? "LIQUIDATED" : "COUNTERPARTY")
                            .put("tradeId", Long.toString(deleveraged.tradeId()))
                            .put("size", units.size(deleveraged.size()))
                            .put("quote", MarketUnits.quote(deleveraged.quote())));
                    }
                    break;
                case FundingPaymentDecoder.TEMPLATE_ID:
                    fundingPayment.wrap(buffer, body, blockLength, version);
                    if (fundingPayment.accountId() == accountId)
                    {
                        out.add(NODES.objectNode().put("event", "funding")
                            .put("market", market(fundingPayment.marketId()).symbol())
                            .put("amount", MarketUnits.quote(fundingPayment.amount()))
                            .put("size", units(fundingPayment.marketId()).size(fundingPayment.size()))
                            .put("fundingIndex", Long.toString(fundingPayment.fundingIndex()))
                            .put("balance", MarketUnits.quote(fundingPayment.balance())));
                    }
                    break;
                case InsuranceFundChangedDecoder.TEMPLATE_ID:
                    insurance.wrap(buffer, body, blockLength, version);
                    if (insurance.accountId() == accountId)
                    {
                        out.add(NODES.objectNode().put("event", "insuranceFund")
                            .put("market", market(insurance.marketId()).symbol())
                            .put("cause", insurance.cause().name())
                            .put("accountAmount", MarketUnits.quote(-insurance.amount()))
                            .put("balance", MarketUnits.quote(insurance.accountBalance())));
                    }
                    break;
                default:
                    break;
            }
            position = schema.skip(buffer, position);
        }
    }

    private ObjectNode accepted()
    {
        final MarketUnits units = units(accepted.marketId());
        final ObjectNode node = event("accepted", accepted.marketId(), accepted.orderId())
            .put("clientOrderId", accepted.clientOrderId())
            .put("side", accepted.side().name())
            .put("type", accepted.orderType().name())
            .put("timeInForce", accepted.timeInForce().name())
            .put("postOnly", accepted.flags().postOnly())
            .put("reduceOnly", accepted.flags().reduceOnly())
            .put("price", units.price(accepted.price()))
            .put("size", units.size(accepted.size()));
        if (accepted.triggerPrice() != 0)
        {
            node.put("triggerPrice", units.price(accepted.triggerPrice()));
        }
        if (accepted.expiryNs() != 0)
        {
            node.put("expiresAt", accepted.expiryNs() / 1_000_000);
        }
        return node;
    }

    private ObjectNode positionChanged()
    {
        final MarketUnits units = units(positionChanged.marketId());
        return NODES.objectNode().put("event", "position")
            .put("market", market(positionChanged.marketId()).symbol())
            .put("cause", positionChanged.cause().name())
            .put("tradeId", Long.toString(positionChanged.tradeId()))
            .put("sizeDelta", units.size(positionChanged.sizeDelta()))
            .put("size", units.size(positionChanged.size()))
            .put("costBasis", MarketUnits.quote(positionChanged.costBasis()))
            .put("realizedPnl", MarketUnits.quote(positionChanged.realizedPnl()))
            .put("fee", MarketUnits.quote(positionChanged.fee()))
            .put("balance", MarketUnits.quote(positionChanged.balance()));
    }

    private ObjectNode liquidation()
    {
        final MarketUnits units = units(liquidation.marketId());
        return NODES.objectNode().put("event", "liquidation")
            .put("market", market(liquidation.marketId()).symbol())
            .put("netCollateral", MarketUnits.quote(liquidation.netCollateral()))
            .put("maintenanceMargin", MarketUnits.quote(liquidation.maintenanceMargin()))
            .put("side", liquidation.side().name())
            .put("size", units.size(liquidation.size()))
            .put("fillablePrice", units.price(liquidation.fillablePrice()))
            .put("filledSize", units.size(liquidation.filledSize()))
            .put("receivedQuote", MarketUnits.quote(liquidation.receivedQuote()))
            .put("deleveragedSize", units.size(liquidation.deleveragedSize()));
    }

    private ObjectNode rejected()
    {
        final ObjectNode node = NODES.objectNode().put("event", "rejected")
            .put("code", rejected.reason().name())
            .put("message", RejectMessages.of(rejected.reason()));
        final MarketInfo market = rejected.marketId() > 0 ? markets.apply(rejected.marketId()) : null;
        if (market != null)
        {
            node.put("market", market.symbol());
        }
        if (rejected.orderId() != 0)
        {
            node.put("orderId", Long.toString(rejected.orderId()));
        }
        if (rejected.clientOrderId() != 0)
        {
            node.put("clientOrderId", rejected.clientOrderId());
        }
        return node;
    }

    private ObjectNode fill(final boolean taker)
    {
        final MarketUnits units = units(fill.marketId());
        final Side side = taker ? fill.aggressorSide() : fill.aggressorSide() == Side.BUY ? Side.SELL : Side.BUY;
        return event("fill", fill.marketId(), taker ? fill.takerOrderId() : fill.makerOrderId())
            .put("tradeId", Long.toString(fill.tradeId()))
            .put("side", side.name())
            .put("liquidity", taker ? "TAKER" : "MAKER")
            .put("price", units.price(fill.price()))
            .put("size", units.size(fill.size()))
            .put("quote", MarketUnits.quote(fill.quote()))
            .put("remaining", units.size(taker ? fill.takerRemaining() : fill.makerRemaining()));
    }

    private ObjectNode event(final String kind, final int marketId, final long orderId)
    {
        return NODES.objectNode()
            .put("event", kind)
            .put("market", market(marketId).symbol())
            .put("orderId", Long.toString(orderId));
    }

    private MarketInfo market(final int marketId)
    {
        final MarketInfo market = markets.apply(marketId);
        if (market == null)
        {
            throw new IllegalStateException("event for market " + marketId + " the gateway has not seen configured");
        }
        return market;
    }

    private MarketUnits units(final int marketId)
    {
        return market(marketId).units();
    }
}
