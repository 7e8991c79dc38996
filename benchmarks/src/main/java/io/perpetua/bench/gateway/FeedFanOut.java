package io.perpetua.bench.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.perpetua.gateway.Gateway;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.EpochNanoClock;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Market-data subscribers on the public feed ({@code /v4/ws}), each subscribed to
 * {@code v4_orderbook} and {@code v4_trades} of the bench market and reading everything. Each
 * {@code channel_data} is timed from the sequencer's timestamp of the command it reflects (its
 * {@code "sequence"}, looked up in {@link CommandTimes}) to its arrival, on the same clock.
 */
final class FeedFanOut implements AutoCloseable
{
    /** What the subscribers saw during one run. */
    static final class Stats
    {
        final Recorder delay = new Recorder(3);
        final LongAdder messages = new LongAdder();
        final LongAdder slowConsumerCloses = new LongAdder();
        final LongAdder otherCloses = new LongAdder();
        final AtomicLong lastArrivalNs = new AtomicLong();
        /** Arrivals whose command time was not yet recorded (the subscriber beat the listener): [sequence, arrival]. */
        final ConcurrentLinkedQueue<long[]> unresolved = new ConcurrentLinkedQueue<>();
    }

    private final EpochNanoClock clock;
    private final CommandTimes times;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private volatile Stats stats = new Stats();

    FeedFanOut(final EventLoopGroup group, final int port, final int count, final EpochNanoClock clock,
        final CommandTimes times) throws Exception
    {
        this.clock = clock;
        this.times = times;
        final URI uri = URI.create("ws://127.0.0.1:" + port + Gateway.FEED_PATH);
        // In batches, so the server's accept queue and the handshakes never pile up.
        for (int first = 0; first < count; first += 100)
        {
            final List<Subscriber> batch = new ArrayList<>();
            for (int i = first; i < Math.min(count, first + 100); i++)
            {
                final Subscriber subscriber = new Subscriber();
                final ChannelFuture connected = WebSocketClients.connect(group, uri, () -> subscriber);
                subscriber.channel = connected.sync().channel();
                batch.add(subscriber);
            }
            for (final Subscriber subscriber : batch)
            {
                subscriber.subscribed.get(60, TimeUnit.SECONDS);
            }
            subscribers.addAll(batch);
        }
    }

    /** Starts counting into fresh stats (call while the feed is quiet). */
    Stats reset()
    {
        final Stats fresh = new Stats();
        stats = fresh;
        for (final Subscriber subscriber : subscribers)
        {
            subscriber.baseline = subscriber.received;
        }
        return fresh;
    }

    /** Waits until no subscriber has received anything for {@code quietMs}, or {@code timeoutMs} passed. */
    void awaitQuiet(final long quietMs, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline)
        {
            final long last = stats.lastArrivalNs.get();
            if (last != 0 && clock.nanoTime() - last > TimeUnit.MILLISECONDS.toNanos(quietMs))
            {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** The run's delays, including arrivals resolved now that every command time is recorded. */
    Histogram delays(final Stats run)
    {
        for (long[] arrival; (arrival = run.unresolved.poll()) != null; )
        {
            final long commandNs = times.timestampNs(arrival[0]);
            if (commandNs > 0)
            {
                run.delay.recordValue(Math.max(0, arrival[1] - commandNs));
            }
        }
        return run.delay.getIntervalHistogram();
    }

    /** Messages each subscriber received since the last {@link #reset}: the least and the most. */
    long[] receivedRange()
    {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (final Subscriber subscriber : subscribers)
        {
            min = Math.min(min, subscriber.received - subscriber.baseline);
            max = Math.max(max, subscriber.received - subscriber.baseline);
        }
        return new long[] {subscribers.isEmpty() ? 0 : min, max};
    }

    /** Subscribers still connected. */
    int connected()
    {
        int open = 0;
        for (final Subscriber subscriber : subscribers)
        {
            open += subscriber.channel.isActive() ? 1 : 0;
        }
        return open;
    }

    @Override
    public void close()
    {
        for (final Subscriber subscriber : subscribers)
        {
            subscriber.channel.close();
        }
        for (final Subscriber subscriber : subscribers)
        {
            subscriber.channel.closeFuture().syncUninterruptibly();
        }
    }

    private final class Subscriber extends SimpleChannelInboundHandler<WebSocketFrame>
    {
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        volatile Channel channel;
        /** Written by this connection's event loop only. */
        volatile long received;
        volatile long baseline;
        private int subscriptions;

        @Override
        public void userEventTriggered(final ChannelHandlerContext context, final Object event)
        {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
            {
                context.write(new TextWebSocketFrame(
                    "{\"type\":\"subscribe\",\"channel\":\"v4_orderbook\",\"id\":\"" + BenchExchange.SYMBOL + "\"}"));
                context.writeAndFlush(new TextWebSocketFrame(
                    "{\"type\":\"subscribe\",\"channel\":\"v4_trades\",\"id\":\"" + BenchExchange.SYMBOL + "\"}"));
            }
            context.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext context, final WebSocketFrame frame)
        {
            final Stats run = stats;
            if (frame instanceof CloseWebSocketFrame close)
            {
                (close.statusCode() == 1008 ? run.slowConsumerCloses : run.otherCloses).increment();
                subscribed.completeExceptionally(new IllegalStateException("closed: " + close.statusCode() + " " + close.reasonText()));
                return;
            }
            if (!(frame instanceof TextWebSocketFrame text))
            {
                return;
            }
            final String json = text.text();
            if (json.startsWith("{\"type\":\"channel_data\""))
            {
                final long now = clock.nanoTime();
                received++;
                run.messages.increment();
                run.lastArrivalNs.set(now);
                final long sequence = Long.parseLong(WebSocketClients.stringField(json, "sequence"));
                final long commandNs = times.timestampNs(sequence);
                if (commandNs > 0)
                {
                    run.delay.recordValue(Math.max(0, now - commandNs));
                }
                else
                {
                    run.unresolved.add(new long[] {sequence, now});
                }
            }
            else if (json.startsWith("{\"type\":\"subscribed\"") && ++subscriptions == 2)
            {
                subscribed.complete(null);
            }
            else if (json.startsWith("{\"type\":\"error\""))
            {
                subscribed.completeExceptionally(new IllegalStateException(json));
                System.err.println("feed error: " + json);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
        {
            subscribed.completeExceptionally(cause);
            cause.printStackTrace();
            context.close();
        }
    }
}
