package io.perpetua.gateway;

import io.perpetua.core.sbe.Side;
import io.perpetua.gateway.SbeTestClient.Message;
import io.perpetua.gateway.sbe.codec.RetransmitRequestEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.perpetua.gateway.SbeOrderEntryTest.ALICE;
import static io.perpetua.gateway.SbeOrderEntryTest.ALICE_SECRET;
import static io.perpetua.gateway.SbeOrderEntryTest.BOB;
import static io.perpetua.gateway.SbeOrderEntryTest.LOT;
import static io.perpetua.gateway.SbeOrderEntryTest.PRICE;
import static io.perpetua.gateway.SbeOrderEntryTest.nonce;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Execution reports beyond the gateway's in-memory window: a reconnecting session or a
 * RetransmitRequest gets them re-derived from the events journal, byte for byte as they were sent
 * live, while memory stays at the window; without journal replay such a request is rejected.
 */
class SbeReportReplayTest
{
    private static final int WINDOW = 8;
    private static final int INDEX_INTERVAL = 4;
    /** Client order id of the order that marks the end of a batch of activity. */
    private static final long MARKER = 999_000;

    @TempDir
    Path journal;

    private TestExchange exchange;
    private long markers;

    private void start(final boolean journalReplay) throws Exception
    {
        exchange = new TestExchange(journal, SbeOrderEntryTest.keys(), 1024, config -> config
            .sbe(new InetSocketAddress("127.0.0.1", 0))
            .sbeReports(WINDOW, INDEX_INTERVAL, journalReplay));
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

    private SbeTestClient connect(final long nextExpectedSeqNo, final long expectedNextSeqNo) throws IOException
    {
        final SbeTestClient client = new SbeTestClient(exchange.gateway.sbePort());
        final Message ack = client.establish("alice-key", ALICE_SECRET, nonce(), nextExpectedSeqNo);
        assertEquals("EstablishAck", ack.name(), ack.toString());
        assertEquals(expectedNextSeqNo, ack.number("nextSeqNo"), ack.toString());
        return client;
    }

    private void limit(final long accountId, final long clientOrderId, final Side side, final long price, final long size)
        throws Exception
    {
        exchange.submit(exchange.encoder().limitOrder(exchange.buffer(), 0, accountId, TestExchange.BTC, clientOrderId, side,
            price, size));
    }

    /**
     * Alice's activity with every kind of report: orders resting, amended, cancelled, rejected, and a
     * sell accepted first that Bob fills piece by piece, so late fill reports name an order accepted
     * many checkpoints earlier.
     */
    private void activity(final int rounds, final boolean longLivedOrder) throws Exception
    {
        if (longLivedOrder)
        {
            limit(ALICE, 1, Side.SELL, PRICE + 500, 10_000 * LOT);
        }
        for (int r = 0; r < rounds; r++)
        {
            final long clientOrderId = 100 + r;
            final long price = PRICE - 50L * (r % 20 + 1);
            limit(ALICE, clientOrderId, Side.BUY, price, LOT);
            if (r % 3 == 0)
            {
                exchange.submit(exchange.encoder().amendOrder(exchange.buffer(), 0, ALICE, TestExchange.BTC, 0, clientOrderId,
                    price - 50, 0, 0));
            }
            if (r % 2 == 1)
            {
                exchange.submit(exchange.encoder().cancelOrder(exchange.buffer(), 0, ALICE, TestExchange.BTC, 0,
                    clientOrderId));
            }
            if (longLivedOrder && r % 4 == 0)
            {
                limit(BOB, 5_000 + r, Side.BUY, PRICE + 500, LOT);
            }
            if (r % 7 == 0)
            {
                exchange.submit(exchange.encoder().cancelOrder(exchange.buffer(), 0, ALICE, TestExchange.BTC, 999_999, 0));
            }
            if (r % 50 == 49)
            {
                exchange.submit(exchange.encoder().cancelAll(exchange.buffer(), 0, ALICE, TestExchange.BTC));
                if (longLivedOrder)
                {
                    limit(ALICE, 1, Side.SELL, PRICE + 500, 10_000 * LOT);
                }
            }
        }
        limit(ALICE, MARKER + ++markers, Side.BUY, PRICE - 5_000, LOT);
    }

    /** Reads the watcher's reports up to the last marker's RESTED, checking their numbering. */
    private void collect(final SbeTestClient watcher, final List<byte[]> live) throws IOException
    {
        collect(watcher, live, "RESTED");
    }

    /** Reads the watcher's reports up to the last marker's report of {@code execType}, checking their numbering. */
    private void collect(final SbeTestClient watcher, final List<byte[]> live, final String execType) throws IOException
    {
        while (true)
        {
            final byte[] frame = watcher.readFrame();
            final Message report = SbeTestClient.decode(frame);
            assertEquals("ExecutionReport", report.name(), report.toString());
            assertEquals(live.size() + 1, report.number("seqNo"), report.toString());
            live.add(frame);
            if (report.number("clientOrderId") == MARKER + markers && report.text("execType").equals(execType))
            {
                return;
            }
        }
    }

    /** Reads the reports {@code from .. live.size()} and checks they are the live ones, byte for byte. */
    private static void expectReports(final SbeTestClient client, final long from, final List<byte[]> live)
        throws IOException
    {
        for (long seqNo = from; seqNo <= live.size(); seqNo++)
        {
            final byte[] frame = client.readFrame();
            assertArrayEquals(live.get((int)seqNo - 1), frame, "report " + seqNo + ": " + SbeTestClient.decode(frame) +
                " instead of " + SbeTestClient.decode(live.get((int)seqNo - 1)));
        }
    }

    /** Proves nothing more was queued for the client: the next thing it reads answers this request. */
    private static void expectNothingElse(final SbeTestClient client) throws IOException
    {
        client.send(new RetransmitRequestEncoder(), r -> r.fromSeqNo(1).count(1));
        final Message next = client.read();
        assertEquals("Retransmission", next.name(), next.toString());
        client.read();
    }

    private static void retransmit(final SbeTestClient client, final long from, final int count, final List<byte[]> live)
        throws IOException
    {
        client.send(new RetransmitRequestEncoder(), r -> r.fromSeqNo(from).count(count));
        final Message header = client.read();
        assertEquals("Retransmission", header.name(), header.toString());
        assertEquals(from, header.number("fromSeqNo"));
        final long to = Math.min(from + count, live.size() + 1L);
        assertEquals(Math.max(0, to - from), header.number("count"), header.toString());
        for (long seqNo = from; seqNo < to; seqNo++)
        {
            assertArrayEquals(live.get((int)seqNo - 1), client.readFrame(), "retransmitted report " + seqNo);
        }
    }

    @Test
    void aSessionThatMissedMoreThanTheWindowGetsEveryReportByteIdentical() throws Exception
    {
        start(true);
        final List<byte[]> live = new ArrayList<>();
        try (SbeTestClient watcher = connect(0, 1))
        {
            activity(40, true);
            collect(watcher, live);
        }
        final long next = live.size() + 1L;
        assertTrue(next > 10 * WINDOW, "reports: " + live.size());
        final long earliest = next - WINDOW;
        // From the start, at and around the sparse index's entries, across the window's edge, none, the future.
        for (final long from : new long[] {1, INDEX_INTERVAL, INDEX_INTERVAL + 1, INDEX_INTERVAL + 2, 2 * INDEX_INTERVAL,
            earliest - INDEX_INTERVAL, earliest - 1, earliest, next - 1, next, next + 3})
        {
            try (SbeTestClient again = connect(from, next))
            {
                expectReports(again, from, live);
                expectNothingElse(again);
            }
        }
        try (SbeTestClient again = connect(0, next))
        {
            retransmit(again, 1, 1_000, live);
            retransmit(again, INDEX_INTERVAL + 1, INDEX_INTERVAL, live);
            retransmit(again, INDEX_INTERVAL, INDEX_INTERVAL + 1, live);
            retransmit(again, earliest - 2, 5, live);
            retransmit(again, earliest, WINDOW, live);
            retransmit(again, next, 5, live);

            // The replays changed nothing live: the next report is numbered on.
            limit(ALICE, 77, Side.BUY, PRICE - 2_000, LOT);
            final Message report = again.await("ExecutionReport");
            assertEquals(next, report.number("seqNo"), report.toString());
            assertEquals(77, report.number("clientOrderId"));
        }
    }

    /** An order placed and cancelled again: three reports. */
    private void placeAndCancel(final long clientOrderId) throws Exception
    {
        limit(ALICE, clientOrderId, Side.BUY, PRICE - 1_000, LOT);
        exchange.submit(exchange.encoder().cancelOrder(exchange.buffer(), 0, ALICE, TestExchange.BTC, 0, clientOrderId));
    }

    @Test
    void anIndexEntryInsideACommandsReportsReplaysTheWholeCommand() throws Exception
    {
        start(true);
        final List<byte[]> live = new ArrayList<>();
        try (SbeTestClient watcher = connect(0, 1))
        {
            limit(ALICE, 1, Side.SELL, PRICE + 500, LOT); // reports 1, 2
            for (int i = 0; i < 5; i++)
            {
                placeAndCancel(10 + i); // reports 3 .. 17
            }
            limit(ALICE, 2, Side.SELL, PRICE + 500, LOT); // reports 18, 19
            // One command fills both: report 20 ends the order defined first, report 21 (an index entry,
            // 21 = 5 * 4 + 1) is the other's; a replay from 21 must know the first to number from 20.
            limit(BOB, 1, Side.BUY, PRICE + 500, 2 * LOT);
            for (int i = 0; i < 5; i++)
            {
                placeAndCancel(20 + i);
            }
            limit(ALICE, MARKER + ++markers, Side.BUY, PRICE - 5_000, LOT);
            collect(watcher, live);
        }
        final Message first = SbeTestClient.decode(live.get(19));
        final Message second = SbeTestClient.decode(live.get(20));
        assertEquals("FILL", first.text("execType"), first.toString());
        assertEquals(1, first.number("clientOrderId"), first.toString());
        assertEquals("FILL", second.text("execType"), second.toString());
        assertEquals(2, second.number("clientOrderId"), second.toString());
        assertEquals(first.number("engineSequence"), second.number("engineSequence"));
        assertTrue(21 < live.size() + 1 - WINDOW, "report 21 is outside the window: " + live.size());
        for (final long from : new long[] {20, 21, 22})
        {
            try (SbeTestClient again = connect(from, live.size() + 1L))
            {
                expectReports(again, from, live);
                expectNothingElse(again);
            }
        }
    }

    @Test
    void thousandsOfReportsKeepOnlyTheWindowInMemoryAndAllCanBeReplayed() throws Exception
    {
        start(true);
        final List<byte[]> live = new ArrayList<>();
        try (SbeTestClient watcher = connect(0, 1))
        {
            for (int batch = 0; batch < 5; batch++)
            {
                activity(200, true);
                collect(watcher, live);
                assertEquals(WINDOW, exchange.gateway.sbe().retainedReports(ALICE));
                assertEquals(WINDOW, exchange.gateway.sbe().reportRingFrames(ALICE));
            }
            // Alice cancels everything; a last order, cancelled too, marks the end.
            exchange.submit(exchange.encoder().cancelAll(exchange.buffer(), 0, ALICE, TestExchange.BTC));
            limit(ALICE, MARKER + ++markers, Side.BUY, PRICE - 5_000, LOT);
            exchange.submit(exchange.encoder().cancelOrder(exchange.buffer(), 0, ALICE, TestExchange.BTC, 0, MARKER + markers));
            collect(watcher, live, "CANCELLED");
        }
        assertTrue(live.size() > 3_000, "reports: " + live.size());
        assertEquals(WINDOW, exchange.gateway.sbe().retainedReports(ALICE));
        assertEquals(WINDOW, exchange.gateway.sbe().reportRingFrames(ALICE));
        assertEquals(WINDOW, exchange.gateway.sbe().reportRingFrames(BOB));
        // Bob's orders were all filled and Alice cancelled hers (the tailer has read it all: the watcher got the
        // last report): no ended order is kept.
        assertEquals(0, exchange.gateway.sbe().trackedOpenOrders());

        try (SbeTestClient again = connect(1, live.size() + 1L))
        {
            expectReports(again, 1, live);
            expectNothingElse(again);
            assertEquals(WINDOW, exchange.gateway.sbe().retainedReports(ALICE));
        }
    }

    @Test
    void withoutJournalReplayAnOldRequestIsRejectedWithTheEarliestKeptReport() throws Exception
    {
        start(false);
        final List<byte[]> live = new ArrayList<>();
        try (SbeTestClient watcher = connect(0, 1))
        {
            activity(10, false);
            collect(watcher, live);
        }
        final long next = live.size() + 1L;
        final long earliest = next - WINDOW;
        try (SbeTestClient again = connect(earliest - 1, next))
        {
            final Message reject = again.read();
            assertEquals("RetransmitReject", reject.name(), reject.toString());
            assertEquals(1, reject.number("refTemplateId"));
            assertEquals(earliest - 1, reject.number("fromSeqNo"));
            assertEquals("OUTSIDE_WINDOW", reject.text("code"));
            assertEquals(earliest, reject.number("earliestSeqNo"));
            assertEquals(next, reject.number("nextSeqNo"));
            // The kept reports follow, then the session is live.
            expectReports(again, earliest, live);

            again.send(new RetransmitRequestEncoder(), r -> r.fromSeqNo(1).count(3));
            final Message old = again.read();
            assertEquals("RetransmitReject", old.name(), old.toString());
            assertEquals(5, old.number("refTemplateId"));
            assertEquals(1, old.number("fromSeqNo"));
            assertEquals("OUTSIDE_WINDOW", old.text("code"));
            assertEquals(earliest, old.number("earliestSeqNo"));

            // Straddling the window's edge is refused too; inside it is served.
            again.send(new RetransmitRequestEncoder(), r -> r.fromSeqNo(earliest - 1).count(2));
            assertEquals("RetransmitReject", again.read().name());
            retransmit(again, earliest, WINDOW, live);

            limit(ALICE, 77, Side.BUY, PRICE - 2_000, LOT);
            for (final String execType : new String[] {"NEW", "RESTED"})
            {
                final byte[] frame = again.readFrame();
                final Message report = SbeTestClient.decode(frame);
                assertEquals(live.size() + 1, report.number("seqNo"), report.toString());
                assertEquals(execType, report.text("execType"), report.toString());
                live.add(frame);
            }
        }
        // Exactly at the window's edge: served from memory.
        final long edge = live.size() + 1L - WINDOW;
        try (SbeTestClient inWindow = connect(edge, live.size() + 1L))
        {
            expectReports(inWindow, edge, live);
            retransmit(inWindow, edge, 1, live);
        }
    }
}
