package io.perpetua.risk.engine;

import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.ProRata;
import io.perpetua.risk.margin.MarginCalculator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static io.perpetua.risk.engine.RiskHarness.COIN;
import static io.perpetua.risk.engine.RiskHarness.USD;

/**
 * Seeded random traffic for a {@link RiskHarness}: three markets with different fees and margin
 * tiers (one with open-interest scaling), two market makers and traders who deposit, withdraw, transfer (to isolated subaccounts too),
 * choose leverage, place orders of every time in force (some reduce-only or post-only), cancel, while
 * signed oracle prices walk and sometimes drop or jump sharply. After every command it plays the
 * liquidation monitor: a Liquidate for each liquidatable account, by ascending id, until none is or
 * it stops making progress.
 *
 * <p>The harness checks conservation and longs = shorts after every command; the session adds, for
 * every accepted order, that the placing account ends the command at or above initial margin unless
 * the command reduced its risk (MMR not up, NC/MMR not down), and that the insurance fund never goes
 * below zero. Deterministic for a seed, so a session's journal replays exactly.
 */
final class RandomRiskSession
{
    private static final int MARKETS = 3;
    private static final long[] START_MARKS = {0, 100, 20, 50};
    private static final long[] MAKERS = {1, 2};
    private static final int FIRST_TRADER = 3;
    private static final int LAST_TRADER = 10;
    private static final byte POST_ONLY = 1;
    private static final byte REDUCE_ONLY = 2;
    private static final TimeInForce[] TIFS = {TimeInForce.GTC, TimeInForce.GTT, TimeInForce.IOC, TimeInForce.FOK};

    private final RiskHarness h;
    private final boolean fundingTicks;
    private final io.perpetua.core.engine.FundingCommandEncoder funding = new io.perpetua.core.engine.FundingCommandEncoder();
    private final SplittableRandom random;
    private final MarginCalculator before;
    private final MarginCalculator after;
    private final long[] marks = START_MARKS.clone();
    private final Map<Long, Long> nonces = new HashMap<>();
    private final List<Long> subaccounts = new ArrayList<>();
    private long nextSubaccount = 100;
    /** Counts of rendered event kinds and reject reasons, for the report and for coverage checks. */
    final Map<String, Integer> counts = new TreeMap<>();

    RandomRiskSession(final RiskHarness h, final long seed)
    {
        this(h, seed, false);
    }

    /** With {@code fundingTicks}, one command in twenty is a funding tick of a random market and rate. */
    RandomRiskSession(final RiskHarness h, final long seed, final boolean fundingTicks)
    {
        this.fundingTicks = fundingTicks;
        this.h = h;
        this.random = new SplittableRandom(seed);
        this.before = h.risk.newCalculator();
        this.after = h.risk.newCalculator();
    }

    void setUp()
    {
        h.market(1, -100, 500, 50_000, 30_000);
        h.market(2, 0, 300, 100_000, 50_000);
        h.market(3, 200, 700, 66_667, 33_333);
        // Market 2 scales its IMF with open interest between 100 and 1,000 coins.
        RiskHarness.expectNoReject(h.submit(h.accounts.configureRisk(h.buffer, 0, 2, 100_000, 50_000, 100 * COIN,
            1_000 * COIN, 15_000, 100_000, 1_000 * USD, 100_000 * USD, 1_500_000)));
        for (int m = 1; m <= MARKETS; m++)
        {
            RiskHarness.expectNoReject(h.oracle(m, marks[m] * USD));
        }
        for (final long maker : MAKERS)
        {
            h.deposit(maker, 1_000_000 * USD);
        }
        for (long trader = FIRST_TRADER; trader <= LAST_TRADER; trader++)
        {
            h.deposit(trader, (50 + random.nextInt(2_000)) * USD);
        }
    }

    void run(final int commands)
    {
        for (int i = 0; i < commands; i++)
        {
            step();
            sweepLiquidations();
        }
    }

    private void step()
    {
        if (fundingTicks && random.nextInt(20) == 0)
        {
            // Up to 2% per 8 hours either way, so that owed funding moves margin visibly.
            final long rate = random.nextLong(40_000_001L) - 20_000_000L;
            count(h.submit(funding.fundingTick(h.buffer, 0, 1 + random.nextInt(MARKETS), rate, h.nowNs + 1_000_000)));
            return;
        }
        final int action = random.nextInt(100);
        if (action < 45)
        {
            order(trader());
        }
        else if (action < 62)
        {
            quote();
        }
        else if (action < 70)
        {
            moveOracle();
        }
        else if (action < 75)
        {
            count(h.deposit(trader(), (1 + random.nextInt(500)) * USD));
        }
        else if (action < 78)
        {
            withdraw();
        }
        else if (action < 81)
        {
            transfer();
        }
        else if (action < 86)
        {
            count(h.setLeverage(anyAccount(), 1 + random.nextInt(MARKETS), random.nextInt(30)));
        }
        else if (action < 92)
        {
            count(h.cancelAll(anyAccount(), random.nextInt(MARKETS + 1)));
        }
        else
        {
            // Up to 5 s: GTT orders expire; the oracle stays fresh (stale after an hour).
            count(h.advance(1_000_000 + random.nextLong(5_000_000_000L)));
        }
    }

    private long trader()
    {
        return FIRST_TRADER + random.nextInt(LAST_TRADER - FIRST_TRADER + 1);
    }

    private long anyAccount()
    {
        if (!subaccounts.isEmpty() && random.nextInt(4) == 0)
        {
            return subaccounts.get(random.nextInt(subaccounts.size()));
        }
        return trader();
    }

    private long nextNonce(final long accountId)
    {
        final long nonce = nonces.getOrDefault(accountId, 0L) + 1 + random.nextInt(3);
        nonces.put(accountId, nonce);
        return nonce;
    }

    /** An order of the account, checked against the placement invariant. */
    private void order(final long accountId)
    {
        final int market = 1 + random.nextInt(MARKETS);
        final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        final TimeInForce tif = TIFS[random.nextInt(TIFS.length)];
        byte flags = 0;
        if (random.nextInt(6) == 0)
        {
            flags |= REDUCE_ONLY;
        }
        if ((tif == TimeInForce.GTC || tif == TimeInForce.GTT) && random.nextInt(8) == 0)
        {
            flags |= POST_ONLY;
        }
        // Within 6% of the mark, in whole ticks; up to $2,000 of notional, so some traders run near their limit.
        final long offset = marks[market] * (random.nextInt(13) - 6) / 100;
        final long priceTicks = Math.max(1, marks[market] + offset);
        final long size = 1 + random.nextLong(Math.max(1, 2_000 * COIN / marks[market]));
        final Account account = h.account(accountId);
        final boolean known = account != null && before.evaluate(account);
        final long expiry = tif == TimeInForce.GTT ? h.nowNs + 1_000_000 + random.nextLong(8_000_000_000L) : 0;
        final List<String> events = h.submit(h.orders.placeOrder(h.buffer, 0, accountId, market, 0, side,
            io.perpetua.core.sbe.OrderType.LIMIT, tif, flags, io.perpetua.core.sbe.SelfTradePrevention.CANCEL_MAKER,
            priceTicks * USD, size, expiry));
        count(events);
        final boolean accepted = events.stream().anyMatch(e -> e.startsWith("Accepted account=" + accountId + " "));
        if (accepted && known)
        {
            checkPlacementInvariant(accountId, events);
        }
    }

    /** MECHANICS §3 and issue 4: an accepted order leaves the account at IMR or better, unless it reduced risk. */
    private void checkPlacementInvariant(final long accountId, final List<String> events)
    {
        if (!after.evaluate(h.account(accountId)) || after.netCollateral >= after.initialMargin)
        {
            return;
        }
        final boolean reduced = after.maintenanceMargin <= before.maintenanceMargin &&
            (after.maintenanceMargin == 0 || ProRata.compareProducts(after.netCollateral, before.maintenanceMargin,
                before.netCollateral, after.maintenanceMargin) >= 0);
        if (!reduced)
        {
            throw new AssertionError("account " + accountId + " passed the placement check and ended below IMR without " +
                "reducing risk: NC " + before.netCollateral + " -> " + after.netCollateral + ", IMR " + before.initialMargin +
                " -> " + after.initialMargin + ", MMR " + before.maintenanceMargin + " -> " + after.maintenanceMargin + "; " +
                events);
        }
    }

    /** A market maker refreshes a two-sided quote around the mark in one market. */
    private void quote()
    {
        final long maker = MAKERS[random.nextInt(MAKERS.length)];
        final int market = 1 + random.nextInt(MARKETS);
        final long spread = Math.max(1, marks[market] * (1 + random.nextInt(3)) / 100);
        count(h.cancelAll(maker, market));
        count(h.limit(maker, market, Side.BUY, Math.max(1, marks[market] - spread) * USD, 1 + random.nextLong(10 * COIN)));
        count(h.limit(maker, market, Side.SELL, (marks[market] + spread) * USD, 1 + random.nextLong(10 * COIN)));
    }

    /** A walk of up to 3% a step; one step in four is a sharp drop (or, less often, jump) of 10% to 30%. */
    private void moveOracle()
    {
        final int market = 1 + random.nextInt(MARKETS);
        final long percent = random.nextInt(4) == 0 ?
            (random.nextInt(4) == 0 ? 1 : -1) * (10 + random.nextInt(21)) : random.nextInt(7) - 3;
        final long next = Math.max(2, marks[market] + marks[market] * percent / 100);
        // Two of the three sources (the quorum): half the signature work of all three.
        final int skipped = random.nextInt(3);
        final List<String> events = h.oracleFrom(market, next * USD, skipped == 0 ? 1 : 0, skipped == 2 ? 1 : 2);
        count(events);
        if (events.stream().noneMatch(e -> e.startsWith("Rejected")))
        {
            marks[market] = next;
        }
    }

    private void withdraw()
    {
        final long accountId = anyAccount();
        final Account account = h.account(accountId);
        final long amount = account == null || account.balance() <= 0 ? USD : 1 + random.nextLong(account.balance());
        count(h.withdraw(accountId, amount, nextNonce(accountId)));
    }

    /** To a new or existing isolated subaccount of the trader, or back from a subaccount to its owner. */
    private void transfer()
    {
        if (!subaccounts.isEmpty() && random.nextInt(3) == 0)
        {
            final long sub = subaccounts.get(random.nextInt(subaccounts.size()));
            final Account account = h.account(sub);
            count(h.transfer(sub, account.parentAccountId(), 1 + random.nextLong(Math.max(1, account.balance())),
                nextNonce(sub)));
            return;
        }
        final long from = trader();
        final long to = random.nextInt(3) == 0 || subaccounts.isEmpty() ? nextSubaccount : ownSubaccount(from);
        final List<String> events = h.transfer(from, to, (1 + random.nextInt(300)) * USD, nextNonce(from));
        count(events);
        if (to == nextSubaccount && events.stream().noneMatch(e -> e.startsWith("Rejected")))
        {
            subaccounts.add(nextSubaccount++);
        }
    }

    private long ownSubaccount(final long owner)
    {
        for (final long sub : subaccounts)
        {
            if (h.account(sub).parentAccountId() == owner)
            {
                return sub;
            }
        }
        return nextSubaccount;
    }

    /** The liquidation monitor: Liquidate every liquidatable account, again while progress is made. */
    void sweepLiquidations()
    {
        final Ledger ledger = h.risk.ledger();
        final MarginCalculator calculator = h.risk.newCalculator();
        for (int round = 0; round < 4; round++)
        {
            boolean progressed = false;
            for (int i = 0; i < ledger.accountCount(); i++)
            {
                final long accountId = ledger.accountIdAt(i);
                if (!calculator.evaluate(h.account(accountId)) || !calculator.liquidatable())
                {
                    continue;
                }
                final long hash = h.hash();
                final List<String> events = h.liquidate(accountId);
                count(events);
                if (events.stream().anyMatch(e -> e.startsWith("Rejected")))
                {
                    throw new AssertionError("the core refused to liquidate a liquidatable account " + accountId + ": " +
                        events);
                }
                progressed |= hash != h.hash();
            }
            if (!progressed)
            {
                return;
            }
        }
    }

    private void count(final List<String> events)
    {
        if (h.risk.ledger().insuranceBalance() < 0)
        {
            throw new AssertionError("insurance fund below zero: " + h.risk.ledger().insuranceBalance());
        }
        for (final String event : events)
        {
            final String[] words = event.split(" ");
            final String kind;
            switch (words[0])
            {
                case "Rejected":
                    kind = event;
                    break;
                case "Cancelled":
                    kind = words[0] + " " + words[words.length - 1];
                    break;
                case "Insurance":
                    kind = words[0] + " " + words[2];
                    break;
                default:
                    kind = words[0];
            }
            counts.merge(kind, 1, Integer::sum);
        }
    }

    int count(final String kind)
    {
        return counts.getOrDefault(kind, 0);
    }
}
