package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderExpiredDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
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
 * amends, expiries and rejections. Events of other accounts are left out. One instance per thread.
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
    private final IntFunction<MarketInfo> markets;

    /** @param markets market info by id (for tickers and decimal units) */
    AccountEvents(final IntFunction<MarketInfo> markets)
    {
        this.markets = markets;
    }

    /** Appends to {@code out} the events of the document that concern {@code accountId}. */
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
            .put("price", units.price(accepted.price()))
            .put("size", units.size(accepted.size()));
        if (accepted.expiryNs() != 0)
        {
            node.put("expiresAt", accepted.expiryNs() / 1_000_000);
        }
        return node;
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
