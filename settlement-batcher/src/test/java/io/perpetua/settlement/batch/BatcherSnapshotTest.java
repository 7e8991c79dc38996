package io.perpetua.settlement.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import io.perpetua.core.sbe.Side;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.tree.Leaf;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.perpetua.settlement.batch.SettlementHarness.COIN;
import static io.perpetua.settlement.batch.SettlementHarness.USD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batcher that stores snapshots resumes after the newest usable one, reading only the events
 * after it, and produces the same batches as a batcher that never stopped; damaged or inconsistent
 * snapshots are passed over for an older one or for the journal's start, and say why.
 */
class BatcherSnapshotTest
{
    private static final int TRANSITIONS = 3;

    @TempDir
    Path dir;

    private final List<SettlementBatch> reference = new ArrayList<>();
    private SettlementHarness session;

    /** The uninterrupted run (no snapshots), whose batches every variant below must reproduce. */
    private List<byte[]> journal() throws Exception
    {
        session = new SettlementHarness(dir.resolve("reference"), TRANSITIONS, ProofOptions.P100, reference::add);
        session.market(1, 0, 500, 50_000, 30_000);
        session.oracle(1, 100 * USD);
        session.deposit(1, 1_000 * USD);
        session.deposit(2, 1_000 * USD);
        session.deposit(3, 500 * USD);
        session.limit(2, 1, Side.SELL, 100 * USD, 3 * COIN);
        session.limit(1, 1, Side.BUY, 100 * USD, 1 * COIN);
        session.oracle(1, 97 * USD);
        session.limit(3, 1, Side.BUY, 100 * USD, 1 * COIN);
        session.withdraw(3, 50 * USD, 1);
        session.limit(1, 1, Side.BUY, 100 * USD, 1 * COIN);
        session.transfer(2, 4, 10 * USD, 1);
        session.batcher.flush();
        assertTrue(reference.size() >= 4, "enough batches to resume between: " + reference.size());
        return session.documents;
    }

    @Test
    void aRestartedBatcherResumesAfterItsNewestSnapshotWithTheSameBatches() throws Exception
    {
        final List<byte[]> journal = journal();
        final long seed = System.nanoTime();
        final int stopAt = 1 + new SplittableRandom(seed).nextInt(journal.size() - 1);
        final BatchStore store = new BatchStore(dir.resolve("b"));

        final Batcher first = batcher(store);
        feed(first, journal.subList(0, stopAt), 0);
        first.close();
        final long stored = store.lastContiguousId();

        final Batcher second = batcher(store);
        if (stored == 0)
        {
            assertEquals("no snapshot: reading the events journal from its start", second.startState(), "seed " + seed);
            assertEquals(0, second.resumeSequence());
        }
        else
        {
            assertEquals("resumed after batch " + stored + " (sequence " + second.resumeSequence() + ") from its snapshot",
                second.startState(), "seed " + seed);
            assertEquals(store.read(stored).orElseThrow().decodedBlob().lastSequence(), second.resumeSequence(), "seed " + seed);
        }
        // As the node's tailer does: the reader starts after the snapshot's sequence.
        final int fed = feed(second, journal, second.resumeSequence());
        assertTrue(stored == 0 || fed < journal.size(), "the events up to the snapshot are not read again, seed " + seed);
        second.flush();
        second.close();
        assertNull(second.failure(), "seed " + seed);

        assertSameBatches(store, "seed " + seed);
        assertEquals(List.of((long)reference.size() - 1, (long)reference.size()), store.snapshotIds(),
            "seed " + seed + ": the two newest snapshots are kept");
        for (long account = 1; account <= 4; account++)
        {
            assertEquals(session.batcher.committedLeaf(account), second.committedLeaf(account), "seed " + seed + " account " + account);
        }
    }

    @Test
    void aDamagedSnapshotIsPassedOverForTheOlderOne() throws Exception
    {
        final List<byte[]> journal = journal();
        final BatchStore store = settledWithSnapshots(journal);
        final long newest = reference.size();
        final Path file = store.snapshotFile(newest);
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);

        final Batcher second = batcher(store);
        assertEquals("resumed after batch " + (newest - 1) + " (sequence " + second.resumeSequence() + ") from its snapshot; "
            + "snapshot of batch " + newest + " not used: batcher snapshot damaged (digest mismatch)", second.startState());
        feed(second, journal, second.resumeSequence());
        second.flush();
        second.close();
        assertNull(second.failure());
        assertSameBatches(store, "after the damaged snapshot");
    }

    @Test
    void snapshotsWhoseLeavesDoNotRebuildTheStoredRootsAreNotUsed() throws Exception
    {
        final List<byte[]> journal = journal();
        final BatchStore store = settledWithSnapshots(journal);
        final long newest = reference.size();
        Files.write(store.snapshotFile(newest), new byte[] {1, 2, 3});
        // Well-formed, digest and all, but one balance off by a quantum.
        final BatcherSnapshot older = BatcherSnapshot.decode(store.readSnapshot(newest - 1).orElseThrow());
        final Map<Long, Leaf> leaves = new TreeMap<>(older.leaves());
        leaves.put(1L, leaves.get(1L).withBalance(leaves.get(1L).balance() + 1));
        Files.write(store.snapshotFile(newest - 1), new BatcherSnapshot(older.batchId(), older.lastSequence(), older.lastTimeNs(),
            older.depth(), older.markets(), leaves).encode());

        final Batcher second = batcher(store);
        assertEquals("no usable snapshot: reading the events journal from its start; snapshot of batch " + newest
            + " not used: batcher snapshot truncated; snapshot of batch " + (newest - 1)
            + " not used: its leaves do not rebuild the stored batch's roots", second.startState());
        assertEquals(0, second.resumeSequence());
        feed(second, journal, 0);
        second.flush();
        second.close();
        assertNull(second.failure());
        assertSameBatches(store, "from the journal's start");
    }

    @Test
    void theSnapshotFormatIsStrict() throws Exception
    {
        final BatchStore store = settledWithSnapshots(journal());
        final byte[] bytes = store.readSnapshot(reference.size()).orElseThrow();
        final BatcherSnapshot snapshot = BatcherSnapshot.decode(bytes);
        assertEquals(reference.size(), snapshot.batchId());
        assertEquals(SettlementHarness.DEPTH, snapshot.depth());
        assertEquals(1, snapshot.markets().size());
        assertArrayEquals(bytes, snapshot.encode(), "decode and encode round-trip");

        final byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertThrows(IllegalArgumentException.class, () -> BatcherSnapshot.decode(truncated));
        final byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> BatcherSnapshot.decode(longer));
        final byte[] blob = store.read(1).orElseThrow().blob();
        assertEquals("batcher snapshot damaged (digest mismatch)",
            assertThrows(IllegalArgumentException.class, () -> BatcherSnapshot.decode(blob)).getMessage());
        final BatcherSnapshot otherDepth = new BatcherSnapshot(snapshot.batchId(), snapshot.lastSequence(), snapshot.lastTimeNs(),
            SettlementHarness.DEPTH + 1, snapshot.markets(), snapshot.leaves());
        store.writeSnapshot(snapshot.batchId(), otherDepth.encode());
        assertTrue(batcher(store).startState().contains("snapshot of batch " + snapshot.batchId() + " not used: it is of batch "
            + snapshot.batchId() + " at depth " + (SettlementHarness.DEPTH + 1)));
    }

    /** A store holding every batch of the journal and the snapshots of the last two. */
    private BatchStore settledWithSnapshots(final List<byte[]> journal)
    {
        final BatchStore store = new BatchStore(dir.resolve("b"));
        final Batcher batcher = batcher(store);
        feed(batcher, journal, 0);
        batcher.flush();
        batcher.close();
        return store;
    }

    private Batcher batcher(final BatchStore store)
    {
        return new Batcher(SettlementHarness.config(TRANSITIONS, ProofOptions.P100, 1), store, batch -> { });
    }

    /** Feeds the documents whose sequence is above {@code after}; returns how many. */
    private static int feed(final Batcher batcher, final List<byte[]> documents, final long after)
    {
        int fed = 0;
        for (final byte[] document : documents)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(document);
            if (L2Ledger.sequenceOf(buffer, 0) > after)
            {
                batcher.onEvents(buffer, 0, document.length);
                fed++;
            }
        }
        return fed;
    }

    private void assertSameBatches(final BatchStore store, final String context)
    {
        final List<Long> expected = new ArrayList<>();
        for (long id = 1; id <= reference.size(); id++)
        {
            expected.add(id);
        }
        assertEquals(expected, store.ids(), context + ": every batch stored once");
        for (int i = 0; i < reference.size(); i++)
        {
            final SettlementBatch stored = store.read(i + 1).orElseThrow();
            assertArrayEquals(reference.get(i).blob(), stored.blob(), context + ", batch " + (i + 1));
            assertArrayEquals(reference.get(i).newPositionRoot(), stored.newPositionRoot(), context + ", batch " + (i + 1));
            assertArrayEquals(reference.get(i).inputs().newRoot(), stored.inputs().newRoot(), context + ", batch " + (i + 1));
        }
    }
}
