package io.perpetua.node;

import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderExpiredDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
import io.perpetua.core.sbe.Side;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;

/**
 * Price levels per market rebuilt from the event stream alone (rests add size, fills, cancels,
 * expiries and amends remove it), as a market-data feed tailing the events journal would. It is
 * owned by the thread that feeds it; the engine's own book is never read from outside the core.
 */
final class MarketDataView
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderRestedDecoder rested = new OrderRestedDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final OrderCancelledDecoder cancelled = new OrderCancelledDecoder();
    private final OrderExpiredDecoder expired = new OrderExpiredDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final Int2ObjectHashMap<Book> books = new Int2ObjectHashMap<>();
    private long fills;
    private long lastSequence;

    /** Price to open size for each side of one market, and its last trade. */
    static final class Book
    {
        final Long2LongHashMap bids = new Long2LongHashMap(0);
        final Long2LongHashMap asks = new Long2LongHashMap(0);
        long lastTradePrice;
        long fills;

        Long2LongHashMap side(final Side side)
        {
            return side == Side.BUY ? bids : asks;
        }

        long bestBid()
        {
            long best = 0;
            for (final Long2LongHashMap.KeyIterator it = bids.keySet().iterator(); it.hasNext(); )
            {
                best = Math.max(best, it.nextValue());
            }
            return best;
        }

        long bestAsk()
        {
            long best = Long.MAX_VALUE;
            for (final Long2LongHashMap.KeyIterator it = asks.keySet().iterator(); it.hasNext(); )
            {
                best = Math.min(best, it.nextValue());
            }
            return best == Long.MAX_VALUE ? 0 : best;
        }
    }

    /** Applies one events document (the events of one command). */
    void onEvents(final DirectBuffer buffer, final int offset, final int length)
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
                case OrderRestedDecoder.TEMPLATE_ID:
                    rested.wrap(buffer, body, blockLength, version);
                    add(rested.marketId(), rested.side(), rested.price(), rested.size());
                    break;
                case FillDecoder.TEMPLATE_ID:
                    fill.wrap(buffer, body, blockLength, version);
                    final Book book = book(fill.marketId());
                    add(fill.marketId(), fill.aggressorSide() == Side.BUY ? Side.SELL : Side.BUY, fill.price(), -fill.size());
                    book.lastTradePrice = fill.price();
                    book.fills++;
                    fills++;
                    break;
                case OrderCancelledDecoder.TEMPLATE_ID:
                    cancelled.wrap(buffer, body, blockLength, version);
                    if (cancelled.wasResting() == BooleanType.TRUE)
                    {
                        add(cancelled.marketId(), cancelled.side(), cancelled.price(), -cancelled.remainingSize());
                    }
                    break;
                case OrderExpiredDecoder.TEMPLATE_ID:
                    expired.wrap(buffer, body, blockLength, version);
                    add(expired.marketId(), expired.side(), expired.price(), -expired.remainingSize());
                    break;
                case OrderAmendedDecoder.TEMPLATE_ID:
                    amended.wrap(buffer, body, blockLength, version);
                    // Priority kept: shrunk in place. Otherwise the order left the book; a rest follows if it stays.
                    add(amended.marketId(), amended.side(), amended.oldPrice(), amended.priorityKept() == BooleanType.TRUE ?
                        amended.newSize() - amended.oldSize() : -amended.oldSize());
                    break;
                default:
                    break;
            }
            position = body + blockLength + varDataLength(buffer, body + blockLength, header.templateId());
        }
        if (length > 0)
        {
            lastSequence = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, MarketConfiguredDecoder.BYTE_ORDER);
        }
    }

    /** Of today's events only MarketConfigured carries variable-length data: its length-prefixed symbol. */
    private static int varDataLength(final DirectBuffer buffer, final int position, final int templateId)
    {
        if (templateId == MarketConfiguredDecoder.TEMPLATE_ID)
        {
            return MarketConfiguredDecoder.symbolHeaderLength() + buffer.getInt(position, MarketConfiguredDecoder.BYTE_ORDER);
        }
        return 0;
    }

    private void add(final int marketId, final Side side, final long price, final long delta)
    {
        final Long2LongHashMap levels = book(marketId).side(side);
        final long size = levels.get(price) + delta;
        if (size <= 0)
        {
            levels.remove(price);
        }
        else
        {
            levels.put(price, size);
        }
    }

    Book book(final int marketId)
    {
        Book book = books.get(marketId);
        if (book == null)
        {
            book = new Book();
            books.put(marketId, book);
        }
        return book;
    }

    long fills()
    {
        return fills;
    }

    long lastSequence()
    {
        return lastSequence;
    }
}
