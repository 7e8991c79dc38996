package io.perpetua.risk.view;

import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.CollateralCause;
import io.perpetua.core.sbe.InsuranceCause;
import io.perpetua.core.sbe.LiquidateDecoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.PositionCause;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.margin.RiskParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The indexed liquidation monitor against brute force, on seeded random event streams: fills that open,
 * grow, reduce and flip positions in three markets (accounts cross-margined over up to three of them),
 * mark moves (small, and sometimes 15-25% jumps, sometimes in the same document as fills), funding ticks
 * and settlements, deposits and withdrawals, leverage changes, new maintenance fractions, insurance
 * payments, resting and IOC orders, and the results of the monitor's own Liquidate commands (slices that
 * close something, slices that close nothing, and refusals).
 *
 * <p>Two identical {@link MarginState}s take every document. After each one:
 * <ul>
 *   <li>the indexed monitor has submitted exactly what the full scan of the original monitor (every
 *       account in every repriced market, every touched account, ascending, with the same parking of
 *       accounts whose Liquidate closed nothing) submitted, in the same order;</li>
 *   <li>with a submitter that accepts everything, a scan of every account finds no liquidatable account
 *       without a Liquidate in flight, except parked ones;</li>
 *   <li>an account whose Liquidate closed nothing is not submitted again in the same document.</li>
 * </ul>
 * A second mode has the submitter refuse some submissions (a full ring), so that refused accounts must be
 * found again later. Seeds are printed on failure; {@code -Dmonitor.seed=N} runs one.
 */
class LiquidationMonitorPropertyTest
{
    private static final long USD = 1_000_000L;
    private static final int ACCOUNTS = 40;
    private static final int STEPS = 4_000;
    /** tick size, lot size, quote exponent, IMF, MMF, start mark (ticks) per market 1..3. */
    private static final long[][] MARKETS = {
        {10_000, 1, 3, 50_000, 30_000, 10_000},
        {1_000_000, 10, 4, 100_000, 50_000, 20},
        {100, 100, 4, 200_000, 100_000, 5_000},
    };

    @Test
    void indexedMonitorSubmitsWhatTheFullScanSubmits()
    {
        run(false);
    }

    @Test
    void refusedSubmissionsAreFoundAgain()
    {
        run(true);
    }

    private static void run(final boolean refuseSome)
    {
        final String only = System.getProperty("monitor.seed");
        final long[] seeds = only != null ? new long[] {Long.parseLong(only)} : new long[] {1, 2, 3, 4, 5};
        long submissions = 0;
        long indexedEvaluations = 0;
        long scanEvaluations = 0;
        long stalledResults = 0;
        long wakes = 0;
        for (final long seed : seeds)
        {
            final Session session = new Session(seed, refuseSome);
            try
            {
                session.run();
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("seed " + seed + " (refuseSome=" + refuseSome + ") failed at step " + session.step +
                    ": " + ex, ex);
            }
            submissions += session.indexedSubmissions.size();
            indexedEvaluations += session.indexed.evaluated();
            scanEvaluations += session.scan.evaluated;
            stalledResults += session.stalledResults;
            wakes += session.wakes;
        }
        System.out.println("liquidation monitor (refuseSome=" + refuseSome + "): " + submissions +
            " submissions; accounts evaluated: indexed " + indexedEvaluations + ", full scan " + scanEvaluations +
            "; stalled results " + stalledResults + ", parked accounts submitted again " + wakes);
        if (only == null)
        {
            assertTrue(submissions > 50, "the streams must liquidate: " + submissions);
            assertTrue(indexedEvaluations < scanEvaluations, "the index must save evaluations");
            assertTrue(stalledResults > 20 && wakes > 10, "stalled liquidations must park and wake: " + stalledResults +
                " stalled, " + wakes + " woken");
        }
    }

    /**
     * The monitor as it was before the index (every account of a repriced market is a candidate), with
     * the parking of accounts whose Liquidate closed nothing.
     */
    private static final class FullScanMonitor
    {
        private final MarginState state;
        private final java.util.function.LongPredicate submitter;
        private final TreeSet<Long> inFlight = new TreeSet<>();
        private final TreeSet<Long> parked = new TreeSet<>();
        long evaluated;

        FullScanMonitor(final MarginState state, final java.util.function.LongPredicate submitter)
        {
            this.state = state;
            this.submitter = submitter;
        }

        void afterEvents()
        {
            final TreeSet<Long> candidates = new TreeSet<>();
            final TreeSet<Long> stalled = new TreeSet<>();
            for (int i = 0; i < state.liquidationResults().size(); i++)
            {
                final long accountId = state.liquidationResults().getLong(i);
                inFlight.remove(accountId);
                candidates.add(accountId);
                if (!state.liquidationProgress().contains(accountId))
                {
                    stalled.add(accountId);
                }
            }
            for (int i = 0; i < state.liquidityAdded().size(); i++)
            {
                for (final long accountId : parked)
                {
                    if (state.holderOf(accountId).stalledSliceWouldTake(
                        state.liquidityAdded().getInt(i), state.liquidityPrices().getLong(i)))
                    {
                        candidates.add(accountId);
                    }
                }
            }
            for (int i = 0; i < state.touchedAccounts().size(); i++)
            {
                candidates.add(state.touchedAccounts().getLong(i));
            }
            for (int i = 0; i < state.repricedMarkets().size(); i++)
            {
                candidates.addAll(state.accountsIn(state.repricedMarkets().getInt(i)));
            }
            for (int i = 0; i < state.rescannedMarkets().size(); i++)
            {
                candidates.addAll(state.accountsIn(state.rescannedMarkets().getInt(i)));
            }
            state.liquidationResults().clear();
            state.liquidationProgress().clear();
            state.liquidityAdded().clear();
            state.liquidityPrices().clear();
            state.touchedAccounts().clear();
            state.repricedMarkets().clear();
            state.rescannedMarkets().clear();
            for (final long accountId : candidates)
            {
                if (inFlight.contains(accountId))
                {
                    continue;
                }
                evaluated++;
                if (!state.liquidatable(accountId))
                {
                    parked.remove(accountId);
                }
                else if (stalled.contains(accountId))
                {
                    parked.add(accountId);
                }
                else if (submitter.test(accountId))
                {
                    inFlight.add(accountId);
                    parked.remove(accountId);
                }
            }
        }
    }

    private static final class Session
    {
        final SplittableRandom random;
        final boolean refuseSome;
        final long seed;
        final EventPublisher events = new EventPublisher();
        final MarginState indexedState = new MarginState();
        final MarginState scanState = new MarginState();
        final List<Long> indexedSubmissions = new ArrayList<>();
        final List<Long> scanSubmissions = new ArrayList<>();
        final LiquidationMonitor indexed;
        final FullScanMonitor scan;
        final long[] marks = new long[MARKETS.length + 1];
        final long[] fundingIndexes = new long[MARKETS.length + 1];
        final long[] balances = new long[ACCOUNTS + 1];
        final long[][] sizes = new long[ACCOUNTS + 1][MARKETS.length + 1];
        final long[][] settled = new long[ACCOUNTS + 1][MARKETS.length + 1];
        final TreeSet<Long> awaitingResult = new TreeSet<>();
        long sequence;
        int step;
        int seenSubmissions;
        long stalledResults;
        long wakes;
        final TreeSet<Long> stalledThisDocument = new TreeSet<>();

        Session(final long seed, final boolean refuseSome)
        {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.refuseSome = refuseSome;
            indexed = new LiquidationMonitor(indexedState, accountId -> submit(indexedSubmissions, accountId));
            scan = new FullScanMonitor(scanState, accountId -> submit(scanSubmissions, accountId));
        }

        /** Accepts, or (refuseSome) refuses about one in three, as a function of the document and account only. */
        private boolean submit(final List<Long> log, final long accountId)
        {
            final boolean accept = !refuseSome || Long.hashCode(seed * 31 + sequence * 1_000_003 + accountId) % 3 != 0;
            if (accept)
            {
                log.add(accountId);
            }
            return accept;
        }

        void run()
        {
            begin();
            for (int m = 1; m <= MARKETS.length; m++)
            {
                final long[] spec = MARKETS[m - 1];
                events.marketConfigured(m, spec[0], spec[1], (int)spec[2], 1, Long.MAX_VALUE / 4, 0, 0, 0, 0, 0, false,
                    MarketStatus.ACTIVE, true, "M" + m + "-USD");
                configureRisk(m, (int)spec[3], (int)spec[4]);
                marks[m] = spec[5];
                events.markPriceUpdated(m, marks[m] * spec[0], marks[m] * spec[0], 1);
            }
            for (long a = 1; a <= ACCOUNTS; a++)
            {
                balances[(int)a] = (500 + random.nextInt(5_000)) * USD;
                events.collateralChanged(a, CollateralCause.DEPOSIT, balances[(int)a], balances[(int)a], a);
            }
            end();
            for (step = 0; step < STEPS; step++)
            {
                begin();
                final int action = random.nextInt(100);
                if (action < 36)
                {
                    fill(account());
                }
                else if (action < 40)
                {
                    order();
                }
                else if (action < 62)
                {
                    moveMark(1 + random.nextInt(MARKETS.length));
                    if (random.nextInt(4) == 0)
                    {
                        // Conditional orders fired by the mark trade in the same document.
                        fill(account());
                    }
                }
                else if (action < 67)
                {
                    fundingTick(1 + random.nextInt(MARKETS.length));
                }
                else if (action < 72)
                {
                    settleFunding(account());
                }
                else if (action < 79)
                {
                    moveCollateral(account());
                }
                else if (action < 82)
                {
                    events.leverageSet(account(), 1 + random.nextInt(MARKETS.length), random.nextInt(25));
                }
                else if (action < 83)
                {
                    final int m = 1 + random.nextInt(MARKETS.length);
                    final int imf = (int)MARKETS[m - 1][3];
                    configureRisk(m, imf, imf / 4 + random.nextInt(imf * 3 / 4));
                }
                else if (action < 85)
                {
                    final long a = account();
                    final long amount = random.nextInt(50) * USD;
                    balances[(int)a] += amount;
                    events.insuranceFundChanged(a, 1, InsuranceCause.NEGATIVE_EQUITY, -amount, 1_000 * USD, balances[(int)a]);
                }
                else
                {
                    liquidationResult();
                }
                end();
            }
        }

        private long account()
        {
            return 1 + random.nextInt(ACCOUNTS);
        }

        private void begin()
        {
            sequence++;
            events.begin(sequence, sequence * 1_000_000);
        }

        /** Both states take the document, both monitors run, and the checks of the class comment hold. */
        private void end()
        {
            final TreeSet<Long> parkedBefore = new TreeSet<>();
            for (long a = 1; a <= ACCOUNTS; a++)
            {
                if (indexed.parked(a))
                {
                    parkedBefore.add(a);
                }
            }
            final int submittedBefore = indexedSubmissions.size();
            indexedState.onEvents(events.buffer(), 0, events.length());
            indexed.afterEvents();
            scanState.onEvents(events.buffer(), 0, events.length());
            scan.afterEvents();
            assertEquals(scanSubmissions, indexedSubmissions, "submissions after document " + sequence);
            for (int i = submittedBefore; i < indexedSubmissions.size(); i++)
            {
                final long accountId = indexedSubmissions.get(i);
                assertTrue(!stalledThisDocument.contains(accountId),
                    "account " + accountId + " submitted again in the document of its Liquidate that closed nothing");
                if (parkedBefore.contains(accountId))
                {
                    wakes++;
                }
            }
            stalledThisDocument.clear();
            while (seenSubmissions < indexedSubmissions.size())
            {
                awaitingResult.add(indexedSubmissions.get(seenSubmissions++));
            }
            if (!refuseSome)
            {
                for (long a = 1; a <= ACCOUNTS; a++)
                {
                    if (indexedState.liquidatable(a))
                    {
                        assertTrue(indexed.inFlight(a) || indexed.parked(a),
                            "account " + a + " is liquidatable with no Liquidate in flight and not parked");
                    }
                }
            }
        }

        private void configureRisk(final int marketId, final int imf, final int mmf)
        {
            events.riskConfigured(marketId, imf, mmf, 0, 0, RiskParams.DEFAULT_LIQUIDATION_FEE_PPM,
                RiskParams.DEFAULT_SLICE_PPM, RiskParams.DEFAULT_MIN_SLICE_NOTIONAL,
                RiskParams.DEFAULT_MAX_LIQUIDATION_NOTIONAL, RiskParams.DEFAULT_FILLABLE_FACTOR_PPM);
        }

        private long quantumsPerTickLot(final int m)
        {
            final long[] spec = MARKETS[m - 1];
            return spec[0] * spec[1] / io.perpetua.core.units.FixedPoint.powerOfTen((int)spec[2]);
        }

        /** NC of the account at the marks, funding owed included. */
        private long netCollateral(final int a)
        {
            long nc = balances[a];
            for (int m = 1; m <= MARKETS.length; m++)
            {
                nc += sizes[a][m] * marks[m] * quantumsPerTickLot(m) - Funding.payment(fundingIndexes[m] - settled[a][m], sizes[a][m]);
            }
            return nc;
        }

        /** A trade at the mark give or take 1%, sized to leave the account at 2x-30x in that market; a fee of 0.05%. */
        private void fill(final long accountId)
        {
            final int a = (int)accountId;
            final int m = 1 + random.nextInt(MARKETS.length);
            final long perLot = marks[m] * quantumsPerTickLot(m);
            final long nc = Math.max(netCollateral(a), 10 * USD);
            final long targetLots = nc * (2 + random.nextInt(29)) / Math.max(perLot, 1) / MARKETS.length;
            long delta;
            switch (random.nextInt(4))
            {
                case 0:
                    delta = -sizes[a][m];
                    break;
                case 1:
                    delta = -sizes[a][m] / 2;
                    break;
                default:
                    delta = (random.nextBoolean() ? 1 : -1) * (1 + random.nextLong(Math.max(1, targetLots)));
            }
            if (delta == 0)
            {
                delta = 1;
            }
            trade(a, m, delta, marks[m] + marks[m] * (random.nextInt(201) - 100) / 10_000, PositionCause.TRADE);
        }

        private void trade(final int a, final int m, final long delta, final long priceTicks, final PositionCause cause)
        {
            settleFunding(a, m);
            final long quote = Math.abs(delta) * Math.max(priceTicks, 1) * quantumsPerTickLot(m);
            final long fee = quote / 2_000;
            balances[a] -= (delta > 0 ? quote : -quote) + fee;
            sizes[a][m] += delta;
            settled[a][m] = fundingIndexes[m];
            final long lot = MARKETS[m - 1][1];
            events.positionChanged(a, m, cause, sequence, delta * lot, delta > 0 ? -quote : quote, fee, sizes[a][m] * lot,
                0, 0, balances[a]);
        }

        private void moveMark(final int m)
        {
            final long percentTenths = random.nextInt(8) == 0 ?
                (random.nextBoolean() ? 1 : -1) * (150 + random.nextInt(101)) : random.nextInt(81) - 40;
            marks[m] = Math.max(1, marks[m] + marks[m] * percentTenths / 1_000 + (random.nextInt(3) - 1));
            final long price = marks[m] * MARKETS[m - 1][0];
            events.markPriceUpdated(m, price, price, 1);
        }

        private void fundingTick(final int m)
        {
            // Up to 1% of the mark per lot either way: enough to tip accounts near the edge.
            final long rate = random.nextLong(20_000_001) - 10_000_000;
            fundingIndexes[m] += rate * marks[m] * quantumsPerTickLot(m);
            events.fundingTickApplied(m, rate, marks[m] * MARKETS[m - 1][0], fundingIndexes[m], sequence);
        }

        private void settleFunding(final long accountId)
        {
            for (int m = 1; m <= MARKETS.length; m++)
            {
                settleFunding((int)accountId, m);
            }
        }

        private void settleFunding(final int a, final int m)
        {
            if (sizes[a][m] == 0 || settled[a][m] == fundingIndexes[m])
            {
                return;
            }
            final long payment = Funding.payment(fundingIndexes[m] - settled[a][m], sizes[a][m]);
            balances[a] -= payment;
            settled[a][m] = fundingIndexes[m];
            events.fundingPayment(a, m, -payment, sizes[a][m] * MARKETS[m - 1][1], fundingIndexes[m], balances[a], 0);
        }

        private void moveCollateral(final long accountId)
        {
            final int a = (int)accountId;
            final long amount = (1 + random.nextInt(1_000)) * USD;
            final boolean deposit = random.nextBoolean();
            balances[a] += deposit ? amount : -amount;
            events.collateralChanged(a, deposit ? CollateralCause.DEPOSIT : CollateralCause.WITHDRAWAL,
                deposit ? amount : -amount, balances[a], sequence);
        }

        /** An order accepted in a random market: one that may rest (GTC, GTT), or an IOC that adds no liquidity. */
        private void order()
        {
            final int m = 1 + random.nextInt(MARKETS.length);
            final TimeInForce[] kinds = {TimeInForce.GTC, TimeInForce.GTT, TimeInForce.IOC};
            final long priceTicks = marks[m] + marks[m] * (random.nextInt(41) - 20) / 1_000;
            events.orderAccepted(account(), m, sequence, sequence, random.nextBoolean() ? Side.BUY : Side.SELL, OrderType.LIMIT,
                kinds[random.nextInt(kinds.length)], (byte)0, priceTicks * MARKETS[m - 1][0], MARKETS[m - 1][1], 0, 0);
        }

        /**
         * The result of a Liquidate in flight: a slice closing half the largest position (or all of it),
         * a slice that closed nothing (no liquidity within the fillable price), or a refusal.
         */
        private void liquidationResult()
        {
            if (awaitingResult.isEmpty())
            {
                moveMark(1 + random.nextInt(MARKETS.length));
                return;
            }
            final long accountId = new ArrayList<>(awaitingResult).get(random.nextInt(awaitingResult.size()));
            awaitingResult.remove(accountId);
            final int a = (int)accountId;
            int largest = 0;
            for (int m = 1; m <= MARKETS.length; m++)
            {
                if (sizes[a][m] != 0 && (largest == 0 ||
                    Math.abs(sizes[a][m] * marks[m] * quantumsPerTickLot(m)) > Math.abs(sizes[a][largest] * marks[largest] *
                    quantumsPerTickLot(largest))))
                {
                    largest = m;
                }
            }
            if (largest == 0 || random.nextInt(5) == 0)
            {
                events.rejected(LiquidateDecoder.TEMPLATE_ID, RejectReason.NOT_LIQUIDATABLE, accountId, 0, 0, 0);
                stalledResults++;
                stalledThisDocument.add(accountId);
                return;
            }
            if (random.nextInt(3) == 0)
            {
                // A limit up to 2% either side of the mark: orders in order() sometimes reach it, sometimes not.
                final long size = sizes[a][largest];
                final long limitTicks = marks[largest] + marks[largest] * (random.nextInt(41) - 20) / 1_000;
                events.liquidationStep(accountId, largest, 0, 0, size > 0 ? Side.SELL : Side.BUY, Math.abs(size),
                    limitTicks * MARKETS[largest - 1][0], 0, 0, 0, 0);
                stalledResults++;
                stalledThisDocument.add(accountId);
                return;
            }
            final long size = sizes[a][largest];
            final long closed = random.nextBoolean() ? -size : -size / 2 - Long.signum(size);
            trade(a, largest, closed, marks[largest], PositionCause.LIQUIDATION);
            events.liquidationStep(accountId, largest, 0, 0, closed > 0 ? Side.BUY : Side.SELL, Math.abs(closed), 0, 0,
                Math.abs(closed), 0, 0);
        }
    }
}
