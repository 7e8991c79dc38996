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
import io.perpetua.core.sbe.OrderTriggeredDecoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.gateway.marketdata.JournalSchema;
import io.perpetua.gateway.marketdata.MarketInfo;
import io.perpetua.gateway.marketdata.MarketUnits;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Every account's open orders as the events journal shows them: orders resting on the book
 * ({@code OPEN}) and conditional orders waiting for their trigger ({@code UNTRIGGERED}). Fed one
 * command's events at a time by the account feed, so a query answered under the feed's lock is the
 * state after exactly the feed's last sequence. Orders are kept per account in the order they
 * became open.
 */
final class OpenOrders
{
    /** One open order. Sizes and prices in the market's units. */
    private static final class Order
    {
        long accountId;
        int marketId;
        long orderId;
        long clientOrderId;
        Side side;
        OrderType type;
        TimeInForce timeInForce;
        boolean postOnly;
        boolean reduceOnly;
        long price;
        long triggerPrice;
        long size;
        long remaining;
        long expiryNs;
        boolean untriggered;
    }

    private final JournalSchema schema = new JournalSchema();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final OrderRestedDecoder rested = new OrderRestedDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final OrderCancelledDecoder cancelled = new OrderCancelledDecoder();
    private final OrderExpiredDecoder expired = new OrderExpiredDecoder();
    private final OrderTriggeredDecoder triggered = new OrderTriggeredDecoder();
    private final IntFunction<MarketInfo> markets;
    /** Open orders by order id (order ids are unique across markets). */
    private final Long2ObjectHashMap<Order> byId = new Long2ObjectHashMap<>();
    /** Each account's open orders, in the order they opened. */
    private final Long2ObjectHashMap<Map<Long, Order>> byAccount = new Long2ObjectHashMap<>();
    /**
     * Orders of the current command that were accepted (or left the book on an amend) and may rest
     * later in the same command: their fields, which {@code OrderRested} does not repeat.
     */
    private final Long2ObjectHashMap<Order> inFlight = new Long2ObjectHashMap<>();

    /** @param markets market info by id (tickers and decimal units) */
    OpenOrders(final IntFunction<MarketInfo> markets)
    {
        this.markets = markets;
    }

    /** Applies one command's events (one events journal entry). */
    void apply(final DirectBuffer buffer, final int offset, final int length)
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
                case OrderAcceptedDecoder.TEMPLATE_ID -> onAccepted(accepted.wrap(buffer, body, blockLength, version));
                case OrderRestedDecoder.TEMPLATE_ID -> onRested(rested.wrap(buffer, body, blockLength, version));
                case FillDecoder.TEMPLATE_ID ->
                {
                    fill.wrap(buffer, body, blockLength, version);
                    reduce(fill.makerOrderId(), fill.makerRemaining());
                }
                case OrderAmendedDecoder.TEMPLATE_ID -> onAmended(amended.wrap(buffer, body, blockLength, version));
                case OrderCancelledDecoder.TEMPLATE_ID ->
                    remove(cancelled.wrap(buffer, body, blockLength, version).orderId());
                case OrderExpiredDecoder.TEMPLATE_ID -> remove(expired.wrap(buffer, body, blockLength, version).orderId());
                case OrderTriggeredDecoder.TEMPLATE_ID ->
                {
                    // It re-enters as its underlying order: OrderAccepted (and a rest) follow.
                    remove(triggered.wrap(buffer, body, blockLength, version).orderId());
                }
                default ->
                {
                }
            }
            position = schema.skip(buffer, position);
        }
        inFlight.clear();
    }

    /**
     * The account's open orders, optionally of one market only, as JSON objects in the order they
     * opened.
     */
    ArrayNode of(final long accountId, final int marketIdOrZero)
    {
        final ArrayNode out = JsonNodeFactory.instance.arrayNode();
        final Map<Long, Order> orders = byAccount.get(accountId);
        if (orders != null)
        {
            for (final Order order : orders.values())
            {
                if (marketIdOrZero == 0 || order.marketId == marketIdOrZero)
                {
                    out.add(json(order));
                }
            }
        }
        return out;
    }

    private void onAccepted(final OrderAcceptedDecoder event)
    {
        final Order order = new Order();
        order.accountId = event.accountId();
        order.marketId = event.marketId();
        order.orderId = event.orderId();
        order.clientOrderId = event.clientOrderId();
        order.side = event.side();
        order.type = event.orderType();
        order.timeInForce = event.timeInForce();
        order.postOnly = event.flags().postOnly();
        order.reduceOnly = event.flags().reduceOnly();
        order.price = event.price();
        order.triggerPrice = event.triggerPrice();
        order.size = event.size();
        order.remaining = event.size();
        order.expiryNs = event.expiryNs();
        if (isConditional(order.type))
        {
            order.untriggered = true;
            open(order);
        }
        else
        {
            inFlight.put(order.orderId, order);
        }
    }

    private void onRested(final OrderRestedDecoder event)
    {
        final Order order = inFlight.remove(event.orderId());
        if (order == null)
        {
            // Every rest follows its order's acceptance or an amend in the same command.
            throw new IllegalStateException("order " + event.orderId() + " rests without being accepted or amended");
        }
        order.price = event.price();
        order.remaining = event.size();
        open(order);
    }

    private void onAmended(final OrderAmendedDecoder event)
    {
        final Order order = byId.get(event.orderId());
        if (order == null)
        {
            return;
        }
        order.price = event.newPrice();
        order.remaining = event.newSize();
        order.size = order.size - event.oldSize() + event.newSize();
        if (event.priorityKept() == BooleanType.FALSE)
        {
            // It left the book and re-enters as a taker; a rest later in the command reopens it.
            remove(order.orderId);
            inFlight.put(order.orderId, order);
        }
    }

    private void reduce(final long orderId, final long remaining)
    {
        final Order order = byId.get(orderId);
        if (order == null)
        {
            return;
        }
        if (remaining == 0)
        {
            remove(orderId);
        }
        else
        {
            order.remaining = remaining;
        }
    }

    private void open(final Order order)
    {
        byId.put(order.orderId, order);
        Map<Long, Order> orders = byAccount.get(order.accountId);
        if (orders == null)
        {
            orders = new LinkedHashMap<>();
            byAccount.put(order.accountId, orders);
        }
        orders.put(order.orderId, order);
    }

    private void remove(final long orderId)
    {
        final Order order = byId.remove(orderId);
        if (order == null)
        {
            return;
        }
        final Map<Long, Order> orders = byAccount.get(order.accountId);
        orders.remove(orderId);
        if (orders.isEmpty())
        {
            byAccount.remove(order.accountId);
        }
    }

    private ObjectNode json(final Order order)
    {
        final MarketInfo market = markets.apply(order.marketId);
        final MarketUnits units = market.units();
        final ObjectNode node = JsonNodeFactory.instance.objectNode()
            .put("market", market.symbol())
            .put("orderId", Long.toString(order.orderId))
            .put("clientOrderId", order.clientOrderId)
            .put("status", order.untriggered ? "UNTRIGGERED" : "OPEN")
            .put("side", order.side.name())
            .put("type", order.type.name())
            .put("timeInForce", order.timeInForce.name())
            .put("postOnly", order.postOnly)
            .put("reduceOnly", order.reduceOnly);
        if (order.type != OrderType.STOP_MARKET && order.type != OrderType.TAKE_PROFIT_MARKET)
        {
            node.put("price", units.price(order.price));
        }
        if (order.triggerPrice != 0)
        {
            node.put("triggerPrice", units.price(order.triggerPrice));
        }
        node.put("size", units.size(order.size)).put("remaining", units.size(order.remaining));
        if (order.expiryNs != 0)
        {
            node.put("expiresAt", order.expiryNs / 1_000_000);
        }
        return node;
    }

    static boolean isConditional(final OrderType type)
    {
        return type == OrderType.STOP_LIMIT || type == OrderType.STOP_MARKET ||
            type == OrderType.TAKE_PROFIT_LIMIT || type == OrderType.TAKE_PROFIT_MARKET;
    }
}
