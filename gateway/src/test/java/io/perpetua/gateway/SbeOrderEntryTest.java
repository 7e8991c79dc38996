package io.perpetua.gateway;

import io.perpetua.gateway.SbeTestClient.Message;
import io.perpetua.gateway.sbe.codec.CancelOrderEncoder;
import io.perpetua.gateway.sbe.codec.CancelReplaceEncoder;
import io.perpetua.gateway.sbe.codec.MassCancelEncoder;
import io.perpetua.gateway.sbe.codec.NewOrderEncoder;
import io.perpetua.gateway.sbe.codec.OrderType;
import io.perpetua.gateway.sbe.codec.RetransmitRequestEncoder;
import io.perpetua.gateway.sbe.codec.SelfTradePrevention;
import io.perpetua.gateway.sbe.codec.Side;
import io.perpetua.gateway.sbe.codec.TimeInForce;
import io.perpetua.gateway.trading.ApiKeyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SBE order entry end to end: establish, every request, every execution report, replay after a reconnect. */
class SbeOrderEntryTest
{
    static final byte[] ALICE_SECRET = "alice-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ORACLE_SECRET = "oracle-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BOB_SECRET = "bob-secret-0123456789ab".getBytes(StandardCharsets.US_ASCII);
    static final long ALICE = 11;
    static final long BOB = 12;
    /** BTC-USD of the test exchange: 60,000.00 in cents, one lot. */
    static final long PRICE = 6_000_000;
    static final long LOT = 100_000;
    private static final AtomicLong NONCES = new AtomicLong(20_000_000);

    @TempDir
    Path journal;

    private TestExchange exchange;

    static ApiKeyStore keys()
    {
        final ApiKeyStore keys = new ApiKeyStore();
        keys.add("alice-key", ALICE_SECRET, ALICE);
        keys.add("bob-key-1", BOB_SECRET, BOB);
        keys.add("oracle-key-1", ORACLE_SECRET, 0, ApiKeyStore.Role.ORACLE);
        return keys;
    }

    static String nonce()
    {
        return "nonce-" + NONCES.incrementAndGet();
    }

    @BeforeEach
    void start() throws Exception
    {
        exchange = new TestExchange(journal, keys(), 1024, config -> config.sbe(new InetSocketAddress("127.0.0.1", 0)));
        exchange.awaitMarketData(2);
    }

    @AfterEach
    void stop()
    {
        exchange.close();
    }

    static void newOrder(final SbeTestClient client, final long clientOrderId, final Side side, final long price,
        final long size) throws IOException
    {
        client.send(new NewOrderEncoder(), o -> o.clientOrderId(clientOrderId).marketId(TestExchange.BTC).side(side)
            .orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC).selfTradePrevention(SelfTradePrevention.CANCEL_MAKER)
            .price(price).size(size).expiryNs(0));
    }

    private SbeTestClient alice() throws IOException
    {
        final SbeTestClient client = new SbeTestClient(exchange.gateway.sbePort());
        final Message ack = client.establish("alice-key", ALICE_SECRET, nonce(), 0);
        assertEquals("EstablishAck", ack.name(), ack.toString());
        assertEquals(ALICE, ack.number("accountId"));
        return client;
    }

    @Test
    void placeFillCancelReplaceAndMassCancel() throws Exception
    {
        try (SbeTestClient alice = alice();
            SbeTestClient bob = new SbeTestClient(exchange.gateway.sbePort()))
        {
            assertEquals("EstablishAck", bob.establish("bob-key-1", BOB_SECRET, nonce(), 0).name());

            newOrder(alice, 1, Side.SELL, PRICE, 3 * LOT);
            final Message accepted = alice.await("ExecutionReport");
            assertEquals("NEW", accepted.text("execType"), accepted.toString());
            assertEquals(1, accepted.number("seqNo"));
            assertEquals(1, accepted.number("clientOrderId"));
            assertEquals(3 * LOT, accepted.number("leavesQty"));
            final long orderId = accepted.number("orderId");
            assertEquals("RESTED", alice.await("ExecutionReport").text("execType"));

            newOrder(bob, 7, Side.BUY, PRICE, LOT);
            final Message bobNew = bob.await("ExecutionReport");
            assertEquals("NEW", bobNew.text("execType"));
            final Message bobFill = bob.await("ExecutionReport");
            assertEquals("FILL", bobFill.text("execType"), bobFill.toString());
            assertEquals("TAKER", bobFill.text("liquidity"));
            assertEquals(LOT, bobFill.number("lastQty"));
            assertEquals(PRICE, bobFill.number("lastPx"));
            assertEquals(7, bobFill.number("clientOrderId"));

            final Message makerFill = alice.await("ExecutionReport");
            assertEquals("PARTIAL_FILL", makerFill.text("execType"), makerFill.toString());
            assertEquals("MAKER", makerFill.text("liquidity"));
            assertEquals(2 * LOT, makerFill.number("leavesQty"));
            assertEquals(1, makerFill.number("clientOrderId"));
            assertEquals(bobFill.number("tradeId"), makerFill.number("tradeId"));

            alice.send(new CancelReplaceEncoder(), r -> r.marketId(TestExchange.BTC).orderId(0).clientOrderId(1)
                .newPrice(PRICE + 50).newSize(0));
            final Message replaced = alice.await("ExecutionReport");
            assertEquals("REPLACED", replaced.text("execType"), replaced.toString());
            assertEquals(PRICE + 50, replaced.number("price"));
            assertEquals(orderId, replaced.number("orderId"));
            // A price change loses priority: the order re-enters and rests again.
            assertEquals("RESTED", alice.await("ExecutionReport").text("execType"));

            newOrder(alice, 2, Side.SELL, PRICE + 100, LOT);
            assertEquals("NEW", alice.await("ExecutionReport").text("execType"));
            assertEquals("RESTED", alice.await("ExecutionReport").text("execType"));

            alice.send(new CancelOrderEncoder(), c -> c.marketId(TestExchange.BTC).orderId(0).clientOrderId(2));
            final Message cancelled = alice.await("ExecutionReport");
            assertEquals("CANCELLED", cancelled.text("execType"), cancelled.toString());
            assertEquals(2, cancelled.number("clientOrderId"));
            assertEquals(0, cancelled.number("leavesQty"));

            alice.send(new MassCancelEncoder(), m -> m.marketId(0));
            final Message massCancelled = alice.await("ExecutionReport");
            assertEquals("CANCELLED", massCancelled.text("execType"), massCancelled.toString());
            assertEquals(orderId, massCancelled.number("orderId"));
            assertEquals(2 * LOT, massCancelled.number("lastQty"));
        }
    }

    @Test
    void engineRejectsAreExecutionReportsWithTheReason() throws Exception
    {
        try (SbeTestClient alice = alice())
        {
            newOrder(alice, 5, Side.BUY, PRICE + 1, LOT);
            final Message rejected = alice.await("ExecutionReport");
            assertEquals("REJECTED", rejected.text("execType"), rejected.toString());
            assertEquals(5, rejected.number("clientOrderId"));
            assertEquals(io.perpetua.core.sbe.RejectReason.BAD_TICK.value(), rejected.number("rejectReason"));

            alice.send(new CancelOrderEncoder(), c -> c.marketId(TestExchange.BTC).orderId(999_999).clientOrderId(0));
            final Message unknown = alice.await("ExecutionReport");
            assertEquals("REJECTED", unknown.text("execType"));
            assertEquals(io.perpetua.core.sbe.RejectReason.UNKNOWN_ORDER.value(), unknown.number("rejectReason"));
        }
    }

    @Test
    void gatewayChecksAreBusinessRejectsAndSubmitNothing() throws Exception
    {
        try (SbeTestClient alice = alice())
        {
            newOrder(alice, 0, Side.BUY, PRICE, LOT);
            final Message noId = alice.await("BusinessReject");
            assertEquals("INVALID_FIELD", noId.text("code"), noId.toString());
            assertEquals("invalid clientOrderId", noId.text("reason"));

            final byte[] badSide = alice.frame(new NewOrderEncoder(), o -> o.clientOrderId(3).marketId(TestExchange.BTC)
                .side(Side.BUY).orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC)
                .selfTradePrevention(SelfTradePrevention.CANCEL_MAKER).price(PRICE).size(LOT).expiryNs(0));
            badSide[6 + 8 + NewOrderEncoder.sideEncodingOffset()] = 9;
            alice.sendRaw(badSide);
            assertEquals("invalid side", alice.await("BusinessReject").text("reason"));

            alice.send(new CancelOrderEncoder(), c -> c.marketId(TestExchange.BTC).orderId(4).clientOrderId(4));
            assertEquals("INVALID_FIELD", alice.await("BusinessReject").text("code"));

            // Nothing above reached the engine: the account's first report is for the next order.
            newOrder(alice, 8, Side.BUY, PRICE, LOT);
            final Message accepted = alice.await("ExecutionReport");
            assertEquals(1, accepted.number("seqNo"), accepted.toString());
            assertEquals(8, accepted.number("clientOrderId"));
        }
    }

    @Test
    void aReconnectingClientGetsWhatItMissedAndCanAskForRetransmission() throws Exception
    {
        final List<Long> orderIds = new ArrayList<>();
        try (SbeTestClient alice = alice())
        {
            for (int i = 1; i <= 3; i++)
            {
                newOrder(alice, i, Side.BUY, PRICE - 50L * i, LOT);
                orderIds.add(alice.await("ExecutionReport").number("orderId"));
                alice.await("ExecutionReport");
            }
        }
        try (SbeTestClient again = new SbeTestClient(exchange.gateway.sbePort()))
        {
            final Message ack = again.establish("alice-key", ALICE_SECRET, nonce(), 4);
            assertEquals(7, ack.number("nextSeqNo"), ack.toString());
            final Message missed = again.read();
            assertEquals(4, missed.number("seqNo"), missed.toString());
            assertEquals("RESTED", missed.text("execType"));
            assertEquals(orderIds.get(1), missed.number("orderId"));
            assertEquals(5, again.read().number("seqNo"));
            assertEquals(6, again.read().number("seqNo"));

            again.send(new RetransmitRequestEncoder(), r -> r.fromSeqNo(1).count(2));
            final Message header = again.read();
            assertEquals("Retransmission", header.name(), header.toString());
            assertEquals(2, header.number("count"));
            final Message first = again.read();
            assertEquals(1, first.number("seqNo"));
            assertEquals("NEW", first.text("execType"));
            assertEquals(orderIds.get(0), first.number("orderId"));
            assertEquals(2, again.read().number("seqNo"));

            again.send(new RetransmitRequestEncoder(), r -> r.fromSeqNo(6).count(10));
            assertEquals(1, again.read().number("count"));
            assertEquals(6, again.read().number("seqNo"));

            newOrder(again, 9, Side.BUY, PRICE - 500, LOT);
            assertEquals(7, again.await("ExecutionReport").number("seqNo"));
        }
    }
}
