package io.perpetua.gateway.indexer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.AttributeKey;
import io.perpetua.gateway.http.Connections;
import io.perpetua.gateway.http.WebSocketEndpoint;
import io.perpetua.gateway.marketdata.Candle;
import io.perpetua.gateway.marketdata.CandleResolution;
import io.perpetua.gateway.marketdata.MarketChanges;
import io.perpetua.gateway.marketdata.MarketDataListener;
import io.perpetua.gateway.marketdata.MarketDataState;
import io.perpetua.gateway.marketdata.MarketState;
import io.perpetua.gateway.marketdata.Trade;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The socks WebSocket feed ({@code /v4/ws}): {@code v4_orderbook}, {@code v4_trades},
 * {@code v4_markets} and {@code v4_candles} with the indexer's message shapes.
 *
 * <p>Consistency: a subscription's snapshot is taken and the subscription registered under the
 * market-data lock, and the tailer publishes deltas under the same lock, so every delta after the
 * snapshot reaches the subscriber exactly once. Deltas are written through the connection's event
 * loop, behind the snapshot. Every message of a topic also carries {@code "sequence"} (a Perpetua
 * extension): the journal sequence number whose state it reflects.
 *
 * <p>Back-pressure: a connection whose outbound buffer passes the server's outbound limit loses its
 * subscriptions and is closed with status 1008 and a reason instead of buffering without bound.
 */
public final class PublicFeed implements WebSocketEndpoint, MarketDataListener
{
    /** Pending deltas after which a batched subscription is flushed without waiting for the tailer. */
    static final int MAX_BATCH = 64;
    private static final AttributeKey<FeedSession> SESSION = AttributeKey.valueOf("perpetua.feed.session");
    private static final Set<String> FIELDS = Set.of("type", "channel", "id", "batched");

    private final MarketDataState state;
    /** Guarded by the state's lock. */
    private final Map<String, Map<FeedSession, Subscription>> topics = new HashMap<>();
    private final Map<FeedSession, Map<String, Subscription>> bySession = new HashMap<>();
    private final Set<Subscription> pendingBatches = new LinkedHashSet<>();

    public PublicFeed(final MarketDataState state)
    {
        this.state = state;
        state.addListener(this);
    }

    /** The feed's channels with their wire names and the version string of their data messages. */
    enum FeedChannel
    {
        ORDERBOOK("v4_orderbook", "1.0.0"),
        TRADES("v4_trades", "2.1.0"),
        MARKETS("v4_markets", "1.0.0"),
        CANDLES("v4_candles", "1.0.0");

        final String wireName;
        final String version;

        FeedChannel(final String wireName, final String version)
        {
            this.wireName = wireName;
            this.version = version;
        }

        static FeedChannel of(final String wireName)
        {
            for (final FeedChannel channel : values())
            {
                if (channel.wireName.equals(wireName))
                {
                    return channel;
                }
            }
            return null;
        }
    }

    private static final class Subscription
    {
        final FeedSession session;
        final FeedChannel channel;
        final String id;
        final boolean batched;
        final List<String> pending = new ArrayList<>();
        long pendingSequence;

        Subscription(final FeedSession session, final FeedChannel channel, final String id, final boolean batched)
        {
            this.session = session;
            this.channel = channel;
            this.id = id;
            this.batched = batched;
        }
    }

    private static String topic(final FeedChannel channel, final String id)
    {
        return channel.wireName + '|' + (id == null ? "" : id);
    }

    // ------------------------------------------------------------------ connection side (event loop)

    @Override
    public void onOpen(final Channel channel)
    {
        final FeedSession session = new FeedSession(channel, UUID.randomUUID().toString());
        channel.attr(SESSION).set(session);
        session.connected();
    }

    @Override
    public void onBinary(final Channel channel)
    {
        channel.attr(SESSION).get().error("Invalid message: binary frames are not supported, send JSON text");
    }

    @Override
    public void onClose(final Channel channel)
    {
        final FeedSession session = channel.attr(SESSION).get();
        if (session == null)
        {
            return;
        }
        synchronized (state)
        {
            final Map<String, Subscription> subscriptions = bySession.remove(session);
            if (subscriptions != null)
            {
                for (final Map.Entry<String, Subscription> entry : subscriptions.entrySet())
                {
                    removeFromTopic(entry.getKey(), entry.getValue());
                }
            }
        }
    }

    @Override
    public void onText(final Channel channel, final String text)
    {
        final FeedSession session = channel.attr(SESSION).get();
        if (text.equals("PING"))
        {
            session.sendRaw("PONG");
            return;
        }
        final JsonNode message;
        try
        {
            message = IndexerJson.MAPPER.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            session.error("Invalid message: could not parse: " + text);
            return;
        }
        if (message == null || !message.isObject())
        {
            session.error("Invalid message: not a JSON object: " + text);
            return;
        }
        for (final Iterator<String> names = message.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            if (!FIELDS.contains(name))
            {
                session.error("Invalid message: unknown field " + name + ": " + text);
                return;
            }
        }
        final JsonNode type = message.get("type");
        final String typeName = type != null && type.isTextual() ? type.asText() : null;
        if ("ping".equals(typeName))
        {
            final JsonNode id = message.get("id");
            final StringBuilder pong = session.begin("pong");
            if (id != null && id.isIntegralNumber())
            {
                pong.append(",\"id\":").append(id.asLong());
            }
            session.send(pong.append('}'));
            return;
        }
        if (!"subscribe".equals(typeName) && !"unsubscribe".equals(typeName))
        {
            session.error("Invalid message type: " + (type == null ? "missing" : type.toString()) +
                " (expected subscribe, unsubscribe or ping)");
            return;
        }
        final JsonNode channelNode = message.get("channel");
        final FeedChannel feedChannel = channelNode != null && channelNode.isTextual() ? FeedChannel.of(channelNode.asText()) : null;
        if (feedChannel == null)
        {
            session.error("Invalid channel: " + (channelNode == null ? "missing" : channelNode.toString()) +
                " (expected v4_orderbook, v4_trades, v4_markets or v4_candles)");
            return;
        }
        final JsonNode idNode = message.get("id");
        final JsonNode batchedNode = message.get("batched");
        if (batchedNode != null && !batchedNode.isBoolean())
        {
            session.error("Invalid message: batched must be true or false: " + text);
            return;
        }
        final String id;
        if (feedChannel == FeedChannel.MARKETS)
        {
            id = null;
        }
        else if (idNode == null || !idNode.isTextual())
        {
            session.error("Invalid id: " + feedChannel.wireName + " needs the market ticker as a string id" +
                (feedChannel == FeedChannel.CANDLES ? " with a resolution, e.g. BTC-USD/1MIN" : ""));
            return;
        }
        else
        {
            id = idNode.asText();
        }
        if (typeName.equals("subscribe"))
        {
            subscribe(session, feedChannel, id, batchedNode != null && batchedNode.asBoolean());
        }
        else
        {
            unsubscribe(session, feedChannel, id);
        }
    }

    private void subscribe(final FeedSession session, final FeedChannel channel, final String id, final boolean batched)
    {
        final String topic = topic(channel, id);
        final String contents;
        final long sequence;
        synchronized (state)
        {
            final Map<String, Subscription> mine = bySession.computeIfAbsent(session, s -> new LinkedHashMap<>());
            if (mine.containsKey(topic))
            {
                session.error("Invalid subscribe message: already subscribed to " + channel.wireName +
                    (id == null ? "" : " " + id));
                return;
            }
            final JsonNode snapshot = snapshot(channel, id);
            if (snapshot == null)
            {
                session.error("Invalid subscribe message: unknown " +
                    (channel == FeedChannel.CANDLES ? "market or resolution: " : "market: ") + id);
                return;
            }
            contents = snapshot.toString();
            sequence = state.sequence();
            final Subscription subscription = new Subscription(session, channel, id, batched);
            mine.put(topic, subscription);
            topics.computeIfAbsent(topic, t -> new LinkedHashMap<>()).put(session, subscription);
        }
        final StringBuilder out = session.begin("subscribed").append(",\"channel\":\"").append(channel.wireName).append('"');
        if (id != null)
        {
            out.append(",\"id\":").append(FeedSession.quote(id));
        }
        session.send(out.append(",\"contents\":").append(contents)
            .append(",\"sequence\":\"").append(sequence).append("\"}"));
    }

    private void unsubscribe(final FeedSession session, final FeedChannel channel, final String id)
    {
        final String topic = topic(channel, id);
        synchronized (state)
        {
            final Map<String, Subscription> mine = bySession.get(session);
            final Subscription subscription = mine == null ? null : mine.remove(topic);
            if (subscription == null)
            {
                session.error("Invalid unsubscribe message: not subscribed to " + channel.wireName +
                    (id == null ? "" : " " + id));
                return;
            }
            removeFromTopic(topic, subscription);
        }
        final StringBuilder out = session.begin("unsubscribed").append(",\"channel\":\"").append(channel.wireName).append('"');
        if (id != null)
        {
            out.append(",\"id\":").append(FeedSession.quote(id));
        }
        session.send(out.append('}'));
    }

    private void removeFromTopic(final String topic, final Subscription subscription)
    {
        pendingBatches.remove(subscription);
        final Map<FeedSession, Subscription> subscribers = topics.get(topic);
        if (subscribers != null)
        {
            subscribers.remove(subscription.session);
            if (subscribers.isEmpty())
            {
                topics.remove(topic);
            }
        }
    }

    /** The subscription's initial contents, or null if the id names no market (or resolution). */
    private JsonNode snapshot(final FeedChannel channel, final String id)
    {
        switch (channel)
        {
            case MARKETS:
                return IndexerJson.markets(state.markets(), state.timestampNs());
            case ORDERBOOK:
            {
                final MarketState market = state.market(id);
                return market == null ? null : IndexerJson.orderBook(market);
            }
            case TRADES:
            {
                final MarketState market = state.market(id);
                return market == null ? null : IndexerJson.trades(market, IndexerRest.DEFAULT_LIMIT);
            }
            case CANDLES:
            {
                final int slash = id.indexOf('/');
                final MarketState market = slash < 0 ? null : state.market(id.substring(0, slash));
                final CandleResolution resolution = slash < 0 ? null : CandleResolution.fromWireName(id.substring(slash + 1));
                return market == null || resolution == null ? null :
                    IndexerJson.candles(market, resolution, IndexerRest.DEFAULT_LIMIT, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            default:
                throw new IllegalStateException("unhandled channel " + channel);
        }
    }

    // ------------------------------------------------------------------ tailer side (state lock held)

    @Override
    public void onChanges(final MarketDataState state, final long sequence, final Collection<MarketChanges> changes)
    {
        ObjectNode trading = null;
        for (final MarketChanges change : changes)
        {
            final MarketState market = change.market();
            final String symbol = market.info().symbol();
            if (change.bookChanged())
            {
                final Map<FeedSession, Subscription> subscribers = topics.get(topic(FeedChannel.ORDERBOOK, symbol));
                if (subscribers != null)
                {
                    final ObjectNode contents = IndexerJson.object();
                    if (!change.bids().isEmpty())
                    {
                        contents.set("bids", IndexerJson.levelDeltas(change.bids(), market.info().units()));
                    }
                    if (!change.asks().isEmpty())
                    {
                        contents.set("asks", IndexerJson.levelDeltas(change.asks(), market.info().units()));
                    }
                    publish(subscribers, contents.toString(), sequence);
                }
            }
            if (!change.trades().isEmpty())
            {
                final Map<FeedSession, Subscription> subscribers = topics.get(topic(FeedChannel.TRADES, symbol));
                if (subscribers != null)
                {
                    final ObjectNode contents = IndexerJson.object();
                    final ArrayNode trades = contents.putArray("trades");
                    final List<Trade> newTrades = change.trades();
                    for (int i = newTrades.size() - 1; i >= 0; i--)
                    {
                        trades.add(IndexerJson.trade(newTrades.get(i), market.info().units()));
                    }
                    publish(subscribers, contents.toString(), sequence);
                }
                for (final Map.Entry<CandleResolution, Candle> candle : change.candles().entrySet())
                {
                    final Map<FeedSession, Subscription> candleSubscribers =
                        topics.get(topic(FeedChannel.CANDLES, symbol + '/' + candle.getKey().wireName()));
                    if (candleSubscribers != null)
                    {
                        publish(candleSubscribers, IndexerJson.candle(market, candle.getValue()).toString(), sequence);
                    }
                }
            }
            if (change.configured() || change.figuresChanged() || !change.trades().isEmpty())
            {
                if (trading == null)
                {
                    trading = IndexerJson.object();
                }
                trading.set(symbol, IndexerJson.market(market, state.timestampNs()));
            }
        }
        final Map<FeedSession, Subscription> marketSubscribers = topics.get(topic(FeedChannel.MARKETS, null));
        if (trading != null && marketSubscribers != null)
        {
            final ObjectNode contents = IndexerJson.object();
            contents.set("trading", trading);
            publish(marketSubscribers, contents.toString(), sequence);
        }
    }

    @Override
    public void onCaughtUp()
    {
        synchronized (state)
        {
            for (final Subscription subscription : pendingBatches)
            {
                flush(subscription);
            }
            pendingBatches.clear();
        }
    }

    private void publish(final Map<FeedSession, Subscription> subscribers, final String contents, final long sequence)
    {
        for (final Subscription subscription : List.copyOf(subscribers.values()))
        {
            if (!subscription.session.channel().isWritable())
            {
                dropSlowConsumer(subscription.session);
                continue;
            }
            if (subscription.batched)
            {
                subscription.pending.add(contents);
                subscription.pendingSequence = sequence;
                if (subscription.pending.size() >= MAX_BATCH)
                {
                    flush(subscription);
                    pendingBatches.remove(subscription);
                }
                else
                {
                    pendingBatches.add(subscription);
                }
                continue;
            }
            final FeedSession session = subscription.session;
            session.execute(() -> session.send(dataMessage(session, "channel_data", subscription, contents, sequence)));
        }
    }

    private void flush(final Subscription subscription)
    {
        if (subscription.pending.isEmpty())
        {
            return;
        }
        final String contents = "[" + String.join(",", subscription.pending) + "]";
        final long sequence = subscription.pendingSequence;
        subscription.pending.clear();
        final FeedSession session = subscription.session;
        session.execute(() -> session.send(dataMessage(session, "channel_batch_data", subscription, contents, sequence)));
    }

    private static StringBuilder dataMessage(
        final FeedSession session, final String type, final Subscription subscription, final String contents, final long sequence)
    {
        final StringBuilder out = session.begin(type);
        if (subscription.id != null)
        {
            out.append(",\"id\":").append(FeedSession.quote(subscription.id));
        }
        return out.append(",\"channel\":\"").append(subscription.channel.wireName)
            .append("\",\"version\":\"").append(subscription.channel.version)
            .append("\",\"contents\":").append(contents)
            .append(",\"sequence\":\"").append(sequence).append("\"}");
    }

    private void dropSlowConsumer(final FeedSession session)
    {
        final Map<String, Subscription> subscriptions = bySession.remove(session);
        if (subscriptions != null)
        {
            for (final Map.Entry<String, Subscription> entry : subscriptions.entrySet())
            {
                removeFromTopic(entry.getKey(), entry.getValue());
            }
        }
        session.execute(() -> session.close(WebSocketCloseStatus.POLICY_VIOLATION, Connections.SLOW_CONSUMER));
    }
}
