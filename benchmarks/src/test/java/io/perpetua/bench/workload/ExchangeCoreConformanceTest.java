package io.perpetua.bench.workload;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.node.bench.ExchangeCoreStream;
import io.perpetua.node.bench.L2Book;
import io.perpetua.node.bench.Workloads;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance with exchange-core: its own 3M-command benchmark stream, replayed through
 * Perpetua's engine, must leave exactly the book exchange-core left (every level's price, total
 * size and order count).
 */
class ExchangeCoreConformanceTest
{
    private static final int SYMBOL = 40000;

    @Test
    void peerStreamEndsInTheReferenceBook() throws IOException
    {
        final Path workloads = Workloads.directory();
        final MatchingEngine engine = new MatchingEngine(new EngineConfig(1 << 16, 1 << 22), new OrderLimitsGate(),
            new EventPublisher());
        final CommandAdapter adapter = new CommandAdapter(engine);
        final ExchangeCoreStream stream = new ExchangeCoreStream();
        final UnsafeBuffer market = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        final long[] sequence = {1};
        final int marketLength = stream.encodeMarket(market, SYMBOL);
        CommandAdapter.stamp(market, 0, sequence[0], 1);
        adapter.apply(market, 0, marketLength);

        final long[] timed = {0};
        final long rows = stream.forEach(workloads.resolve("exchange-core-3m.commands.csv.gz"), (isTimed, buffer, offset, length) ->
        {
            final UnsafeBuffer command = (UnsafeBuffer)buffer;
            sequence[0]++;
            CommandAdapter.stamp(command, offset, sequence[0], sequence[0]);
            adapter.apply(command, offset, length);
            if (isTimed)
            {
                timed[0]++;
            }
        });
        assertEquals(3_001_000, rows);
        assertEquals(3_000_000, timed[0]);

        final List<String> expected = Files.readAllLines(workloads.resolve("exchange-core-3m.final-l2.txt"));
        final List<String> actual = L2Book.lines(engine.state().book(SYMBOL), engine.stateHash());
        assertTrue(expected.size() > 500, "reference book has " + expected.size() + " lines");
        assertEquals(L2Book.withoutHash(expected.get(0)), L2Book.withoutHash(actual.get(0)));
        assertEquals(expected.subList(1, expected.size()), actual.subList(1, actual.size()));
    }
}
