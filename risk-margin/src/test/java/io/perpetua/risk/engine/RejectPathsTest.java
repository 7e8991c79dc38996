package io.perpetua.risk.engine;

import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.SignedRequests;
import org.junit.jupiter.api.Test;

import java.security.PrivateKey;
import java.util.List;

import static io.perpetua.risk.engine.RiskHarness.COIN;
import static io.perpetua.risk.engine.RiskHarness.USD;
import static io.perpetua.risk.engine.RiskHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reject of the risk engine, each with its exact code and an unchanged state hash (a rejected
 * command changes nothing), and the fill-time refusals, which are not rejects but cancellations.
 */
class RejectPathsTest
{
    private static final byte REDUCE_ONLY = 2;
    private static final long MINUTE_NS = 60_000_000_000L;

    /** Market 1 (IMF 5%, MMF 3%) at $100; account 1 with $100, account 2 with $10,000. */
    private static RiskHarness funded()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(1, 100 * USD);
        h.deposit(2, 10_000 * USD);
        return h;
    }

    private static PrivateKey owner(final long accountId)
    {
        return RiskHarness.ownerKeys(accountId).getPrivate();
    }

    @Test
    void placementBeyondInitialMargin()
    {
        final RiskHarness h = funded();
        expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 30 * COIN));
        // 20.001 coins at $100: IMR 5% x 2,000.10 = $100.005 > NC $100 (the fill at $100 changes NC by nothing).
        h.expectReject("INSUFFICIENT_MARGIN", () -> h.limit(1, 1, Side.BUY, 100 * USD, 20 * COIN + 1));
        // 20 coins: IMR exactly $100 -> accepted.
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 20 * COIN));
        assertEquals(20 * COIN, h.size(1, 1));
        // One more lot: IMR $100.005 > NC $100. Selling 41 flips to short 21: NC = -1,900 + 4,100 - 2,100 = $100
        // against IMR $105 (a flip to a larger position does not reduce risk).
        h.expectReject("INSUFFICIENT_MARGIN", () -> h.limit(1, 1, Side.BUY, 100 * USD, 1));
        h.expectReject("INSUFFICIENT_MARGIN", () -> h.limit(1, 1, Side.SELL, 100 * USD, 41 * COIN));
    }

    @Test
    void aMakerThatNoLongerPassesIsRemovedAtTheFill()
    {
        final RiskHarness h = funded();
        // Account 1 bids 20 coins at $100 (IMR $100 = NC), then withdraws $50: nothing open counts against it.
        final List<String> rested = h.limit(1, 1, Side.BUY, 100 * USD, 20 * COIN);
        assertEquals(List.of("Accepted account=1 order=1 BUY size=20000 price=100000000",
            "Rested account=1 order=1 BUY size=20000 price=100000000"), rested);
        expectNoReject(h.withdraw(1, 50 * USD, 1));
        // At the fill: NC $50 < IMR $100 -> the maker is removed, the seller's order rests instead.
        final List<String> events = h.limit(2, 1, Side.SELL, 100 * USD, 20 * COIN);
        assertEquals(List.of("Accepted account=2 order=2 SELL size=20000 price=100000000",
            "Cancelled account=1 order=1 RISK",
            "Rested account=2 order=2 SELL size=20000 price=100000000"), events);
        assertEquals(0, h.size(1, 1));
        assertEquals(50 * USD, h.balance(1));
    }

    @Test
    void aTakerThatNoLongerPassesStopsAtTheFill()
    {
        final RiskHarness h = funded();
        h.deposit(3, 10_000 * USD);
        expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 10 * COIN));
        h.deposit(4, 60 * USD);
        expectNoReject(h.limit(4, 1, Side.BUY, 100 * USD, 10 * COIN));
        // Account 4: long 10 at $100 on $60; balance -940, NC $60, MMR $30.
        expectNoReject(h.limit(2, 1, Side.BUY, 91 * USD, 5 * COIN));
        expectNoReject(h.limit(3, 1, Side.BUY, 90 * USD, 5 * COIN));
        // Selling all 10 down to $90 only reduces risk as a whole (MMR -> 0), so it is accepted. But its first
        // fill, 5 at $91, leaves NC = -940 + 455 + 500 = $15 < IMR $25 with NC/MMR = 15/15 < 60/30: the taker
        // stops there and its remainder is cancelled.
        final List<String> events = h.order(4, 1, Side.SELL, TimeInForce.GTC, (byte)0, 90 * USD, 10 * COIN);
        assertEquals(List.of("Accepted account=4 order=5 SELL size=10000 price=90000000",
            "Cancelled account=4 order=5 RISK"), events);
        assertEquals(10 * COIN, h.size(4, 1));
        assertEquals(-940 * USD, h.balance(4));
    }

    @Test
    void reduceOnlyOrders()
    {
        final RiskHarness h = funded();
        // No position: nothing to reduce on either side.
        h.expectReject("REDUCE_ONLY_WOULD_INCREASE", () -> h.order(1, 1, Side.SELL, TimeInForce.GTC, REDUCE_ONLY, 100 * USD, 1));
        h.expectReject("REDUCE_ONLY_WOULD_INCREASE", () -> h.order(1, 1, Side.BUY, TimeInForce.IOC, REDUCE_ONLY, 100 * USD, 1));
        expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 3 * COIN));
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 3 * COIN));
        // Long 3: a reduce-only buy would increase it.
        h.expectReject("REDUCE_ONLY_WOULD_INCREASE", () -> h.order(1, 1, Side.BUY, TimeInForce.GTC, REDUCE_ONLY, 99 * USD, 1));

        // A reduce-only sell of 5 is cut to the 3 the position holds, so it can never flip it.
        final List<String> cut = h.order(1, 1, Side.SELL, TimeInForce.GTC, REDUCE_ONLY, 110 * USD, 5 * COIN);
        assertEquals(List.of("Accepted account=1 order=3 SELL size=3000 price=110000000",
            "Rested account=1 order=3 SELL size=3000 price=110000000"), cut);
        // The position shrinks by 1 through a plain sell: the resting reduce-only order shrinks with it.
        expectNoReject(h.limit(2, 1, Side.BUY, 99 * USD, 3 * COIN));
        final List<String> shrink = h.order(1, 1, Side.SELL, TimeInForce.IOC, (byte)0, 99 * USD, 1 * COIN);
        assertTrue(shrink.contains("Amended account=1 order=3 size=3000->2000"), shrink.toString());
        assertEquals(2 * COIN, h.size(1, 1));
        // And it goes when the position does.
        final List<String> gone = h.order(1, 1, Side.SELL, TimeInForce.IOC, (byte)0, 99 * USD, 2 * COIN);
        assertTrue(gone.contains("Cancelled account=1 order=3 REDUCE_ONLY"), gone.toString());
        assertEquals(0, h.size(1, 1));
    }

    @Test
    void withdrawalRejects()
    {
        final RiskHarness h = funded();
        final long expiry = h.nowNs + MINUTE_NS;
        final byte[] good = SignedRequests.signWithdrawal(owner(1), 1, 10 * USD, 5, expiry);
        h.expectReject("UNKNOWN_ACCOUNT", () -> h.withdrawSigned(7, 10 * USD, 5, expiry,
            SignedRequests.signWithdrawal(owner(7), 7, 10 * USD, 5, expiry)));
        h.expectReject("INVALID_AMOUNT", () -> h.withdrawSigned(1, 0, 5, expiry,
            SignedRequests.signWithdrawal(owner(1), 1, 0, 5, expiry)));
        h.expectReject("INVALID_AMOUNT", () -> h.withdrawSigned(1, -1, 5, expiry,
            SignedRequests.signWithdrawal(owner(1), 1, -1, 5, expiry)));
        // Signed by another key, signed for another amount, or no signature at all.
        h.expectReject("BAD_SIGNATURE", () -> h.withdrawSigned(1, 10 * USD, 5, expiry,
            SignedRequests.signWithdrawal(owner(2), 1, 10 * USD, 5, expiry)));
        h.expectReject("BAD_SIGNATURE", () -> h.withdrawSigned(1, 11 * USD, 5, expiry, good));
        h.expectReject("BAD_SIGNATURE", () -> h.withdrawSigned(1, 10 * USD, 5, expiry, new byte[64]));
        h.expectReject("REQUEST_EXPIRED", () -> h.withdrawSigned(1, 10 * USD, 5, h.nowNs + 1_000_000,
            SignedRequests.signWithdrawal(owner(1), 1, 10 * USD, 5, h.nowNs + 1_000_000)));
        // Beyond free collateral: $100 with no position, $100.000001 is too much.
        h.expectReject("INSUFFICIENT_COLLATERAL", () -> h.withdrawSigned(1, 100 * USD + 1, 5, expiry,
            SignedRequests.signWithdrawal(owner(1), 1, 100 * USD + 1, 5, expiry)));

        assertEquals(List.of("Collateral account=1 WITHDRAWAL -10000000 balance=90000000"),
            h.withdrawSigned(1, 10 * USD, 5, expiry, good));
        // The same signed request again, and any older nonce, is refused.
        h.expectReject("NONCE_REUSED", () -> h.withdrawSigned(1, 10 * USD, 5, expiry, good));
        h.expectReject("NONCE_REUSED", () -> h.withdrawSigned(1, 10 * USD, 4, expiry,
            SignedRequests.signWithdrawal(owner(1), 1, 10 * USD, 4, expiry)));

        // With a position: free collateral is NC - IMR. Long 10 at $100: NC $90, IMR $50 -> $40 may leave.
        expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 10 * COIN));
        h.expectReject("INSUFFICIENT_COLLATERAL", () -> h.withdraw(1, 40 * USD + 1, 6));
        expectNoReject(h.withdraw(1, 40 * USD, 7));
        assertEquals(90 * USD - 40 * USD - 1_000 * USD, h.balance(1));
    }

    @Test
    void transferRejects()
    {
        final RiskHarness h = funded();
        final long expiry = h.nowNs + MINUTE_NS;
        h.expectReject("UNKNOWN_ACCOUNT", () -> h.transferSigned(7, 1, 10 * USD, 1, expiry,
            SignedRequests.signTransfer(owner(7), 7, 1, 10 * USD, 1, expiry)));
        h.expectReject("UNKNOWN_ACCOUNT", () -> h.transferSigned(1, 1, 10 * USD, 1, expiry,
            SignedRequests.signTransfer(owner(1), 1, 1, 10 * USD, 1, expiry)));
        h.expectReject("UNKNOWN_ACCOUNT", () -> h.transferSigned(1, 0, 10 * USD, 1, expiry,
            SignedRequests.signTransfer(owner(1), 1, 0, 10 * USD, 1, expiry)));
        h.expectReject("INVALID_AMOUNT", () -> h.transferSigned(1, 5, 0, 1, expiry,
            SignedRequests.signTransfer(owner(1), 1, 5, 0, 1, expiry)));
        // Signed for another target, by another key.
        h.expectReject("BAD_SIGNATURE", () -> h.transferSigned(1, 5, 10 * USD, 1, expiry,
            SignedRequests.signTransfer(owner(1), 1, 6, 10 * USD, 1, expiry)));
        h.expectReject("BAD_SIGNATURE", () -> h.transferSigned(1, 5, 10 * USD, 1, expiry,
            SignedRequests.signTransfer(owner(2), 1, 5, 10 * USD, 1, expiry)));
        h.expectReject("REQUEST_EXPIRED", () -> h.transferSigned(1, 5, 10 * USD, 1, h.nowNs,
            SignedRequests.signTransfer(owner(1), 1, 5, 10 * USD, 1, h.nowNs)));
        h.expectReject("INSUFFICIENT_COLLATERAL", () -> h.transfer(1, 5, 100 * USD + 1, 1));

        final byte[] good = SignedRequests.signTransfer(owner(1), 1, 5, 10 * USD, 3, expiry);
        expectNoReject(h.transferSigned(1, 5, 10 * USD, 3, expiry, good));
        assertEquals(10 * USD, h.balance(5));
        h.expectReject("NONCE_REUSED", () -> h.transferSigned(1, 5, 10 * USD, 3, expiry, good));
        h.expectReject("NONCE_REUSED", () -> h.transfer(1, 5, 10 * USD, 2));
    }

    @Test
    void depositRejects()
    {
        final RiskHarness h = funded();
        final byte[] key1 = Ed25519Keys.rawPublicKey(RiskHarness.ownerKeys(1).getPublic());
        final byte[] key2 = Ed25519Keys.rawPublicKey(RiskHarness.ownerKeys(2).getPublic());
        final long next = h.depositId + 1;
        h.expectReject("UNKNOWN_ACCOUNT", () -> h.depositWithKey(0, USD, next, key1));
        h.expectReject("INVALID_AMOUNT", () -> h.depositWithKey(1, 0, next, key1));
        h.expectReject("INVALID_AMOUNT", () -> h.depositWithKey(1, -USD, next, key1));
        // Net deposits would pass 2^63.
        h.expectReject("INVALID_AMOUNT", () -> h.depositWithKey(1, Long.MAX_VALUE - 50 * USD, next, key1));
        // Deposit ids strictly increase: the last one applied, or an older one, is a duplicate.
        h.expectReject("DUPLICATE_DEPOSIT", () -> h.depositWithKey(1, USD, h.depositId, key1));
        h.expectReject("DUPLICATE_DEPOSIT", () -> h.depositWithKey(1, USD, 1, key1));
        // Another owner's key for an existing account; a small-order point (the identity) for a new one.
        h.expectReject("KEY_MISMATCH", () -> h.depositWithKey(1, USD, next, key2));
        final byte[] identity = new byte[32];
        identity[0] = 1;
        h.expectReject("KEY_MISMATCH", () -> h.depositWithKey(8, USD, next, identity));
        assertEquals(List.of("Collateral account=1 DEPOSIT 1000000 balance=101000000"),
            h.depositWithKey(1, USD, next, key1));
    }

    @Test
    void leverageRejects()
    {
        final RiskHarness h = funded();
        h.expectReject("UNKNOWN_ACCOUNT", () -> h.setLeverage(7, 1, 5));
        h.expectReject("UNKNOWN_MARKET", () -> h.setLeverage(1, 9, 5));
        h.expectReject("INVALID_LEVERAGE", () -> h.setLeverage(1, 1, -1));
        h.expectReject("INVALID_LEVERAGE", () -> h.setLeverage(1, 1, 1_001));
        expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 10 * COIN));
        // Long 10 at $100 on $100: IMR at 10x = $100 <= NC $100; at 9x, ceil(10^6 / 9) ppm = $111.11 > $100.
        assertEquals(List.of("Leverage account=1 market=1 10"), h.setLeverage(1, 1, 10));
        h.expectReject("INSUFFICIENT_MARGIN", () -> h.setLeverage(1, 1, 9));
        // With leverage 10 chosen, buying one more lot is beyond it although the tier (20x) would allow it.
        h.expectReject("INSUFFICIENT_MARGIN", () -> h.limit(1, 1, Side.BUY, 100 * USD, 1));
        assertEquals(List.of("Leverage account=1 market=1 0"), h.setLeverage(1, 1, 0));
        assertEquals(List.of("Leverage account=1 market=1 1000"), h.setLeverage(1, 1, 1_000));
    }

    @Test
    void oracleRejects()
    {
        final RiskHarness h = funded();
        h.bareMarket(5);
        h.expectReject("UNKNOWN_MARKET", () -> h.oracle(9, 100 * USD));
        h.expectReject("ORACLE_NOT_CONFIGURED", () -> h.oracle(5, 100 * USD));

        final long at = h.nowNs + 1_000_000;
        final long price = 101 * USD;
        final byte[] s0 = h.oracleSignature(0, 1, price, at);
        final byte[] s1 = h.oracleSignature(1, 1, price, at);
        h.expectReject("ORACLE_UNKNOWN_SOURCE", () -> h.oracleObservations(1, new int[] {0, 3},
            new long[] {price, price}, new long[] {at + 1_000_000, at + 1_000_000}, new byte[][] {s0, s1}));
        h.expectReject("ORACLE_DUPLICATE_SOURCE", () -> h.oracleObservations(1, new int[] {0, 0},
            new long[] {price, price}, new long[] {at + 2_000_000, at + 2_000_000}, new byte[][] {s0, s0}));
        h.expectReject("ORACLE_BAD_PRICE", () -> h.oracleObservations(1, new int[] {0, 1},
            new long[] {0, price}, new long[] {at, at}, new byte[][] {s0, s1}));
        // Older than the 10 s validity window, or more than the 1 s allowed skew ahead of the command time.
        h.expectReject("ORACLE_OUT_OF_WINDOW", () -> oracleAt(h, 1, price, h.nowNs + 1_000_000 - 10_000_000_001L));
        h.expectReject("ORACLE_OUT_OF_WINDOW", () -> oracleAt(h, 1, price, h.nowNs + 1_000_000 + 1_000_000_001L));
        h.expectReject("ORACLE_NO_QUORUM", () -> oracleAt(h, 1, price, h.nowNs + 1_000_000, 0));
        // A signature over another price.
        h.expectReject("ORACLE_BAD_SIGNATURE", () ->
        {
            final long t = h.nowNs + 1_000_000;
            return h.oracleObservations(1, new int[] {0, 1}, new long[] {price, price}, new long[] {t, t},
                new byte[][] {h.oracleSignature(0, 1, price, t), h.oracleSignature(1, 1, price + USD, t)});
        });
        // More than 50% from the last price within the 1 s move window; exactly 50% is accepted.
        h.expectReject("ORACLE_MAX_MOVE", () -> h.oracle(1, 150 * USD + 1));
        expectNoReject(h.oracle(1, 150 * USD));
        // The accepted observations again: not newer than each source's last one.
        final long last = h.nowNs;
        h.expectReject("ORACLE_REPLAYED", () -> oracleAt(h, 1, 150 * USD, last, 0, 1, 2));
    }

    /** Sources {@code indexes} (default 0, 1) sign {@code price} at {@code atNs}. */
    private static List<String> oracleAt(final RiskHarness h, final int marketId, final long price, final long atNs,
        final int... indexes)
    {
        final int[] sources = indexes.length == 0 ? new int[] {0, 1} : indexes;
        final long[] prices = new long[sources.length];
        final long[] times = new long[sources.length];
        final byte[][] signatures = new byte[sources.length][];
        for (int i = 0; i < sources.length; i++)
        {
            prices[i] = price;
            times[i] = atNs;
            signatures[i] = h.oracleSignature(sources[i], marketId, price, atNs);
        }
        return h.oracleObservations(marketId, sources, prices, times, signatures);
    }

    @Test
    void staleOracleHaltsRiskButNotReduction()
    {
        final RiskHarness h = funded();
        h.deposit(3, 15 * USD);
        expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 13 * COIN));
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 10 * COIN));
        // Account 3: long 3 at $100 on $15 (IMR $15).
        expectNoReject(h.limit(3, 1, Side.BUY, 100 * USD, 3 * COIN));
        h.oracle(1, 96 * USD);
        // Account 3 at $96: NC = 15 - 300 + 288 = $3 < MMR $8.64.
        // An hour without a price: the oracle is stale (staleAfter = 3,600 s).
        h.advance(3_600_000_000_000L);
        h.expectReject("ORACLE_STALE", () -> h.limit(1, 1, Side.BUY, 90 * USD, 1));
        h.expectReject("ORACLE_STALE", () -> h.limit(2, 1, Side.SELL, 120 * USD, 1));
        h.expectReject("ORACLE_STALE", () -> h.liquidate(3));
        // Reducing risk is allowed: account 1 sells 4 of its 10 coins to a bid.
        expectNoReject(h.limit(2, 1, Side.BUY, 95 * USD, 4 * COIN));
        expectNoReject(h.limit(1, 1, Side.SELL, 95 * USD, 4 * COIN));
        assertEquals(6 * COIN, h.size(1, 1));
        // A fresh price lifts the halt.
        expectNoReject(h.oracle(1, 96 * USD));
        expectNoReject(h.liquidate(3));
    }

    @Test
    void noMarkPriceNotLiquidatableAndUnknownAccounts()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.deposit(1, 100 * USD);
        h.expectReject("NO_MARK_PRICE", () -> h.limit(1, 1, Side.BUY, 100 * USD, 1));
        h.oracle(1, 100 * USD);
        h.expectReject("UNKNOWN_ACCOUNT", () -> h.limit(7, 1, Side.BUY, 100 * USD, 1));
        h.expectReject("UNKNOWN_ACCOUNT", () -> h.liquidate(7));
        // No position: MMR = 0 is never liquidatable.
        h.expectReject("NOT_LIQUIDATABLE", () -> h.liquidate(1));
        h.deposit(2, 10_000 * USD);
        expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 10 * COIN));
        // NC $100 >= MMR $30; at $94 still NC $40 >= MMR $28.20.
        h.expectReject("NOT_LIQUIDATABLE", () -> h.liquidate(1));
        h.oracle(1, 94 * USD);
        h.expectReject("NOT_LIQUIDATABLE", () -> h.liquidate(1));
        h.expectReject("INVALID_RISK_CONFIG", () -> h.submit(h.accounts.configureRisk(h.buffer, 0, 1, 50_000, 60_000, 0, 0,
            15_000, 100_000, 1_000 * USD, 100_000 * USD, 1_500_000)));
        h.expectReject("UNKNOWN_MARKET", () -> h.submit(h.accounts.configureRisk(h.buffer, 0, 9, 50_000, 30_000, 0, 0,
            15_000, 100_000, 1_000 * USD, 100_000 * USD, 1_500_000)));
    }
}
