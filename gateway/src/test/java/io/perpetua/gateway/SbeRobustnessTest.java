package io.perpetua.gateway;

import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.gateway.SbeTestClient.Message;
import io.perpetua.gateway.sbe.SbeServer;
import io.perpetua.gateway.sbe.codec.HeartbeatEncoder;
import io.perpetua.gateway.sbe.codec.NewOrderEncoder;
import io.perpetua.gateway.sbe.codec.OrderType;
import io.perpetua.gateway.sbe.codec.RetransmitRequestEncoder;
import io.perpetua.gateway.sbe.codec.SelfTradePrevention;
import io.perpetua.gateway.sbe.codec.Side;
import io.perpetua.gateway.sbe.codec.TimeInForce;
import io.perpetua.gateway.trading.LoginVerifier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.perpetua.gateway.SbeOrderEntryTest.ALICE_SECRET;
import static io.perpetua.gateway.SbeOrderEntryTest.LOT;
import static io.perpetua.gateway.SbeOrderEntryTest.PRICE;
import static io.perpetua.gateway.SbeOrderEntryTest.newOrder;
import static io.perpetua.gateway.SbeOrderEntryTest.nonce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad bytes and bad clients on the SBE port: each gets a Terminate with a specific code and is
 * closed, while an established session of the same account keeps working and nothing of theirs
 * reaches the engine.
 */
class SbeRobustnessTest
{
    @TempDir
    Path journal;

    private TestExchange exchange;

    private void start(final int ringSize, final int outboundLimitBytes) throws Exception
    {
        exchange = new TestExchange(journal, SbeOrderEntryTest.keys(), ringSize,
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

    private SbeTestClient established() throws IOException
    {
        final SbeTestClient client = new SbeTestClient(exchange.gateway.sbePort());
        assertEquals("EstablishAck", client.establish("alice-key", ALICE_SECRET, nonce(), 0).name());
        return client;
    }

    private SbeTestClient connect() throws IOException
    {
        return new SbeTestClient(exchange.gateway.sbePort());
    }

    /** The server answers with Terminate(code) and closes the connection. */
    private static void assertTerminated(final SbeTestClient client, final String code) throws IOException
    {
        final Message terminate = client.read();
        assertEquals("Terminate", terminate.name(), terminate.toString());
        assertEquals(code, terminate.text("code"), terminate.toString());
        assertTrue(client.closedByServer(30_000), "connection still open after " + terminate);
    }

    private static byte[] order(final SbeTestClient client, final long clientOrderId)
    {
        return client.frame(new NewOrderEncoder(), o -> o.clientOrderId(clientOrderId).marketId(TestExchange.BTC)
            .side(Side.BUY).orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC)
            .selfTradePrevention(SelfTradePrevention.CANCEL_MAKER).price(PRICE).size(LOT).expiryNs(0));
    }

    @Test
    void badFramesAndBadLoginsEndOnlyTheirOwnSession() throws Exception
    {
        start(1024, 64 * 1024);
        try (SbeTestClient good = established())
        {
            try (SbeTestClient wrongEncoding = connect())
            {
                final byte[] frame = order(wrongEncoding, 100);
                frame[4] = (byte)0x5B;
                wrongEncoding.sendRaw(frame);
                assertTerminated(wrongEncoding, "WRONG_ENCODING_TYPE");
            }
            try (SbeTestClient oversize = connect())
            {
                oversize.sendRaw(new byte[] {0, 1, 0, 0, (byte)0xEB, 0x50});
                assertTerminated(oversize, "BAD_LENGTH");
            }
            try (SbeTestClient tooShort = connect())
            {
                tooShort.sendRaw(new byte[] {0, 0, 0, 7, (byte)0xEB, 0x50, 0});
                assertTerminated(tooShort, "BAD_LENGTH");
            }
            try (SbeTestClient beforeEstablish = connect())
            {
                beforeEstablish.sendRaw(order(beforeEstablish, 101));
                assertTerminated(beforeEstablish, "NOT_ESTABLISHED");
            }
            try (SbeTestClient badHmac = connect())
            {
                final long now = System.currentTimeMillis();
                final Message answer = badHmac.establish("alice-key", now, nonce(),
                    LoginVerifier.signRequest("not-alice-secret-0123".getBytes(), "alice-key", now, "x", SbeServer.SIGNED_CONTEXT), 0);
                assertEquals("BAD_SIGNATURE", answer.text("code"), answer.toString());
                assertTrue(badHmac.closedByServer(30_000));
            }
            try (SbeTestClient wsSignature = connect())
            {
                // A signature of the JSON login (no SBE context) must not open an SBE session.
                final long now = System.currentTimeMillis();
                final String nonce = nonce();
                final Message answer = wsSignature.establish("alice-key", now, nonce,
                    LoginVerifier.sign(ALICE_SECRET, "alice-key", now, nonce), 0);
                assertEquals("BAD_SIGNATURE", answer.text("code"), answer.toString());
            }
            final long now = System.currentTimeMillis();
            final String nonce = nonce();
            final String signature = LoginVerifier.signRequest(ALICE_SECRET, "alice-key", now, nonce, SbeServer.SIGNED_CONTEXT);
            try (SbeTestClient first = connect(); SbeTestClient replay = connect())
            {
                assertEquals("EstablishAck", first.establish("alice-key", now, nonce, signature, 0).name());
                final Message answer = replay.establish("alice-key", now, nonce, signature, 0);
                assertEquals("REPLAYED_NONCE", answer.text("code"), answer.toString());
            }
            try (SbeTestClient stale = connect())
            {
                final long old = System.currentTimeMillis() - 10 * LoginVerifier.WINDOW_MS;
                final String staleNonce = nonce();
                final Message answer = stale.establish("alice-key", old, staleNonce,
                    LoginVerifier.signRequest(ALICE_SECRET, "alice-key", old, staleNonce, SbeServer.SIGNED_CONTEXT), 0);
                assertEquals("STALE_TIMESTAMP", answer.text("code"), answer.toString());
            }
            try (SbeTestClient oracle = connect())
            {
                // An ORACLE key authenticates but may not trade.
                final long at = System.currentTimeMillis();
                final String oracleNonce = nonce();
                final Message answer = oracle.establish("oracle-key-1", at, oracleNonce, LoginVerifier.signRequest(
                    SbeOrderEntryTest.ORACLE_SECRET, "oracle-key-1", at, oracleNonce, SbeServer.SIGNED_CONTEXT), 0);
                assertEquals("INVALID_FIELD", answer.text("code"), answer.toString());
                assertTrue(answer.text("reason").contains("ORACLE"), answer.toString());
                assertTrue(oracle.closedByServer(30_000));
            }
            try (SbeTestClient badBlock = established())
            {
                final byte[] frame = order(badBlock, 102);
                frame[6] = 4; // block length 4: shorter than NewOrder's
                badBlock.sendRaw(frame);
                assertTerminated(badBlock, "BAD_BLOCK_LENGTH");
            }
            try (SbeTestClient truncated = established())
            {
                final byte[] frame = order(truncated, 103);
                truncated.sendRaw(java.util.Arrays.copyOf(frame, frame.length - 5));
                truncated.socket.shutdownOutput();
                assertTrue(truncated.closedByServer(30_000));
            }
            try (SbeTestClient unknownTemplate = established())
            {
                final byte[] frame = order(unknownTemplate, 104);
                frame[8] = 99;
                unknownTemplate.sendRaw(frame);
                assertTerminated(unknownTemplate, "UNKNOWN_TEMPLATE");
            }

            // The good session still works, and none of the bad ones' orders (same account) got in.
            newOrder(good, 1, Side.BUY, PRICE, LOT);
            final Message accepted = good.await("ExecutionReport");
            assertEquals(1, accepted.number("seqNo"), accepted.toString());
            assertEquals(1, accepted.number("clientOrderId"));
        }
    }

    @Test
    void garbageIsTerminatedWithAReason() throws Exception
    {
        start(1024, 64 * 1024);
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final Set<String> codes = Set.of("WRONG_ENCODING_TYPE", "BAD_LENGTH", "UNKNOWN_SCHEMA", "UNKNOWN_TEMPLATE",
            "BAD_BLOCK_LENGTH", "NOT_ESTABLISHED");
        try (SbeTestClient good = established())
        {
            for (int i = 0; i < 20; i++)
            {
                try (SbeTestClient garbage = connect())
                {
                    final byte[] bytes = new byte[64 + random.nextInt(512)];
                    random.nextBytes(bytes);
                    if (random.nextBoolean())
                    {
                        // A valid framing header over random content.
                        bytes[0] = 0;
                        bytes[1] = 0;
                        bytes[2] = 0;
                        bytes[3] = 40;
                        bytes[4] = (byte)0xEB;
                        bytes[5] = 0x50;
                    }
                    garbage.sendRaw(bytes);
                    final Message terminate = garbage.read();
                    assertEquals("Terminate", terminate.name(), "seed " + seed + ": " + terminate);
                    assertTrue(codes.contains(terminate.text("code")), "seed " + seed + ": " + terminate);
                }
            }
            good.send(new HeartbeatEncoder(), h -> h.nextSeqNo(0));
            newOrder(good, 1, Side.BUY, PRICE, LOT);
            assertEquals(1, good.await("ExecutionReport").number("seqNo"), "seed " + seed);
        }
    }

    @Test
    void aFullRingIsABusyRejectAndTheConnectionStaysUsable() throws Exception
    {
        start(16, 64 * 1024);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch holding = new CountDownLatch(1);
        final UnsafeBuffer heartbeat = new UnsafeBuffer(new byte[64]);
        final int length = exchange.encoder().heartbeat(heartbeat, 0);
        try (SbeTestClient alice = established())
        {
            // A listener that waits holds the core thread, so the ring fills up behind it.
            assertEquals(PublishResult.PUBLISHED, exchange.pipeline.tryPublish(heartbeat, 0, length, (id, seq, b, o, l) ->
            {
                holding.countDown();
                try
                {
                    release.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, 0));
            assertTrue(holding.await(30, TimeUnit.SECONDS));
            while (exchange.pipeline.tryPublish(heartbeat, 0, length, (id, seq, b, o, l) -> { }, 0) == PublishResult.PUBLISHED)
            {
                Thread.onSpinWait();
            }
            newOrder(alice, 1, Side.BUY, PRICE, LOT);
            final Message busy = alice.await("BusinessReject");
            assertEquals("BUSY", busy.text("code"), busy.toString());
            assertEquals(1, busy.number("clientOrderId"));
            release.countDown();
            long clientOrderId = 2;
            while (true)
            {
                newOrder(alice, clientOrderId, Side.BUY, PRICE, LOT);
                final Message answer = alice.read();
                if (answer.name().equals("ExecutionReport"))
                {
                    assertEquals("NEW", answer.text("execType"), answer.toString());
                    assertEquals(clientOrderId, answer.number("clientOrderId"));
                    break;
                }
                assertEquals("BUSY", answer.text("code"), answer.toString());
                clientOrderId++;
            }
        }
        finally
        {
            release.countDown();
        }
    }

    @Test
    void aClientThatDoesNotReadIsTerminatedAsASlowConsumer() throws Exception
    {
        start(1024, 1024);
        try (SbeTestClient alice = established())
        {
            for (int i = 1; i <= 20; i++)
            {
                newOrder(alice, i, Side.BUY, PRICE - 50L * i, LOT);
                alice.await("ExecutionReport");
                alice.await("ExecutionReport");
            }
            try (SbeTestClient slow = new SbeTestClient(exchange.gateway.sbePort(), 4096))
            {
                assertEquals("EstablishAck", slow.establish("alice-key", ALICE_SECRET, nonce(), 0).name());
                // Each request asks for 40 reports (about 4.6 KB); the client reads none of them until the
                // server has given up on it.
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (exchange.gateway.sbe().slowConsumersTerminated() == 0)
                {
                    assertTrue(System.nanoTime() < deadline, "not terminated as a slow consumer within 60 s");
                    slow.send(new RetransmitRequestEncoder(), r -> r.fromSeqNo(1).count(40));
                }
                // Whatever was buffered before the Terminate may or may not be read before the server's
                // close grace ends; either way the connection ends, and a Terminate read says why.
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
                    // closed by the server after its grace period
                }
                assertTrue(slow.closedByServer(30_000));
            }
            newOrder(alice, 100, Side.BUY, PRICE - 5_000, LOT);
            assertEquals(100, alice.await("ExecutionReport").number("clientOrderId"));
        }
    }
}
