package io.perpetua.funding;

import io.perpetua.core.engine.SnapshotCodec;
import io.perpetua.core.sbe.Side;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.perpetua.funding.FundingHarness.USD;
import static io.perpetua.funding.FundingHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The funding processor in the loop (its FundingTick commands go back into the engine) over seeded
 * traffic in command time: replaying the journal reproduces every tick, payment and the state hash;
 * a snapshot taken mid-run restores the funding state; and a processor restarted mid-interval
 * (rebuilt from the journal) produces the next tick on time and each tick exactly once.
 */
class FundingDeterminismTest
{
    private static final long SECOND = 1_000_000_000L;
    /** Ten-minute ticks from one-minute samples; a command every 7 s of command time. */
    private static final FundingConfig CONFIG = FundingConfig.defaults().withIntervals(60 * SECOND, 600 * SECOND)
        .withImpactNotional(10 * USD);
    private static final int COMMANDS = 560;

    /** Runs seeded traffic with a processor that may be replaced (restarted) before command {@code restartAt}. */
    private static final class Run
    {
        final FundingHarness h = new FundingHarness();
        final ArrayDeque<long[]> submitted = new ArrayDeque<>();
        FundingProcessor processor = newProcessor();
        final List<long[]> appliedTicks = new ArrayList<>();
        int duplicatesRefused;
        int fed;

        FundingProcessor newProcessor()
        {
            return new FundingProcessor(market -> CONFIG, (market, rate, time) -> submitted.add(new long[] {market, rate, time}));
        }

        /** Feeds the documents not yet seen to the processor, then lets it submit as a live tailer does. */
        void tail()
        {
            while (fed < h.documents.size())
            {
                final byte[] document = h.documents.get(fed++);
                processor.onDocument(new UnsafeBuffer(document), 0, document.length);
            }
            processor.onCaughtUp();
        }

        /** Applies what the processor submitted, like the sequencer would, after the current command. */
        void applySubmitted()
        {
            while (!submitted.isEmpty())
            {
                final long[] tick = submitted.poll();
                final List<String> events = h.fundingTick((int)tick[0], tick[1], tick[2]);
                final String applied = events.get(0);
                if (applied.startsWith("FundingTick"))
                {
                    appliedTicks.add(new long[] {tick[0], tick[1], tick[2], h.nowNs});
                }
                else
                {
                    assertEquals("Rejected FUNDING_TICK_NOT_NEW", applied);
                    duplicatesRefused++;
                }
                tail();
            }
        }

        /**
         * @param restartAt    command index where the processor restarts (-1: never)
         * @param keepInFlight restart at the first command from {@code restartAt} on after which the old processor
         *                     submitted a tick the engine has not applied yet
         */
        void run(final long seed, final int restartAt, final boolean keepInFlight)
        {
            h.stepNs = 7 * SECOND;
            final SplittableRandom random = new SplittableRandom(seed);
            h.market(1, 50_000, 30_000);
            expectNoReject(h.oracle(1, 100 * USD));
            long mark = 100;
            for (long a = 1; a <= 4; a++)
            {
                expectNoReject(h.deposit(a, 1_000_000 * USD));
            }
            tail();
            for (int i = 0; i < COMMANDS; i++)
            {
                if (i == restartAt && !keepInFlight)
                {
                    restart();
                }
                final long account = 1 + random.nextInt(4);
                final int action = random.nextInt(10);
                if (action < 5)
                {
                    final long offset = 1 + random.nextInt(4);
                    final boolean buy = random.nextBoolean();
                    h.limit(account, 1, buy ? Side.BUY : Side.SELL, (buy ? mark - offset : mark + offset) * USD,
                        10 + random.nextInt(200));
                }
                else if (action < 8)
                {
                    final boolean buy = random.nextBoolean();
                    h.ioc(account, 1, buy ? Side.BUY : Side.SELL, (buy ? mark + 4 : mark - 4) * USD, 5 + random.nextInt(100));
                }
                else
                {
                    mark = Math.max(80, Math.min(120, mark + random.nextInt(7) - 3));
                    h.oracle(1, mark * USD);
                }
                tail();
                if (keepInFlight && i >= restartAt && !restartedInFlight && !submitted.isEmpty())
                {
                    inFlightTimeNs = submitted.peek()[2];
                    restart();
                    restartedInFlight = true;
                }
                applySubmitted();
            }
        }

        private boolean restartedInFlight;
        long inFlightTimeNs;

        /** A new processor rebuilt from the journal; what the old one submitted stays on its way to the sequencer. */
        private void restart()
        {
            processor = newProcessor();
            fed = 0;
            tail();
        }
    }

    @Test
    void replayReproducesEveryTickPaymentAndTheStateHash()
    {
        final Run run = new Run();
        run.run(7, -1, false);
        assertTrue(run.appliedTicks.size() >= 6, "ticks applied: " + run.appliedTicks.size());
        final FundingHarness replayed = run.h.replay();
        assertEquals(run.h.documents.size(), replayed.documents.size());
        for (int i = 0; i < run.h.documents.size(); i++)
        {
            assertArrayEquals(run.h.documents.get(i), replayed.documents.get(i), "events of command " + i);
        }
        assertEquals(run.h.engine.stateHash(), replayed.engine.stateHash());
        // A processor reading the finished journal computes the same history and has nothing left to submit.
        final FundingProcessor reader = run.newProcessor();
        for (final byte[] document : replayed.documents)
        {
            reader.onDocument(new UnsafeBuffer(document), 0, document.length);
        }
        assertEquals(run.processor.history().ticks(1), reader.history().ticks(1));
        assertEquals(run.appliedTicks.size(), reader.history().ticks(1).size());
        long payments = 0;
        for (long a = 1; a <= 4; a++)
        {
            assertEquals(run.processor.history().payments(a), reader.history().payments(a));
            payments += reader.history().payments(a).size();
        }
        assertTrue(payments > 0, "payments settled");
    }

    @Test
    void aSnapshotCarriesTheFundingStateAcrossARestoreOfTheCore()
    {
        final Run run = new Run();
        run.run(11, -1, false);
        final List<byte[]> commands = run.h.commands;
        final int cut = commands.size() / 2;
        final FundingHarness first = new FundingHarness();
        final ExpandableArrayBuffer replayBuffer = new ExpandableArrayBuffer(1024);
        for (int i = 0; i < cut; i++)
        {
            replayBuffer.putBytes(0, commands.get(i));
            first.adapter.apply(replayBuffer, 0, commands.get(i).length);
        }
        final ExpandableDirectByteBuffer snapshot = new ExpandableDirectByteBuffer(1 << 16);
        final int length = new SnapshotCodec().encode(first.engine, first.engine.stateHash(), snapshot);
        final FundingHarness restored = new FundingHarness();
        SnapshotCodec.restore(restored.engine, snapshot, 0, length);
        assertEquals(first.engine.stateHash(), restored.engine.stateHash());
        for (int i = cut; i < commands.size(); i++)
        {
            replayBuffer.putBytes(0, commands.get(i));
            restored.adapter.apply(replayBuffer, 0, commands.get(i).length);
        }
        assertEquals(run.h.engine.stateHash(), restored.engine.stateHash());
    }

    @Test
    void aProcessorRestartedMidIntervalTicksOnTimeAndExactlyOnce()
    {
        final Run reference = new Run();
        reference.run(5, -1, false);
        // Restart at command 300: 300 x 7 s = 2,100 s after the start, in the middle of a 600 s interval.
        final Run restarted = new Run();
        restarted.run(5, 300, false);
        assertTicksEqual(reference.appliedTicks, restarted.appliedTicks);
        assertEquals(reference.h.engine.stateHash(), restarted.h.engine.stateHash());
        assertOnTimeAndConsecutive(restarted.appliedTicks);
    }

    @Test
    void aTickInFlightAcrossARestartIsAppliedOnce()
    {
        final Run reference = new Run();
        reference.run(9, -1, false);
        // The old processor submitted a tick and stopped before it was journaled; the new one submits it again.
        final Run restarted = new Run();
        restarted.run(9, 200, true);
        assertEquals(1, restarted.duplicatesRefused);
        assertEquals(0, reference.duplicatesRefused);
        // Up to the tick in flight the journals agree; the refused duplicate is one more command, so command time
        // (and with it later samples) shifts by one step after it.
        assertTicksEqual(upTo(reference.appliedTicks, restarted.inFlightTimeNs), upTo(restarted.appliedTicks,
            restarted.inFlightTimeNs));
        assertTrue(upTo(restarted.appliedTicks, restarted.inFlightTimeNs).size() >= 2);
        assertOnTimeAndConsecutive(restarted.appliedTicks);
    }

    private static List<long[]> upTo(final List<long[]> ticks, final long fundingTimeNs)
    {
        final List<long[]> prefix = new ArrayList<>();
        for (final long[] tick : ticks)
        {
            if (tick[2] <= fundingTimeNs)
            {
                prefix.add(tick);
            }
        }
        return prefix;
    }

    private static void assertTicksEqual(final List<long[]> expected, final List<long[]> actual)
    {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(Arrays.copyOf(expected.get(i), 3), Arrays.copyOf(actual.get(i), 3), "tick " + i);
        }
    }

    /** Periods follow each other without a gap, each applied within one command step of its end. */
    private static void assertOnTimeAndConsecutive(final List<long[]> ticks)
    {
        for (int i = 0; i < ticks.size(); i++)
        {
            final long[] tick = ticks.get(i);
            assertEquals(0, tick[2] % CONFIG.fundingIntervalNs(), "period end on the interval grid");
            if (i > 0)
            {
                assertEquals(ticks.get(i - 1)[2] + CONFIG.fundingIntervalNs(), tick[2], "no period skipped or doubled");
            }
            assertTrue(tick[3] - tick[2] <= 2 * 7 * SECOND, "applied on time: " + (tick[3] - tick[2]) + " ns late");
        }
    }
}
