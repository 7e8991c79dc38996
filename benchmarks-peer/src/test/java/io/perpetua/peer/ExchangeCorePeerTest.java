package io.perpetua.peer;

import exchange.core2.core.common.CoreWaitStrategy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver reads the peer stream as exchange-core means it: exchange-core itself, fed the whole
 * stream through this driver, ends in the reference book. Without this a side-by-side figure could
 * come from a different workload.
 */
class ExchangeCorePeerTest
{
    @Test
    void exchangeCoreEndsThePeerStreamInTheReferenceBook() throws Exception
    {
        final Path workloads = ExchangeCorePeer.findWorkloads();
        final PeerStream stream = PeerStream.read(workloads.resolve(ExchangeCorePeer.COMMANDS_FILE));
        assertEquals(1_000, stream.fill().size());
        assertEquals(3_000_000, stream.timed().size());
        assertEquals(40_000, stream.symbol());

        final ExchangeCorePeer.Run run = ExchangeCorePeer.run(stream,
            new ExchangeCorePeer.Settings(CoreWaitStrategy.YIELDING, 1, 1, 1 << 14));

        final List<String> reference = Files.readAllLines(workloads.resolve(ExchangeCorePeer.L2_FILE));
        assertEquals(reference.get(0).replaceAll(" stateHash=-?\\d+", ""), run.book().get(0));
        assertTrue(ExchangeCorePeer.matches(reference, run.book()), "exchange-core's final book equals final-l2.txt");
        assertEquals(3_000_000, run.timedCommands());
        assertTrue(run.elapsedNs() > 0);
    }

    @Test
    void aBookOffByOneOrderOnOneLevelDoesNotMatch()
    {
        final List<String> reference = List.of("symbol=1 stateHash=-5 askLevels=1 bidLevels=1", "ASK 10 5 2", "BID 9 3 1");
        assertTrue(ExchangeCorePeer.matches(reference, List.of("symbol=1 askLevels=1 bidLevels=1", "ASK 10 5 2", "BID 9 3 1")));
        final List<String> offByOne = new ArrayList<>(List.of("symbol=1 askLevels=1 bidLevels=1", "ASK 10 5 2", "BID 9 3 2"));
        assertFalse(ExchangeCorePeer.matches(reference, offByOne));
        assertFalse(ExchangeCorePeer.matches(reference, List.of("symbol=1 askLevels=1 bidLevels=0", "ASK 10 5 2")));
        assertFalse(ExchangeCorePeer.matches(reference, List.of("symbol=2 askLevels=1 bidLevels=1", "ASK 10 5 2", "BID 9 3 1")));
    }
}
