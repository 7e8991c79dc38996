package io.perpetua.gateway;

import io.perpetua.core.book.BookSide;
import io.perpetua.core.book.Order;
import io.perpetua.core.book.OrderBook;
import io.perpetua.core.book.PriceLevel;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.core.journal.Replayer;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.gateway.SbeTestClient.Message;
import io.perpetua.gateway.sbe.codec.BookSnapshotRequestEncoder;
import io.perpetua.gateway.sbe.codec.MarketDataSubscribeEncoder;
import io.perpetua.gateway.sbe.codec.MarketDataUnsubscribeEncoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.sbe.codec.YesNo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.perpetua.gateway.SbeOrderEntryTest.ALICE_SECRET;
import static io.perpetua.gateway.SbeOrderEntryTest.BOB_SECRET;
import static io.perpetua.gateway.SbeOrderEntryTest.LOT;
import static io.perpetua.gateway.SbeOrderEntryTest.PRICE;
import static io.perpetua.gateway.SbeOrderEntryTest.nonce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Order-by-order market data on the SBE port, read over the wire with the OTF decoder: the updates
 * an order's life produces, subscribe/unsubscribe/snapshot and their rejects, a slow subscriber, and
 * books rebuilt from snapshot + updates that equal the engine's own books after random traffic.
 */
class SbeMarketDataTest
{
    private static final long MAKER = 101;
    private static final long TAKER = 102;

    @TempDir
    Path journal;

    private TestExchange exchange;
    private final AtomicLong clientOrderIds = new AtomicLong();

    private void start(final int outboundLimitBytes) throws Exception
    {
        exchange = new TestExchange(journal, SbeOrderEntryTest.keys(), 1024,
            config -> config.sbe(new InetSocketAddress("127.0.0.1", 0)).outboundLimitBytes(outboundLimitBytes));
        exchange.awaitMarketData(2);
    }

    @AfterEach
    void stop()
    {
        if (exchange != null)
        {
            exchange.close();
        }
    }

    private SbeTestClient established(final String key, final byte[] secret) throws IOException
    {
        final SbeTestClient client = new SbeTestClient(exchange.gateway.sbePort());
        final Message ack = client.establish(key, secret, nonce(), 0);
        assertEquals("EstablishAck", ack.name(), ack.toString());
        return client;
    }

    private static void subscribe(final SbeTestClient client, final long requestId, final int marketId, final YesNo snapshot)
        throws IOException
    {
        client.send(new MarketDataSubscribeEncoder(), s -> s.requestId(requestId).marketId(marketId).snapshot(snapshot));
    }

    private static void requestSnapshot(final SbeTestClient client, final long requestId, final int marketId)
        throws IOException
    {
        client.send(new BookSnapshotRequestEncoder(), s -> s.requestId(requestId).marketId(marketId));
    }

    private TestExchange.Result limit(final long account, final int marketId, final long clientOrderId, final Side side,
        final long price, final long size) throws Exception
    {
        return exchange.submit(exchange.encoder().limitOrder(exchange.buffer(), 0, account, marketId, clientOrderId, side,
            price, size));
    }

    private static void assertUpdate(final Message message, final String name, final long mdSeqNo, final long orderId,
        final String side, final long price, final long size)
    {
        assertEquals(name, message.name(), message.toString());
        assertEquals(mdSeqNo, message.number("mdSeqNo"), message.toString());
        assertEquals(orderId, message.number("orderId"), message.toString());
        assertEquals(side, message.text("side"), message.toString());
        assertEquals(price, message.number("price"), message.toString());
        assertEquals(size, message.number("size"), message.toString());
    }

    @Test
    void anOrdersLifeIsAddModifyDeleteAndTradesWithGapFreeSequenceNumbers() throws Exception
    {
        start(4 * 1024 * 1024);
        limit(MAKER, TestExchange.BTC, 1, Side.BUY, PRICE, 2 * LOT);
        limit(MAKER, TestExchange.BTC, 2, Side.BUY, PRICE, 3 * LOT);
        final long lastBefore = limit(MAKER, TestExchange.BTC, 3, Side.SELL, PRICE + 100, LOT).sequence();
        final long ethSequence = limit(MAKER, TestExchange.ETH, 4, Side.SELL, 300_000, 10_000).sequence();
        try (SbeTestClient alice = established("alice-key", ALICE_SECRET))
        {
            snapshotAtLeast(alice, TestExchange.BTC, ethSequence, message ->
            {
                throw new AssertionError("not subscribed yet: " + message);
            });
            subscribe(alice, 7, TestExchange.BTC, YesNo.YES);
            final Message status = alice.read();
            assertEquals("MarketDataStatus", status.name(), status.toString());
            assertEquals("SUBSCRIBED", status.text("status"));
            assertEquals(7, status.number("requestId"));
            assertEquals(3, status.number("mdSeqNo"), "three rests on BTC so far");
            final Message snapshot = alice.read();
            assertEquals("BookSnapshot", snapshot.name(), snapshot.toString());
            assertEquals(3, snapshot.number("mdSeqNo"));
            assertTrue(snapshot.number("engineSequence") >= lastBefore, snapshot.toString());
            assertEquals(1, snapshot.number("part"));
            assertEquals(1, snapshot.number("partCount"));
            final List<Map<String, Object>> orders = snapshot.group("orders");
            assertEquals(3, orders.size(), snapshot.toString());
            assertEquals(List.of("BUY", "BUY", "SELL"), orders.stream().map(o -> o.get("side")).toList());
            assertEquals(List.of(2 * LOT, 3 * LOT, LOT), orders.stream().map(o -> o.get("size")).toList());
            final long first = (Long)orders.get(0).get("orderId");
            final long second = (Long)orders.get(1).get("orderId");
            final long ask = (Long)orders.get(2).get("orderId");
            assertTrue(first < second, "time priority within the level: " + orders);

            // A taker sells 3 lots: all of the first bid, one lot of the second.
            final long takeSequence = limit(TAKER, TestExchange.BTC, 10, Side.SELL, PRICE, 3 * LOT).sequence();
            final Message trade1 = alice.read();
            assertEquals("Trade", trade1.name(), trade1.toString());
            assertEquals(4, trade1.number("mdSeqNo"));
            assertEquals(takeSequence, trade1.number("engineSequence"));
            assertEquals("SELL", trade1.text("aggressorSide"));
            assertEquals(first, trade1.number("makerOrderId"));
            assertEquals(2 * LOT, trade1.number("size"));
            assertEquals(PRICE, trade1.number("price"));
            assertEquals("NO", trade1.text("endOfEvent"));
            final Message filled = alice.read();
            assertUpdate(filled, "OrderDelete", 5, first, "BUY", PRICE, 2 * LOT);
            assertEquals("FILL", filled.text("reason"));
            final Message trade2 = alice.read();
            assertEquals("Trade", trade2.name(), trade2.toString());
            assertEquals(6, trade2.number("mdSeqNo"));
            assertEquals(second, trade2.number("makerOrderId"));
            assertTrue(trade2.number("tradeId") > trade1.number("tradeId"));
            final Message partial = alice.read();
            assertUpdate(partial, "OrderModify", 7, second, "BUY", PRICE, 2 * LOT);
            assertEquals("FILL", partial.text("reason"));
            assertEquals("YES", partial.text("endOfEvent"), "the command's last BTC update");

            // A size decrease keeps priority: a modify. A price change loses it: a delete, then an add.
            exchange.submit(exchange.encoder().amendOrder(exchange.buffer(), 0, MAKER, TestExchange.BTC, second, 0, 0, LOT, 0));
            final Message shrunk = alice.read();
            assertUpdate(shrunk, "OrderModify", 8, second, "BUY", PRICE, LOT);
            assertEquals("AMEND", shrunk.text("reason"));
            assertEquals("YES", shrunk.text("endOfEvent"));
            exchange.submit(exchange.encoder().amendOrder(exchange.buffer(), 0, MAKER, TestExchange.BTC, second, 0,
                PRICE - 50, 0, 0));
            final Message left = alice.read();
            assertUpdate(left, "OrderDelete", 9, second, "BUY", PRICE, LOT);
            assertEquals("AMEND", left.text("reason"));
            assertEquals("NO", left.text("endOfEvent"));
            assertUpdate(alice.read(), "OrderAdd", 10, second, "BUY", PRICE - 50, LOT);

            exchange.submit(exchange.encoder().cancelOrder(exchange.buffer(), 0, MAKER, TestExchange.BTC, ask, 0));
            final Message cancelled = alice.read();
            assertUpdate(cancelled, "OrderDelete", 11, ask, "SELL", PRICE + 100, LOT);
            assertEquals("CANCEL", cancelled.text("reason"));

            // Not subscribed to ETH: its updates do not come; unsubscribed from BTC: nothing more of it.
            limit(MAKER, TestExchange.ETH, 5, Side.SELL, 300_005, 10_000);
            alice.send(new MarketDataUnsubscribeEncoder(), u -> u.requestId(8).marketId(TestExchange.BTC));
            final Message unsubscribed = alice.read();
            assertEquals("MarketDataStatus", unsubscribed.name(), unsubscribed.toString());
            assertEquals("UNSUBSCRIBED", unsubscribed.text("status"));
            assertEquals(11, unsubscribed.number("mdSeqNo"));
            final long after = limit(MAKER, TestExchange.BTC, 6, Side.SELL, PRICE + 200, LOT).sequence();
            final Message later = snapshotAtLeast(alice, TestExchange.BTC, after, message ->
            {
                throw new AssertionError("an update after unsubscribing: " + message);
            });
            assertEquals(12, later.number("mdSeqNo"), later.toString());
            assertEquals(List.of(PRICE - 50, PRICE + 200), later.group("orders").stream().map(o -> o.get("price")).toList());
            assertEquals(second, later.group("orders").get(0).get("orderId"));
        }
    }

    /**
     * Requests snapshots of the market until one reflects {@code engineSequence}, handing every other
     * message read meanwhile to {@code others}; returns that snapshot (of a single part).
     */
    private static Message snapshotAtLeast(final SbeTestClient client, final int marketId, final long engineSequence,
        final java.util.function.Consumer<Message> others) throws IOException
    {
        return snapshotAtLeast(client, marketId, engineSequence, others, 1);
    }

    /** As above, for a snapshot of {@code parts} parts; returns its last part. */
    private static Message snapshotAtLeast(final SbeTestClient client, final int marketId, final long engineSequence,
        final java.util.function.Consumer<Message> others, final int parts) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long requestId = 1_000;
        while (true)
        {
            assertTrue(System.nanoTime() < deadline, "no snapshot reflecting engine sequence " + engineSequence + " in 60 s");
            requestSnapshot(client, ++requestId, marketId);
            while (true)
            {
                final Message message = client.read();
                if (message.name().equals("MarketDataReject") && message.number("requestId") == requestId)
                {
                    // A gateway that has not read the market's configuration yet (UNKNOWN_MARKET): ask again.
                    assertEquals("UNKNOWN_MARKET", message.text("code"), message.toString());
                    break;
                }
                if (!message.name().equals("BookSnapshot") || message.number("requestId") != requestId)
                {
                    others.accept(message);
                    continue;
                }
                if (message.number("part") == message.number("partCount") && message.number("engineSequence") >= engineSequence)
                {
                    assertEquals(parts, message.number("partCount"), message.toString());
                    return message;
                }
                if (message.number("part") == message.number("partCount"))
                {
                    break;
                }
            }
        }
    }

    @Test
    void aLargeBookComesInSnapshotPartsInPriorityOrder() throws Exception
    {
        start(4 * 1024 * 1024);
        // 2,050 bids on 205 prices, ten per price from accounts taking turns; placed worst price first.
        long lastSequence = 0;
        for (int level = 0; level < 205; level++)
        {
            for (int i = 0; i < 10; i++)
            {
                lastSequence = limit(1 + i % 3, TestExchange.BTC, level * 10L + i + 1, Side.BUY, PRICE - 50L * (205 - level),
                    LOT * (1 + i)).sequence();
            }
        }
        try (SbeTestClient alice = established("alice-key", ALICE_SECRET))
        {
            snapshotAtLeast(alice, TestExchange.BTC, lastSequence, message ->
            {
                throw new AssertionError("not subscribed: " + message);
            }, 3);
            subscribe(alice, 1, TestExchange.BTC, YesNo.YES);
            assertEquals(2_050, alice.read().number("mdSeqNo"));
            final List<Map<String, Object>> orders = new ArrayList<>();
            for (int part = 1; part <= 3; part++)
            {
                final Message snapshot = alice.read();
                assertEquals("BookSnapshot", snapshot.name(), snapshot.toString());
                assertEquals(part, snapshot.number("part"));
                assertEquals(3, snapshot.number("partCount"));
                assertEquals(2_050, snapshot.number("mdSeqNo"));
                assertEquals(part < 3 ? 1_000 : 50, snapshot.group("orders").size());
                orders.addAll(snapshot.group("orders"));
            }
            long previousPrice = Long.MAX_VALUE;
            long previousOrderId = 0;
            for (int i = 0; i < orders.size(); i++)
            {
                final Map<String, Object> order = orders.get(i);
                final long price = (Long)order.get("price");
                final long orderId = (Long)order.get("orderId");
                assertEquals(PRICE - 50L * (1 + i / 10), price, "best bid first: " + order);
                assertEquals(LOT * (1 + i % 10), order.get("size"), "time priority within the price: " + order);
                assertTrue(price < previousPrice || orderId > previousOrderId, "time priority: " + order);
                previousPrice = price;
                previousOrderId = orderId;
            }
        }
    }

    @Test
    void aSecondGatewayOnTheSameJournalNumbersTheUpdatesTheSame() throws Exception
    {
        start(4 * 1024 * 1024);
        final Random random = new Random(7);
        long lastSequence = 0;
        for (int i = 0; i < 200; i++)
        {
            lastSequence = randomCommand(random);
        }
        // A gateway started later (as after a restart) reads the journal from its start.
        try (Gateway second = Gateway.start(journal, new Gateway.Config().address(new InetSocketAddress("127.0.0.1", 0))
            .trading(exchange.pipeline, SbeOrderEntryTest.keys()).sbe(new InetSocketAddress("127.0.0.1", 0)));
            SbeTestClient first = established("alice-key", ALICE_SECRET);
            SbeTestClient restarted = new SbeTestClient(second.sbePort()))
        {
            assertEquals("EstablishAck", restarted.establish("bob-key-1", BOB_SECRET, nonce(), 0).name());
            for (final int marketId : new int[] {TestExchange.BTC, TestExchange.ETH})
            {
                final Message before = snapshotAtLeast(first, marketId, lastSequence, m -> { });
                final Message after = snapshotAtLeast(restarted, marketId, lastSequence, m -> { });
                assertTrue(before.number("mdSeqNo") > 0, before.toString());
                assertEquals(before.number("mdSeqNo"), after.number("mdSeqNo"));
                assertEquals(before.group("orders"), after.group("orders"));
            }
            subscribe(first, 1, TestExchange.BTC, YesNo.NO);
            subscribe(restarted, 1, TestExchange.BTC, YesNo.NO);
            assertEquals(first.read().number("mdSeqNo"), restarted.read().number("mdSeqNo"));
            final long sequence = limit(MAKER, TestExchange.BTC, 1_000_000, Side.SELL, PRICE + 10_000, LOT).sequence();
            final Message add = firstUpdateOf(first, sequence);
            assertEquals("OrderAdd", add.name(), add.toString());
            assertEquals(add.fields(), firstUpdateOf(restarted, sequence).fields());
        }
    }

    /** Reads the subscribed client's messages up to the first update caused by command {@code sequence}. */
    private static Message firstUpdateOf(final SbeTestClient client, final long sequence) throws IOException
    {
        while (true)
        {
            final Message message = client.read();
            if (message.fields().containsKey("engineSequence") && message.number("engineSequence") == sequence &&
                !message.name().equals("BookSnapshot"))
            {
                return message;
            }
        }
    }

    @Test
    void badMarketDataRequestsGetSpecificRejectsAndOtherSessionsGoOn() throws Exception
    {
        start(4 * 1024 * 1024);
        try (SbeTestClient alice = established("alice-key", ALICE_SECRET);
            SbeTestClient bob = established("bob-key-1", BOB_SECRET))
        {
            subscribe(bob, 1, TestExchange.BTC, YesNo.NO);
            final Message bobStatus = bob.read();
            assertEquals("SUBSCRIBED", bobStatus.text("status"), bobStatus.toString());
            assertEquals(0, bobStatus.number("mdSeqNo"));

            subscribe(alice, 1, 99, YesNo.YES);
            assertReject(alice.read(), 1, "UNKNOWN_MARKET");
            subscribe(alice, 0, TestExchange.BTC, YesNo.YES);
            assertReject(alice.read(), 0, "INVALID_FIELD");
            subscribe(alice, 2, -1, YesNo.NO);
            assertReject(alice.read(), 2, "INVALID_FIELD");
            final byte[] badEnum = alice.frame(new MarketDataSubscribeEncoder(),
                s -> s.requestId(3).marketId(TestExchange.BTC).snapshot(YesNo.YES));
            badEnum[6 + MessageHeaderEncoder.ENCODED_LENGTH + MarketDataSubscribeEncoder.snapshotEncodingOffset()] = 7;
            alice.sendRaw(badEnum);
            assertReject(alice.read(), 3, "INVALID_FIELD");
            alice.send(new MarketDataUnsubscribeEncoder(), u -> u.requestId(4).marketId(TestExchange.BTC));
            assertReject(alice.read(), 4, "NOT_SUBSCRIBED");
            requestSnapshot(alice, 5, 42);
            assertReject(alice.read(), 5, "UNKNOWN_MARKET");
            subscribe(alice, 6, TestExchange.BTC, YesNo.NO);
            assertEquals("SUBSCRIBED", alice.read().text("status"));
            subscribe(alice, 7, TestExchange.BTC, YesNo.YES);
            assertReject(alice.read(), 7, "ALREADY_SUBSCRIBED");

            // A subscribe that does not fit its frame ends only that session, before it subscribed anything.
            try (SbeTestClient broken = established("alice-key", ALICE_SECRET))
            {
                final byte[] frame = broken.frame(new MarketDataSubscribeEncoder(),
                    s -> s.requestId(1).marketId(TestExchange.BTC).snapshot(YesNo.YES));
                frame[6] = (byte)(MarketDataSubscribeEncoder.BLOCK_LENGTH + 1);
                broken.sendRaw(frame);
                final Message terminate = broken.read();
                assertEquals("Terminate", terminate.name(), terminate.toString());
                assertEquals("BAD_BLOCK_LENGTH", terminate.text("code"), terminate.toString());
            }
            try (SbeTestClient anonymous = new SbeTestClient(exchange.gateway.sbePort()))
            {
                subscribe(anonymous, 1, TestExchange.BTC, YesNo.YES);
                final Message terminate = anonymous.read();
                assertEquals("NOT_ESTABLISHED", terminate.text("code"), terminate.toString());
            }

            limit(MAKER, TestExchange.BTC, 1, Side.BUY, PRICE, LOT);
            for (final SbeTestClient subscriber : List.of(alice, bob))
            {
                final Message add = subscriber.read();
                assertEquals("OrderAdd", add.name(), add.toString());
                assertEquals(1, add.number("mdSeqNo"));
            }
        }
    }

    private static void assertReject(final Message reject, final long requestId, final String code)
    {
        assertEquals("MarketDataReject", reject.name(), reject.toString());
        assertEquals(requestId, reject.number("requestId"), reject.toString());
        assertEquals(code, reject.text("code"), reject.toString());
        assertTrue(!reject.text("reason").isEmpty(), reject.toString());
    }

    @Test
    void aSubscriberThatDoesNotReadIsTerminatedAndOthersAreNot() throws Exception
    {
        start(1024);
        try (SbeTestClient slow = new SbeTestClient(exchange.gateway.sbePort(), 4096))
        {
            assertEquals("EstablishAck", slow.establish("alice-key", ALICE_SECRET, nonce(), 0).name());
            subscribe(slow, 1, TestExchange.BTC, YesNo.NO);
            assertEquals("SUBSCRIBED", slow.read().text("status"));
            // Each round rests and cancels an order: two updates the slow client never reads.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long clientOrderId = 0;
            while (exchange.gateway.sbe().slowConsumersTerminated() == 0)
            {
                assertTrue(System.nanoTime() < deadline, "not terminated as a slow consumer within 120 s");
                limit(MAKER, TestExchange.BTC, ++clientOrderId, Side.BUY, PRICE, LOT);
                exchange.submit(exchange.encoder().cancelOrder(exchange.buffer(), 0, MAKER, TestExchange.BTC, 0,
                    clientOrderId));
            }
            try
            {
                Message last;
                do
                {
                    last = slow.read();
                }
                while (!last.name().equals("Terminate"));
                assertEquals("SLOW_CONSUMER", last.text("code"), last.toString());
            }
            catch (final java.io.EOFException | java.net.SocketException closed)
            {
                // closed by the server after its grace period, before the Terminate was read
            }
            assertTrue(slow.closedByServer(30_000));
        }
        try (SbeTestClient bob = established("bob-key-1", BOB_SECRET))
        {
            subscribe(bob, 1, TestExchange.BTC, YesNo.YES);
            final Message status = bob.read();
            assertEquals("SUBSCRIBED", status.text("status"), status.toString());
            final Message snapshot = bob.read();
            assertEquals(status.number("mdSeqNo"), snapshot.number("mdSeqNo"), snapshot.toString());
            final long sequence = limit(MAKER, TestExchange.BTC, 1_000_000, Side.BUY, PRICE, LOT).sequence();
            long mdSeqNo = snapshot.number("mdSeqNo");
            Message update;
            do
            {
                update = bob.read();
                assertEquals(++mdSeqNo, update.number("mdSeqNo"), update.toString());
            }
            while (update.number("engineSequence") < sequence);
            assertEquals("OrderAdd", update.name(), update.toString());
            assertEquals(sequence, update.number("engineSequence"), update.toString());
            assertEquals(PRICE, update.number("price"), update.toString());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Random traffic: books rebuilt from the wire equal the engine's

    /** One resting order as (orderId, side, price, size), in priority order within its book. */
    private record Resting(long orderId, String side, long price, long size)
    {
    }

    /**
     * A market-data client's view of the markets it subscribed to: books from a snapshot and the
     * updates after it, and a copy of each book whenever an update ends a command's changes.
     */
    private static final class BookBuilder
    {
        final Map<Integer, LinkedHashMap<Long, Resting>> books = new HashMap<>();
        final Map<Integer, Long> mdSeqNos = new HashMap<>();
        /** Per market: engine sequence to the book right after that command. */
        final Map<Integer, TreeMap<Long, List<Resting>>> consistent = new HashMap<>();
        final Map<Integer, List<Message>> buffered = new HashMap<>();
        final Map<String, Integer> counts = new TreeMap<>();
        /** Per market: the mdSeqNo of the snapshot the book started from. */
        final Map<Integer, Long> startedAt = new TreeMap<>();

        void onMessage(final Message message)
        {
            switch (message.name())
            {
                case "MarketDataStatus" -> buffered.putIfAbsent((int)message.number("marketId"), new ArrayList<>());
                case "BookSnapshot" -> onSnapshot(message);
                case "OrderAdd", "OrderModify", "OrderDelete", "Trade" ->
                {
                    final int marketId = (int)message.number("marketId");
                    if (!mdSeqNos.containsKey(marketId))
                    {
                        buffered.get(marketId).add(message); // before the snapshot: kept until it comes
                        return;
                    }
                    apply(marketId, message);
                }
                default -> throw new AssertionError("unexpected " + message);
            }
        }

        private void onSnapshot(final Message snapshot)
        {
            final int marketId = (int)snapshot.number("marketId");
            final LinkedHashMap<Long, Resting> book = books.computeIfAbsent(marketId, m -> new LinkedHashMap<>());
            if (snapshot.number("part") == 1)
            {
                book.clear();
            }
            for (final Map<String, Object> order : snapshot.group("orders"))
            {
                final long orderId = (Long)order.get("orderId");
                book.put(orderId, new Resting(orderId, (String)order.get("side"), (Long)order.get("price"),
                    (Long)order.get("size")));
            }
            if (snapshot.number("part") == snapshot.number("partCount") && !mdSeqNos.containsKey(marketId))
            {
                mdSeqNos.put(marketId, snapshot.number("mdSeqNo"));
                startedAt.put(marketId, snapshot.number("mdSeqNo"));
                for (final Message update : buffered.get(marketId))
                {
                    apply(marketId, update);
                }
                buffered.get(marketId).clear();
            }
        }

        private void apply(final int marketId, final Message update)
        {
            final long mdSeqNo = update.number("mdSeqNo");
            final long last = mdSeqNos.get(marketId);
            if (mdSeqNo <= last)
            {
                return; // already in the snapshot
            }
            assertEquals(last + 1, mdSeqNo, () -> "gap in market " + marketId + " before " + update);
            mdSeqNos.put(marketId, mdSeqNo);
            counts.merge(update.name() + (update.fields().containsKey("reason") ? "/" + update.text("reason") : ""), 1,
                Integer::sum);
            final LinkedHashMap<Long, Resting> book = books.get(marketId);
            final long orderId = update.name().equals("Trade") ? 0 : update.number("orderId");
            switch (update.name())
            {
                case "OrderAdd" -> assertEquals(null, book.put(orderId, new Resting(orderId, update.text("side"),
                    update.number("price"), update.number("size"))), update.toString());
                case "OrderModify" ->
                {
                    final Resting before = book.get(orderId);
                    assertTrue(before != null && before.size() > update.number("size"), update + " of " + before);
                    book.put(orderId, new Resting(orderId, before.side(), before.price(), update.number("size")));
                }
                case "OrderDelete" -> assertTrue(book.remove(orderId) != null, update.toString());
                default -> assertTrue(book.containsKey(update.number("makerOrderId")), "trade against " + update);
            }
            if (update.text("endOfEvent").equals("YES"))
            {
                consistent.computeIfAbsent(marketId, m -> new TreeMap<>())
                    .put(update.number("engineSequence"), inPriorityOrder(book));
            }
        }

        /** The book as the engine orders it: bids best first, then asks best first, each level oldest first. */
        static List<Resting> inPriorityOrder(final Map<Long, Resting> book)
        {
            final List<Resting> bids = new ArrayList<>();
            final List<Resting> asks = new ArrayList<>();
            for (final Resting order : book.values())
            {
                (order.side().equals("BUY") ? bids : asks).add(order);
            }
            // Stable sorts: arrival order (the map's) is kept within a price.
            bids.sort((a, b) -> Long.compare(b.price(), a.price()));
            asks.sort((a, b) -> Long.compare(a.price(), b.price()));
            bids.addAll(asks);
            return bids;
        }
    }

    @Test
    void booksFromSnapshotAndUpdatesEqualTheEnginesAfterRandomTraffic() throws Exception
    {
        final long seed = System.nanoTime();
        try
        {
            randomTraffic(seed, 2_000);
        }
        catch (final AssertionError | Exception ex)
        {
            throw new AssertionError("seed " + seed + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Random orders, cancels, cancel-replaces, cancel-alls and heartbeats on both markets from one
     * thread, one subscriber from the start and one that subscribes a third of the way in; then every
     * book either rebuilt after a command is compared with the engine's replayed from the commands
     * journal. The seed fixes the commands; when GTT orders expire and where the late snapshot falls
     * depend on timing, so the journal replay, not the seed alone, is the reference.
     */
    private void randomTraffic(final long seed, final int commands) throws Exception
    {
        System.out.println("SbeMarketDataTest random traffic seed " + seed);
        start(64 * 1024 * 1024);
        final int[] marketIds = {TestExchange.BTC, TestExchange.ETH};
        try (SbeTestClient early = established("alice-key", ALICE_SECRET);
            SbeTestClient late = established("bob-key-1", BOB_SECRET))
        {
            final BookBuilder earlyBooks = new BookBuilder();
            final BookBuilder lateBooks = new BookBuilder();
            for (final int marketId : marketIds)
            {
                subscribe(early, marketId, marketId, YesNo.YES);
            }
            final CountDownLatch third = new CountDownLatch(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AtomicLong lastSequence = new AtomicLong();
            final Thread traffic = new Thread(() ->
            {
                try
                {
                    final Random random = new Random(seed);
                    for (int i = 0; i < commands; i++)
                    {
                        lastSequence.set(randomCommand(random));
                        if (i == commands / 3)
                        {
                            third.countDown();
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
                finally
                {
                    third.countDown();
                }
            }, "random-traffic");
            traffic.start();
            assertTrue(third.await(120, TimeUnit.SECONDS));
            // Subscribed while commands flow: its snapshot lands somewhere in the middle of the traffic.
            for (final int marketId : marketIds)
            {
                subscribe(late, marketId, marketId, YesNo.YES);
            }
            traffic.join(TimeUnit.MINUTES.toMillis(5));
            assertTrue(!traffic.isAlive(), "traffic did not finish");
            if (failure.get() != null)
            {
                throw new AssertionError(failure.get());
            }
            for (final int marketId : marketIds)
            {
                for (final var client : Map.of(early, earlyBooks, late, lateBooks).entrySet())
                {
                    final Message last = snapshotAtLeast(client.getKey(), marketId, lastSequence.get(),
                        client.getValue()::onMessage);
                    final LinkedHashMap<Long, Resting> snapshotBook = new LinkedHashMap<>();
                    for (final Map<String, Object> order : last.group("orders"))
                    {
                        snapshotBook.put((Long)order.get("orderId"), new Resting((Long)order.get("orderId"),
                            (String)order.get("side"), (Long)order.get("price"), (Long)order.get("size")));
                    }
                    assertEquals(last.number("mdSeqNo"), client.getValue().mdSeqNos.get(marketId));
                    assertEquals(BookBuilder.inPriorityOrder(client.getValue().books.get(marketId)),
                        List.copyOf(snapshotBook.values()), "the final snapshot and the updated book");
                }
            }
            System.out.println("SbeMarketDataTest random traffic: updates by type " + earlyBooks.counts + ", consistent views " +
                earlyBooks.consistent.values().stream().mapToInt(Map::size).sum() + " (early) and " +
                lateBooks.consistent.values().stream().mapToInt(Map::size).sum() + " (late subscriber, from snapshots at " +
                lateBooks.startedAt + ")");
            assertTrue(lateBooks.startedAt.values().stream().anyMatch(mdSeqNo -> mdSeqNo > 0),
                "the late subscriber's snapshots are mid-traffic: " + lateBooks.startedAt);
            for (final int marketId : marketIds)
            {
                final TreeMap<Long, List<Resting>> earlyViews = earlyBooks.consistent.get(marketId);
                final TreeMap<Long, List<Resting>> lateViews = lateBooks.consistent.get(marketId);
                assertTrue(earlyViews.size() > commands / 10, "few book changes in market " + marketId + ": " +
                    earlyViews.size());
                assertTrue(!lateViews.isEmpty() && lateViews.firstKey() > earlyViews.firstKey(), "late client's first view");
                final Map<Long, List<Resting>> engine = engineBooks(marketId, earlyViews.navigableKeySet());
                for (final var view : earlyViews.entrySet())
                {
                    assertEquals(engine.get(view.getKey()), view.getValue(),
                        "market " + marketId + " after command " + view.getKey() + " (early subscriber)");
                }
                for (final var view : lateViews.entrySet())
                {
                    assertEquals(engine.get(view.getKey()), view.getValue(),
                        "market " + marketId + " after command " + view.getKey() + " (late subscriber)");
                }
            }
        }
    }

    private final List<long[]> placed = new ArrayList<>();

    private long lastSequenceWithEvents;

    /**
     * Submits one random command; returns the sequence of the last command so far that had events:
     * the sequence a snapshot can show (a heartbeat or a cancel-all of nothing has none, and the
     * feed learns sequences from events).
     */
    private long randomCommand(final Random random) throws Exception
    {
        final CommandEncoder encoder = exchange.encoder();
        final int marketId = random.nextBoolean() ? TestExchange.BTC : TestExchange.ETH;
        final long tick = marketId == TestExchange.BTC ? 50 : 5;
        final long lot = marketId == TestExchange.BTC ? LOT : 10_000;
        final long mid = marketId == TestExchange.BTC ? PRICE : 300_000;
        final long account = 1 + random.nextInt(4);
        final long price = mid + tick * (random.nextInt(21) - 10);
        final long size = lot * (1 + random.nextInt(5));
        final int choice = random.nextInt(100);
        final int length;
        if (choice < 55 || placed.isEmpty())
        {
            final long clientOrderId = clientOrderIds.incrementAndGet();
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final int kind = random.nextInt(10);
            final TimeInForce timeInForce = kind == 0 ? TimeInForce.IOC : kind == 1 ? TimeInForce.GTT : TimeInForce.GTC;
            // GTT expiries are in the sequencer's (wall-clock) command time: 1 to 300 ms from now.
            final long expiryNs = timeInForce == TimeInForce.GTT ? TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() +
                1 + random.nextInt(300)) : 0;
            final byte flags = kind == 2 ? CommandEncoder.POST_ONLY : 0;
            final OrderType type = kind == 3 ? OrderType.MARKET : OrderType.LIMIT;
            length = encoder.placeOrder(exchange.buffer(), 0, account, marketId, clientOrderId, side, type,
                type == OrderType.MARKET ? TimeInForce.IOC : timeInForce, flags,
                SelfTradePrevention.get((short)random.nextInt(3)), type == OrderType.MARKET ? 0 : price, size, expiryNs);
            placed.add(new long[] {account, marketId, clientOrderId});
        }
        else
        {
            // One of the recent orders: older ones are mostly gone already.
            final long[] order = placed.get(placed.size() - 1 - random.nextInt(Math.min(placed.size(), 20)));
            if (choice < 70)
            {
                length = encoder.cancelOrder(exchange.buffer(), 0, order[0], (int)order[1], 0, order[2]);
            }
            else if (choice < 90)
            {
                final long orderTick = order[1] == TestExchange.BTC ? 50 : 5;
                final long orderLot = order[1] == TestExchange.BTC ? LOT : 10_000;
                final long orderMid = order[1] == TestExchange.BTC ? PRICE : 300_000;
                final int amend = random.nextInt(3);
                length = encoder.amendOrder(exchange.buffer(), 0, order[0], (int)order[1], 0, order[2],
                    amend == 0 ? orderMid + orderTick * (random.nextInt(21) - 10) : 0,
                    amend == 1 ? orderLot * (1 + random.nextInt(5)) : 0,
                    amend == 2 ? orderLot : 0);
            }
            else if (choice < 93)
            {
                length = encoder.cancelAll(exchange.buffer(), 0, account, random.nextBoolean() ? 0 : marketId);
            }
            else
            {
                length = encoder.heartbeat(exchange.buffer(), 0);
            }
        }
        final TestExchange.Result result = exchange.submit(length);
        if (result.events().length > 0)
        {
            lastSequenceWithEvents = result.sequence();
        }
        return lastSequenceWithEvents;
    }

    /** The engine's L3 of the market after each of the given commands, from the commands journal. */
    private Map<Long, List<Resting>> engineBooks(final int marketId, final java.util.SortedSet<Long> sequences)
    {
        final Map<Long, List<Resting>> books = new HashMap<>();
        final MatchingEngine engine = Replayer.standardEngine();
        final CommandAdapter adapter = new CommandAdapter(engine);
        try (Journal commands = Journal.open(new JournalLayout(journal).commandsDir()); JournalReader reader = commands.reader())
        {
            while (books.size() < sequences.size() && reader.next())
            {
                adapter.apply(reader.buffer(), 0, reader.length());
                if (sequences.contains(reader.sequence()))
                {
                    books.put(reader.sequence(), engineBook(engine.state().book(marketId)));
                }
            }
        }
        assertEquals(sequences.size(), books.size(), "the commands journal ends early");
        return books;
    }

    private static List<Resting> engineBook(final OrderBook book)
    {
        final List<Resting> orders = new ArrayList<>();
        for (final BookSide side : List.of(book.bids(), book.asks()))
        {
            for (PriceLevel level = side.best(); level != null; level = level.worse())
            {
                for (Order order = level.head(); order != null; order = order.nextInLevel())
                {
                    orders.add(new Resting(order.orderId(), order.side().name(), book.spec().toPrice(order.priceTicks()),
                        book.spec().toSize(order.sizeLots())));
                }
            }
        }
        return orders;
    }
}
