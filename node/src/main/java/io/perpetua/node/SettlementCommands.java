package io.perpetua.node;

import io.perpetua.node.config.ConfigLoader;
import io.perpetua.settlement.batch.BatchBlob;
import io.perpetua.settlement.batch.BatchStore;
import io.perpetua.settlement.batch.SettlementBatch;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.escape.EscapeProof;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.ReservedLeaves;
import io.perpetua.settlement.tree.SparseRescueTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code perpetua batches list|show|verify DIR} and {@code perpetua escape-proof DIR --account N}. */
final class SettlementCommands
{
    private SettlementCommands()
    {
    }

    /** DIR may be a journal directory (batches under settlement/batches) or the batches directory itself. */
    static BatchStore store(final Path dir)
    {
        final Path nested = BatchStore.batchesDir(dir);
        final BatchStore store = new BatchStore(Files.isDirectory(nested) ? nested : dir);
        if (store.ids().isEmpty())
        {
            throw new IllegalArgumentException("no settlement batches in " + dir);
        }
        return store;
    }

    static String hex(final long[] digest)
    {
        return String.format("%016x%016x%016x%016x", digest[0], digest[1], digest[2], digest[3]);
    }

    /** {@code perpetua batches}. */
    @Command(name = "batches", mixinStandardHelpOptions = true, description = "Inspect and verify settlement batches.",
        subcommands = {Batches.ListBatches.class, Batches.Show.class, Batches.Verify.class})
    static final class Batches implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return PerpetuaCli.usage(spec);
        }

        /** {@code perpetua batches list DIR}. */
        @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per stored batch.")
        static final class ListBatches implements Callable<Integer>
        {
            @Spec
            CommandSpec spec;

            @Parameters(index = "0", paramLabel = "DIR", description = "Journal or batches directory.")
            Path dir;

            @Override
            public Integer call()
            {
                final BatchStore store = store(dir);
                final PrintWriter out = spec.commandLine().getOut();
                for (final long id : store.ids())
                {
                    final SettlementBatch batch = store.read(id).orElseThrow();
                    final BatchBlob blob = batch.decodedBlob();
                    out.printf("batch %d seq %d..%d entries=%d records=%d deposits=%d withdrawals=%d E=%d fee=%d insurance=%d "
                            + "blob-bytes=%d proof-bytes=%d%n", id, blob.firstSequence(), blob.lastSequence(), blob.entries().size(),
                        batch.inputs().recordCount(), blob.deposits().size(), blob.withdrawals().size(), batch.inputs().netDeposits(),
                        batch.inputs().feeDelta(), batch.inputs().insuranceDelta(), batch.blob().length, batch.proof().length);
                }
                return 0;
            }
        }

        /** {@code perpetua batches show DIR --batch N}. */
        @Command(name = "show", mixinStandardHelpOptions = true, description = "A batch's header, state diff, deposits and withdrawals.")
        static final class Show implements Callable<Integer>
        {
            @Spec
            CommandSpec spec;

            @Parameters(index = "0", paramLabel = "DIR", description = "Journal or batches directory.")
            Path dir;

            @Option(names = "--batch", required = true, description = "Batch id.")
            long batchId;

            @Override
            public Integer call()
            {
                final SettlementBatch batch = store(dir).read(batchId)
                    .orElseThrow(() -> new IllegalArgumentException("no batch " + batchId + " in " + dir));
                final BatchBlob blob = batch.decodedBlob();
                final PrintWriter out = spec.commandLine().getOut();
                out.printf("batch %d seq %d..%d time %d..%d depth %d%n", batchId, blob.firstSequence(), blob.lastSequence(),
                    blob.firstTimeNs(), blob.lastTimeNs(), blob.treeDepth());
                out.printf("position-root %s -> %s%n", hex(batch.prevPositionRoot()), hex(batch.newPositionRoot()));
                out.printf("balance-root %s -> %s%n", hex(batch.inputs().prevRoot()), hex(batch.inputs().newRoot()));
                out.printf("D %s n=%d E=%d fee=%d insurance=%d%n", hex(batch.inputs().daCommitment()), batch.inputs().recordCount(),
                    batch.inputs().netDeposits(), batch.inputs().feeDelta(), batch.inputs().insuranceDelta());
                for (final BatchBlob.MarketPrice m : blob.markets())
                {
                    out.printf("market %d mark-ticks=%d quantums-per-tick-lot=%d funding-index=%d%n", m.marketId(), m.markTicks(),
                        m.quantumsPerTickLot(), m.fundingIndex());
                }
                for (final BatchBlob.Entry e : blob.entries())
                {
                    out.printf("leaf %d (%s) balance %d -> %d positions %s%n", e.index(),
                        ReservedLeaves.describe(e.index(), blob.treeDepth()), e.before().balance(), e.after().balance(),
                        positions(e.after()));
                }
                for (final BatchBlob.Deposit d : blob.deposits())
                {
                    out.printf("deposit id=%d account=%d amount=%d%n", d.depositId(), d.accountId(), d.amount());
                }
                for (final BatchBlob.Withdrawal w : blob.withdrawals())
                {
                    out.printf("withdrawal account=%d nonce=%d amount=%d%n", w.accountId(), w.nonce(), w.amount());
                }
                return 0;
            }

            private static String positions(final Leaf leaf)
            {
                final StringBuilder sb = new StringBuilder("[");
                for (final Leaf.Position p : leaf.positions())
                {
                    sb.append(sb.length() > 1 ? ", " : "").append(p.marketId()).append(':').append(p.sizeLots());
                }
                return sb.append(']').toString();
            }
        }

        /** {@code perpetua batches verify DIR}. */
        @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Re-check every batch from its blob and proof alone, in order; stops non-zero at the first bad one. "
                + "Ends with 'RESULT batches verified=<n> failed=<n>'.")
        static final class Verify implements Callable<Integer>
        {
            @Spec
            CommandSpec spec;

            @Parameters(index = "0", paramLabel = "DIR", description = "Journal or batches directory.")
            Path dir;

            @Option(names = "--mode", defaultValue = "STARK", description = "STARK or RE_EXECUTION (default: ${DEFAULT-VALUE}).")
            VerificationMode mode;

            @Option(names = "--preset", defaultValue = "P100", description = "Pinned proof parameters (default: ${DEFAULT-VALUE}).")
            String preset;

            @Option(names = "--depth", defaultValue = "" + ConfigLoader.DEFAULT_TREE_DEPTH,
                description = "Pinned tree depth (default: ${DEFAULT-VALUE}, the demo's).")
            int depth;

            @Override
            public Integer call()
            {
                final BatchStore store = store(dir);
                final BatchVerifier verifier = new BatchVerifier(mode, ProofOptions.preset(preset), depth);
                final PrintWriter out = spec.commandLine().getOut();
                long[] positionRoot = SparseRescueTree.emptyRoot(depth);
                long[] balanceRoot = positionRoot;
                long lastTimeNs = Long.MIN_VALUE;
                long previous = 0;
                int verified = 0;
                int failed = 0;
                final List<Long> ids = store.ids();
                for (final long id : ids)
                {
                    try
                    {
                        final SettlementBatch batch = store.read(id).orElseThrow();
                        final BatchBlob blob = verifier.verify(batch, previous, positionRoot, balanceRoot);
                        if (blob.firstTimeNs() < lastTimeNs)
                        {
                            throw new ContractException(ContractException.Reason.TIME_WINDOW, "batch starts before the previous one ended");
                        }
                        out.printf("batch %d ok (%d records, %d proof bytes)%n", id, batch.inputs().recordCount(), batch.proof().length);
                        verified++;
                        previous = id;
                        positionRoot = batch.newPositionRoot();
                        balanceRoot = batch.inputs().newRoot();
                        lastTimeNs = blob.lastTimeNs();
                    }
                    catch (final ContractException | IllegalArgumentException ex)
                    {
                        out.printf("batch %d FAILED %s%n", id, ex.getMessage());
                        failed++;
                        break;
                    }
                }
                out.printf("RESULT batches verified=%d failed=%d%n", verified, failed);
                return failed == 0 ? 0 : PerpetuaCli.EXIT_MISMATCH;
            }
        }
    }

    /** {@code perpetua escape-proof DIR --account N}. */
    @Command(name = "escape-proof", mixinStandardHelpOptions = true,
        description = "Rebuild the position tree from the batch blobs and print an account's leaf, Merkle path and escape value.")
    static final class EscapeProofCommand implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Journal or batches directory.")
        Path dir;

        @Option(names = "--account", required = true, description = "Account id (leaf index).")
        long account;

        @Option(names = "--batch", description = "Prove against the root after this batch (default: the last stored one).")
        Long batch;

        @Override
        public Integer call()
        {
            final BatchStore store = store(dir);
            final long last = batch != null ? batch : store.lastContiguousId();
            final int depth = store.read(1).orElseThrow().decodedBlob().treeDepth();
            if (account < 0 || account >= (1L << depth))
            {
                throw new IllegalArgumentException("account " + account + " outside a depth-" + depth + " tree");
            }
            spec.commandLine().getOut().println(EscapeProof.fromStore(store, account, last).format());
            return 0;
        }
    }
}
