package io.perpetua.gateway;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.gateway.marketdata.MarketUnits;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.gateway.trading.TradingEndpoint;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trading API's open orders: the {@code openOrders} request and the orders in the account
 * channel's {@code subscribe} result, through an order's life (rest, partial fill, amend, cancel),
 * conditional orders waiting and triggered, reduce-only, the request's errors, and random traffic
 * checked against the engine's own books.
 */
class OpenOrdersTest
{
    private static final byte[] ALICE_SECRET = "alice-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOB_SECRET = "bob-secret-0123456789ab".getBytes(StandardCharsets.US_ASCII);
    private static final long ALICE = 11;
    private static final long BOB = 12;
    private static final long USDC = 1_000_000L;

    @TempDir
    Path journal;

    private static ApiKeyStore keys()
    {
        final ApiKeyStore keys = new ApiKeyStore();
        keys.add("alice-key", ALICE_SECRET, ALICE);
        keys.add("bob-key-1", BOB_SECRET, BOB);
        return keys;
    }

    private static JsonNode ok(final JsonNode response)
    {
        assertEquals("result", response.get("type").asText(), response.toString());
        return response;
    }

    private static JsonNode orders(final JsonTrader trader, final Object... fields) throws Exception
    {
        return ok(trader.request("openOrders", fields)).get("orders");
    }

    private static void assertError(final String code, final JsonNode response)
    {
        assertEquals("error", response.get("type").asText(), response.toString());
        assertEquals(code, response.get("code").asText(), response.toString());
    }

    @Test
    void anOrdersLifeAndConditionalOrdersAsOpenOrders() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal, keys(), 1024, c -> c, TestExchange::withRisk))
        {
            final RiskSetup risk = new RiskSetup(exchange);
            risk.configure(TestExchange.BTC);
            risk.markPrice(TestExchange.BTC, 6_000_000);
            risk.deposit(ALICE, 10_000 * USDC);
            exchange.awaitMarketData(risk.deposit(BOB, 5_000 * USDC));
            try (JsonTrader alice = new JsonTrader(exchange, "alice-key", ALICE_SECRET);
                JsonTrader bob = new JsonTrader(exchange, "bob-key-1", BOB_SECRET))
            {
                final JsonNode subscribed = ok(alice.request("subscribe", "channel", "account"));
                assertEquals(0, subscribed.get("orders").size(), subscribed.toString());

                ok(alice.request("place", "market", "BTC-USD", "side", "SELL", "price", "60000", "size", "0.01",
                    "clientOrderId", 7));
                JsonNode open = orders(alice);
                assertEquals(1, open.size(), open.toString());
                final JsonNode sell = open.get(0);
                assertEquals("BTC-USD", sell.get("market").asText());
                assertEquals("OPEN", sell.get("status").asText());
                assertEquals(7, sell.get("clientOrderId").asLong());
                assertEquals("SELL", sell.get("side").asText());
                assertEquals("LIMIT", sell.get("type").asText());
                assertEquals("GTC", sell.get("timeInForce").asText());
                assertEquals("60000", sell.get("price").asText());
                assertEquals("0.01", sell.get("size").asText());
                assertEquals("0.01", sell.get("remaining").asText());
                assertFalse(sell.get("reduceOnly").asBoolean());
                final String sellId = sell.get("orderId").asText();

                ok(bob.request("place", "market", "BTC-USD", "side", "BUY", "price", "60000", "size", "0.004",
                    "timeInForce", "IOC"));
                assertEquals("MAKER", alice.awaitEvent("fill").get("liquidity").asText());
                open = orders(alice);
                assertEquals("0.006", open.get(0).get("remaining").asText(), "partly filled: " + open);
                assertEquals("0.01", open.get(0).get("size").asText(), open.toString());
                assertEquals(0, orders(bob).size(), "bob's IOC left nothing open, and he sees none of alice's");

                ok(alice.request("amend", "market", "BTC-USD", "orderId", sellId, "price", "60100"));
                open = orders(alice);
                assertEquals(1, open.size(), open.toString());
                assertEquals("60100", open.get(0).get("price").asText(), "re-entered at its new price: " + open);
                assertEquals("0.006", open.get(0).get("remaining").asText(), open.toString());

                // Alice is short 0.004: a reduce-only stop buys it back if the mark rises to 61,000.
                final JsonNode stop = ok(alice.request("place", "market", "BTC-USD", "side", "BUY", "type", "STOP_MARKET",
                    "triggerPrice", "61000", "size", "0.004", "reduceOnly", true));
                final JsonNode stopAccepted = stop.get("events").get(0);
                assertEquals("accepted", stopAccepted.get("event").asText(), stop.toString());
                assertEquals("61000", stopAccepted.get("triggerPrice").asText(), stop.toString());
                assertTrue(stopAccepted.get("reduceOnly").asBoolean(), stop.toString());
                ok(alice.request("place", "market", "BTC-USD", "side", "BUY", "type", "STOP_LIMIT",
                    "price", "60500", "triggerPrice", "61500", "size", "0.001", "clientOrderId", 9));
                open = orders(alice, "market", "BTC-USD");
                assertEquals(3, open.size(), open.toString());
                final JsonNode waiting = open.get(1);
                assertEquals("UNTRIGGERED", waiting.get("status").asText(), open.toString());
                assertEquals("STOP_MARKET", waiting.get("type").asText());
                assertEquals("IOC", waiting.get("timeInForce").asText());
                assertEquals("61000", waiting.get("triggerPrice").asText());
                assertFalse(waiting.has("price"), "a market type has no limit price: " + waiting);
                assertTrue(waiting.get("reduceOnly").asBoolean());
                assertEquals("UNTRIGGERED", open.get(2).get("status").asText());
                assertEquals("60500", open.get(2).get("price").asText());
                assertEquals(0, orders(alice, "market", "ETH-USD").size(), "filtered by market");

                ok(alice.request("cancel", "market", "BTC-USD", "orderId", sellId));
                assertEquals(2, orders(alice).size(), "the cancelled sell is gone");
                ok(bob.request("place", "market", "BTC-USD", "side", "SELL", "price", "61000", "size", "0.004"));
                assertEquals(1, orders(bob).size());

                // The mark reaches 61,000: the stop fires and buys bob's ask; then 61,500 fires the stop-limit,
                // whose limit 60,500 is below every ask, so it rests as a limit order.
                risk.markPrice(TestExchange.BTC, 6_100_000);
                final JsonNode triggered = alice.awaitEvent("triggered");
                assertEquals("61000", triggered.get("triggerPrice").asText(), triggered.toString());
                assertEquals("61000", triggered.get("markPrice").asText(), triggered.toString());
                assertEquals("0", alice.awaitEvent("position").get("size").asText(), "the stop closed the short");
                assertEquals(0, orders(bob).size(), "bob's ask was taken");
                exchange.awaitMarketData(risk.markPrice(TestExchange.BTC, 6_150_000));
                alice.awaitEvent("triggered");
                final JsonNode rested = alice.awaitEvent("rested");
                open = orders(alice);
                assertEquals(1, open.size(), open.toString());
                assertEquals(rested.get("orderId").asText(), open.get(0).get("orderId").asText());
                assertEquals("OPEN", open.get(0).get("status").asText(), open.toString());
                assertEquals("LIMIT", open.get(0).get("type").asText(), open.toString());
                assertEquals("60500", open.get(0).get("price").asText());
                assertEquals("61500", open.get(0).get("triggerPrice").asText());
                assertEquals(9, open.get(0).get("clientOrderId").asLong());

                try (JsonTrader again = new JsonTrader(exchange, "alice-key", ALICE_SECRET))
                {
                    final JsonNode resubscribed = ok(again.request("subscribe", "channel", "account"));
                    assertEquals(open, resubscribed.get("orders"), "the subscribe result carries the open orders");
                }

                assertError("REDUCE_ONLY_WOULD_INCREASE", alice.request("place", "market", "BTC-USD", "side", "SELL",
                    "price", "62000", "size", "0.001", "reduceOnly", true));
                assertError("INVALID_FIELD", alice.request("place", "market", "BTC-USD", "side", "SELL",
                    "price", "62000", "size", "0.001", "triggerPrice", "61000"));
                assertError("MISSING_FIELD", alice.request("place", "market", "BTC-USD", "side", "SELL",
                    "type", "STOP_LIMIT", "price", "59000", "size", "0.001"));
                assertError("INVALID_FIELD", alice.request("place", "market", "BTC-USD", "side", "SELL",
                    "type", "STOP_MARKET", "price", "59000", "triggerPrice", "59000", "size", "0.001"));
                assertError("INVALID_FIELD", alice.request("place", "market", "BTC-USD", "side", "SELL",
                    "price", "62000", "size", "0.001", "reduceOnly", "yes"));
                assertError("INVALID_TRIGGER", alice.request("place", "market", "BTC-USD", "side", "SELL",
                    "type", "STOP_MARKET", "triggerPrice", "62000", "size", "0.001"));
                assertError("UNKNOWN_MARKET", alice.request("openOrders", "market", "XRP-USD"));
                assertError("UNKNOWN_FIELD", alice.request("openOrders", "accountId", BOB));
                try (WsClient anonymous = new WsClient("ws://127.0.0.1:" + exchange.gateway.port() + TradingEndpoint.PATH))
                {
                    anonymous.send("{\"op\":\"openOrders\",\"requestId\":\"1\"}");
                    assertError("NOT_LOGGED_IN", anonymous.next());
                }
            }
        }
    }

    /**
     * Random orders, cancels, amends and cancel-alls of three accounts on two markets; every 500
     * commands each account's open orders equal the resting orders of the engine replayed from the
     * commands journal, field by field.
     */
    @Test
    void randomTrafficKeepsTheEnginesRestingOrdersOpen() throws Exception
    {
        final long seed = System.nanoTime();
        try
        {
            randomTraffic(seed, 3_000);
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError("seed " + seed + ": " + ex.getMessage(), ex);
        }
    }

    private void randomTraffic(final long seed, final int commands) throws Exception
    {
        System.out.println("OpenOrdersTest random traffic seed " + seed);
        final ApiKeyStore keys = new ApiKeyStore();
        final byte[][] secrets = new byte[4][];
        for (int account = 1; account <= 3; account++)
        {
            secrets[account] = ("secret-of-account-" + account + "-0123").getBytes(StandardCharsets.US_ASCII);
            keys.add("trader-key-" + account, secrets[account], account);
        }
        try (TestExchange exchange = new TestExchange(journal, keys))
        {
            final Random random = new Random(seed);
            final CommandEncoder encoder = exchange.encoder();
            final UnsafeBuffer buffer = exchange.buffer();
            final List<long[]> placed = new ArrayList<>();
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
            // The last command with events: a feed's sequence is the last it saw in an event.
            long lastSequence = 0;
            int checkpoints = 0;
            int openSeen = 0;
            try (ReferenceEngine reference = new ReferenceEngine(exchange))
            {
                for (int i = 0; i < commands; i++)
                {
                    final long account = 1 + random.nextInt(3);
                    final int market = 1 + random.nextInt(2);
                    final long tick = market == TestExchange.BTC ? 50 : 5;
                    final long lot = market == TestExchange.BTC ? 100_000 : 10_000;
                    final long mid = market == TestExchange.BTC ? 6_000_000 : 300_000;
                    final int kind = random.nextInt(100);
                    final int length;
                    if (kind < 55 || placed.isEmpty())
                    {
                        final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                        // Mostly on its own side of the mid, so a book builds up; sometimes crossing it.
                        final long away = tick * (random.nextInt(30) - 5);
                        final long price = side == Side.BUY ? mid - away : mid + away;
                        final long size = lot * (1 + random.nextInt(5));
                        final TimeInForce tif = switch (random.nextInt(10))
                        {
                            case 0 -> TimeInForce.IOC;
                            case 1 -> TimeInForce.FOK;
                            case 2 -> TimeInForce.GTT;
                            default -> TimeInForce.GTC;
                        };
                        final byte flags = tif != TimeInForce.IOC && tif != TimeInForce.FOK && random.nextInt(5) == 0 ?
                            CommandEncoder.POST_ONLY : 0;
                        final long expiryNs = tif == TimeInForce.GTT ?
                            TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1 + random.nextInt(200)) : 0;
                        final long clientOrderId = random.nextInt(3) == 0 ? 1 + random.nextInt(20) : 0;
                        length = encoder.placeOrder(buffer, 0, account, market, clientOrderId, side, OrderType.LIMIT, tif, flags,
                            SelfTradePrevention.values()[random.nextInt(3)], price, size, expiryNs);
                    }
                    else
                    {
                        final long[] target = placed.get(placed.size() - 1 - random.nextInt(Math.min(placed.size(), 30)));
                        final long targetTick = target[1] == TestExchange.BTC ? 50 : 5;
                        final long targetLot = target[1] == TestExchange.BTC ? 100_000 : 10_000;
                        if (kind < 75)
                        {
                            length = encoder.cancelOrder(buffer, 0, target[0], (int)target[1], target[2], 0);
                        }
                        else if (kind < 90)
                        {
                            final long targetMid = target[1] == TestExchange.BTC ? 6_000_000 : 300_000;
                            length = switch (random.nextInt(3))
                            {
                                case 0 -> encoder.amendOrder(buffer, 0, target[0], (int)target[1], target[2], 0,
                                    targetMid + targetTick * (random.nextInt(41) - 20), 0, 0);
                                case 1 -> encoder.amendOrder(buffer, 0, target[0], (int)target[1], target[2], 0,
                                    0, targetLot * (1 + random.nextInt(5)), 0);
                                default -> encoder.amendOrder(buffer, 0, target[0], (int)target[1], target[2], 0, 0, 0, targetLot);
                            };
                        }
                        else if (kind < 97)
                        {
                            length = encoder.amendOrder(buffer, 0, target[0], (int)target[1], target[2], 0, 0, 0, targetLot);
                        }
                        else
                        {
                            length = encoder.cancelAll(buffer, 0, account, random.nextBoolean() ? market : 0);
                        }
                    }
                    final TestExchange.Result result = exchange.submit(length);
                    if (result.events().length > 0)
                    {
                        lastSequence = result.sequence();
                    }
                    final UnsafeBuffer events = new UnsafeBuffer(result.events());
                    if (result.events().length > 0 && header.wrap(events, 0).templateId() == OrderAcceptedDecoder.TEMPLATE_ID)
                    {
                        accepted.wrapAndApplyHeader(events, 0, header);
                        placed.add(new long[] {accepted.accountId(), accepted.marketId(), accepted.orderId()});
                    }
                    if ((i + 1) % 500 == 0)
                    {
                        openSeen += compare(exchange, reference.at(lastSequence), secrets, lastSequence);
                        checkpoints++;
                    }
                }
            }
            System.out.println("OpenOrdersTest random traffic: " + placed.size() + " orders accepted, " + checkpoints +
                " checkpoints with " + openSeen + " open orders in all");
            assertTrue(openSeen > checkpoints, "orders are open at the checkpoints");
        }
    }

    /**
     * Each account's open orders from the API equal {@code expected} once the account feed has
     * reached {@code sequence}; returns how many there were.
     */
    private static int compare(final TestExchange exchange, final Map<Long, TreeSet<String>> expected, final byte[][] secrets,
        final long sequence) throws Exception
    {
        int open = 0;
        for (long account = 1; account <= 3; account++)
        {
            try (JsonTrader trader = new JsonTrader(exchange, "trader-key-" + account, secrets[(int)account]))
            {
                JsonNode response = ok(trader.request("openOrders"));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (response.get("sequence").asLong() < sequence)
                {
                    assertTrue(System.nanoTime() < deadline, "the account feed did not reach " + sequence);
                    Thread.onSpinWait();
                    response = ok(trader.request("openOrders"));
                }
                final TreeSet<String> actual = new TreeSet<>();
                for (final JsonNode order : response.get("orders"))
                {
                    actual.add(order.get("orderId").asText() + " " + order.get("market").asText() + " " +
                        order.get("side").asText() + " " + order.get("price").asText() + " " +
                        order.get("remaining").asText() + " " + order.get("clientOrderId").asLong() + " " +
                        order.get("status").asText());
                }
                assertEquals(expected.getOrDefault(account, new TreeSet<>()), actual, "account " + account + " at " + sequence);
                open += actual.size();
            }
        }
        return open;
    }

    /** The engine replayed from the commands journal, advanced on request: the reference. */
    private static final class ReferenceEngine implements AutoCloseable
    {
        private final TestExchange exchange;
        private final MatchingEngine engine = Replayer.standardEngine();
        private final CommandAdapter adapter = new CommandAdapter(engine);
        private final Journal commands;
        private final JournalReader reader;
        private long sequence;

        ReferenceEngine(final TestExchange exchange)
        {
            this.exchange = exchange;
            this.commands = Journal.open(new JournalLayout(exchange.journal).commandsDir());
            this.reader = commands.reader();
        }

        /** Each account's resting orders after command {@code target}, as the API shows them. */
        Map<Long, TreeSet<String>> at(final long target)
        {
            while (sequence < target)
            {
                assertTrue(reader.next(), "the commands journal ends before " + target);
                adapter.apply(reader.buffer(), 0, reader.length());
                sequence = reader.sequence();
            }
            final Map<Long, TreeSet<String>> open = new TreeMap<>();
            for (final int marketId : new int[] {TestExchange.BTC, TestExchange.ETH})
            {
                final OrderBook book = engine.state().book(marketId);
                final MarketUnits units = exchange.gateway.marketData().market(marketId).info().units();
                for (final BookSide side : List.of(book.bids(), book.asks()))
                {
                    for (PriceLevel level = side.best(); level != null; level = level.worse())
                    {
                        for (Order order = level.head(); order != null; order = order.nextInLevel())
                        {
                            open.computeIfAbsent(order.accountId(), id -> new TreeSet<>()).add(order.orderId() + " " +
                                book.spec().symbol() + " " + order.side().name() + " " +
                                units.price(book.spec().toPrice(order.priceTicks())) + " " +
                                units.size(book.spec().toSize(order.sizeLots())) + " " + order.clientOrderId() + " OPEN");
                        }
                    }
                }
            }
            return open;
        }

        @Override
        public void close()
        {
            reader.close();
            commands.close();
        }
    }
}
