package io.perpetua.funding;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import io.perpetua.core.sbe.FundingTickDecoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.engine.RiskEngine;
import io.perpetua.risk.oracle.OracleMessage;
import io.perpetua.risk.view.JournalTailer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static io.perpetua.funding.FundingHarness.USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The processor live, as the node runs it: on a {@link JournalTailer} over a real events journal,
 * submitting into a running pipeline whose sequencer stamps commands from a test clock (so command
 * time is controlled, never the wall clock). It is stopped in the middle of a funding interval and
 * a new one started on the same journal: the ticks continue on the grid, none skipped or doubled.
 */
class FundingProcessorJournalTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final FundingConfig CONFIG = FundingConfig.defaults().withIntervals(SECOND, 10 * SECOND);
    private static final ResultListener IGNORE = (correlationId, sequence, events, offset, length) ->
    {
    };
    /** Commands of the test thread the core has applied: the sequencer reads the clock when it stamps. */
    private final AtomicLong applied = new AtomicLong();
    private final ResultListener countApplied = (correlationId, sequence, events, offset, length) -> applied.incrementAndGet();
    private long published;

    @TempDir
    Path dir;

    private final AtomicLong clockNs = new AtomicLong(1_800_000_000_000_000_000L + 3 * SECOND);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final KeyPair oracleKey = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("funding-journal-oracle", 0));
    private final AccountCommandEncoder accounts = new AccountCommandEncoder();
    private Pipeline pipeline;

    @Test
    void aRestartedProcessorContinuesTheTicksOnTheGridWithoutSkippingOrDoubling()
    {
        pipeline = Pipeline.start(new Pipeline.Context()
            .journalDir(dir)
            .clock(clockNs::get)
            .engineFactory(() -> new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate(), new RiskEngine(),
                new EventPublisher())));
        final JournalLayout layout = new JournalLayout(dir);
        try
        {
            publish(new CommandEncoder().addMarket(buffer, 0, 1, "M1-USD", USD, 1, 3, 1, 1_000_000_000L, 0, 0, 0, 0, 0,
                false, MarketStatus.ACTIVE));
            publish(accounts.configureOracle(buffer, 0, 1, 1, 10 * SECOND, 500_000, SECOND, 1_000_000 * SECOND,
                new byte[][] {Ed25519Keys.rawPublicKey(oracleKey.getPublic())}));
            final FundingProcessor first = new FundingProcessor(market -> CONFIG, new Submitter());
            final JournalTailer firstTailer = new JournalTailer("funding-1", layout.eventsDir(), first).start();
            // 34 seconds of command time, an oracle price every second: ticks for the periods ending at 10, 20, 30 s.
            advance(34);
            await(() -> first.history().tickCount() == 3, "three ticks");
            firstTailer.close();
            assertEquals(3, first.submitted());

            // 4 s into the fourth period: a new processor reads the journal from its start.
            final FundingProcessor second = new FundingProcessor(market -> CONFIG, new Submitter());
            final JournalTailer secondTailer = new JournalTailer("funding-2", layout.eventsDir(), second).start();
            await(() -> second.history().tickCount() == 3, "the restarted processor caught up");
            assertEquals(0, second.submitted(), "nothing resubmitted on catch-up");
            advance(27);
            await(() -> second.history().tickCount() == 6, "three more ticks");
            secondTailer.close();
            assertEquals(3, second.submitted());

            final List<FundingHistory.Tick> ticks = second.history().ticks(1);
            for (int i = 0; i < ticks.size(); i++)
            {
                assertEquals(1_800_000_000_000_000_000L + 10 * SECOND * (i + 1), ticks.get(i).fundingTimeNs(), "tick " + i);
                // An empty book has no premium: the rate is the interest.
                assertEquals(100_000, ticks.get(i).rate8hPpb());
            }
            assertEquals(first.history().ticks(1), ticks.subList(0, 3));
        }
        finally
        {
            pipeline.close();
        }
        assertEquals(0, fundingRejects(layout.eventsDir()), "no tick refused as a duplicate");
    }

    /**
     * Advances command time one second per oracle price; the processors see time move with each.
     * Each price is applied before the clock moves again, so it is stamped with its own second.
     */
    private void advance(final int seconds)
    {
        for (int s = 0; s < seconds; s++)
        {
            final long now = clockNs.addAndGet(SECOND);
            publish(accounts.oraclePrice(buffer, 0, 1, 1, new int[] {0}, new long[] {100 * USD}, new long[] {now},
                new byte[][] {OracleMessage.sign(oracleKey.getPrivate(), 1, 100 * USD, now)}));
        }
    }

    /** Publishes a command of the test thread and waits until the core applied it. */
    private void publish(final int length)
    {
        PublishResult result;
        while ((result = pipeline.tryPublish(buffer, 0, length, countApplied, 0)) == PublishResult.BUSY)
        {
            Thread.yield();
        }
        assertEquals(PublishResult.PUBLISHED, result);
        final long expected = ++published;
        await(() -> applied.get() >= expected, "command " + expected + " applied");
    }

    private static boolean publish(final Pipeline pipeline, final DirectBuffer buffer, final int length)
    {
        PublishResult result;
        while ((result = pipeline.tryPublish(buffer, 0, length, IGNORE, 0)) == PublishResult.BUSY)
        {
            Thread.yield();
        }
        return result == PublishResult.PUBLISHED;
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static int fundingRejects(final Path eventsDir)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final RejectedDecoder rejected = new RejectedDecoder();
        int count = 0;
        try (Journal journal = Journal.open(eventsDir); JournalReader reader = journal.reader())
        {
            while (reader.next())
            {
                header.wrap(reader.buffer(), 0);
                if (header.templateId() == RejectedDecoder.TEMPLATE_ID &&
                    rejected.wrap(reader.buffer(), MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version())
                        .commandTemplateId() == FundingTickDecoder.TEMPLATE_ID)
                {
                    count++;
                }
            }
        }
        return count;
    }

    /** Publishes from the tailer's thread, like the node's demo. */
    private final class Submitter implements FundingProcessor.Submitter
    {
        private final FundingCommandEncoder encoder = new FundingCommandEncoder();
        private final UnsafeBuffer commandBuffer = new UnsafeBuffer(new byte[128]);

        public boolean submit(final int marketId, final long rate8hPpb, final long fundingTimeNs)
        {
            return publish(pipeline, commandBuffer, encoder.fundingTick(commandBuffer, 0, marketId, rate8hPpb, fundingTimeNs));
        }
    }
}
