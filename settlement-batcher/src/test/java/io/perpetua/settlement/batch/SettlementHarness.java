package io.perpetua.settlement.batch;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.SignedRequests;
import io.perpetua.risk.engine.RiskEngine;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.Position;
import io.perpetua.risk.oracle.OracleMessage;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.SettlementContract;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.ReservedLeaves;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An engine (matching + risk) driven by encoded commands as the pipeline drives it, whose events go
 * to a {@link Batcher} after every command, with a simulated contract that deposits start at.
 * Units as risk-margin's harness: tick $1, lot 0.001 coin, quote = price x size / 10^3. Command
 * time (and the contract's clock) advance 1 ms per command.
 */
final class SettlementHarness
{
    static final long USD = 1_000_000L;
    static final long COIN = 1_000L;
    static final int DEPTH = 8;
    static final long GRACE_NS = 50_000_000L;
    private static final int ORACLE_SOURCES = 3;

    final RiskEngine risk = new RiskEngine();
    final MatchingEngine engine = new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate(), risk, new EventPublisher());
    final CommandAdapter adapter = new CommandAdapter(engine);
    final CommandEncoder orders = new CommandEncoder();
    final AccountCommandEncoder accounts = new AccountCommandEncoder();
    final FundingCommandEncoder funding = new FundingCommandEncoder();
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    final KeyPair[] oracleKeys = new KeyPair[ORACLE_SOURCES];
    final SettlementContract contract;
    final BatchStore store;
    final List<byte[]> documents = new ArrayList<>();
    Batcher batcher;
    long sequence;
    long nowNs = 1_000_000_000_000L;

    SettlementHarness(final Path dir, final int maxTransitions, final ProofOptions options, final Batcher.Sink sink)
    {
        for (int i = 0; i < ORACLE_SOURCES; i++)
        {
            oracleKeys[i] = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("settlement-harness-oracle", i));
        }
        contract = new SettlementContract(new BatchVerifier(VerificationMode.STARK, ProofOptions.P100, DEPTH), GRACE_NS,
            dir.resolve("contract.state"));
        store = new BatchStore(dir.resolve("batches"));
        batcher = new Batcher(config(maxTransitions, options), store, sink);
    }

    static Batcher.Config config(final int maxTransitions, final ProofOptions options)
    {
        return config(maxTransitions, options, 0);
    }

    static Batcher.Config config(final int maxTransitions, final ProofOptions options, final int snapshotInterval)
    {
        return new Batcher.Config(DEPTH, maxTransitions, 3_600_000_000_000L, options, 64, false, snapshotInterval);
    }

    /** A sink that submits to this harness's contract at the current time. */
    Batcher.Sink contractSink()
    {
        return batch -> contract.submitBatch(batch, nowNs);
    }

    static KeyPair ownerKeys(final long accountId)
    {
        return Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("settlement-harness-account", accountId));
    }

    static byte[] ownerKey(final long accountId)
    {
        return Ed25519Keys.rawPublicKey(ownerKeys(accountId).getPublic());
    }

    void market(final int marketId, final int makerFeePpm, final int takerFeePpm, final int imfPpm, final int mmfPpm)
    {
        submit(orders.addMarket(buffer, 0, marketId, "M" + marketId + "-USD", USD, 1, 3, 1, 1_000_000 * COIN, 0, 0,
            makerFeePpm, takerFeePpm, 0, false, MarketStatus.ACTIVE));
        final byte[][] keys = new byte[ORACLE_SOURCES][];
        for (int i = 0; i < ORACLE_SOURCES; i++)
        {
            keys[i] = Ed25519Keys.rawPublicKey(oracleKeys[i].getPublic());
        }
        expectAccepted(submit(accounts.configureOracle(buffer, 0, marketId, 2, 10_000_000_000L, 500_000, 1_000_000_000L,
            3_600_000_000_000L, keys)));
        expectAccepted(submit(accounts.configureRisk(buffer, 0, marketId, imfPpm, mmfPpm, 0, 0, 15_000, 100_000,
            1_000 * USD, 100_000 * USD, 1_500_000)));
    }

    void oracle(final int marketId, final long price)
    {
        final long at = nowNs + 1_000_000;
        final int[] indexes = new int[ORACLE_SOURCES];
        final long[] prices = new long[ORACLE_SOURCES];
        final long[] times = new long[ORACLE_SOURCES];
        final byte[][] signatures = new byte[ORACLE_SOURCES][];
        for (int i = 0; i < ORACLE_SOURCES; i++)
        {
            indexes[i] = i;
            prices[i] = price;
            times[i] = at;
            signatures[i] = OracleMessage.sign(oracleKeys[i].getPrivate(), marketId, price, at);
        }
        expectAccepted(submit(accounts.oraclePrice(buffer, 0, marketId, ORACLE_SOURCES, indexes, prices, times, signatures)));
    }

    /** A funding tick for the period ending at the next command's time (the core settles positions lazily). */
    void fundingTick(final int marketId, final long rate8hPpb)
    {
        expectAccepted(submit(funding.fundingTick(buffer, 0, marketId, rate8hPpb, nowNs + 1_000_000)));
    }

    /** A deposit as money flows: escrowed at the contract first, then credited on L2 with the contract's deposit id. */
    void deposit(final long accountId, final long amount) throws ContractException
    {
        final long depositId = contract.deposit(accountId, ownerKey(accountId), amount);
        expectAccepted(submit(accounts.deposit(buffer, 0, accountId, amount, depositId, ownerKey(accountId))));
    }

    void withdraw(final long accountId, final long amount, final long nonce)
    {
        final long expiry = nowNs + 60_000_000_000L;
        withdrawSigned(accountId, amount, nonce, expiry, SignedRequests.signWithdrawal(ownerKeys(accountId).getPrivate(), accountId,
            amount, nonce, expiry));
    }

    void withdrawSigned(final long accountId, final long amount, final long nonce, final long expiry, final byte[] signature)
    {
        expectAccepted(submit(accounts.withdraw(buffer, 0, accountId, amount, nonce, expiry, signature)));
    }

    void transfer(final long from, final long to, final long amount, final long nonce)
    {
        final long expiry = nowNs + 60_000_000_000L;
        final byte[] signature = SignedRequests.signTransfer(ownerKeys(from).getPrivate(), from, to, amount, nonce, expiry);
        expectAccepted(submit(accounts.transfer(buffer, 0, from, to, amount, nonce, expiry, signature)));
    }

    void limit(final long accountId, final int marketId, final Side side, final long price, final long size)
    {
        expectAccepted(submit(orders.placeOrder(buffer, 0, accountId, marketId, 0, side, OrderType.LIMIT, TimeInForce.GTC, (byte)0,
            SelfTradePrevention.CANCEL_MAKER, price, size, 0)));
    }

    void liquidate(final long accountId)
    {
        expectAccepted(submit(accounts.liquidate(buffer, 0, accountId)));
    }

    /** Applies one command and hands its events to the batcher; returns the events' bytes. */
    byte[] submit(final int length)
    {
        nowNs += 1_000_000;
        CommandAdapter.stamp(buffer, 0, ++sequence, nowNs);
        adapter.apply(buffer, 0, length);
        final byte[] events = new byte[engine.events().length()];
        engine.events().buffer().getBytes(0, events);
        documents.add(events);
        batcher.onEvents(new UnsafeBuffer(events), 0, events.length);
        return events;
    }

    static void expectAccepted(final byte[] events)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final UnsafeBuffer b = new UnsafeBuffer(events);
        if (events.length > 0 && header.wrap(b, 0).templateId() == RejectedDecoder.TEMPLATE_ID)
        {
            final RejectedDecoder r = new RejectedDecoder().wrap(b, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                header.version());
            throw new AssertionError("command rejected: " + r.reason());
        }
    }

    /** The leaf the engine's own ledger implies for {@code index} right now. */
    Leaf engineLeaf(final long index)
    {
        final Ledger ledger = risk.ledger();
        if (index == ReservedLeaves.fee(DEPTH))
        {
            return Leaf.EMPTY.withBalance(ledger.feeBalance());
        }
        if (index == ReservedLeaves.insurance(DEPTH))
        {
            return Leaf.EMPTY.withBalance(ledger.insuranceBalance());
        }
        if (index == ReservedLeaves.funding(DEPTH))
        {
            return Leaf.EMPTY.withBalance(ledger.fundingBalance());
        }
        final Account account = ledger.account(index);
        if (account == null)
        {
            return Leaf.EMPTY;
        }
        final List<Leaf.Position> positions = new ArrayList<>();
        for (int p = 0; p < account.positionCount(); p++)
        {
            final Position position = account.positionAt(p);
            if (position.sizeLots() != 0)
            {
                positions.add(new Leaf.Position(position.marketId(), position.sizeLots(), position.fundingIndex()));
            }
        }
        positions.sort((a, b) -> Integer.compare(a.marketId(), b.marketId()));
        return new Leaf(account.publicKey(), account.balance(), positions);
    }

    /** Every leaf index the engine knows (accounts and the three ledger leaves). */
    List<Long> engineIndexes()
    {
        final List<Long> indexes = new ArrayList<>();
        final Ledger ledger = risk.ledger();
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            indexes.add(ledger.accountIdAt(i));
        }
        indexes.add(ReservedLeaves.funding(DEPTH));
        indexes.add(ReservedLeaves.insurance(DEPTH));
        indexes.add(ReservedLeaves.fee(DEPTH));
        return indexes;
    }
}
