package io.perpetua.node.bench;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.CancelReason;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.FundingTickAppliedDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderTriggeredDecoder;
import org.agrona.DirectBuffer;
import io.perpetua.node.Engines;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The perpetuals generator is deterministic, does what it says, and its expected hash is reproducible. */
class PerpetualsWorkloadTest
{
    private static final PerpetualsWorkload.Config SMALL = new PerpetualsWorkload.Config(2, 4, 40, 30_000, 3_000);

    @Test
    void sameConfigGivesTheSameStreamAndADifferentSeedAnother()
    {
        final PerpetualsWorkload first = PerpetualsWorkload.generate(SMALL);
        final PerpetualsWorkload again = PerpetualsWorkload.generate(SMALL);
        final EncodedStream a = first.stream();
        final EncodedStream b = again.stream();
        assertEquals(a.end(), b.end());
        for (int i = 0; i < a.end(); i++)
        {
            if (a.buffer().getByte(i) != b.buffer().getByte(i))
            {
                throw new AssertionError("streams differ at byte " + i + " (seed " + SMALL.seed() + ")");
            }
        }
        assertEquals(first.expectedStateHash(), again.expectedStateHash());
        final PerpetualsWorkload other = PerpetualsWorkload.generate(new PerpetualsWorkload.Config(3, 4, 40, 30_000, 3_000));
        assertNotEquals(first.expectedStateHash(), other.expectedStateHash());
    }

    @Test
    void flowTradesMovesPricesAndLiquidates()
    {
        final PerpetualsWorkload workload = PerpetualsWorkload.generate(SMALL);
        final PerpetualsWorkload.Summary summary = workload.summary();
        assertTrue(workload.stream().timedCount() >= SMALL.timedCommands(), "timed " + workload.stream().timedCount());
        assertTrue(summary.oracleRounds() > 0 && summary.oracleRounds() <= SMALL.timedCommands() / SMALL.oracleInterval(),
            "oracle rounds " + summary.oracleRounds());
        assertTrue(summary.fills() > 1_000, "fills " + summary.fills());
        assertTrue(summary.liquidateCommands() > 0, "Liquidate commands " + summary.liquidateCommands());
        assertTrue(summary.liquidationSteps() > 0, "liquidation steps " + summary.liquidationSteps());
        assertTrue(summary.openInterestLots() > 0, "open interest " + summary.openInterestLots());
        assertTrue(summary.fundingRounds() > 0, "funding rounds " + summary.fundingRounds());
        assertEquals(workload.stream().totalCount(), summary.commands());
        // The rest of what issue 8 asks of the flow, counted from the events a replay produces.
        final EventCounts events = assertReplaysToTheExpectedHash(workload);
        assertEquals(summary.fundingRounds() * SMALL.markets(), events.fundingTicks, "every funding tick applied");
        assertTrue(events.triggered > 20, "conditional orders fired by oracle moves: " + events.triggered);
        assertTrue(events.reduceOnlyCancels + events.reduceOnlyCuts > 20,
            "reduce-only orders cancelled or cut as positions shrank: " + events.reduceOnlyCancels + ", " + events.reduceOnlyCuts);
        assertTrue(events.amendsThatTraded > 5, "amends through the book: " + events.amendsThatTraded);
    }

    /** Events of kinds the flow must reach. */
    private static final class EventCounts
    {
        long fundingTicks;
        long triggered;
        long reduceOnlyCancels;
        long reduceOnlyCuts;
        long amendsThatTraded;
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final OrderCancelledDecoder cancelled = new OrderCancelledDecoder();
        private final OrderAmendedDecoder amended = new OrderAmendedDecoder();

        void count(final DirectBuffer events, final int length)
        {
            boolean amendedWithoutPriority = false;
            for (int at = 0; at < length; at += MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength())
            {
                header.wrap(events, at);
                switch (header.templateId())
                {
                    case FundingTickAppliedDecoder.TEMPLATE_ID -> fundingTicks++;
                    case OrderTriggeredDecoder.TEMPLATE_ID -> triggered++;
                    case OrderCancelledDecoder.TEMPLATE_ID ->
                    {
                        if (cancelled.wrapAndApplyHeader(events, at, header).reason() == CancelReason.REDUCE_ONLY)
                        {
                            reduceOnlyCancels++;
                        }
                    }
                    case OrderAmendedDecoder.TEMPLATE_ID ->
                    {
                        final boolean kept = amended.wrapAndApplyHeader(events, at, header).priorityKept() == BooleanType.TRUE;
                        reduceOnlyCuts += kept ? 1 : 0;
                        amendedWithoutPriority |= !kept;
                    }
                    case FillDecoder.TEMPLATE_ID -> amendsThatTraded += amendedWithoutPriority ? 1 : 0;
                    default ->
                    {
                    }
                }
                if (header.templateId() == FillDecoder.TEMPLATE_ID)
                {
                    amendedWithoutPriority = false;
                }
            }
        }
    }

    /** Applying the stream with the stepping clock's stamps, as a pipeline would, reaches the expected state. */
    @Test
    void streamReplayedWithTheSteppingClockReachesTheExpectedHash()
    {
        assertReplaysToTheExpectedHash(PerpetualsWorkload.generate(SMALL));
    }

    /**
     * Issue 8: with this seed a liquidation's slice finds no bid within its limit (a solvent account, a
     * fund that can pay: nothing is deleveraged) at about command 50,000, and the monitor used to ask
     * for it again after every result, so the generator threw "did not settle" (the standard workload
     * did so at 2M commands). The parked account is liquidated once liquidity or a new mark comes.
     */
    @Test
    void aLiquidationThatFindsNoLiquidityDoesNotStallTheFlow()
    {
        final PerpetualsWorkload.Config config = new PerpetualsWorkload.Config(1, 4, 40, 100_000, 2_000);
        final PerpetualsWorkload workload = PerpetualsWorkload.generate(config);
        final PerpetualsWorkload.Summary summary = workload.summary();
        assertTrue(workload.stream().timedCount() >= config.timedCommands(), "timed " + workload.stream().timedCount());
        assertTrue(summary.liquidationSteps() > summary.liquidateCommands() / 2 && summary.liquidateCommands() < 5_000,
            "Liquidate commands " + summary.liquidateCommands() + ", steps " + summary.liquidationSteps());
        assertReplaysToTheExpectedHash(workload);
    }

    private static EventCounts assertReplaysToTheExpectedHash(final PerpetualsWorkload workload)
    {
        final EventCounts counts = new EventCounts();
        final EncodedStream stream = workload.stream();
        final MatchingEngine engine = Engines.standard();
        final CommandAdapter adapter = new CommandAdapter(engine);
        final SteppingClock clock = PerpetualsWorkload.clock();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        long sequence = 0;
        int position = 0;
        while (position < stream.end())
        {
            final int length = stream.buffer().getInt(position);
            command.putBytes(0, stream.buffer(), position + Integer.BYTES, length);
            CommandAdapter.stamp(command, 0, ++sequence, clock.nanoTime());
            adapter.apply(command, 0, length);
            counts.count(engine.events().buffer(), engine.events().length());
            position += Integer.BYTES + length;
        }
        assertEquals(workload.lastSequence(), engine.lastSequence());
        assertEquals(workload.expectedStateHash(), engine.stateHash(), "seed " + workload.config().seed());
        return counts;
    }

    @Test
    void badConfigsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new PerpetualsWorkload.Config(1, 0, 10, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new PerpetualsWorkload.Config(1, 5, 10, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new PerpetualsWorkload.Config(1, 2, 0, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new PerpetualsWorkload.Config(1, 2, 10, 10, 0));
    }

    @Test
    void builderRefusesPrefillAfterTheTimedPart()
    {
        final EncodedStream.Builder builder = new EncodedStream.Builder(64);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[8]);
        builder.append(false, command, 0, 8);
        builder.append(true, command, 0, 4);
        assertThrows(IllegalStateException.class, () -> builder.append(false, command, 0, 8));
        final EncodedStream stream = builder.build();
        assertEquals(1, stream.prefillCount());
        assertEquals(1, stream.timedCount());
        assertEquals(Integer.BYTES + 8, stream.prefillEnd());
        assertEquals(2 * Integer.BYTES + 12, stream.end());
    }
}
