package io.perpetua.node;

import io.perpetua.node.config.ConfigLoader;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.settlement.batch.BatchStore;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.SettlementContract;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.stark.ProofOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo settles through the batcher and the contract; {@code batches verify} re-checks its batch
 * files from blobs and proofs alone (and stops at a tampered one); {@code escape-proof} prints a path
 * that verifies.
 */
class SettlementCommandsTest
{
    private static final Pattern RESULT = Pattern.compile("RESULT demo .* batches=(\\d+)");

    @TempDir
    static Path dir;

    private static Path journal;
    private static long batches;

    record Run(int exitCode, List<String> out, String err)
    {
        String lastLine()
        {
            return out.isEmpty() ? "" : out.get(out.size() - 1);
        }
    }

    static Run cli(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = PerpetuaCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        final List<String> lines = new ArrayList<>(List.of(out.toString().split("\n")));
        lines.removeIf(String::isEmpty);
        return new Run(code, lines, err.toString());
    }

    @BeforeAll
    static void runDemo()
    {
        journal = dir.resolve("journal");
        final Run demo = cli("demo", "--seconds", "2", "--journal", journal.toString(), "--rate", "2000");
        assertEquals(0, demo.exitCode(), demo.err());
        final String result = demo.out().get(demo.out().size() - 2);
        final Matcher m = RESULT.matcher(result);
        assertTrue(m.matches(), result);
        batches = Long.parseLong(m.group(1));
        assertTrue(batches >= 1, "the demo settled at least one batch: " + result);
    }

    @Test
    void verifyReChecksEveryBatchInBothModes()
    {
        for (final String mode : new String[] {"STARK", "RE_EXECUTION"})
        {
            final Run run = cli("batches", "verify", journal.toString(), "--mode", mode);
            assertEquals(0, run.exitCode(), run.err() + run.out());
            assertEquals("RESULT batches verified=" + batches + " failed=0", run.lastLine());
        }
        final Run list = cli("batches", "list", journal.toString());
        assertEquals(batches, list.out().size());
        assertTrue(list.out().get(0).startsWith("batch 1 seq 1.."), list.out().get(0));
        final Run show = cli("batches", "show", journal.toString(), "--batch", "1");
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(show.out().stream().anyMatch(l -> l.startsWith("deposit id=1 account=1 ")), show.out().toString());
    }

    @Test
    void verifyStopsNonZeroAtATamperedBatch() throws IOException
    {
        final Path copy = dir.resolve("tampered");
        Files.createDirectories(copy);
        final Path source = BatchStore.batchesDir(journal);
        try (Stream<Path> files = Files.list(source))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        final Path first = new BatchStore(copy).file(1);
        final byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length - 100] ^= 0x01;
        Files.write(first, bytes);
        final Run run = cli("batches", "verify", copy.toString());
        assertEquals(PerpetuaCli.EXIT_MISMATCH, run.exitCode());
        assertTrue(run.out().get(0).startsWith("batch 1 FAILED PROOF"), run.out().toString());
        assertEquals("RESULT batches verified=0 failed=1", run.lastLine());
    }

    @Test
    void escapeProofPrintsAVerifyingPath()
    {
        final Run run = cli("escape-proof", journal.toString(), "--account", "100");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("account 100"), run.out().toString());
        assertEquals(io.perpetua.node.config.ConfigLoader.DEFAULT_TREE_DEPTH, run.out().stream().filter(l -> l.startsWith("sibling ")).count());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("market \\d+ mark-ticks=\\d+ .* funding-index=-?\\d+")),
            run.out().toString());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("escape-value -?\\d+")), run.out().toString());
        assertEquals("verified true", run.lastLine());
        final Run outside = cli("escape-proof", journal.toString(), "--account", "5000");
        assertEquals(PerpetuaCli.EXIT_USAGE, outside.exitCode());
    }

    @Test
    void aSecondDemoOnTheSameJournalResumesTheBatcherFromItsSnapshot()
    {
        final Path again = dir.resolve("again");
        final Run first = cli("demo", "--seconds", "2", "--journal", again.toString(), "--rate", "2000");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("demo: settlement batcher no snapshot: reading the events journal from its start"),
            first.out().toString());
        final BatchStore store = new BatchStore(BatchStore.batchesDir(again));
        final long stored = store.lastContiguousId();
        assertEquals(stored, store.snapshotIds().get(store.snapshotIds().size() - 1), "the demo snapshots every batch");

        final Run second = cli("demo", "--seconds", "1", "--journal", again.toString(), "--rate", "2000");
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().stream().anyMatch(l -> l.startsWith("demo: settlement batcher resumed after batch " + stored + " ")),
            second.out().toString());
        final Run verify = cli("batches", "verify", again.toString());
        assertEquals(0, verify.exitCode(), verify.err() + verify.out());
        assertEquals("RESULT batches verified=" + store.lastContiguousId() + " failed=0", verify.lastLine());
        assertTrue(store.lastContiguousId() > stored, "the second session settled batches of its own");
    }

    @Test
    void theContractCommandsFreezeTheContractAndAnAccountEscapesOnce() throws IOException, ContractException
    {
        // A copy of the demo's settlement state: the other tests read the original.
        final Path copy = dir.resolve("contract-copy");
        final Path source = journal.resolve("settlement");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.walk(source))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.copy(file, copy.resolve("settlement").resolve(source.relativize(file).toString()));
            }
        }
        final Run status = cli("contract", "status", copy.toString());
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.out().contains("last-batch " + batches), status.out().toString());
        assertTrue(status.out().contains("frozen false"), status.out().toString());

        final long now = 2_000_000_000_000_000_000L;
        final long grace = NodeSettlement.FREEZE_GRACE_NS;
        final Run early = cli("contract", "freeze", copy.toString(), "--at-ns", Long.toString(now));
        assertEquals(PerpetuaCli.EXIT_MISMATCH, early.exitCode());
        assertTrue(early.lastLine().startsWith("refused NOTHING_OVERDUE"), early.lastLine());
        final Run shortLived = cli("contract", "request-withdrawal", copy.toString(), "--account", "100", "--amount", "1.5",
            "--nonce", "1000000", "--expiry-ns", Long.toString(now + grace - 1), "--demo-owner", "--at-ns", Long.toString(now));
        assertTrue(shortLived.lastLine().startsWith("refused INVALID_REQUEST"), shortLived.lastLine());
        final Run request = cli("contract", "request-withdrawal", copy.toString(), "--account", "100", "--amount", "1.5",
            "--nonce", "1000000", "--expiry-ns", Long.toString(now + grace), "--demo-owner", "--at-ns", Long.toString(now));
        assertEquals(0, request.exitCode(), request.err() + request.out());
        assertEquals("forced-request id=1 account=100 amount=1500000", request.lastLine());
        // A deposit escrowed at the contract that no batch credits (made here directly, as a chain call would).
        final long stuck = new SettlementContract(new BatchVerifier(VerificationMode.STARK, ProofOptions.P100,
            ConfigLoader.DEFAULT_TREE_DEPTH), NodeSettlement.FREEZE_GRACE_NS, BatchStore.contractStateFile(copy))
            .deposit(200, Ed25519Keys.rawPublicKey(Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed(DemoSession.OWNER_KEY_LABEL,
                200)).getPublic()), 5_000_000);
        final Run cancel = cli("contract", "cancel-deposit", copy.toString(), "--deposit", Long.toString(stuck), "--demo-owner",
            "--at-ns", Long.toString(now));
        assertEquals("cancelled deposit=" + stuck, cancel.lastLine(), cancel.err());
        assertTrue(cli("contract", "status", copy.toString()).out().contains("pending-deposit id=" + stuck + " account=200 amount=5000000 "
            + "cancelled-at-ns=" + now));
        final Run tooEarly = cli("contract", "reclaim-deposit", copy.toString(), "--deposit", Long.toString(stuck), "--at-ns",
            Long.toString(now + 1));
        assertTrue(tooEarly.lastLine().startsWith("refused RECLAIM_TOO_EARLY"), tooEarly.lastLine());
        final Run freeze = cli("contract", "freeze", copy.toString(), "--at-ns", Long.toString(now + grace));
        assertEquals(0, freeze.exitCode(), freeze.err() + freeze.out());
        assertEquals("frozen at batch " + batches, freeze.lastLine());

        final Run reclaim = cli("contract", "reclaim-deposit", copy.toString(), "--deposit", Long.toString(stuck), "--at-ns",
            Long.toString(now + grace));
        assertEquals("reclaimed deposit=" + stuck + " amount=5000000", reclaim.lastLine(), "at once once frozen");

        final Run proof = cli("escape-proof", copy.toString(), "--account", "1");
        final String value = proof.out().stream().filter(l -> l.startsWith("escape-value ")).findFirst().orElseThrow().substring(13);
        final Run escape = cli("contract", "escape", copy.toString(), "--account", "1");
        assertEquals(0, escape.exitCode(), escape.err() + escape.out());
        assertEquals("escaped account=1 value=" + value + " paid=" + value, escape.lastLine());
        final Run again = cli("contract", "escape", copy.toString(), "--account", "1");
        assertEquals(PerpetuaCli.EXIT_MISMATCH, again.exitCode());
        assertTrue(again.lastLine().startsWith("refused ALREADY_ESCAPED"), again.lastLine());
        assertTrue(cli("contract", "status", copy.toString()).out().contains("escaped [1]"));
        assertEquals(PerpetuaCli.EXIT_USAGE, cli("contract", "status", dir.resolve("nothing").toString()).exitCode());
        final JournalLock node = JournalLock.acquire(copy);
        try
        {
            final Run busy = cli("contract", "status", copy.toString());
            assertEquals(PerpetuaCli.EXIT_USAGE, busy.exitCode());
            assertTrue(busy.err().contains("in use by a running node") && busy.err().contains("stop the node"), busy.err());
        }
        finally
        {
            node.close();
        }
    }

    @Test
    void aForcedWithdrawalRequestedWhileTheNodeWasStoppedIsRelayedAndServedWhenItRuns()
    {
        final Path forced = dir.resolve("forced");
        assertEquals(0, cli("demo", "--seconds", "2", "--journal", forced.toString(), "--rate", "2000").exitCode());
        final long expiry = System.currentTimeMillis() * 1_000_000L + 2 * NodeSettlement.FREEZE_GRACE_NS;
        final Run request = cli("contract", "request-withdrawal", forced.toString(), "--account", "100", "--amount", "1.5",
            "--nonce", "1000000", "--expiry-ns", Long.toString(expiry), "--demo-owner");
        assertEquals("forced-request id=1 account=100 amount=1500000", request.lastLine(), request.err());

        // The node relays the request to the engine at start; the session's batches settle it.
        final Run again = cli("demo", "--seconds", "3", "--journal", forced.toString(), "--rate", "2000");
        assertEquals(0, again.exitCode(), again.err());
        final Run status = cli("contract", "status", forced.toString());
        assertTrue(status.out().stream().noneMatch(l -> l.startsWith("forced-request ")), status.out().toString());
        assertEquals("claimed account=100 amount=1500000", cli("contract", "claim", forced.toString(), "--account", "100").lastLine());
    }

    @Test
    void aDirectoryWithoutBatchesIsAUsageError()
    {
        final Run run = cli("batches", "verify", dir.resolve("nothing").toString());
        assertEquals(PerpetuaCli.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("no settlement batches"), run.err());
    }
}
