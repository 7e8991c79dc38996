package io.perpetua.risk.engine;

import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.Position;
import io.perpetua.risk.margin.MarginCalculator;
import io.perpetua.risk.margin.MarketRisk;
import io.perpetua.risk.margin.RiskParams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The margin formulas of MECHANICS §3 computed from scratch, position by position, with no cached
 * figures: what {@link MarginCalculator} computed before it kept per-position caches. The harness
 * compares the two after every command, so a cache that outlives a change of mark, funding index,
 * parameters, size or leverage fails the command that left it stale.
 */
final class ReferenceMargin
{
    private ReferenceMargin()
    {
    }

    /**
     * {ok, NC, IMR, MMR, traded notional, traded maintenance} after the account's size in the market
     * moves by {@code deltaLots} and its balance by {@code balanceDelta} (ok = 0 when a figure overflows,
     * and then nothing else is compared).
     */
    static long[] evaluate(
        final RiskEngine risk, final Account account, final int marketId, final long deltaLots, final long balanceDelta,
        final long openInterestDeltaLots)
    {
        final Ledger ledger = risk.ledger();
        long nc = FixedPoint.add(account.balance(), balanceDelta);
        long imr = 0;
        long mmr = 0;
        long tradedNotional = 0;
        long tradedMaintenance = 0;
        final long[] failed = {0, 0, 0, 0, 0, 0};
        boolean tradedSeen = deltaLots == 0;
        final int count = account.positionCount();
        for (int i = 0; i <= count; i++)
        {
            final int market;
            long size;
            if (i < count)
            {
                final Position position = account.positionAt(i);
                market = position.marketId();
                size = position.sizeLots();
                final long behind = FixedPoint.add(ledger.fundingIndex(market), -position.fundingIndex());
                final long owed = behind == FixedPoint.OVERFLOW ? behind : Funding.payment(behind, size);
                if (owed == FixedPoint.OVERFLOW)
                {
                    return failed;
                }
                nc = nc == FixedPoint.OVERFLOW ? nc : FixedPoint.add(nc, -owed);
                if (market == marketId)
                {
                    size += deltaLots;
                    tradedSeen = true;
                }
            }
            else
            {
                if (tradedSeen)
                {
                    break;
                }
                market = marketId;
                size = deltaLots;
            }
            if (size == 0)
            {
                continue;
            }
            final MarketRisk marketRisk = risk.market(market);
            final long notional = FixedPoint.multiply(size, marketRisk.markTicks(), marketRisk.quantumsPerTickLot());
            if (notional == FixedPoint.OVERFLOW || nc == FixedPoint.OVERFLOW)
            {
                return failed;
            }
            nc = FixedPoint.add(nc, notional);
            final RiskParams params = marketRisk.params();
            final long openInterest = ledger.openInterestLots(market) + (market == marketId ? openInterestDeltaLots : 0);
            final long im = FixedPoint.ppmCeil(Math.abs(notional), params.initialFractionPpm(openInterest, account.leverage(market)));
            final long mm = FixedPoint.ppmCeil(Math.abs(notional), params.maintenanceMarginPpm);
            if (im == FixedPoint.OVERFLOW || mm == FixedPoint.OVERFLOW)
            {
                return failed;
            }
            imr = FixedPoint.add(imr, im);
            mmr = FixedPoint.add(mmr, mm);
            if (market == marketId)
            {
                tradedNotional = notional;
                tradedMaintenance = mm;
            }
        }
        if (nc == FixedPoint.OVERFLOW || imr == FixedPoint.OVERFLOW || mmr == FixedPoint.OVERFLOW)
        {
            return failed;
        }
        return new long[] {1, nc, imr, mmr, tradedNotional, tradedMaintenance};
    }

    /** The calculator's answer in the same shape. */
    static long[] evaluate(
        final MarginCalculator calculator, final Account account, final int marketId, final long deltaLots,
        final long balanceDelta, final long openInterestDeltaLots)
    {
        if (!calculator.evaluate(account, marketId, deltaLots, balanceDelta, openInterestDeltaLots))
        {
            return new long[] {0, 0, 0, 0, 0, 0};
        }
        return new long[] {1, calculator.netCollateral, calculator.initialMargin, calculator.maintenanceMargin,
            calculator.tradedNotional, calculator.tradedMaintenance};
    }

    /**
     * Every account as it stands, and after a buy and a sell of {@code lots} in every priced market
     * (quote at the mark, open interest up by the lots): the calculator agrees with the reference.
     */
    static void check(final RiskEngine risk, final MarginCalculator calculator, final long lots)
    {
        final Ledger ledger = risk.ledger();
        final int markets = risk.engine().state().marketCount();
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            final Account account = ledger.account(ledger.accountIdAt(i));
            compare(risk, calculator, account, 0, 0, 0, 0);
            for (int m = 0; m < markets; m++)
            {
                final int marketId = risk.engine().state().marketIdAt(m);
                final MarketRisk market = risk.market(marketId);
                if (market.markTicks() == 0)
                {
                    continue;
                }
                final long quote = lots * market.markTicks() * market.quantumsPerTickLot();
                compare(risk, calculator, account, marketId, lots, -quote, lots);
                compare(risk, calculator, account, marketId, -lots, quote, 0);
            }
        }
    }

    private static void compare(
        final RiskEngine risk, final MarginCalculator calculator, final Account account, final int marketId,
        final long deltaLots, final long balanceDelta, final long openInterestDeltaLots)
    {
        final long[] expected = evaluate(risk, account, marketId, deltaLots, balanceDelta, openInterestDeltaLots);
        final long[] actual = evaluate(calculator, account, marketId, deltaLots, balanceDelta, openInterestDeltaLots);
        if (expected[0] == 0)
        {
            assertArrayEquals(new long[] {0}, new long[] {actual[0]}, "overflow of account " + account.accountId());
            return;
        }
        assertArrayEquals(expected, actual, () -> "margin of account " + account.accountId() + " in market " + marketId +
            " moving " + deltaLots + " lots: {ok, NC, IMR, MMR, traded N, traded MM}");
    }
}
