package io.perpetua.node;

import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.SignedRequests;
import io.perpetua.settlement.batch.BatchStore;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.DepositCancellation;
import io.perpetua.settlement.contract.SettlementContract;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.escape.EscapeProof;
import io.perpetua.settlement.stark.ProofOptions;
import org.agrona.concurrent.OffsetEpochNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * {@code perpetua contract status|request-withdrawal|freeze|escape|claim DIR}: the simulated L1
 * contract of a node's journal, driven from the command line as its users would drive a chain
 * contract, for instance after the operator went away. The node keeps the contract in memory while
 * it runs and writes it after every change, so these commands take the journal's lock
 * ({@link JournalLock}) and refuse while a node holds it.
 */
final class ContractCommands
{
    /** USDC has six decimals: amounts are in quantums of 10^-6. */
    private static final int USDC_DECIMALS = 6;

    private ContractCommands()
    {
    }

    /** The journal directory, and the chain time of a call. */
    static final class Target
    {
        @Parameters(index = "0", paramLabel = "DIR", description = "The node's journal directory.")
        Path dir;

        @Option(names = "--at-ns", paramLabel = "NS",
            description = "The L1 time of the call, ns since the epoch (default: now). A simulated chain takes its clock as input.")
        Long atNs;

        long nowNs()
        {
            return atNs != null ? atNs : new OffsetEpochNanoClock().nanoTime();
        }

        /** Opens the contract whose state the node left in DIR, pinned as the node pins it. */
        SettlementContract open()
        {
            final Path state = BatchStore.contractStateFile(dir);
            if (!Files.isRegularFile(state))
            {
                throw new IllegalArgumentException("no contract state at " + state + " (DIR is the journal directory of a node run with settlement)");
            }
            final BatchStore store = SettlementCommands.store(dir);
            final int depth = store.read(store.ids().get(0)).orElseThrow().decodedBlob().treeDepth();
            return new SettlementContract(new BatchVerifier(VerificationMode.STARK, ProofOptions.P100, depth), NodeSettlement.FREEZE_GRACE_NS,
                state);
        }
    }

    /** How the owner's signature is given: as hex, or made with the key {@code perpetua demo} derives for the account. */
    static final class OwnerSignature
    {
        @Option(names = "--signature", paramLabel = "HEX", description = "The owner's 64-byte Ed25519 signature.")
        String signature;

        @Option(names = "--demo-owner", description = "Sign with the owner key `perpetua demo` derives for the account instead.")
        boolean demoOwner;

        void check()
        {
            if (demoOwner == (signature != null))
            {
                throw new IllegalArgumentException("give either --signature HEX or --demo-owner");
            }
        }

        /** The given signature, or {@code sign} applied to the demo owner key of the account (asked only then). */
        byte[] of(final LongSupplier account, final Function<PrivateKey, byte[]> sign)
        {
            return demoOwner ?
                sign.apply(Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed(DemoSession.OWNER_KEY_LABEL, account.getAsLong()))
                    .getPrivate()) :
                HexFormat.of().parseHex(signature);
        }
    }

    /** {@code perpetua contract}. */
    @Command(name = "contract", mixinStandardHelpOptions = true, description = "Use a stopped node's simulated L1 contract.",
        subcommands = {Status.class, RequestWithdrawal.class, Freeze.class, Escape.class, Claim.class, CancelDeposit.class,
            ReclaimDeposit.class})
    static final class Contract implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            return PerpetuaCli.usage(spec);
        }
    }

    /**
     * One contract call: opens the contract, runs {@link #run}, and turns a refusal into its reason on
     * the output and exit code {@link PerpetuaCli#EXIT_MISMATCH}.
     */
    abstract static class ContractCall implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public Integer call()
        {
            prepare();
            final PrintWriter out = spec.commandLine().getOut();
            final JournalLock lock;
            try
            {
                lock = JournalLock.acquire(target.dir);
            }
            catch (final IllegalStateException ex)
            {
                throw new IllegalArgumentException(ex.getMessage() + ": stop the node before using its contract", ex);
            }
            try (lock)
            {
                run(target.open(), out);
                return 0;
            }
            catch (final ContractException ex)
            {
                out.println("refused " + ex.getMessage());
                return PerpetuaCli.EXIT_MISMATCH;
            }
            finally
            {
                out.flush();
            }
        }

        /** Checks and converts the options before the contract is opened. */
        void prepare()
        {
        }

        abstract void run(SettlementContract contract, PrintWriter out) throws ContractException;
    }

    /** {@code perpetua contract status DIR}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "The contract's roots, last batch, escrow, pending deposits and forced requests, claims and escapes.")
    static final class Status extends ContractCall
    {
        @Override
        void run(final SettlementContract contract, final PrintWriter out)
        {
            out.println("last-batch " + contract.lastBatchId());
            out.println("position-root " + SettlementCommands.hex(contract.positionRoot()));
            out.println("balance-root " + SettlementCommands.hex(contract.balanceRoot()));
            out.println("frozen " + contract.frozen());
            out.println("escrow " + contract.escrow());
            out.println("unconfirmed-deposits " + contract.unconfirmedDeposits());
            for (final SettlementContract.PendingDeposit d : contract.pendingDeposits())
            {
                final Long cancelledAt = contract.depositCancelledAt(d.depositId());
                out.println("pending-deposit id=" + d.depositId() + " account=" + d.accountId() + " amount=" + d.amount() +
                    (cancelledAt == null ? "" : " cancelled-at-ns=" + cancelledAt));
            }
            out.println("unclaimed-withdrawals " + contract.unclaimedWithdrawals());
            final long now = target.nowNs();
            for (final SettlementContract.ForcedRequest r : contract.pendingForcedRequests())
            {
                out.println("forced-request id=" + r.requestId() + " account=" + r.accountId() + " amount=" + r.amount() +
                    " nonce=" + r.nonce() + " requested-at-ns=" + r.requestedAtNs() + " overdue=" +
                    (now - r.requestedAtNs() >= NodeSettlement.FREEZE_GRACE_NS));
            }
            out.println("escaped " + contract.escapedAccounts());
        }
    }

    /** {@code perpetua contract request-withdrawal DIR --account N --amount USDC --nonce K}. */
    @Command(name = "request-withdrawal", mixinStandardHelpOptions = true,
        description = "Send the contract a forced withdrawal (the owner's signed withdrawal) that the operator must settle within the freeze grace.")
    static final class RequestWithdrawal extends ContractCall
    {
        @Option(names = "--account", required = true, paramLabel = "N", description = "The account.")
        long account;

        @Option(names = "--amount", required = true, paramLabel = "USDC", description = "Amount in USDC, up to 6 decimals.")
        BigDecimal amount;

        @Option(names = "--nonce", required = true, paramLabel = "K", description = "Above every nonce the account used.")
        long nonce;

        @Option(names = "--expiry-ns", required = true, paramLabel = "NS",
            description = "Expiry of the signed withdrawal, ns since the epoch: at least the freeze grace (7 days) after the request.")
        long expiryNs;

        @Mixin
        OwnerSignature owner;

        private long quantums;
        private byte[] signed;

        @Override
        void prepare()
        {
            try
            {
                quantums = amount.movePointRight(USDC_DECIMALS).longValueExact();
            }
            catch (final ArithmeticException ex)
            {
                throw new IllegalArgumentException("--amount must have at most 6 decimals and fit 64 bits: " + amount);
            }
            owner.check();
            signed = owner.of(() -> account, key -> SignedRequests.signWithdrawal(key, account, quantums, nonce, expiryNs));
        }

        @Override
        void run(final SettlementContract contract, final PrintWriter out) throws ContractException
        {
            final long id = contract.requestForcedWithdrawal(account, quantums, nonce, expiryNs, signed, target.nowNs());
            out.println("forced-request id=" + id + " account=" + account + " amount=" + quantums);
        }
    }

    /** {@code perpetua contract freeze DIR}. */
    @Command(name = "freeze", mixinStandardHelpOptions = true,
        description = "Freeze the contract: allowed to anyone once a forced request has waited the freeze grace.")
    static final class Freeze extends ContractCall
    {
        @Override
        void run(final SettlementContract contract, final PrintWriter out) throws ContractException
        {
            contract.freeze(target.nowNs());
            out.println("frozen at batch " + contract.lastBatchId());
        }
    }

    /** {@code perpetua contract escape DIR --account N}. */
    @Command(name = "escape", mixinStandardHelpOptions = true,
        description = "After a freeze: prove the account's leaf against the last root from the stored batches and take its escape value.")
    static final class Escape extends ContractCall
    {
        @Option(names = "--account", required = true, paramLabel = "N", description = "The account (leaf index).")
        long account;

        @Override
        void run(final SettlementContract contract, final PrintWriter out) throws ContractException
        {
            final EscapeProof proof = EscapeProof.fromStore(SettlementCommands.store(target.dir), account, contract.lastBatchId());
            final long paid = contract.escape(account, proof.leaf(), proof.path());
            out.println("escaped account=" + account + " value=" + proof.escapeValue() + " paid=" + paid);
        }
    }

    /** {@code perpetua contract claim DIR --account N}. */
    @Command(name = "claim", mixinStandardHelpOptions = true,
        description = "Pay out what accepted batches made claimable for the account (withdrawals).")
    static final class Claim extends ContractCall
    {
        @Option(names = "--account", required = true, paramLabel = "N", description = "The account.")
        long account;

        @Override
        void run(final SettlementContract contract, final PrintWriter out) throws ContractException
        {
            out.println("claimed account=" + account + " amount=" + contract.claim(account));
        }
    }

    /** {@code perpetua contract cancel-deposit DIR --deposit ID}. */
    @Command(name = "cancel-deposit", mixinStandardHelpOptions = true,
        description = "Ask for a deposit no batch has credited: reclaimable after the freeze grace unless a batch credits it meanwhile.")
    static final class CancelDeposit extends ContractCall
    {
        @Option(names = "--deposit", required = true, paramLabel = "ID", description = "The deposit id the contract gave.")
        long depositId;

        /** Signs the cancellation (perpetua/deposit-cancel/v1) as the deposit's owner. */
        @Mixin
        OwnerSignature owner;

        @Override
        void prepare()
        {
            owner.check();
        }

        @Override
        void run(final SettlementContract contract, final PrintWriter out) throws ContractException
        {
            final LongSupplier account = () -> contract.pendingDeposits().stream().filter(d -> d.depositId() == depositId)
                .mapToLong(SettlementContract.PendingDeposit::accountId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("deposit " + depositId + " is not pending"));
            contract.cancelDeposit(depositId, owner.of(account, key -> DepositCancellation.sign(key, depositId)), target.nowNs());
            out.println("cancelled deposit=" + depositId);
        }
    }

    /** {@code perpetua contract reclaim-deposit DIR --deposit ID}. */
    @Command(name = "reclaim-deposit", mixinStandardHelpOptions = true,
        description = "Pay back a cancelled deposit still uncredited once the freeze grace has passed (at once while frozen).")
    static final class ReclaimDeposit extends ContractCall
    {
        @Option(names = "--deposit", required = true, paramLabel = "ID", description = "The deposit id the contract gave.")
        long depositId;

        @Override
        void run(final SettlementContract contract, final PrintWriter out) throws ContractException
        {
            out.println("reclaimed deposit=" + depositId + " amount=" + contract.reclaimDeposit(depositId, target.nowNs()));
        }
    }
}
