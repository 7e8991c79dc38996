package io.perpetua.settlement.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.core.sbe.Side;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.SettlementContract;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.stark.ProofOptions;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.perpetua.settlement.batch.SettlementHarness.COIN;
import static io.perpetua.settlement.batch.SettlementHarness.USD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batcher killed mid-batch (and once between storing a batch and submitting it) resumes from the
 * event journal with the same batches: no gap, no duplicate, the same blobs and roots as a run that
 * was never interrupted.
 */
class BatcherRestartTest
{
    @TempDir
    Path dir;

    @Test
    void aKilledBatcherResumesWithoutGapOrDuplicate() throws Exception
    {
        // The uninterrupted run.
        final List<SettlementBatch> reference = new ArrayList<>();
        final SettlementHarness a = new SettlementHarness(dir.resolve("a"), 3, ProofOptions.P100, reference::add);
        a.market(1, 0, 500, 50_000, 30_000);
        a.oracle(1, 100 * USD);
        a.deposit(1, 1_000 * USD);
        a.deposit(2, 1_000 * USD);
        a.deposit(3, 500 * USD);
        a.limit(2, 1, Side.SELL, 100 * USD, 3 * COIN);
        a.limit(1, 1, Side.BUY, 100 * USD, 1 * COIN);
        a.limit(3, 1, Side.BUY, 100 * USD, 1 * COIN);
        a.withdraw(3, 50 * USD, 1);
        a.limit(1, 1, Side.BUY, 100 * USD, 1 * COIN);
        a.transfer(2, 4, 10 * USD, 1);
        a.batcher.flush();
        final List<byte[]> journal = a.documents;
        final int batches = reference.size();
        assertTrue(batches >= 4, "enough batches to interrupt: " + batches);

        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final int killAt = 1 + random.nextInt(journal.size() - 2);
        final Path b = dir.resolve("b");
        final BatchStore store = new BatchStore(b.resolve("batches"));
        final Path stateFile = b.resolve("contract.state");
        final long now = a.nowNs;
        final SettlementContract first = contract(stateFile);
        first.deposit(1, SettlementHarness.ownerKey(1), 1_000 * USD);
        first.deposit(2, SettlementHarness.ownerKey(2), 1_000 * USD);
        first.deposit(3, SettlementHarness.ownerKey(3), 500 * USD);

        // First life: crashes after storing batch 2 but before submitting it, or is killed at a random command.
        final Batcher crashing = new Batcher(SettlementHarness.config(3, ProofOptions.P100), store, batch ->
        {
            if (batch.batchId() == 2)
            {
                throw new IllegalStateException("killed between store and submit");
            }
            first.submitIfNew(batch, now);
        });
        try
        {
            for (int i = 0; i < killAt; i++)
            {
                crashing.onEvents(new UnsafeBuffer(journal.get(i)), 0, journal.get(i).length);
            }
        }
        catch (final IllegalStateException stopped)
        {
            assertNotNull(crashing.failure(), "seed " + seed);
        }
        Files.createDirectories(store.dir());
        Files.write(store.file(store.lastContiguousId() + 1).resolveSibling("half-written.psb.tmp"), new byte[] {1, 2, 3});

        // Second life: a new process (new contract object from its file, new batcher) reads the journal from the start.
        final SettlementContract second = contract(stateFile);
        final List<Long> submitted = new ArrayList<>();
        final Batcher resumed = new Batcher(SettlementHarness.config(3, ProofOptions.P100), store, batch ->
        {
            if (second.submitIfNew(batch, now))
            {
                submitted.add(batch.batchId());
            }
        });
        for (final byte[] document : journal)
        {
            resumed.onEvents(new UnsafeBuffer(document), 0, document.length);
        }
        resumed.flush();
        assertEquals(null, resumed.failure(), "seed " + seed);

        final List<Long> expectedIds = new ArrayList<>();
        for (long id = 1; id <= batches; id++)
        {
            expectedIds.add(id);
        }
        assertEquals(expectedIds, store.ids(), "seed " + seed + ": every batch stored once");
        assertEquals(batches, second.lastBatchId(), "seed " + seed);
        for (int i = 0; i < batches; i++)
        {
            final SettlementBatch stored = store.read(i + 1).orElseThrow();
            assertArrayEquals(reference.get(i).blob(), stored.blob(), "seed " + seed + " batch " + (i + 1));
            assertArrayEquals(reference.get(i).newPositionRoot(), stored.newPositionRoot(), "seed " + seed);
        }
        for (int i = 1; i < submitted.size(); i++)
        {
            assertEquals(submitted.get(i - 1) + 1, submitted.get(i), "seed " + seed + ": submitted in order without repeats");
        }
        assertArrayEquals(reference.get(batches - 1).newPositionRoot(), second.positionRoot());
        assertEquals(a.contract.escrow(), second.escrow(), "same money at both contracts");
    }

    @Test
    void aJournalThatDivergesFromTheStoredBatchesStopsTheBatcher() throws Exception
    {
        final List<SettlementBatch> out = new ArrayList<>();
        final SettlementHarness a = new SettlementHarness(dir.resolve("a"), 2, ProofOptions.P100, out::add);
        a.market(1, 0, 0, 50_000, 30_000);
        a.deposit(1, 1_000 * USD);
        a.deposit(2, 1_000 * USD);
        a.batcher.flush();
        final SettlementHarness other = new SettlementHarness(dir.resolve("other"), 2, ProofOptions.P100, batch -> { });
        other.market(1, 0, 0, 50_000, 30_000);
        other.deposit(1, 999 * USD);
        final Batcher wrong = new Batcher(SettlementHarness.config(2, ProofOptions.P100), a.store, batch -> { });
        for (final byte[] document : other.documents)
        {
            wrong.onEvents(new UnsafeBuffer(document), 0, document.length);
        }
        assertTrue(wrong.failure().getMessage().contains("differs from the one the journal implies"), String.valueOf(wrong.failure()));
        assertThrows(IllegalStateException.class, () -> wrong.onEvents(new UnsafeBuffer(a.documents.get(0)), 0, a.documents.get(0).length));
    }

    private static SettlementContract contract(final Path stateFile)
    {
        return new SettlementContract(new BatchVerifier(VerificationMode.STARK, ProofOptions.P100, SettlementHarness.DEPTH),
            SettlementHarness.GRACE_NS, stateFile);
    }
}
