package io.perpetua.core.pipeline;

import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.Replayer;
import io.perpetua.core.sbe.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command whose events are larger than a journal document may be (one account cancelling 240,000
 * orders at once: about 19 MB of events) is journaled, answered, replayed with its events verified,
 * and recovered after a restart, the pipeline running on.
 */
class LargeEventsTest
{
    private static final int ORDERS = 240_000;
    private static final Supplier<MatchingEngine> ENGINE =
        () -> new MatchingEngine(new EngineConfig(1 << 16, 1 << 20), new OrderLimitsGate(), new EventPublisher());

    @TempDir
    Path dir;

    @Test
    void aCommandWithMoreEventsThanADocumentHoldsIsJournaledReplayedAndRecovered() throws Exception
    {
        final TestCommands encoder = new TestCommands();
        final ResultCollector results = new ResultCollector();
        final long cancelAllSequence;
        final Pipeline pipeline = Pipeline.start(new Pipeline.Context().journalDir(dir).engineFactory(ENGINE));
        try
        {
            ResultCollector.publish(pipeline, encoder.buffer(),
                encoder.addMarket(1, "BTC-USD", 50, 100_000, 4, 100_000, 1_000_000_000, 0, 100_000, -100, 500, 6_000_000),
                results, 0);
            for (int i = 1; i <= ORDERS; i++)
            {
                ResultCollector.publish(pipeline, encoder.buffer(),
                    encoder.limitOrder(7, 1, 0, Side.BUY, 6_000_000 - 50L * (i % 100), 100_000), results, i);
            }
            ResultCollector.publish(pipeline, encoder.buffer(), encoder.cancelAll(7, 1), results, ORDERS + 1);
            ResultCollector.publish(pipeline, encoder.buffer(), encoder.limitOrder(7, 1, 0, Side.BUY, 6_000_000, 100_000),
                results, ORDERS + 2);
            results.await(ORDERS + 3, 120);
            final ResultCollector.Result cancelled = results.get(ORDERS + 1);
            assertTrue(cancelled.events().length > 16 * 1024 * 1024, "events of the cancel-all: " + cancelled.events().length);
            cancelAllSequence = cancelled.sequence();
            assertEquals(cancelAllSequence + 1, results.get(ORDERS + 2).sequence(), "the pipeline runs on");
            assertNull(pipeline.failure());
        }
        finally
        {
            pipeline.close();
        }
        final long hash = pipeline.finalStateHash();
        final Path spilled = new JournalLayout(dir).eventsDir().resolve("spilled");
        try (Stream<Path> files = Files.list(spilled))
        {
            assertEquals(1, files.count(), "the cancel-all's events spilled to a file of their own");
        }

        final Replayer.Result replay = Replayer.replay(dir, ENGINE, false, true, Throwable::printStackTrace);
        assertTrue(replay.eventsMatch(), replay.mismatch());
        assertEquals(hash, replay.stateHash());

        try (Pipeline restarted = Pipeline.start(new Pipeline.Context().journalDir(dir).engineFactory(ENGINE)))
        {
            assertEquals(cancelAllSequence + 1, restarted.startSequence());
            assertEquals(cancelAllSequence + 1, restarted.lastSequenceWithEvents());
        }
        try (Journal events = Journal.open(new JournalLayout(dir).eventsDir()))
        {
            assertEquals(cancelAllSequence + 1, events.lastSequence());
        }
    }
}
