package io.perpetua.node.bench;

import io.perpetua.core.book.BookSide;
import io.perpetua.core.book.OrderBook;
import io.perpetua.core.book.PriceLevel;
import io.perpetua.core.market.MarketSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * A book's L2 in the text form of {@code exchange-core-3m.final-l2.txt}: a header line
 * {@code symbol=<id> stateHash=<hash> askLevels=<n> bidLevels=<n>}, then {@code ASK|BID price
 * totalSize orderCount} per level, best first, asks before bids. The hash is Perpetua's own state
 * hash, so comparisons with another engine's file skip that one token.
 */
public final class L2Book
{
    private L2Book()
    {
    }

    public static List<String> lines(final OrderBook book, final long stateHash)
    {
        final MarketSpec spec = book.spec();
        final List<String> lines = new ArrayList<>();
        lines.add("symbol=" + spec.marketId() + " stateHash=" + stateHash + " askLevels=" + book.asks().levelCount() +
            " bidLevels=" + book.bids().levelCount());
        addSide(lines, "ASK", book.asks(), spec);
        addSide(lines, "BID", book.bids(), spec);
        return lines;
    }

    private static void addSide(final List<String> lines, final String name, final BookSide side, final MarketSpec spec)
    {
        for (PriceLevel level = side.best(); level != null; level = level.worse())
        {
            lines.add(name + " " + spec.toPrice(level.priceTicks()) + " " + spec.toSize(level.totalSizeLots()) + " " +
                level.orderCount());
        }
    }

    /** The header without its {@code stateHash=} token, for comparing with another engine's file. */
    public static String withoutHash(final String header)
    {
        return header.replaceAll(" stateHash=-?\\d+", "");
    }
}
