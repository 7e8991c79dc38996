package io.perpetua.bench.gateway;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.Side;
import io.perpetua.gateway.marketdata.MarketChanges;
import io.perpetua.gateway.marketdata.MarketDataListener;
import io.perpetua.gateway.marketdata.MarketDataState;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway benchmark measures what it claims, on a small scale: every order sent over WebSocket
 * and SBE is answered and acknowledged, with one latency sample each; every subscriber receives
 * every {@code v4_orderbook} and {@code v4_trades} message the orders caused, each with a delay
 * sample; no subscriber is disconnected. No timing is asserted.
 */
class GatewayBenchTest
{
    private static final long SEED = 7;
    private static final int ORDERS = 400;
    private static final int SUBSCRIBERS = 3;

    @Test
    void everyOrderIsAcknowledgedAndEverySubscriberGetsEveryMessage() throws Exception
    {
        final EpochNanoClock clock = new OffsetEpochNanoClock();
        final CommandTimes times = new CommandTimes();
        final FeedMessages expected = new FeedMessages();
        final EventLoopGroup group = new NioEventLoopGroup(1);
        try (BenchExchange exchange = new BenchExchange(4, 1, clock))
        {
            exchange.gateway.marketData().addListener(times);
            exchange.gateway.marketData().addListener(expected);
            final int port = exchange.gateway.port();
            final int sbePort = exchange.gateway.sbePort();
            final List<Trader> traders = List.of(WsTrader.open(group, port, 1, clock), WsTrader.open(group, port, 2, clock),
                SbeTrader.open(group, sbePort, 3, clock), SbeTrader.open(group, sbePort, 4, clock));
            try (FeedFanOut feed = new FeedFanOut(group, port, SUBSCRIBERS, clock, times))
            {
                final FeedFanOut.Stats stats = feed.reset();
                final long before = expected.count.get();
                final RunOutcome run = new RunOutcome();
                traders.forEach(trader -> trader.outcome = run);
                final SplittableRandom random = new SplittableRandom(SEED);
                final long sent = OpenLoop.run(clock, ORDERS, 1, (index, dueNs) ->
                {
                    run.sent();
                    traders.get((int)(index % traders.size())).placeRandom(random, dueNs);
                });
                assertEquals(ORDERS, sent);
                await(() -> run.answeredCount() == ORDERS, "every order answered: " + run.answeredCount());
                assertEquals(ORDERS, run.acknowledgedCount(), "refusals: " + run.refusals());
                assertEquals(ORDERS, run.latency().getTotalCount());

                // Everything the orders did is in the market data once a later command is.
                assertTrue(exchange.gateway.marketData().awaitSequence(heartbeat(exchange), 60, TimeUnit.SECONDS));
                final long messages = expected.count.get() - before;
                assertTrue(messages >= ORDERS, "each order changes the book at least once: " + messages);
                await(() -> feed.receivedRange()[0] == messages, "every subscriber got every message");
                assertArrayEquals(new long[] {messages, messages}, feed.receivedRange());
                assertEquals(SUBSCRIBERS * messages, stats.messages.sum());
                final Histogram delays = feed.delays(stats);
                assertEquals(SUBSCRIBERS * messages, delays.getTotalCount(), "one delay per message");
                assertEquals(0, stats.slowConsumerCloses.sum() + stats.otherCloses.sum());
                assertEquals(SUBSCRIBERS, feed.connected());
            }
            finally
            {
                traders.forEach(Trader::close);
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * The bench's accounts rest far more GTT orders than the node's cap of open orders per account;
     * its exchange must not refuse them, or the bench would time refusals (as its SBE phase once did).
     */
    @Test
    void oneAccountMayRestMoreOrdersThanTheNodesPerAccountCap() throws Exception
    {
        final int count = EngineConfig.DEFAULT.maxOpenOrdersPerAccount() + 1;
        final AtomicLong answered = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final ResultListener listener = (id, sequence, events, offset, length) ->
        {
            if (length > 0 && new MessageHeaderDecoder().wrap(events, offset).templateId() == RejectedDecoder.TEMPLATE_ID)
            {
                refused.incrementAndGet();
            }
            answered.incrementAndGet();
        };
        final CommandEncoder orders = new CommandEncoder();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
        try (BenchExchange exchange = new BenchExchange(1, 1, new OffsetEpochNanoClock()))
        {
            for (int i = 1; i <= count; i++)
            {
                // Bids below the mid with no asks: every one rests.
                final int length = orders.limitOrder(command, 0, 1, BenchExchange.MARKET_ID, i, Side.BUY,
                    BenchExchange.MID - BenchExchange.TICK * (1 + i % 20), BenchExchange.LOT);
                PublishResult published;
                while ((published = exchange.pipeline.tryPublish(command, 0, length, listener, i)) == PublishResult.BUSY)
                {
                    Thread.onSpinWait();
                }
                assertEquals(PublishResult.PUBLISHED, published);
            }
            await(() -> answered.get() == count, "every order answered: " + answered.get());
        }
        assertEquals(0, refused.get(), "orders refused");
    }

    /** Counts the feed messages a subscriber of the book and the trades of the market should get. */
    private static final class FeedMessages implements MarketDataListener
    {
        final AtomicLong count = new AtomicLong();

        @Override
        public void onChanges(final MarketDataState state, final long sequence, final Collection<MarketChanges> changes)
        {
            for (final MarketChanges change : changes)
            {
                if (change.market().info().marketId() == BenchExchange.MARKET_ID)
                {
                    count.addAndGet((change.bookChanged() ? 1 : 0) + (change.trades().isEmpty() ? 0 : 1));
                }
            }
        }
    }

    /** Publishes a heartbeat and returns its sequence number. */
    private static long heartbeat(final BenchExchange exchange) throws Exception
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = new CommandEncoder().heartbeat(buffer, 0);
        final CompletableFuture<Long> sequence = new CompletableFuture<>();
        PublishResult published;
        while ((published = exchange.pipeline.tryPublish(buffer, 0, length,
            (id, seq, events, offset, eventsLength) -> sequence.complete(seq), 0)) == PublishResult.BUSY)
        {
            Thread.onSpinWait();
        }
        assertEquals(PublishResult.PUBLISHED, published);
        return sequence.get(30, TimeUnit.SECONDS);
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("not within 120 s: " + what + " (seed " + SEED + ")");
            }
            Thread.sleep(10);
        }
    }
}
