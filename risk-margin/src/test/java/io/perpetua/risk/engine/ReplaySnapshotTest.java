package io.perpetua.risk.engine;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.SnapshotCodec;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4's last invariant: replaying the journal reproduces the state hash. A random session
 * ({@link RandomRiskSession}, liquidations included) is replayed command by command into a fresh
 * engine: the same events, byte for byte, and the same hash after every command. Then a snapshot taken
 * mid-way (books, accounts, positions, oracle state, risk parameters) is restored into another fresh
 * engine, which continues with the rest of the journal to the same events and final hash.
 */
class ReplaySnapshotTest
{
    private static final long SEED = 42;
    private static final int COMMANDS = 600;

    @Test
    void replayAndSnapshotRestoreReproduceTheSession()
    {
        final RiskHarness original = new RiskHarness();
        final RandomRiskSession session = new RandomRiskSession(original, SEED);
        session.setUp();
        session.run(COMMANDS);
        final List<byte[]> journal = original.journal;
        final long finalHash = original.hash();
        assertTrue(session.count("LiquidationStep") > 0 && session.count("Fill") > 0, session.counts.toString());

        final RiskHarness replay = new RiskHarness();
        final long[] hashes = new long[journal.size()];
        final int middle = journal.size() / 2;
        final ExpandableDirectByteBuffer snapshot = new ExpandableDirectByteBuffer(1 << 16);
        int snapshotLength = 0;
        for (int i = 0; i < journal.size(); i++)
        {
            replay.apply(journal.get(i));
            assertArrayEquals(original.eventLog.get(i), replay.eventLog.get(i), "events of command " + i);
            hashes[i] = replay.hash();
            if (i == middle)
            {
                snapshotLength = new SnapshotCodec().encode(replay.engine, hashes[i], snapshot);
            }
        }
        assertEquals(finalHash, replay.hash());

        // The restore checks the rebuilt state against the hash written in the snapshot, then continues.
        final RiskHarness restored = new RiskHarness();
        assertEquals(CommandAdapter.sequenceOf(new UnsafeBuffer(journal.get(middle)), 0),
            SnapshotCodec.restore(restored.engine, snapshot, 0, snapshotLength));
        assertEquals(hashes[middle], restored.hash());
        restored.checkInvariants();
        for (int i = middle + 1; i < journal.size(); i++)
        {
            restored.apply(journal.get(i));
            assertArrayEquals(original.eventLog.get(i), restored.eventLog.get(i - middle - 1), "events of command " + i);
            assertEquals(hashes[i], restored.hash(), "hash after command " + i);
        }
        assertEquals(finalHash, restored.hash());
    }

    /** The hash covers the risk state: the same books with another balance hash differently. */
    @Test
    void theStateHashCoversTheLedger()
    {
        final RiskHarness a = new RiskHarness();
        final RiskHarness b = new RiskHarness();
        for (final RiskHarness h : List.of(a, b))
        {
            h.market(1, 0, 0, 50_000, 30_000);
            h.oracle(1, 100 * RiskHarness.USD);
        }
        a.deposit(1, 100 * RiskHarness.USD);
        b.deposit(1, 101 * RiskHarness.USD);
        assertNotEquals(a.hash(), b.hash());
    }
}
