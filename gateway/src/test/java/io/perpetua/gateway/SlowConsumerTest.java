package io.perpetua.gateway;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.sbe.Side;
import io.perpetua.gateway.indexer.PublicFeed;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A market-data subscriber that stops reading is disconnected once its outbound buffer is full,
 * while a subscriber that reads receives every delta; the close carries status 1008 and a reason.
 */
class SlowConsumerTest
{
    private static final int LIMIT = 1024 * 1024;
    /**
     * Each command adds a level, so each is one delta of about 150 bytes: 9 MB in all, more than the
     * limit plus what the kernel's socket buffers can hold (Linux autotunes a send buffer up to 4 MB).
     * The orders come from 100 accounts, 600 each: within the engine's open-order limit per account.
     */
    private static final int COMMANDS = 60_000;

    @TempDir
    Path journal;

    @Test
    void aSubscriberThatStopsReadingIsClosedOthersGetEverything() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal, null, new Pipeline.Context().ringSize(),
            config -> config.outboundLimitBytes(LIMIT));
            Socket slow = new Socket();
            WsClient reader = new WsClient("ws://127.0.0.1:" + exchange.gateway.port() + Gateway.FEED_PATH))
        {
            slow.setReceiveBufferSize(4096);
            slow.setSoTimeout(30_000);
            slow.connect(new InetSocketAddress("127.0.0.1", exchange.gateway.port()));
            final InputStream in = slow.getInputStream();
            final OutputStream out = slow.getOutputStream();
            out.write(("GET " + Gateway.FEED_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            assertTrue(readHeaders(in).startsWith("HTTP/1.1 101"));
            final DataInputStream frames = new DataInputStream(in);
            assertTrue(readFrame(frames).contains("\"connected\""));
            sendText(out, "{\"type\":\"subscribe\",\"channel\":\"v4_orderbook\",\"id\":\"BTC-USD\"}");
            assertTrue(readFrame(frames).contains("\"subscribed\""));
            reader.next("connected");
            reader.send("{\"type\":\"subscribe\",\"channel\":\"v4_orderbook\",\"id\":\"BTC-USD\"}");
            reader.next("subscribed");

            // The slow client now stops reading while every command changes the book.
            final CountDownLatch applied = new CountDownLatch(COMMANDS);
            final UnsafeBuffer command = new UnsafeBuffer(new byte[128]);
            final CommandEncoder encoder = new CommandEncoder();
            for (int i = 0; i < COMMANDS; i++)
            {
                final int length = encoder.limitOrder(command, 0, 1 + i % 100, TestExchange.BTC, i + 1, Side.BUY,
                    5_900_000 + (i % 1_000) * 50, 100_000);
                PublishResult result;
                while ((result = exchange.pipeline.tryPublish(command, 0, length,
                    (id, sequence, events, offset, eventsLength) -> applied.countDown(), i)) == PublishResult.BUSY)
                {
                    Thread.yield();
                }
                assertEquals(PublishResult.PUBLISHED, result);
            }
            assertTrue(applied.await(120, TimeUnit.SECONDS), "the engine applied every command");
            for (int i = 0; i < COMMANDS; i++)
            {
                assertEquals("channel_data", reader.next().get("type").asText(), "the reading subscriber gets every delta");
            }

            int deltas = 0;
            String end = "EOF";
            try
            {
                while (true)
                {
                    final String frame = readFrame(frames);
                    if (frame.startsWith("close "))
                    {
                        end = frame;
                        break;
                    }
                    deltas++;
                }
            }
            catch (final EOFException | java.net.SocketException ex)
            {
                // The server cut the connection after the close frame's grace period.
                end = "EOF";
            }
            System.out.println("slow subscriber: " + deltas + " of " + COMMANDS + " deltas, then " + end);
            assertTrue(deltas < COMMANDS, "the slow subscriber was cut off after " + deltas + " of " + COMMANDS + " deltas");
            assertTrue(end.equals("EOF") || end.startsWith("close 1008"), end);
        }
    }

    /**
     * Whether the slow client above still reads the close frame depends on how soon it drains its
     * buffers; here the feed's connections are embedded channels, so the close frame itself is seen.
     * A connection whose outbound buffer is full (not writable) at the next delta loses its
     * subscriptions and gets close 1008 with the reason; a writable one gets the delta and later ones.
     */
    @Test
    void aFullConnectionIsClosedWithTheReasonAndLosesItsSubscriptions() throws Exception
    {
        try (TestExchange exchange = new TestExchange(journal))
        {
            final PublicFeed feed = new PublicFeed(exchange.gateway.marketData());
            final EmbeddedChannel slow = subscribed(feed);
            final EmbeddedChannel reader = subscribed(feed);
            slow.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
            assertFalse(slow.isWritable());

            exchange.awaitMarketData(rest(exchange, 5_900_000));
            slow.runPendingTasks();
            reader.runPendingTasks();
            final CloseWebSocketFrame close = slow.readOutbound();
            assertEquals(1008, close.statusCode());
            assertEquals("slow consumer: outbound buffer full", close.reasonText());
            close.release();
            assertFalse(slow.isOpen(), "closed once the close frame is written");
            assertTrue(text(reader).contains("\"channel_data\""), "the writable subscriber got the delta");

            exchange.awaitMarketData(rest(exchange, 5_899_950));
            slow.runPendingTasks();
            reader.runPendingTasks();
            assertNull(slow.readOutbound(), "nothing more for the closed subscriber");
            assertTrue(text(reader).contains("\"channel_data\""), "the writable subscriber keeps receiving");
            assertNull(reader.readOutbound());
        }
    }

    /** An embedded connection of the feed subscribed to the BTC-USD book, its greeting and snapshot read. */
    private static EmbeddedChannel subscribed(final PublicFeed feed)
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        feed.onOpen(channel);
        assertTrue(text(channel).contains("\"connected\""));
        feed.onText(channel, "{\"type\":\"subscribe\",\"channel\":\"v4_orderbook\",\"id\":\"BTC-USD\"}");
        channel.runPendingTasks();
        assertTrue(text(channel).contains("\"subscribed\""));
        return channel;
    }

    private static String text(final EmbeddedChannel channel)
    {
        final TextWebSocketFrame frame = channel.readOutbound();
        assertNotNull(frame, "a message was sent");
        try
        {
            return frame.text();
        }
        finally
        {
            frame.release();
        }
    }

    private static long rest(final TestExchange exchange, final long price) throws Exception
    {
        return exchange.submit(exchange.encoder().limitOrder(exchange.buffer(), 0, 1, TestExchange.BTC, 0, Side.BUY,
            price, 100_000)).sequence();
    }

    private static String readHeaders(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream headers = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection closed during the handshake");
            }
            headers.write(b);
            matched = (b == '\r' || b == '\n') && (matched % 2 == 0) == (b == '\r') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return headers.toString(StandardCharsets.US_ASCII);
    }

    /** One unmasked server frame: its text, or "close STATUS reason". */
    private static String readFrame(final DataInputStream in) throws IOException
    {
        final int first = in.readUnsignedByte();
        long length = in.readUnsignedByte() & 0x7f;
        if (length == 126)
        {
            length = in.readUnsignedShort();
        }
        else if (length == 127)
        {
            length = in.readLong();
        }
        final byte[] payload = new byte[(int)length];
        in.readFully(payload);
        if ((first & 0x0f) == 0x8)
        {
            final int status = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 0;
            return "close " + status + " " + new String(payload, 2, Math.max(0, payload.length - 2), StandardCharsets.UTF_8);
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** A masked (as clients must) text frame; the zero mask leaves the payload as it is. */
    private static void sendText(final OutputStream out, final String text) throws IOException
    {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.write(new byte[] {(byte)0x81, (byte)(0x80 | payload.length), 0, 0, 0, 0});
        out.write(payload);
        out.flush();
    }
}
