package io.perpetua.gateway;

import io.perpetua.core.book.BookSide;
import io.perpetua.core.book.OrderBook;
import io.perpetua.core.book.PriceLevel;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.core.journal.Replayer;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The engine's own L2 at given sequence numbers: the commands journal replayed into a fresh
 * engine, its books read at each requested sequence. This is the reference the gateway's
 * event-built books are compared with.
 */
final class EngineBooks
{
    /** One market's L2 in engine units: price units to size units per side, best first. */
    record Book(NavigableMap<Long, Long> bids, NavigableMap<Long, Long> asks)
    {
    }

    private EngineBooks()
    {
    }

    /** @return for each requested sequence, the book of {@code marketId} after that command */
    static Map<Long, Book> at(final Path journal, final int marketId, final SortedSet<Long> sequences)
    {
        final Map<Long, Book> books = new HashMap<>();
        final MatchingEngine engine = Replayer.standardEngine();
        final CommandAdapter adapter = new CommandAdapter(engine);
        try (Journal commands = Journal.open(new JournalLayout(journal).commandsDir());
            JournalReader reader = commands.reader())
        {
            if (sequences.contains(0L))
            {
                books.put(0L, new Book(new TreeMap<>(), new TreeMap<>()));
            }
            while (books.size() < sequences.size() && reader.next())
            {
                adapter.apply(reader.buffer(), 0, reader.length());
                final long sequence = reader.sequence();
                if (sequences.contains(sequence))
                {
                    books.put(sequence, read(engine, marketId));
                }
            }
        }
        if (books.size() < sequences.size())
        {
            throw new AssertionError("commands journal ends before sequences " + sequences);
        }
        return books;
    }

    static Book read(final MatchingEngine engine, final int marketId)
    {
        final OrderBook book = engine.state().book(marketId);
        final NavigableMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
        final NavigableMap<Long, Long> asks = new TreeMap<>();
        if (book != null)
        {
            copy(book, book.bids(), bids);
            copy(book, book.asks(), asks);
        }
        return new Book(bids, asks);
    }

    private static void copy(final OrderBook book, final BookSide side, final Map<Long, Long> into)
    {
        for (PriceLevel level = side.best(); level != null; level = level.worse())
        {
            into.put(book.spec().toPrice(level.priceTicks()), book.spec().toSize(level.totalSizeLots()));
        }
    }
}
