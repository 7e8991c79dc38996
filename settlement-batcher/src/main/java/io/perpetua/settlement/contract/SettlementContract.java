package io.perpetua.settlement.contract;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.perpetua.risk.auth.SignedRequests;
import io.perpetua.settlement.batch.BatchBlob;
import io.perpetua.settlement.batch.SettlementBatch;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.ReservedLeaves;
import io.perpetua.settlement.tree.SparseRescueTree;

import static io.perpetua.settlement.contract.ContractException.Reason.ALREADY_ESCAPED;
import static io.perpetua.settlement.contract.ContractException.Reason.BAD_MERKLE_PROOF;
import static io.perpetua.settlement.contract.ContractException.Reason.BAD_SIGNATURE;
import static io.perpetua.settlement.contract.ContractException.Reason.DEPOSITS;
import static io.perpetua.settlement.contract.ContractException.Reason.FROZEN;
import static io.perpetua.settlement.contract.ContractException.Reason.INVALID_REQUEST;
import static io.perpetua.settlement.contract.ContractException.Reason.NOTHING_OVERDUE;
import static io.perpetua.settlement.contract.ContractException.Reason.NOTHING_TO_CLAIM;
import static io.perpetua.settlement.contract.ContractException.Reason.NOTHING_TO_ESCAPE;
import static io.perpetua.settlement.contract.ContractException.Reason.NOT_FROZEN;
import static io.perpetua.settlement.contract.ContractException.Reason.OVERFLOW;
import static io.perpetua.settlement.contract.ContractException.Reason.RECLAIM_TOO_EARLY;
import static io.perpetua.settlement.contract.ContractException.Reason.TIME_WINDOW;

/**
 * The simulated L1 settlement contract, in process, with its own durable state: the current roots
 * and batch id, the deposit escrow, pending deposits, claimable withdrawals, forced-withdrawal
 * requests, the frozen flag and the accounts that escaped.
 *
 * <p>Time is the caller's (the L1 block time), passed to every call that depends on it, so tests
 * drive it by hand. Every call either changes the state and persists it (write to a temporary file,
 * then atomic rename) or throws {@link ContractException} and changes nothing.
 *
 * <p>Money invariant: escrow = sum of L2 quote balances (fee, insurance and funding leaves
 * included) + withdrawals not yet claimed + deposits not yet confirmed by a batch (nor reclaimed)
 * - escapes paid.
 */
public final class SettlementContract
{
    private static final int STATE_MAGIC = 0x54435350; // "PSCT"
    /**
     * Version 2 added each market's funding index (a version-1 state is refused, as version-1 blobs
     * are); version 3 appends the deposit cancellations (a version-2 state reads as having none).
     */
    private static final int STATE_VERSION = 3;

    /** A deposit waiting for the batch that credits it. */
    public record PendingDeposit(long depositId, long accountId, byte[] publicKey, long amount)
    {
    }

    /** A withdrawal the owner signed and sent to the contract directly; the operator must settle it in a batch. */
    public record ForcedRequest(long requestId, long accountId, long amount, long nonce, long expiryNs, byte[] signature,
        long requestedAtNs)
    {
    }

    private final BatchVerifier verifier;
    private final long freezeGraceNs;
    private final Path stateFile;

    private long lastBatchId;
    private long[] positionRoot;
    private long[] balanceRoot;
    private long lastBatchTimeNs;
    private long escrow;
    private long nextDepositId = 1;
    private long nextRequestId = 1;
    private boolean frozen;
    private final TreeMap<Long, PendingDeposit> pendingDeposits = new TreeMap<>();
    /** Pending deposits their owners asked back: deposit id to the time of the request. */
    private final TreeMap<Long, Long> depositCancellations = new TreeMap<>();
    private final TreeMap<Long, byte[]> keys = new TreeMap<>();
    private final TreeMap<Long, Long> claimable = new TreeMap<>();
    private final TreeMap<Long, ForcedRequest> forced = new TreeMap<>();
    private final TreeMap<Integer, BatchBlob.MarketPrice> markets = new TreeMap<>();
    private final TreeSet<Long> escaped = new TreeSet<>();

    /**
     * Opens the contract whose state lives in {@code stateFile} (created on first change), or an in-memory one if null.
     *
     * @param verifier      pinned verification mode, proof options and tree depth
     * @param freezeGraceNs how long a forced request may stay unserved before anyone can freeze the contract
     */
    public SettlementContract(final BatchVerifier verifier, final long freezeGraceNs, final Path stateFile)
    {
        if (freezeGraceNs <= 0)
        {
            throw new IllegalArgumentException("freeze grace must be positive");
        }
        this.verifier = verifier;
        this.freezeGraceNs = freezeGraceNs;
        this.stateFile = stateFile;
        positionRoot = SparseRescueTree.emptyRoot(verifier.depth());
        balanceRoot = positionRoot.clone();
        if (stateFile != null && Files.exists(stateFile))
        {
            load();
        }
    }

    // ------------------------------------------------------------------ deposits and withdrawals

    /** Escrows a deposit; the operator credits it on L2 with the returned deposit id. */
    public synchronized long deposit(final long accountId, final byte[] publicKey, final long amount) throws ContractException
    {
        requireNotFrozen();
        if (amount <= 0 || accountId < 1 || accountId >= ReservedLeaves.firstReserved(verifier.depth())
            || publicKey.length != Leaf.KEY_LENGTH)
        {
            throw new ContractException(INVALID_REQUEST, "deposit needs a positive amount, an account inside the tree and a 32-byte key");
        }
        final byte[] known = keys.get(accountId);
        if (known != null && !Arrays.equals(known, publicKey))
        {
            throw new ContractException(INVALID_REQUEST, "account " + accountId + " belongs to another key");
        }
        final long newEscrow = add(escrow, amount);
        final long id = nextDepositId++;
        escrow = newEscrow;
        keys.put(accountId, publicKey.clone());
        pendingDeposits.put(id, new PendingDeposit(id, accountId, publicKey.clone(), amount));
        persist();
        return id;
    }

    /**
     * The depositor asks for a deposit back that no batch has credited yet (one the engine refused,
     * say), signed with the deposit's key ({@link DepositCancellation}). The operator keeps the freeze
     * grace to credit it in a batch after all; then {@link #reclaimDeposit} pays it back. Allowed while
     * frozen too.
     */
    public synchronized void cancelDeposit(final long depositId, final byte[] signature, final long nowNs) throws ContractException
    {
        final PendingDeposit deposit = pendingDeposits.get(depositId);
        if (deposit == null)
        {
            throw new ContractException(INVALID_REQUEST, "deposit " + depositId + " is not pending");
        }
        if (depositCancellations.containsKey(depositId))
        {
            throw new ContractException(INVALID_REQUEST, "deposit " + depositId + " is already cancelled");
        }
        if (!DepositCancellation.verify(deposit.publicKey(), depositId, signature))
        {
            throw new ContractException(BAD_SIGNATURE, "cancellation of deposit " + depositId + " not signed by its key");
        }
        depositCancellations.put(depositId, nowNs);
        persist();
    }

    /**
     * Pays back a cancelled deposit that is still pending once the freeze grace has passed since the
     * cancellation (at once while frozen: no batch can credit it any more); a batch that credits it
     * afterwards is refused. Returns the amount paid.
     */
    public synchronized long reclaimDeposit(final long depositId, final long nowNs) throws ContractException
    {
        final PendingDeposit deposit = pendingDeposits.get(depositId);
        final Long cancelledAtNs = depositCancellations.get(depositId);
        if (deposit == null || cancelledAtNs == null)
        {
            throw new ContractException(INVALID_REQUEST, "deposit " + depositId + " is not a pending, cancelled deposit");
        }
        if (!frozen && nowNs - cancelledAtNs < freezeGraceNs)
        {
            throw new ContractException(RECLAIM_TOO_EARLY, "deposit " + depositId + " may be credited by a batch until "
                + (cancelledAtNs + freezeGraceNs));
        }
        pendingDeposits.remove(depositId);
        depositCancellations.remove(depositId);
        escrow -= deposit.amount();
        persist();
        return deposit.amount();
    }

    /** Deposits no accepted batch has credited yet, by id. */
    public synchronized List<PendingDeposit> pendingDeposits()
    {
        return new ArrayList<>(pendingDeposits.values());
    }

    /** When the owner of a pending deposit asked for it back, or null if not cancelled. */
    public synchronized Long depositCancelledAt(final long depositId)
    {
        return depositCancellations.get(depositId);
    }

    /** Pays out what accepted batches made claimable for the account (allowed while frozen too). */
    public synchronized long claim(final long accountId) throws ContractException
    {
        final Long amount = claimable.get(accountId);
        if (amount == null)
        {
            throw new ContractException(NOTHING_TO_CLAIM, "account " + accountId + " has nothing to claim");
        }
        claimable.remove(accountId);
        escrow -= amount;
        persist();
        return amount;
    }

    /**
     * Records a forced withdrawal: the owner's signed withdrawal (the same layout the engine checks),
     * which the operator must settle in a batch within the freeze grace; its expiry must not come
     * before the end of that grace.
     */
    public synchronized long requestForcedWithdrawal(final long accountId, final long amount, final long nonce, final long expiryNs,
        final byte[] signature, final long nowNs) throws ContractException
    {
        requireNotFrozen();
        final byte[] key = keys.get(accountId);
        if (key == null || amount <= 0 || expiryNs <= nowNs)
        {
            throw new ContractException(INVALID_REQUEST, "forced withdrawal needs a known account, a positive amount and a future expiry");
        }
        // The engine refuses an expired withdrawal: one that could expire before the contract may be
        // frozen would let its owner freeze the exchange with a request nobody can serve.
        if (expiryNs - nowNs < freezeGraceNs)
        {
            throw new ContractException(INVALID_REQUEST, "forced withdrawal must stay valid for the freeze grace ("
                + freezeGraceNs + " ns) after the request; it expires after " + (expiryNs - nowNs) + " ns");
        }
        if (!SignedRequests.verifyWithdrawal(key, accountId, amount, nonce, expiryNs, signature))
        {
            throw new ContractException(BAD_SIGNATURE, "forced withdrawal not signed by account " + accountId);
        }
        final long id = nextRequestId++;
        forced.put(id, new ForcedRequest(id, accountId, amount, nonce, expiryNs, signature.clone(), nowNs));
        persist();
        return id;
    }

    /** Forced requests not yet served, oldest first. */
    public synchronized List<ForcedRequest> pendingForcedRequests()
    {
        return new ArrayList<>(forced.values());
    }

    /** Freezes the contract if a forced request has waited at least the grace period. */
    public synchronized void freeze(final long nowNs) throws ContractException
    {
        requireNotFrozen();
        for (final ForcedRequest r : forced.values())
        {
            if (nowNs - r.requestedAtNs() >= freezeGraceNs)
            {
                frozen = true;
                persist();
                return;
            }
        }
        throw new ContractException(NOTHING_OVERDUE, "no forced request older than the grace period");
    }

    // ------------------------------------------------------------------ batches

    /** Accepts the next batch if every check passes; confirms its deposits and makes its withdrawals claimable. */
    public synchronized void submitBatch(final SettlementBatch batch, final long nowNs) throws ContractException
    {
        requireNotFrozen();
        final BatchBlob blob = verifier.verify(batch, lastBatchId, positionRoot, balanceRoot);
        if (blob.firstTimeNs() < lastBatchTimeNs || blob.lastTimeNs() > nowNs)
        {
            throw new ContractException(TIME_WINDOW, "batch time [" + blob.firstTimeNs() + ", " + blob.lastTimeNs()
                + "] outside [" + lastBatchTimeNs + ", " + nowNs + "]");
        }
        for (final BatchBlob.Deposit d : blob.deposits())
        {
            final PendingDeposit p = pendingDeposits.get(d.depositId());
            if (p == null || p.accountId() != d.accountId() || p.amount() != d.amount())
            {
                throw new ContractException(DEPOSITS, "deposit " + d.depositId() + " is not pending as " + d);
            }
        }
        final Map<Long, Long> newClaims = new TreeMap<>(claimable);
        for (final BatchBlob.Withdrawal w : blob.withdrawals())
        {
            newClaims.put(w.accountId(), add(newClaims.getOrDefault(w.accountId(), 0L), w.amount()));
        }
        // All checks passed: apply.
        for (final BatchBlob.Deposit d : blob.deposits())
        {
            pendingDeposits.remove(d.depositId());
            depositCancellations.remove(d.depositId());
        }
        claimable.clear();
        claimable.putAll(newClaims);
        forced.values().removeIf(r -> served(r, blob.withdrawals()));
        for (final BatchBlob.Entry e : blob.entries())
        {
            if (!ReservedLeaves.isReserved(e.index(), verifier.depth()) && !e.after().isEmpty())
            {
                keys.putIfAbsent(e.index(), e.after().publicKey());
            }
        }
        for (final BatchBlob.MarketPrice m : blob.markets())
        {
            markets.put(m.marketId(), m);
        }
        lastBatchId = batch.batchId();
        positionRoot = batch.newPositionRoot().clone();
        balanceRoot = batch.inputs().newRoot().clone();
        lastBatchTimeNs = blob.lastTimeNs();
        persist();
    }

    /**
     * For an operator resuming after a crash: submits the batch unless the contract already accepted
     * that batch id. Returns true if it was submitted now.
     */
    public synchronized boolean submitIfNew(final SettlementBatch batch, final long nowNs) throws ContractException
    {
        if (batch.batchId() <= lastBatchId)
        {
            return false;
        }
        submitBatch(batch, nowNs);
        return true;
    }

    private static boolean served(final ForcedRequest r, final List<BatchBlob.Withdrawal> withdrawals)
    {
        for (final BatchBlob.Withdrawal w : withdrawals)
        {
            if (w.accountId() == r.accountId() && w.nonce() == r.nonce() && w.amount() == r.amount())
            {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ escape hatch

    /**
     * What an escape of {@code leaf} pays: quote balance + sum(size x last mark) - pending funding,
     * valued at the last accepted batch's marks and funding indexes ({@link EscapeValuation}).
     */
    public synchronized long escapeValue(final Leaf leaf) throws ContractException
    {
        return EscapeValuation.value(leaf, markets);
    }

    /** The marks and funding indexes of the last accepted batch, by market. */
    public synchronized Map<Integer, BatchBlob.MarketPrice> markets()
    {
        return new TreeMap<>(markets);
    }

    /**
     * After a freeze: pays an account its escape value once, given its leaf and path against the last
     * root. Escapes are paid from the part of the escrow that backs L2 balances only (claimable
     * withdrawals and uncredited deposits belong to others); when what is left of it is less than
     * the value, which happens when bankrupt accounts cannot escape to pay their losses, the account is
     * paid that rest, in part, rather than nothing. Returns the amount paid.
     */
    public synchronized long escape(final long index, final Leaf leaf, final long[][] path) throws ContractException
    {
        if (!frozen)
        {
            throw new ContractException(NOT_FROZEN, "escapes open only after a freeze");
        }
        if (ReservedLeaves.isReserved(index, verifier.depth()))
        {
            throw new ContractException(NOTHING_TO_ESCAPE, "leaf " + index + " is the exchange's " +
                ReservedLeaves.describe(index, verifier.depth()));
        }
        if (escaped.contains(index))
        {
            throw new ContractException(ALREADY_ESCAPED, "account " + index + " already escaped");
        }
        if (path.length != verifier.depth() || !SparseRescueTree.verify(positionRoot, index, leaf.digest(), path))
        {
            throw new ContractException(BAD_MERKLE_PROOF, "leaf and path of account " + index + " do not lead to the last root");
        }
        final long value = escapeValue(leaf);
        if (value <= 0)
        {
            throw new ContractException(NOTHING_TO_ESCAPE, "account " + index + " is worth " + value);
        }
        final long forBalances = escrow - unclaimedWithdrawals() - unconfirmedDeposits();
        if (forBalances <= 0)
        {
            throw new ContractException(NOTHING_TO_ESCAPE, "account " + index + " is worth " + value +
                " but the escrow holds nothing more for L2 balances");
        }
        final long paid = Math.min(value, forBalances);
        escaped.add(index);
        escrow -= paid;
        persist();
        return paid;
    }

    // ------------------------------------------------------------------ views

    public synchronized long lastBatchId()
    {
        return lastBatchId;
    }

    public synchronized long[] positionRoot()
    {
        return positionRoot.clone();
    }

    public synchronized long[] balanceRoot()
    {
        return balanceRoot.clone();
    }

    public synchronized long escrow()
    {
        return escrow;
    }

    public synchronized boolean frozen()
    {
        return frozen;
    }

    public synchronized long claimable(final long accountId)
    {
        return claimable.getOrDefault(accountId, 0L);
    }

    public synchronized long unclaimedWithdrawals()
    {
        long sum = 0;
        for (final long v : claimable.values())
        {
            sum += v;
        }
        return sum;
    }

    public synchronized long unconfirmedDeposits()
    {
        long sum = 0;
        for (final PendingDeposit d : pendingDeposits.values())
        {
            sum += d.amount();
        }
        return sum;
    }

    public synchronized Set<Long> escapedAccounts()
    {
        return new TreeSet<>(escaped);
    }

    public BatchVerifier verifier()
    {
        return verifier;
    }

    // ------------------------------------------------------------------ internals

    private void requireNotFrozen() throws ContractException
    {
        if (frozen)
        {
            throw new ContractException(FROZEN, "the contract is frozen");
        }
    }

    private static long add(final long a, final long b) throws ContractException
    {
        try
        {
            return Math.addExact(a, b);
        }
        catch (final ArithmeticException ex)
        {
            throw new ContractException(OVERFLOW, "amount overflow");
        }
    }

    private void persist()
    {
        if (stateFile == null)
        {
            return;
        }
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(STATE_MAGIC);
            out.writeInt(STATE_VERSION);
            out.writeLong(lastBatchId);
            writeDigest(out, positionRoot);
            writeDigest(out, balanceRoot);
            out.writeLong(lastBatchTimeNs);
            out.writeLong(escrow);
            out.writeLong(nextDepositId);
            out.writeLong(nextRequestId);
            out.writeBoolean(frozen);
            out.writeInt(pendingDeposits.size());
            for (final PendingDeposit d : pendingDeposits.values())
            {
                out.writeLong(d.depositId());
                out.writeLong(d.accountId());
                out.write(d.publicKey());
                out.writeLong(d.amount());
            }
            out.writeInt(keys.size());
            for (final Map.Entry<Long, byte[]> k : keys.entrySet())
            {
                out.writeLong(k.getKey());
                out.write(k.getValue());
            }
            out.writeInt(claimable.size());
            for (final Map.Entry<Long, Long> c : claimable.entrySet())
            {
                out.writeLong(c.getKey());
                out.writeLong(c.getValue());
            }
            out.writeInt(forced.size());
            for (final ForcedRequest r : forced.values())
            {
                out.writeLong(r.requestId());
                out.writeLong(r.accountId());
                out.writeLong(r.amount());
                out.writeLong(r.nonce());
                out.writeLong(r.expiryNs());
                out.write(r.signature());
                out.writeLong(r.requestedAtNs());
            }
            out.writeInt(markets.size());
            for (final BatchBlob.MarketPrice m : markets.values())
            {
                out.writeInt(m.marketId());
                out.writeLong(m.markTicks());
                out.writeLong(m.quantumsPerTickLot());
                out.writeLong(m.fundingIndex());
            }
            out.writeInt(escaped.size());
            for (final long e : escaped)
            {
                out.writeLong(e);
            }
            out.writeInt(depositCancellations.size());
            for (final Map.Entry<Long, Long> c : depositCancellations.entrySet())
            {
                out.writeLong(c.getKey());
                out.writeLong(c.getValue());
            }
            out.flush();
            final Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.createDirectories(stateFile.toAbsolutePath().getParent());
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot persist the contract state to " + stateFile, ex);
        }
    }

    private void load()
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(stateFile))))
        {
            if (in.readInt() != STATE_MAGIC)
            {
                throw new IllegalStateException(stateFile + " is not a contract state");
            }
            final int version = in.readInt();
            if (version != STATE_VERSION && version != 2)
            {
                throw new IllegalStateException(stateFile + " is a version-" + version + " contract state; this contract reads versions "
                    + "2 and " + STATE_VERSION + " (with funding indexes) only");
            }
            lastBatchId = in.readLong();
            positionRoot = readDigest(in);
            balanceRoot = readDigest(in);
            lastBatchTimeNs = in.readLong();
            escrow = in.readLong();
            nextDepositId = in.readLong();
            nextRequestId = in.readLong();
            frozen = in.readBoolean();
            for (int i = in.readInt(); i > 0; i--)
            {
                final long id = in.readLong();
                final long account = in.readLong();
                final byte[] key = in.readNBytes(Leaf.KEY_LENGTH);
                pendingDeposits.put(id, new PendingDeposit(id, account, key, in.readLong()));
            }
            for (int i = in.readInt(); i > 0; i--)
            {
                keys.put(in.readLong(), in.readNBytes(Leaf.KEY_LENGTH));
            }
            for (int i = in.readInt(); i > 0; i--)
            {
                claimable.put(in.readLong(), in.readLong());
            }
            for (int i = in.readInt(); i > 0; i--)
            {
                final long id = in.readLong();
                final long account = in.readLong();
                final long amount = in.readLong();
                final long nonce = in.readLong();
                final long expiry = in.readLong();
                final byte[] signature = in.readNBytes(64);
                forced.put(id, new ForcedRequest(id, account, amount, nonce, expiry, signature, in.readLong()));
            }
            for (int i = in.readInt(); i > 0; i--)
            {
                final BatchBlob.MarketPrice m = new BatchBlob.MarketPrice(in.readInt(), in.readLong(), in.readLong(), in.readLong());
                markets.put(m.marketId(), m);
            }
            for (int i = in.readInt(); i > 0; i--)
            {
                escaped.add(in.readLong());
            }
            if (version >= 3)
            {
                for (int i = in.readInt(); i > 0; i--)
                {
                    depositCancellations.put(in.readLong(), in.readLong());
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the contract state " + stateFile, ex);
        }
    }

    private static void writeDigest(final DataOutputStream out, final long[] d) throws IOException
    {
        for (final long v : d)
        {
            out.writeLong(v);
        }
    }

    private static long[] readDigest(final DataInputStream in) throws IOException
    {
        return new long[] {in.readLong(), in.readLong(), in.readLong(), in.readLong()};
    }
}
