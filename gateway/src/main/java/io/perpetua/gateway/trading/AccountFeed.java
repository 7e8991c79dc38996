package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.perpetua.core.sbe.MarkPriceUpdatedDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.gateway.http.Connections;
import io.perpetua.gateway.marketdata.JournalConsumer;
import io.perpetua.gateway.marketdata.JournalSchema;
import io.perpetua.gateway.marketdata.MarketInfo;
import io.perpetua.risk.view.AccountView;
import io.perpetua.risk.view.MarginViews;
import io.perpetua.risk.view.PositionView;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntHashSet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * The private {@code account} channel: each subscribed session receives, from the events journal,
 * the events of its own account only (orders accepted, rested, cancelled, amended, expired,
 * rejected, its side of each fill, its positions, collateral, leverage and liquidations), one
 * message per command. A message ends with the account's {@code margin} view (risk-margin's
 * {@link MarginViews}, fed by the same tailer) whenever the command touched the account or moved
 * the mark of a market it holds a position in. Runs on the events tailer after
 * the market data, so tickers are known.
 */
final class AccountFeed implements JournalConsumer
{
    /** Queries that may wait for the feed at once; a session only waits for its own acknowledged command. */
    static final int MAX_WAITING_QUERIES = 10_000;

    private final AccountEvents events;
    private final OpenOrders openOrders;
    private final IntFunction<MarketInfo> markets;
    private final MarginViews margins;
    private final JournalSchema schema = new JournalSchema();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MarkPriceUpdatedDecoder markPrice = new MarkPriceUpdatedDecoder();
    private final IntHashSet markedMarkets = new IntHashSet();
    /** Guarded by this. */
    private final Map<Long, Set<TradingSession>> subscribers = new LinkedHashMap<>();
    private long sequence;
    /**
     * Queries waiting for the feed to reach the last command with events their session has been
     * answered for (a reply may come before the core commits its batch's events). Guarded by this.
     */
    private final PriorityQueue<WaitingQuery> waiting = new PriorityQueue<>(Comparator.comparingLong(WaitingQuery::sequence));

    private record WaitingQuery(long sequence, LongConsumer query, long deadlineNs, Runnable onTimeout)
    {
    }

    /** @param margins risk-margin's views, fed by the same tailer before this feed */
    AccountFeed(final IntFunction<MarketInfo> markets, final MarginViews margins)
    {
        this.events = new AccountEvents(markets);
        this.openOrders = new OpenOrders(markets);
        this.markets = markets;
        this.margins = margins;
    }

    /** The account's {@code margin} event now, or null if the journal has not named the account. */
    ObjectNode margin(final long accountId)
    {
        final AccountView view = margins.account(accountId);
        return view == null ? null : MarginJson.margin(view, markets);
    }

    /** The account's open orders (of one market, or all when {@code marketIdOrZero} is 0) now. */
    synchronized ArrayNode openOrders(final long accountId, final int marketIdOrZero)
    {
        return openOrders.of(accountId, marketIdOrZero);
    }

    /**
     * Runs {@code query} with this feed's sequence under its lock as soon as the feed has processed
     * {@code sequence}: at once if it has, else on the tailer thread when it does; or, if the feed
     * has not got there by {@code deadlineNs} ({@link System#nanoTime()} time), runs
     * {@code onTimeout} instead when {@link #expireWaiting} finds it, so that no query waits forever
     * on a feed that has fallen behind.
     *
     * @throws TradingException BUSY if too many queries are waiting already
     */
    synchronized void whenAt(final long sequence, final LongConsumer query, final long deadlineNs, final Runnable onTimeout)
    {
        if (this.sequence >= sequence)
        {
            query.accept(this.sequence);
            return;
        }
        if (waiting.size() >= MAX_WAITING_QUERIES)
        {
            throw new TradingException(ErrorCode.BUSY, "too many queries waiting for the account feed: retry");
        }
        waiting.add(new WaitingQuery(sequence, query, deadlineNs, onTimeout));
    }

    /** Times out the waiting queries whose deadline is at or before {@code nowNs}; returns how many. */
    synchronized int expireWaiting(final long nowNs)
    {
        if (waiting.isEmpty())
        {
            return 0;
        }
        final List<WaitingQuery> expired = new ArrayList<>();
        waiting.removeIf(query ->
        {
            final boolean due = query.deadlineNs - nowNs <= 0;
            if (due)
            {
                expired.add(query);
            }
            return due;
        });
        for (final WaitingQuery query : expired)
        {
            query.onTimeout.run();
        }
        return expired.size();
    }

    /** The last sequence this feed has processed. */
    synchronized long sequence()
    {
        return sequence;
    }

    /**
     * Subscribes the session's account.
     *
     * @return the last sequence already processed: the stream continues after it
     * @throws TradingException ALREADY_SUBSCRIBED
     */
    synchronized long subscribe(final TradingSession session)
    {
        if (!subscribers.computeIfAbsent(session.accountId(), id -> new LinkedHashSet<>()).add(session))
        {
            throw new TradingException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to the account channel");
        }
        return sequence;
    }

    /** @return false if the session was not subscribed */
    synchronized boolean unsubscribe(final TradingSession session)
    {
        final Set<TradingSession> sessions = subscribers.get(session.accountId());
        if (sessions == null || !sessions.remove(session))
        {
            return false;
        }
        if (sessions.isEmpty())
        {
            subscribers.remove(session.accountId());
        }
        return true;
    }

    @Override
    public synchronized void onDocument(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return;
        }
        sequence = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, MessageHeaderDecoder.BYTE_ORDER);
        openOrders.apply(buffer, offset, length);
        while (!waiting.isEmpty() && waiting.peek().sequence <= sequence)
        {
            waiting.poll().query.accept(sequence);
        }
        if (subscribers.isEmpty())
        {
            return;
        }
        markedMarkets(buffer, offset, length);
        for (final Map.Entry<Long, Set<TradingSession>> entry : subscribers.entrySet())
        {
            final ArrayNode mine = JsonNodeFactory.instance.arrayNode();
            events.collect(buffer, offset, length, entry.getKey(), mine);
            final AccountView view = margins.account(entry.getKey());
            if (view != null && (!mine.isEmpty() || holdsMarked(view)))
            {
                mine.add(MarginJson.margin(view, markets));
            }
            if (mine.isEmpty())
            {
                continue;
            }
            final ObjectNode message = JsonNodeFactory.instance.objectNode()
                .put("type", "account")
                .put("sequence", Long.toString(sequence));
            message.set("events", mine);
            for (final TradingSession session : Set.copyOf(entry.getValue()))
            {
                if (!session.channel().isWritable())
                {
                    entry.getValue().remove(session);
                    session.close(WebSocketCloseStatus.POLICY_VIOLATION, Connections.SLOW_CONSUMER);
                    continue;
                }
                session.send(message);
            }
        }
        subscribers.values().removeIf(Set::isEmpty);
    }

    /** Collects the markets whose mark price this entry moved: their positions' margin changed. */
    private void markedMarkets(final DirectBuffer buffer, final int offset, final int length)
    {
        markedMarkets.clear();
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            header.wrap(buffer, position);
            if (header.templateId() == MarkPriceUpdatedDecoder.TEMPLATE_ID)
            {
                markPrice.wrap(buffer, position + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                markedMarkets.add(markPrice.marketId());
            }
            position = schema.skip(buffer, position);
        }
    }

    private boolean holdsMarked(final AccountView view)
    {
        if (markedMarkets.isEmpty())
        {
            return false;
        }
        for (final PositionView position : view.positions())
        {
            if (markedMarkets.contains(position.marketId()))
            {
                return true;
            }
        }
        return false;
    }
}
