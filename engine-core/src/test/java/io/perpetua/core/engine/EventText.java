package io.perpetua.core.engine;

import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.MarkPriceUpdatedDecoder;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderExpiredDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
import io.perpetua.core.sbe.OrderTriggeredDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.SnapshotTakenDecoder;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a command's events as compact lines, so tests can state the exact expected events.
 * Sequence and timestamp are left out (tests check them separately where they matter).
 */
final class EventText
{
    private EventText()
    {
    }

    static List<String> render(final DirectBuffer buffer, final int offset, final int length)
    {
        final List<String> lines = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int position = offset;
        while (position < offset + length)
        {
            header.wrap(buffer, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            final int block = header.blockLength();
            final int version = header.version();
            final int size;
            switch (header.templateId())
            {
                case OrderAcceptedDecoder.TEMPLATE_ID:
                {
                    final OrderAcceptedDecoder d = new OrderAcceptedDecoder().wrap(buffer, body, block, version);
                    lines.add("Accepted acct=" + d.accountId() + " mkt=" + d.marketId() + " id=" + d.orderId() +
                        " cid=" + d.clientOrderId() + " " + d.side() + " " + d.orderType() + " " + d.timeInForce() +
                        (d.flags().postOnly() ? " POST_ONLY" : "") + (d.flags().reduceOnly() ? " REDUCE_ONLY" : "") +
                        " " + d.size() + "@" + d.price() + (d.expiryNs() != 0 ? " exp=" + d.expiryNs() : "") +
                        (d.triggerPrice() != 0 ? " trigger=" + d.triggerPrice() : ""));
                    size = d.encodedLength();
                    break;
                }
                case RejectedDecoder.TEMPLATE_ID:
                {
                    final RejectedDecoder d = new RejectedDecoder().wrap(buffer, body, block, version);
                    lines.add("Rejected cmd=" + d.commandTemplateId() + " " + d.reason() + " acct=" + d.accountId() +
                        " mkt=" + d.marketId() + " id=" + d.orderId() + " cid=" + d.clientOrderId());
                    size = d.encodedLength();
                    break;
                }
                case FillDecoder.TEMPLATE_ID:
                {
                    final FillDecoder d = new FillDecoder().wrap(buffer, body, block, version);
                    lines.add("Fill mkt=" + d.marketId() + " trade=" + d.tradeId() + " maker=" + d.makerAccountId() +
                        "/" + d.makerOrderId() + " taker=" + d.takerAccountId() + "/" + d.takerOrderId() + " " +
                        d.aggressorSide() + " " + d.size() + "@" + d.price() + " quote=" + d.quote() +
                        " makerLeft=" + d.makerRemaining() + " takerLeft=" + d.takerRemaining());
                    size = d.encodedLength();
                    break;
                }
                case OrderRestedDecoder.TEMPLATE_ID:
                {
                    final OrderRestedDecoder d = new OrderRestedDecoder().wrap(buffer, body, block, version);
                    lines.add("Rested acct=" + d.accountId() + " mkt=" + d.marketId() + " id=" + d.orderId() + " " +
                        d.side() + " " + d.size() + "@" + d.price());
                    size = d.encodedLength();
                    break;
                }
                case OrderCancelledDecoder.TEMPLATE_ID:
                {
                    final OrderCancelledDecoder d = new OrderCancelledDecoder().wrap(buffer, body, block, version);
                    lines.add("Cancelled acct=" + d.accountId() + " mkt=" + d.marketId() + " id=" + d.orderId() +
                        " cid=" + d.clientOrderId() + " " + d.side() + " " + d.remainingSize() + "@" + d.price() + " " +
                        d.reason() + (d.wasResting() == io.perpetua.core.sbe.BooleanType.TRUE ? " resting" : ""));
                    size = d.encodedLength();
                    break;
                }
                case OrderAmendedDecoder.TEMPLATE_ID:
                {
                    final OrderAmendedDecoder d = new OrderAmendedDecoder().wrap(buffer, body, block, version);
                    lines.add("Amended acct=" + d.accountId() + " mkt=" + d.marketId() + " id=" + d.orderId() + " " +
                        d.side() + " " + d.oldSize() + "@" + d.oldPrice() + " -> " + d.newSize() + "@" + d.newPrice() +
                        (d.priorityKept() == io.perpetua.core.sbe.BooleanType.TRUE ? " kept" : " requeued"));
                    size = d.encodedLength();
                    break;
                }
                case OrderExpiredDecoder.TEMPLATE_ID:
                {
                    final OrderExpiredDecoder d = new OrderExpiredDecoder().wrap(buffer, body, block, version);
                    lines.add("Expired acct=" + d.accountId() + " mkt=" + d.marketId() + " id=" + d.orderId() + " " +
                        d.side() + " " + d.remainingSize() + "@" + d.price());
                    size = d.encodedLength();
                    break;
                }
                case MarketConfiguredDecoder.TEMPLATE_ID:
                {
                    final MarketConfiguredDecoder d = new MarketConfiguredDecoder().wrap(buffer, body, block, version);
                    final String symbol = d.symbol();
                    lines.add("Market " + (d.created() == io.perpetua.core.sbe.BooleanType.TRUE ? "created" : "updated") +
                        " mkt=" + d.marketId() + " " + symbol + " " + d.status());
                    size = d.encodedLength();
                    break;
                }
                case OrderTriggeredDecoder.TEMPLATE_ID:
                {
                    final OrderTriggeredDecoder d = new OrderTriggeredDecoder().wrap(buffer, body, block, version);
                    lines.add("Triggered acct=" + d.accountId() + " mkt=" + d.marketId() + " id=" + d.orderId() +
                        " trigger=" + d.triggerPrice() + " mark=" + d.markPrice());
                    size = d.encodedLength();
                    break;
                }
                case MarkPriceUpdatedDecoder.TEMPLATE_ID:
                {
                    final MarkPriceUpdatedDecoder d = new MarkPriceUpdatedDecoder().wrap(buffer, body, block, version);
                    lines.add("Mark mkt=" + d.marketId() + " " + d.price());
                    size = d.encodedLength();
                    break;
                }
                case SnapshotTakenDecoder.TEMPLATE_ID:
                {
                    final SnapshotTakenDecoder d = new SnapshotTakenDecoder().wrap(buffer, body, block, version);
                    lines.add("SnapshotTaken");
                    size = d.encodedLength();
                    break;
                }
                default:
                    throw new IllegalStateException("unknown event template " + header.templateId());
            }
            position = body + size;
        }
        return lines;
    }
}
