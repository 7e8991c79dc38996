package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.gateway.marketdata.JournalConsumer;
import io.perpetua.gateway.marketdata.MarketInfo;
import org.agrona.DirectBuffer;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The private {@code account} channel: each subscribed session receives, from the events journal,
 * the events of its own account only (orders accepted, rested, cancelled, amended, expired,
 * rejected, and its side of each fill), one message per command. Runs on the events tailer after
 * the market data, so tickers are known.
 */
final class AccountFeed implements JournalConsumer
{
    private final AccountEvents events;
    /** Guarded by this. */
    private final Map<Long, Set<TradingSession>> subscribers = new LinkedHashMap<>();
    private long sequence;

    AccountFeed(final IntFunction<MarketInfo> markets)
    {
        this.events = new AccountEvents(markets);
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
        for (final Map.Entry<Long, Set<TradingSession>> entry : subscribers.entrySet())
        {
            final ArrayNode mine = JsonNodeFactory.instance.arrayNode();
            events.collect(buffer, offset, length, entry.getKey(), mine);
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
                    session.close(WebSocketCloseStatus.POLICY_VIOLATION, "slow consumer: outbound buffer full");
                    continue;
                }
                session.send(message);
            }
        }
        subscribers.values().removeIf(Set::isEmpty);
    }
}
