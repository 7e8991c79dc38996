package io.perpetua.bench;

import io.perpetua.settlement.batch.BatchBlob;
import io.perpetua.settlement.batch.SettlementBatch;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.batch.BatchProofs;
import io.perpetua.settlement.stark.batch.BatchRecord;
import io.perpetua.settlement.stark.batch.RescueMerkleTree;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.SparseRescueTree;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Settlement throughput and latency: chained batches of N touched accounts each go through the
 * position-tree update with its witness, the STARK proof (BatchProofs.prove) and the contract's
 * verification (BatchVerifier in STARK mode, pinned parameters). Prints per batch the wall time of
 * each phase and the process CPU time, then the sustained records per second.
 *
 * <p>Usage: {@code SettlementHarness <records per batch> <batches> <P100|P128> <depth>}. Random
 * zero-sum balance changes over distinct accounts, seed 1; the first batch is a warm-up and is
 * left out of the totals.
 */
public final class SettlementHarness
{
    private SettlementHarness()
    {
    }

    public static void main(final String[] args) throws ContractException
    {
        final int records = Integer.parseInt(args[0]);
        final int batches = Integer.parseInt(args[1]);
        final ProofOptions options = ProofOptions.preset(args[2]);
        final int depth = Integer.parseInt(args[3]);
        final SplittableRandom random = new SplittableRandom(1);
        final SparseRescueTree positions = new SparseRescueTree(depth);
        final SparseRescueTree balances = new SparseRescueTree(depth);
        final RescueMerkleTree provingTree = new RescueMerkleTree(depth);
        final BatchVerifier verifier = new BatchVerifier(VerificationMode.STARK, options, depth);
        final Map<Long, Leaf> leaves = new HashMap<>();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        long totalRecords = 0;
        long totalWallNs = 0;
        long totalCpuNs = 0;
        for (int b = 1; b <= batches; b++)
        {
            final TreeSet<Long> accounts = new TreeSet<>();
            while (accounts.size() < records)
            {
                accounts.add(1 + random.nextLong((1L << depth) - 4));
            }
            final long cpu0 = os.getProcessCpuTime();
            final long t0 = System.nanoTime();
            final List<BatchBlob.Entry> entries = new ArrayList<>(records);
            long carry = 0;
            int i = 0;
            for (final long account : accounts)
            {
                final Leaf before = leaves.getOrDefault(account, Leaf.EMPTY);
                final long delta = ++i == records ? -carry : random.nextLong(-1_000_000_000L, 1_000_000_000L);
                carry += delta;
                final byte[] key = new byte[Leaf.KEY_LENGTH];
                key[0] = 1;
                key[1] = (byte)account;
                final Leaf after = new Leaf(key, before.balance() + delta, List.of(new Leaf.Position(1, 1 + random.nextInt(1_000), 0)));
                entries.add(new BatchBlob.Entry(account, before, after));
                leaves.put(account, after);
            }
            final BatchBlob blob = new BatchBlob(b, b, b, b, b, depth, List.of(new BatchBlob.MarketPrice(1, 60_000, 1, 0)), entries,
                List.of(), List.of());
            final byte[] blobBytes = blob.encode();
            final long[] prevPositionRoot = positions.root();
            final long[][][] positionPaths = new long[entries.size()][][];
            for (int e = 0; e < entries.size(); e++)
            {
                positionPaths[e] = positions.path(entries.get(e).index());
                positions.set(entries.get(e).index(), entries.get(e).after().digest());
            }
            final List<BatchRecord> recordList = blob.records();
            final long[] prevBalanceRoot = balances.root();
            final long[][][] balancePaths = new long[recordList.size()][][];
            for (int r = 0; r < recordList.size(); r++)
            {
                balancePaths[r] = balances.path(recordList.get(r).accountId());
                balances.set(recordList.get(r).accountId(), BatchVerifier.balanceLeaf(recordList.get(r).postBalance()));
            }
            final long t1 = System.nanoTime();
            final BatchProofs.Proven proven = BatchProofs.prove(b, provingTree, recordList, 0, 0, options, BatchProofs.DEFAULT_CHUNK);
            final SettlementBatch batch = new SettlementBatch(blobBytes, BatchBlob.sha256(blobBytes), prevPositionRoot, positions.root(),
                proven.inputs(), positionPaths, balancePaths, proven.proof().toBytes());
            final long t2 = System.nanoTime();
            verifier.verify(batch, b - 1, prevPositionRoot, prevBalanceRoot);
            final long t3 = System.nanoTime();
            final long cpu = os.getProcessCpuTime() - cpu0;
            System.out.printf("batch %d records=%d tree-ms=%d prove-ms=%d verify-ms=%d total-ms=%d cpu-ms=%d proof-bytes=%d%n", b, records,
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t3 - t0) / 1_000_000, cpu / 1_000_000,
                batch.proof().length);
            if (b > 1)
            {
                totalRecords += records;
                totalWallNs += t3 - t0;
                totalCpuNs += cpu;
            }
        }
        if (totalWallNs > 0)
        {
            System.out.printf("RESULT settlement records=%d depth=%d preset=%s batches=%d records-per-s=%d records-per-cpu-s=%d%n", records,
                depth, args[2], batches - 1, totalRecords * 1_000_000_000L / totalWallNs, totalRecords * 1_000_000_000L / totalCpuNs);
        }
    }
}
