package io.perpetua.core.pipeline;

import io.perpetua.core.book.OrderBook;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.engine.OrderRequest;
import io.perpetua.core.engine.RiskGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.Side;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineTest
{
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    private final TestCommands encoder = new TestCommands();

    private int addMarket()
    {
        return encoder.addMarket(1, "BTC-USD", 50, 100_000, 4, 100_000, 1_000_000_000, 0, 100_000, -100, 500, 6_000_000);
    }

    /**
     * The durability rule with batch documents: the sequencer's clock holds the sequencer on the
     * first command until all 201 are in the ring, so the rest reach it as one ring batch and are
     * journaled as one document; no result may arrive before the document holding its command is
     * readable in the commands journal.
     */
    @ParameterizedTest(name = "single stage: {0}")
    @ValueSource(booleans = {false, true})
    void resultsArriveOnTheCoreThreadOnlyAfterTheCommandIsJournaled(final boolean singleStage) throws InterruptedException
    {
        final CountDownLatch allPublished = new CountDownLatch(1);
        final SteppingClock stepping = new SteppingClock(0, 1_000);
        final org.agrona.concurrent.EpochNanoClock gatedClock = () ->
        {
            awaitUninterruptibly(allPublished);
            return stepping.nanoTime();
        };
        final AtomicReference<String> violation = new AtomicReference<>();
        final ResultCollector collector = new ResultCollector();
        try (Journal observer = Journal.open(new JournalLayout(dir).commandsDir()))
        {
            final ResultListener checking = (correlationId, sequence, events, offset, length) ->
            {
                final long journaled = observer.lastSequence();
                if (journaled < sequence)
                {
                    violation.compareAndSet(null, "result for sequence " + sequence + " before it was journaled (" + journaled + ")");
                }
                collector.onResult(correlationId, sequence, events, offset, length);
            };
            try (Pipeline pipeline = Pipeline.start(
                new Pipeline.Context().journalDir(dir).singleStage(singleStage).clock(gatedClock)))
            {
                publishMarketAndOrders(pipeline, checking, 200);
                allPublished.countDown();
                collector.await(201, TIMEOUT_SECONDS);
            }
        }
        assertNull(violation.get());
        final java.util.Set<Long> documents = new java.util.HashSet<>();
        try (Journal commands = Journal.open(new JournalLayout(dir).commandsDir()); JournalReader reader = commands.reader())
        {
            while (reader.next())
            {
                documents.add(reader.index());
            }
        }
        // The sequencer may have seen only the first command, or already more, when its clock held it.
        assertTrue(documents.size() <= 2, "201 commands in one or two ring batches, journaled as " + documents.size() + " documents");
        for (long i = 0; i <= 200; i++)
        {
            final ResultCollector.Result result = collector.get(i);
            assertEquals(i + 1, result.sequence(), "sequences follow publication order from one thread");
            assertEquals("perpetua-core", result.thread());
        }
        assertEquals(MarketConfiguredDecoder.TEMPLATE_ID, firstTemplateId(collector.get(0).events()));
        assertEquals(OrderAcceptedDecoder.TEMPLATE_ID, firstTemplateId(collector.get(1).events()));

        // The events journal holds exactly the delivered events, in sequence order.
        try (Journal events = Journal.open(new JournalLayout(dir).eventsDir());
            JournalReader reader = events.reader())
        {
            for (long i = 0; i <= 200; i++)
            {
                assertTrue(reader.next());
                final byte[] journaled = new byte[reader.length()];
                reader.buffer().getBytes(0, journaled);
                assertArrayEquals(collector.get(i).events(), journaled, "events of correlation " + i);
            }
        }
    }

    @Test
    void malformedBytesAreRejectedAtOnceAndNotJournaled()
    {
        final ResultCollector collector = new ResultCollector();
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Context().journalDir(dir)))
        {
            final UnsafeBuffer garbage = new UnsafeBuffer(new byte[64]);
            garbage.setMemory(0, 64, (byte)0x5A);
            final List<Integer> lengths = List.of(0, 3, 8, 40, 64);
            long correlation = 100;
            for (final int length : lengths)
            {
                assertEquals(PublishResult.MALFORMED, pipeline.tryPublish(garbage, 0, length, collector, correlation++));
            }
            // A real command cut short, and one with an unknown template id.
            final int length = addMarket();
            assertEquals(PublishResult.MALFORMED, pipeline.tryPublish(encoder.buffer(), 0, length - 4, collector, correlation++));
            final UnsafeBuffer unknown = new UnsafeBuffer(new byte[length]);
            unknown.putBytes(0, encoder.buffer(), 0, length);
            unknown.putShort(2, (short)77);
            assertEquals(PublishResult.MALFORMED, pipeline.tryPublish(unknown, 0, length, collector, correlation++));
            assertEquals(correlation - 100, collector.size(), "answered synchronously");

            // The engine keeps running.
            assertEquals(PublishResult.PUBLISHED, pipeline.tryPublish(encoder.buffer(), 0, length, collector, 1));
            collector.await((int)(correlation - 100) + 1, TIMEOUT_SECONDS);
            assertEquals(1, collector.get(1).sequence());
        }

        final RejectedDecoder rejected = new RejectedDecoder();
        for (long c = 100; c < 107; c++)
        {
            final ResultCollector.Result result = collector.get(c);
            assertEquals(0, result.sequence());
            final UnsafeBuffer events = new UnsafeBuffer(result.events());
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(events, 0);
            assertEquals(RejectedDecoder.TEMPLATE_ID, header.templateId());
            rejected.wrapAndApplyHeader(events, 0, header);
            assertEquals(RejectReason.MALFORMED_COMMAND, rejected.reason());
            assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + rejected.encodedLength(), result.events().length);
        }
        assertEquals(77, decodeRejected(collector.get(106).events()).commandTemplateId());
        try (Journal commands = Journal.open(new JournalLayout(dir).commandsDir()))
        {
            assertEquals(1, commands.lastSequence(), "only the well-formed command was journaled");
        }
    }

    /**
     * A slot keeps commands of up to {@link CommandSlot#INLINE_LENGTH} bytes in the ring's contiguous
     * block and longer ones (oracle prices with several signed observations) in a second block. A
     * ring of four slots is filled in rounds while the sequencer's clock holds it, so all four
     * commands of a round are in the ring before any is read; from round to round each slot
     * alternates between a short and a long command. Each must reach the journal and the engine
     * whole.
     */
    @ParameterizedTest(name = "single stage: {0}")
    @ValueSource(booleans = {false, true})
    void commandsLongerThanASlotsInlineRoomTravelWholeAndShortOnesAfterThemToo(final boolean singleStage)
    {
        final int ringSize = 4;
        final java.util.concurrent.Semaphore ticks = new java.util.concurrent.Semaphore(0);
        final SteppingClock stepping = new SteppingClock(0, 1_000);
        final org.agrona.concurrent.EpochNanoClock heldClock = () ->
        {
            ticks.acquireUninterruptibly();
            return stepping.nanoTime();
        };
        final io.perpetua.core.engine.AccountCommandEncoder accountCommands = new io.perpetua.core.engine.AccountCommandEncoder();
        final UnsafeBuffer longCommand = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        final List<byte[]> published = new ArrayList<>();
        final ResultCollector collector = new ResultCollector();
        int longOnes = 0;
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Context()
            .journalDir(dir).ringSize(ringSize).singleStage(singleStage).waitMode(WaitMode.YIELDING).clock(heldClock)
            .stamping(Stamping.EACH_COMMAND)))
        {
            published.add(copyOf(encoder.buffer(), addMarket()));
            assertEquals(PublishResult.PUBLISHED, ResultCollector.publish(pipeline, encoder.buffer(), addMarket(), collector, 0));
            ticks.release();
            collector.await(1, TIMEOUT_SECONDS);
            for (int round = 0; round < 15; round++)
            {
                for (int k = 0; k < ringSize; k++)
                {
                    final int i = published.size();
                    final DirectBuffer source;
                    final int length;
                    if ((round + k) % 2 == 0)
                    {
                        final int count = 2 + (round + k) % 3;
                        final int[] sources = new int[count];
                        final long[] prices = new long[count];
                        final long[] observed = new long[count];
                        final byte[][] signatures = new byte[count][64];
                        for (int o = 0; o < count; o++)
                        {
                            sources[o] = o;
                            prices[o] = 6_000_000 + i * 10L + o;
                            observed[o] = 1_000L * i + o;
                            java.util.Arrays.fill(signatures[o], (byte)(i * 7 + o));
                        }
                        length = accountCommands.oraclePrice(longCommand, 0, 1, count, sources, prices, observed, signatures);
                        source = longCommand;
                        longOnes += length > CommandSlot.INLINE_LENGTH ? 1 : 0;
                    }
                    else
                    {
                        length = encoder.limitOrder(1 + i % 3, 1, i, i % 2 == 0 ? Side.BUY : Side.SELL,
                            6_000_000 + (i % 2 == 0 ? -50L : 50L) * (i % 7), 100_000L * (1 + i % 5));
                        source = encoder.buffer();
                    }
                    published.add(copyOf(source, length));
                    assertEquals(PublishResult.PUBLISHED, ResultCollector.publish(pipeline, source, length, collector, i));
                }
                ticks.release(ringSize);
                collector.await(published.size(), TIMEOUT_SECONDS);
            }
        }
        assertEquals(30, longOnes, "half the commands must be longer than a slot's inline room");
        try (Journal commands = Journal.open(new JournalLayout(dir).commandsDir()); JournalReader reader = commands.reader())
        {
            for (int i = 0; i < published.size(); i++)
            {
                assertTrue(reader.next(), "command " + i + " journaled");
                final byte[] journaled = new byte[reader.length()];
                reader.buffer().getBytes(0, journaled);
                final byte[] expected = published.get(i);
                // The sequencer stamped sequence and time in place; every other byte is the publisher's.
                new UnsafeBuffer(expected).putLong(CommandAdapter.SEQUENCE_OFFSET, i + 1L);
                new UnsafeBuffer(expected).putLong(CommandAdapter.TIMESTAMP_OFFSET, (i + 1L) * 1_000);
                assertArrayEquals(expected, journaled, "command " + i);
                assertEquals(i + 1L, collector.get(i).sequence());
                assertTrue(collector.get(i).events().length > 0, "command " + i + " answered with its events");
            }
            assertTrue(!reader.next(), "nothing else journaled");
        }
    }

    @Test
    void aRingTooLargeForItsSlotBlocksIsRefusedAtStart()
    {
        final IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> Pipeline.start(new Pipeline.Context().journalDir(dir).ringSize(CommandSlot.MAX_RING_SIZE * 2)));
        assertTrue(refused.getMessage().contains("at most " + CommandSlot.MAX_RING_SIZE), refused.getMessage());
        assertTrue(refused.getMessage().startsWith("ringSize "), "refused by the pipeline before it opens the journals");
    }

    private static byte[] copyOf(final DirectBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    @Test
    void bytesChangedDuringPublicationNeverReachTheCore()
    {
        // Header reads see a heartbeat, but the bytes copied into the ring are zeros: as if the
        // caller overwrote its buffer between the ingress check and the copy.
        final int length = encoder.heartbeat();
        final DirectBuffer heartbeat = encoder.buffer();
        final UnsafeBuffer changing = new UnsafeBuffer(new byte[length])
        {
            @Override
            public short getShort(final int index, final java.nio.ByteOrder byteOrder)
            {
                return heartbeat.getShort(index, byteOrder);
            }
        };
        final ResultCollector collector = new ResultCollector();
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Context().journalDir(dir)))
        {
            assertEquals(PublishResult.PUBLISHED, pipeline.tryPublish(changing, 0, length, collector, 0));
            assertEquals(PublishResult.PUBLISHED, pipeline.tryPublish(heartbeat, 0, length, collector, 1));
            collector.await(2, TIMEOUT_SECONDS);
        }
        assertEquals(0, collector.get(0).sequence());
        assertEquals(RejectReason.MALFORMED_COMMAND, decodeRejected(collector.get(0).events()).reason());
        assertEquals("perpetua-core", collector.get(0).thread());
        assertEquals(1, collector.get(1).sequence(), "the bad copy took no sequence number");
        try (Journal commands = Journal.open(new JournalLayout(dir).commandsDir()))
        {
            assertEquals(1, commands.lastSequence());
        }
    }

    @Test
    void aFullRingAnswersBusyInsteadOfBlocking() throws InterruptedException
    {
        final int ringSize = 4;
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final ResultCollector collector = new ResultCollector();
        final ResultListener stalling = (correlationId, sequence, events, offset, length) ->
        {
            if (correlationId == 0)
            {
                entered.countDown();
                try
                {
                    release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            collector.onResult(correlationId, sequence, events, offset, length);
        };
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Context().ringSize(ringSize).waitMode(WaitMode.YIELDING)))
        {
            final int length = encoder.heartbeat();
            assertEquals(PublishResult.PUBLISHED, pipeline.tryPublish(encoder.buffer(), 0, length, stalling, 0));
            assertTrue(entered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            int published = 1;
            PublishResult result;
            while ((result = pipeline.tryPublish(encoder.buffer(), 0, length, stalling, published)) == PublishResult.PUBLISHED)
            {
                published++;
                assertTrue(published <= ringSize, "published more than the ring holds");
            }
            assertEquals(PublishResult.BUSY, result);
            assertEquals(ringSize, published, "the core holds slot 0, so exactly ringSize commands fit");
            assertEquals(PublishResult.BUSY, pipeline.tryPublish(encoder.buffer(), 0, length, stalling, 99));

            release.countDown();
            collector.await(ringSize, TIMEOUT_SECONDS);
            assertEquals(PublishResult.PUBLISHED, ResultCollector.publish(pipeline, encoder.buffer(), length, stalling, 50));
            collector.await(ringSize + 1, TIMEOUT_SECONDS);
        }
        finally
        {
            release.countDown();
        }
        assertEquals(ringSize + 1, collector.get(50).sequence());
    }

    @Test
    void concurrentPublishersGetDistinctContiguousSequences() throws InterruptedException
    {
        final int threads = 4;
        final int perThread = 2_000;
        final ResultCollector collector = new ResultCollector();
        final AtomicInteger failures = new AtomicInteger();
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Context().journalDir(dir).ringSize(64)))
        {
            ResultCollector.publish(pipeline, encoder.buffer(), addMarket(), collector, -1);
            final List<Thread> publishers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                publishers.add(new Thread(() ->
                {
                    final TestCommands own = new TestCommands();
                    for (int i = 0; i < perThread; i++)
                    {
                        final long correlation = (long)thread * perThread + i;
                        final int length = own.limitOrder(10 + thread, 1, 0, i % 2 == 0 ? Side.BUY : Side.SELL,
                            6_000_000 + (i % 2 == 0 ? -50L : 50L) * (1 + i % 10), 100_000);
                        if (ResultCollector.publish(pipeline, own.buffer(), length, collector, correlation) != PublishResult.PUBLISHED)
                        {
                            failures.incrementAndGet();
                        }
                    }
                }, "publisher-" + t));
            }
            publishers.forEach(Thread::start);
            for (final Thread publisher : publishers)
            {
                publisher.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            }
            collector.await(threads * perThread + 1, TIMEOUT_SECONDS);
        }
        assertEquals(0, failures.get());
        final boolean[] seen = new boolean[threads * perThread + 2];
        for (final ResultCollector.Result result : collector.all().values())
        {
            assertTrue(!seen[(int)result.sequence()], "sequence " + result.sequence() + " given twice");
            seen[(int)result.sequence()] = true;
        }
        for (int s = 1; s < seen.length; s++)
        {
            assertTrue(seen[s], "sequence " + s + " missing");
        }
    }

    /**
     * The default stamping: the clock holds the sequencer on its first reading until all 201
     * commands are in the ring, so they reach it in at most two ring batches, and it reads the clock
     * once per batch. Every command of a batch carries that batch's reading.
     */
    @ParameterizedTest(name = "single stage: {0}")
    @ValueSource(booleans = {false, true})
    void theClockIsReadOncePerRingBatchAndEveryCommandOfTheBatchCarriesThatReading(final boolean singleStage)
    {
        final CountDownLatch allPublished = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger readings = new java.util.concurrent.atomic.AtomicInteger();
        final org.agrona.concurrent.EpochNanoClock gatedClock = () ->
        {
            awaitUninterruptibly(allPublished);
            return 1_000L * readings.incrementAndGet();
        };
        final ResultCollector collector = new ResultCollector();
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Context().journalDir(dir).singleStage(singleStage).clock(gatedClock)))
        {
            assertEquals(Stamping.EACH_BATCH, pipeline.context().stamping());
            publishMarketAndOrders(pipeline, collector, 200);
            allPublished.countDown();
            collector.await(201, TIMEOUT_SECONDS);
            // Published after the others were answered: a batch of its own, with a reading of its own.
            final int length = encoder.limitOrder(1, 1, 201, Side.BUY, 5_999_950, 100_000);
            assertEquals(PublishResult.PUBLISHED, ResultCollector.publish(pipeline, encoder.buffer(), length, collector, 201));
            collector.await(202, TIMEOUT_SECONDS);
        }
        // The sequencer may have taken only the first command, or already more, before its clock held it.
        final int batchesOfTheFirst201 = readings.get() - 1;
        assertTrue(batchesOfTheFirst201 >= 1 && batchesOfTheFirst201 <= 2,
            "201 commands in one or two batches read the clock " + batchesOfTheFirst201 + " times");
        final List<Long> stamps = new ArrayList<>();
        final java.util.Set<Long> documents = new java.util.HashSet<>();
        try (Journal commands = Journal.open(new JournalLayout(dir).commandsDir()); JournalReader reader = commands.reader())
        {
            while (reader.next())
            {
                stamps.add(reader.buffer().getLong(CommandAdapter.TIMESTAMP_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN));
                documents.add(reader.index());
            }
        }
        assertEquals(202, stamps.size());
        assertEquals(readings.get(), documents.size(), "one journal document per ring batch");
        assertEquals(1_000L, stamps.get(0), "the first batch carries the first reading");
        assertEquals(1_000L * batchesOfTheFirst201, stamps.get(200), "the last of the 201 carries the reading of its batch");
        assertEquals(1_000L * readings.get(), stamps.get(201), "the late command carries a reading of its own");
        for (int i = 1; i < stamps.size(); i++)
        {
            final long previous = stamps.get(i - 1);
            assertTrue(stamps.get(i) == previous || stamps.get(i) == previous + 1_000, "command " + i + " stamped " + stamps.get(i) +
                " after " + previous + ": a batch's reading or the next one");
        }
    }

    /** Publishes the market (correlation 0), then {@code orders} limit orders on both sides (correlations 1..orders). */
    private void publishMarketAndOrders(final Pipeline pipeline, final ResultListener listener, final int orders)
    {
        assertEquals(PublishResult.PUBLISHED, ResultCollector.publish(pipeline, encoder.buffer(), addMarket(), listener, 0));
        for (int i = 1; i <= orders; i++)
        {
            final int length = encoder.limitOrder(1 + i % 3, 1, i, i % 2 == 0 ? Side.BUY : Side.SELL,
                6_000_000 + (i % 2 == 0 ? -50L : 50L) * (i % 7), 100_000L * (1 + i % 5));
            assertEquals(PublishResult.PUBLISHED, ResultCollector.publish(pipeline, encoder.buffer(), length, listener, i));
        }
    }

    @Test
    void aRestartedPipelineContinuesTheSequenceAndTheClock()
    {
        final ResultCollector collector = new ResultCollector();
        final long hashAtClose;
        final Pipeline first = Pipeline.start(new Pipeline.Context().journalDir(dir)
            .clock(new SteppingClock(1_000_000, 1_000)).stamping(Stamping.EACH_COMMAND));
        try
        {
            ResultCollector.publish(first, encoder.buffer(), addMarket(), collector, 0);
            ResultCollector.publish(first, encoder.buffer(), encoder.limitOrder(1, 1, 7, Side.BUY, 5_999_950, 100_000), collector, 1);
            collector.await(2, TIMEOUT_SECONDS);
        }
        finally
        {
            first.close();
        }
        hashAtClose = first.finalStateHash();
        assertEquals(2, first.finalSequence());

        // A clock behind the journal's last timestamp must not take time backwards.
        final AtomicReference<Long> timestamp = new AtomicReference<>();
        final Pipeline pipeline = Pipeline.start(new Pipeline.Context().journalDir(dir).clock(() -> 5));
        try
        {
            assertEquals(2, pipeline.startSequence());
            final ResultListener listener = (correlationId, sequence, events, offset, length) ->
            {
                timestamp.set(events.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + 8, java.nio.ByteOrder.LITTLE_ENDIAN));
                collector.onResult(correlationId, sequence, events, offset, length);
            };
            ResultCollector.publish(pipeline, encoder.buffer(), encoder.limitOrder(2, 1, 8, Side.SELL, 5_999_950, 100_000), listener, 2);
            collector.await(3, TIMEOUT_SECONDS);
        }
        finally
        {
            pipeline.close();
        }
        assertEquals(3, pipeline.finalSequence());
        assertTrue(pipeline.finalStateHash() != hashAtClose);
        assertEquals(3, collector.get(2).sequence());
        assertEquals(1_002_000L, timestamp.get(), "the second run starts from the recovered timestamp");
    }

    @Test
    void lastSequenceWithEventsCoversEveryAnsweredCommandWithEventsAndSkipsThoseWithout()
    {
        final AtomicReference<Pipeline> started = new AtomicReference<>();
        final long[] seenAtAnswer = new long[3];
        final ResultCollector collector = new ResultCollector();
        final ResultListener recording = (correlationId, sequence, events, offset, length) ->
        {
            seenAtAnswer[(int)correlationId] = started.get().lastSequenceWithEvents();
            collector.onResult(correlationId, sequence, events, offset, length);
        };
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Context().journalDir(dir)))
        {
            started.set(pipeline);
            assertEquals(0, pipeline.lastSequenceWithEvents());
            ResultCollector.publish(pipeline, encoder.buffer(), addMarket(), recording, 0);
            collector.await(1, TIMEOUT_SECONDS);
            ResultCollector.publish(pipeline, encoder.buffer(), encoder.heartbeat(), recording, 1);
            collector.await(2, TIMEOUT_SECONDS);
            assertTrue(collector.get(0).events().length > 0, "adding a market has events");
            assertEquals(0, collector.get(1).events().length, "a heartbeat has none");
            assertEquals(1, seenAtAnswer[0], "set before the answer");
            assertEquals(1, seenAtAnswer[1], "a command without events leaves it");
            assertEquals(1, pipeline.lastSequenceWithEvents());
        }
        try (Pipeline restarted = Pipeline.start(new Pipeline.Context().journalDir(dir)))
        {
            assertEquals(2, restarted.startSequence());
            assertEquals(1, restarted.lastSequenceWithEvents(),
                "recovery starts it at the last command with events, not at the heartbeat no reader could reach");
        }
    }

    @Test
    void aFailingListenerDoesNotStopTheCore()
    {
        final List<Throwable> errors = new ArrayList<>();
        final ResultCollector collector = new ResultCollector();
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Context().errorHandler(error ->
        {
            synchronized (errors)
            {
                errors.add(error);
            }
        })))
        {
            final ResultListener throwing = (correlationId, sequence, events, offset, length) ->
            {
                throw new IllegalStateException("listener bug");
            };
            ResultCollector.publish(pipeline, encoder.buffer(), encoder.heartbeat(), throwing, 0);
            ResultCollector.publish(pipeline, encoder.buffer(), encoder.heartbeat(), collector, 1);
            collector.await(1, TIMEOUT_SECONDS);
            assertEquals(2, collector.get(1).sequence());
            assertNull(pipeline.failure());
        }
        synchronized (errors)
        {
            assertEquals(1, errors.size());
        }
    }

    @Test
    void aFaultInTheCoreHaltsThePipelineWithoutAnsweringTheCommand()
    {
        final List<Throwable> errors = new ArrayList<>();
        final ResultCollector collector = new ResultCollector();
        final RiskGate exploding = new OrderLimitsGate().andThen(new RiskGate()
        {
            public RejectReason checkOrder(final OrderRequest request, final OrderBook book)
            {
                if (request.accountId() == 666)
                {
                    throw new IllegalStateException("gate fault");
                }
                return null;
            }

            public FillVerdict checkFill(
                final OrderBook book, final long maker, final long taker, final Side side, final long price, final long size)
            {
                return FillVerdict.PROCEED;
            }

            public void onFill(
                final OrderBook book, final long tradeId, final long maker, final long taker, final Side side,
                final long price, final long size, final long quote, final long makerFee, final long takerFee)
            {
            }
        });
        final Pipeline pipeline = Pipeline.start(new Pipeline.Context()
            .journalDir(dir)
            .engineFactory(() -> new MatchingEngine(EngineConfig.DEFAULT, exploding, new EventPublisher()))
            .errorHandler(error ->
            {
                synchronized (errors)
                {
                    errors.add(error);
                }
            }));
        try
        {
            ResultCollector.publish(pipeline, encoder.buffer(), addMarket(), collector, 0);
            ResultCollector.publish(pipeline, encoder.buffer(), encoder.limitOrder(666, 1, 0, Side.BUY, 6_000_000, 100_000), collector, 1);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (pipeline.failure() == null)
            {
                assertTrue(System.nanoTime() < deadline, "no fault recorded");
                Thread.yield();
            }
            assertEquals(PublishResult.CLOSED, pipeline.tryPublish(encoder.buffer(), 0, encoder.heartbeat(), collector, 2));
        }
        finally
        {
            pipeline.close();
        }
        collector.await(1, TIMEOUT_SECONDS);
        assertEquals(1, collector.size(), "the faulting command was not answered");
        assertEquals("gate fault", pipeline.failure().getMessage());
        assertEquals(2, pipeline.finalSequence(), "the core stopped in the faulting command");
        synchronized (errors)
        {
            assertEquals("gate fault", errors.get(0).getMessage());
        }
    }

    private static int firstTemplateId(final byte[] events)
    {
        return new MessageHeaderDecoder().wrap(new UnsafeBuffer(events), 0).templateId();
    }

    private static RejectedDecoder decodeRejected(final byte[] events)
    {
        final DirectBuffer buffer = new UnsafeBuffer(events);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        return new RejectedDecoder().wrapAndApplyHeader(buffer, 0, header);
    }

    private static void awaitUninterruptibly(final CountDownLatch latch)
    {
        try
        {
            if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("the test did not open the clock's gate");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
