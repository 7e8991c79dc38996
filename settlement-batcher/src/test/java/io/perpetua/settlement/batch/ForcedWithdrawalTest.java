package io.perpetua.settlement.batch;

import java.nio.file.Path;
import java.util.List;

import io.perpetua.core.sbe.Side;
import io.perpetua.risk.auth.SignedRequests;
import io.perpetua.settlement.contract.BatchVerifier;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.DepositCancellation;
import io.perpetua.settlement.contract.SettlementContract;
import io.perpetua.settlement.contract.VerificationMode;
import io.perpetua.settlement.escape.EscapeProof;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.ReservedLeaves;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.perpetua.settlement.batch.SettlementHarness.COIN;
import static io.perpetua.settlement.batch.SettlementHarness.GRACE_NS;
import static io.perpetua.settlement.batch.SettlementHarness.USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forced withdrawals: served in time, or ignored until anyone may freeze the contract and accounts
 * escape, each paid its balance plus its positions at the last mark minus its pending funding.
 */
class ForcedWithdrawalTest
{
    /** 0.0333333% per 8 hours: at mark $110 the index moves by a non-multiple of INDEX_SCALE per lot, so payments round. */
    private static final long RATE_PPB = 333_333;
    /** Tick $1 x lot 0.001 coin, in quote quantums (the harness's units). */
    private static final long QUANTUMS_PER_TICK_LOT = 1_000;

    @TempDir
    Path dir;

    private static SettlementHarness tradedSession(final Path dir) throws ContractException
    {
        final SettlementHarness[] self = new SettlementHarness[1];
        final SettlementHarness h = new SettlementHarness(dir, 1_000, ProofOptions.P100, b -> self[0].contract.submitBatch(b, self[0].nowNs));
        self[0] = h;
        h.market(1, 0, 0, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(1, 1_000 * USD);
        h.deposit(2, 1_000 * USD);
        h.limit(2, 1, Side.SELL, 100 * USD, 2 * COIN);
        h.limit(1, 1, Side.BUY, 100 * USD, 2 * COIN);
        h.batcher.flush();
        assertEquals(1, h.contract.lastBatchId());
        return h;
    }

    private static long request(final SettlementHarness h, final long account, final long amount, final long nonce, final long expiry)
        throws ContractException
    {
        final byte[] signature = SignedRequests.signWithdrawal(SettlementHarness.ownerKeys(account).getPrivate(), account, amount, nonce,
            expiry);
        return h.contract.requestForcedWithdrawal(account, amount, nonce, expiry, signature, h.nowNs);
    }

    @Test
    void aForcedWithdrawalServedWithinTheGraceCannotFreezeTheContract() throws Exception
    {
        final SettlementHarness h = tradedSession(dir);
        final long expiry = h.nowNs + 60_000_000_000L;
        request(h, 2, 50 * USD, 1, expiry);
        final long requestedAt = h.nowNs;
        assertEquals(1, h.contract.pendingForcedRequests().size());

        // The operator relays the owner's signed request to the engine; the next batch settles it.
        final SettlementContract.ForcedRequest r = h.contract.pendingForcedRequests().get(0);
        h.withdrawSigned(r.accountId(), r.amount(), r.nonce(), r.expiryNs(), r.signature());
        h.batcher.flush();
        assertEquals(2, h.contract.lastBatchId());
        assertTrue(h.contract.pendingForcedRequests().isEmpty());
        assertEquals(50 * USD, h.contract.claimable(2));
        final ContractException ex = assertThrows(ContractException.class, () -> h.contract.freeze(requestedAt + 10 * GRACE_NS));
        assertEquals(ContractException.Reason.NOTHING_OVERDUE, ex.reason());
    }

    @Test
    void aBadlySignedForcedRequestIsRefused() throws Exception
    {
        final SettlementHarness h = tradedSession(dir);
        final long expiry = h.nowNs + 60_000_000_000L;
        final byte[] signedByOther = SignedRequests.signWithdrawal(SettlementHarness.ownerKeys(1).getPrivate(), 2, 50 * USD, 1, expiry);
        final ContractException ex = assertThrows(ContractException.class,
            () -> h.contract.requestForcedWithdrawal(2, 50 * USD, 1, expiry, signedByOther, h.nowNs));
        assertEquals(ContractException.Reason.BAD_SIGNATURE, ex.reason());
        assertTrue(h.contract.pendingForcedRequests().isEmpty());
    }

    @Test
    void aForcedRequestThatCouldExpireBeforeTheGraceEndsIsRefused() throws Exception
    {
        final SettlementHarness h = tradedSession(dir);
        final long expiry = h.nowNs + GRACE_NS - 1;
        final ContractException ex = assertThrows(ContractException.class, () -> request(h, 2, 50 * USD, 1, expiry));
        assertEquals(ContractException.Reason.INVALID_REQUEST, ex.reason());
        assertTrue(ex.getMessage().contains("must stay valid for the freeze grace"), ex.getMessage());
        assertTrue(h.contract.pendingForcedRequests().isEmpty());
        request(h, 2, 50 * USD, 1, h.nowNs + GRACE_NS);
        assertEquals(1, h.contract.pendingForcedRequests().size(), "valid exactly until the grace ends: accepted");
    }

    @Test
    void escapesArePaidFromTheL2PartOfTheEscrowOnlyAndInPartWhenItRunsShort() throws Exception
    {
        final SettlementHarness h = tradedSession(dir);
        h.deposit(3, 100 * USD);
        h.withdraw(3, 40 * USD, 1);
        // The mark climbs to $700 in steps the oracle takes; nobody liquidates the short (account 2).
        for (final long price : new long[] {140, 195, 270, 375, 520, 700})
        {
            h.nowNs += 2_000_000_000L;
            h.oracle(1, price * USD);
        }
        h.batcher.flush();
        assertEquals(2, h.contract.lastBatchId());
        assertEquals(40 * USD, h.contract.claimable(3));
        final long uncredited = h.contract.deposit(4, SettlementHarness.ownerKey(4), 30 * USD);
        request(h, 1, 10 * USD, 1, h.nowNs + GRACE_NS);
        h.contract.freeze(h.nowNs + GRACE_NS);

        // L2 balances: $800 + $1,200 + $60. Account 1 is worth $800 + 2 x $700 = $2,200, account 2
        // $1,200 - 2 x $700 < 0: its loss is not there to pay account 1's gain in full.
        final long forBalances = h.contract.escrow() - h.contract.unclaimedWithdrawals() - h.contract.unconfirmedDeposits();
        assertEquals(2_060 * USD, forBalances);
        final EscapeProof one = EscapeProof.fromStore(h.store, 1, 2);
        final EscapeProof two = EscapeProof.fromStore(h.store, 2, 2);
        final EscapeProof three = EscapeProof.fromStore(h.store, 3, 2);
        assertEquals(2_200 * USD, one.escapeValue());
        assertEquals(-200 * USD, two.escapeValue());
        assertEquals(ContractException.Reason.NOTHING_TO_ESCAPE,
            assertThrows(ContractException.class, () -> h.contract.escape(2, two.leaf(), two.path())).reason());
        assertEquals(60 * USD, h.contract.escape(3, three.leaf(), three.path()));
        assertEquals(2_000 * USD, h.contract.escape(1, one.leaf(), one.path()), "paid in part: what is left for L2 balances");

        // What others are owed is still there: the claim and the uncredited deposit.
        assertEquals(70 * USD, h.contract.escrow());
        assertEquals(40 * USD, h.contract.claim(3));
        h.contract.cancelDeposit(uncredited, DepositCancellation.sign(SettlementHarness.ownerKeys(4).getPrivate(), uncredited), h.nowNs);
        assertEquals(30 * USD, h.contract.reclaimDeposit(uncredited, h.nowNs));
        assertEquals(0, h.contract.escrow());
    }

    @Test
    void anIgnoredForcedWithdrawalFreezesTheContractAndEachAccountEscapesOnceChargedItsPendingFunding() throws Exception
    {
        final SettlementHarness h = tradedSession(dir);
        request(h, 2, 50 * USD, 1, h.nowNs + 60_000_000_000L);
        final long requestedAt = h.nowNs;
        assertEquals(ContractException.Reason.NOTHING_OVERDUE,
            assertThrows(ContractException.class, () -> h.contract.freeze(requestedAt + GRACE_NS - 1)).reason());

        // The operator keeps settling other business but never the request. A funding tick at mark
        // $110 moves the index while nobody touches accounts 1 and 2: their funding stays pending.
        h.oracle(1, 110 * USD);
        h.fundingTick(1, RATE_PPB);
        h.deposit(3, 10 * USD);
        h.batcher.flush();
        assertEquals(2, h.contract.lastBatchId());
        assertEquals(1, h.contract.pendingForcedRequests().size());
        final long index = RATE_PPB * 110 * QUANTUMS_PER_TICK_LOT;
        assertEquals(index, h.contract.markets().get(1).fundingIndex(), "the blob carried the market's funding index");

        h.contract.freeze(requestedAt + GRACE_NS);
        assertTrue(h.contract.frozen());
        assertEquals(ContractException.Reason.FROZEN,
            assertThrows(ContractException.class, () -> h.deposit(4, 10 * USD)).reason(), "no deposits while frozen");
        // Withdrawals settle both accounts' funding in the engine, in a batch the contract refuses:
        // the escapes below must charge what the engine charged here.
        h.withdraw(1, USD, 6);
        h.withdraw(2, 5 * USD, 7);
        h.batcher.flush();
        assertTrue(h.batcher.failure() instanceof ContractException ce && ce.reason() == ContractException.Reason.FROZEN);
        assertEquals(2, h.contract.lastBatchId());
        assertEquals(3, h.store.lastContiguousId(), "the refused batch is stored, not settled");

        // Account 1 is long 2 coins bought at $100, cached at index 0. It owes
        // ceil(index x 2,000 lots / 8e9) = ceil(9,166.6575) = 9,167 quantums (a payer pays up):
        // $800 + 2 x $110 - 9,167.
        final long escrow = h.contract.escrow();
        final EscapeProof one = EscapeProof.fromStore(h.store, 1, h.contract.lastBatchId());
        assertEquals(2 * COIN, one.leaf().sizeLots(1));
        assertEquals(0, one.leaf().positions().get(0).fundingIndex());
        final long oneValue = 1_020 * USD - 9_167;
        assertEquals(oneValue, one.escapeValue());
        assertEquals(h.risk.ledger().account(1).balance() + USD + 220 * USD, oneValue, "the engine charged the same funding");

        // Claiming the position already settled to the index (no funding owed) is a leaf the root does not hold.
        final Leaf settled = new Leaf(one.leaf().publicKey(), one.leaf().balance(), List.of(new Leaf.Position(1, 2 * COIN, index)));
        assertEquals(1_020 * USD, h.contract.escapeValue(settled));
        assertEquals(ContractException.Reason.BAD_MERKLE_PROOF,
            assertThrows(ContractException.class, () -> h.contract.escape(1, settled, one.path())).reason());
        assertEquals(escrow, h.contract.escrow());

        assertEquals(oneValue, h.contract.escape(1, one.leaf(), one.path()));
        assertEquals(escrow - oneValue, h.contract.escrow());
        assertEquals(ContractException.Reason.ALREADY_ESCAPED,
            assertThrows(ContractException.class, () -> h.contract.escape(1, one.leaf(), one.path())).reason());
        assertEquals(escrow - oneValue, h.contract.escrow(), "a second escape pays nothing");

        // Account 2 is short 2 coins and is owed floor(9,166.6575) = 9,166 (a receiver receives down).
        // A wrong amount or a wrong path is refused; the right proof pays $1,200 - 2 x $110 + 9,166.
        final EscapeProof two = EscapeProof.fromStore(h.store, 2, h.contract.lastBatchId());
        final long twoValue = 980 * USD + 9_166;
        assertEquals(twoValue, two.escapeValue());
        assertEquals(h.risk.ledger().account(2).balance() + 5 * USD - 220 * USD, twoValue, "the engine credited the same funding");
        final Leaf richer = two.leaf().withBalance(two.leaf().balance() + 1);
        assertEquals(ContractException.Reason.BAD_MERKLE_PROOF,
            assertThrows(ContractException.class, () -> h.contract.escape(2, richer, two.path())).reason());
        final long[][] badPath = two.path().clone();
        badPath[3] = badPath[3].clone();
        badPath[3][0] ^= 1;
        assertEquals(ContractException.Reason.BAD_MERKLE_PROOF,
            assertThrows(ContractException.class, () -> h.contract.escape(2, two.leaf(), badPath)).reason());
        assertEquals(ContractException.Reason.BAD_MERKLE_PROOF,
            assertThrows(ContractException.class, () -> h.contract.escape(3, two.leaf(), two.path())).reason(), "someone else's leaf");
        assertEquals(twoValue, h.contract.escape(2, two.leaf(), two.path()));
        assertEquals(escrow - oneValue - twoValue, h.contract.escrow());

        // The exchange's own ledger leaves do not escape.
        final EscapeProof fee = EscapeProof.fromStore(h.store, ReservedLeaves.fee(SettlementHarness.DEPTH), 2);
        assertEquals(ContractException.Reason.NOTHING_TO_ESCAPE, assertThrows(ContractException.class,
            () -> h.contract.escape(ReservedLeaves.fee(SettlementHarness.DEPTH), fee.leaf(), fee.path())).reason());

        // The escape-proof text states what the contract pays.
        final String text = one.format();
        assertTrue(text.contains("market 1 mark-ticks=110 quantums-per-tick-lot=1000 funding-index=" + index), text);
        assertTrue(text.contains("position market=1 size-lots=2000 funding-index=0 notional=220000000 pending-funding=9167"), text);
        assertTrue(text.contains("escape-value " + oneValue), text);

        // The frozen state, funding indexes included, survives a restart of the contract.
        final SettlementContract reopened = new SettlementContract(new BatchVerifier(VerificationMode.STARK, ProofOptions.P100,
            SettlementHarness.DEPTH), GRACE_NS, dir.resolve("contract.state"));
        assertTrue(reopened.frozen());
        assertEquals(h.contract.escrow(), reopened.escrow());
        assertEquals(h.contract.markets(), reopened.markets());
        assertEquals(ContractException.Reason.ALREADY_ESCAPED,
            assertThrows(ContractException.class, () -> reopened.escape(2, two.leaf(), two.path())).reason());
        assertEquals(ContractException.Reason.FROZEN,
            assertThrows(ContractException.class, () -> reopened.deposit(5, SettlementHarness.ownerKey(5), USD)).reason());
    }
}
