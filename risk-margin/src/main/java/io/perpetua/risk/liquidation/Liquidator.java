package io.perpetua.risk.liquidation;

import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.CancelReason;
import io.perpetua.core.sbe.InsuranceCause;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.engine.RiskEngine;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.Position;
import io.perpetua.risk.ledger.ProRata;
import io.perpetua.risk.ledger.WideInteger;
import io.perpetua.risk.margin.MarginCalculator;
import io.perpetua.risk.margin.MarketRisk;
import io.perpetua.risk.margin.RiskParams;


/**
 * The core's side of a liquidation (MECHANICS §5), run for a {@code Liquidate} command: re-check
 * {@code NC < MMR}, cancel the account's orders, then close its largest position in slices, each
 * an IOC order at the fillable price; book the insurance fund's fee or shortfall per slice against
 * the bankruptcy quote; offset what the book cannot absorb against ranked counterparties
 * ({@link Deleverager}) when the account is bankrupt or the fund cannot pay.
 *
 * <p>A command closes at most {@code maxLiquidationNotional} (of the largest position's market) in
 * at most {@link #MAX_SLICES} slices; the monitor submits again while the account stays
 * liquidatable. Where products can pass 64 bits (three factors, up to 192 bits) the arithmetic is
 * exact in reused {@link WideInteger}s, so a liquidation allocates no numbers.
 */
public final class Liquidator
{
    static final int MAX_SLICES = 16;

    private final RiskEngine risk;
    private final MarginCalculator calculator;
    private final Deleverager deleverager;

    /** Scratch for the slice's exact quotients. */
    private final WideInteger numerator = new WideInteger();
    private final WideInteger denominator = new WideInteger();

    private long sliceFilledLots;
    private long sliceReceivedQuote;

    public Liquidator(final RiskEngine risk)
    {
        this.risk = risk;
        this.calculator = risk.newCalculator();
        this.deleverager = new Deleverager(risk);
    }

    /** Called by the risk engine for each fill of the slice being matched. */
    public void onSliceFill(final long deltaLots, final long quote)
    {
        sliceFilledLots += Math.abs(deltaLots);
        // The liquidated side receives the quote when it sells, pays it when it buys.
        sliceReceivedQuote += deltaLots < 0 ? quote : -quote;
    }

    /** @return null when the liquidation ran, or why it was refused (nothing changed then) */
    public RejectReason liquidate(final long accountId)
    {
        final Ledger ledger = risk.ledger();
        final Account account = ledger.account(accountId);
        if (account == null)
        {
            return RejectReason.UNKNOWN_ACCOUNT;
        }
        if (!calculator.evaluate(account))
        {
            return RejectReason.OVERFLOW;
        }
        if (!calculator.liquidatable())
        {
            return RejectReason.NOT_LIQUIDATABLE;
        }
        for (int i = 0; i < account.positionCount(); i++)
        {
            if (risk.oracleStale(account.positionAt(i).marketId()))
            {
                return RejectReason.ORACLE_STALE;
            }
        }
        final MatchingEngine engine = risk.engine();
        engine.cancelAccountOrders(accountId, CancelReason.LIQUIDATION);

        long budget = risk.market(largestPosition(account).marketId()).params().maxLiquidationNotional;
        for (int slice = 0; slice < MAX_SLICES && budget > 0; slice++)
        {
            calculator.evaluate(account);
            if (!calculator.liquidatable())
            {
                break;
            }
            final long closed = closeSlice(account, largestPosition(account), budget);
            if (closed <= 0)
            {
                break;
            }
            budget -= closed;
        }
        coverNegativeEquity(account);
        return null;
    }

    /** The position with the largest notional at the mark; ties go to the lower market id. */
    private Position largestPosition(final Account account)
    {
        Position largest = null;
        long largestNotional = -1;
        for (int i = 0; i < account.positionCount(); i++)
        {
            final Position position = account.positionAt(i);
            final MarketRisk market = risk.market(position.marketId());
            final long notional = Math.abs(FixedPoint.multiply(position.sizeLots(), market.markTicks(), market.quantumsPerTickLot()));
            if (notional > largestNotional)
            {
                largest = position;
                largestNotional = notional;
            }
        }
        return largest;
    }

    /**
     * Closes one slice of {@code position}; the calculator holds the account's figures before it.
     *
     * @return the notional (at the mark) taken off the position, 0 if nothing could be closed
     */
    private long closeSlice(final Account account, final Position position, final long budget)
    {
        final MarketRisk market = risk.market(position.marketId());
        final MarketSpec spec = market.book().spec();
        final RiskParams params = market.params();
        final long size = position.sizeLots();
        final long absSize = Math.abs(size);
        final long sign = Long.signum(size);
        final long lotValue = market.markTicks() * market.quantumsPerTickLot();
        final long absNotional = absSize * lotValue;
        final long netCollateral = calculator.netCollateral;
        final long maintenance = calculator.maintenanceMargin;
        final long positionMaintenance = FixedPoint.ppmCeil(absNotional, params.maintenanceMarginPpm);

        // Slice notional = min(max(slice share of the position, min slice), budget left); whole if smaller.
        final long sliceNotional = Math.min(
            Math.max(FixedPoint.ppmFloor(absNotional, params.liquidationSlicePpm), params.minSliceNotional), budget);
        final long lots = absNotional <= sliceNotional ? absSize : Math.min(absSize, (sliceNotional + lotValue - 1) / lotValue);
        final Side side = size > 0 ? Side.SELL : Side.BUY;

        // Bankruptcy quote the slice must fetch, signed as the account receives it, rounded down:
        // quote = -dN - NC * |dMMR| / MMR with |dMMR| = MMR_p * lots / |size| (pro rata).
        final long ncShare = numerator.set(netCollateral).multiply(positionMaintenance).multiply(lots)
            .ceilDivide(denominator.set(absSize).multiply(maintenance));
        final long bankruptcyQuote = sign * lots * lotValue - ncShare;

        // Fillable price: mark -/+ factor * ABR * MMR_p / |size| per lot, ABR = clamp(1 - NC/MMR, 0, 1).
        final long shortfallOfMargin = Math.max(0, Math.min(maintenance, maintenance - netCollateral));
        final long adjustmentQuotePerLot = numerator.set(params.fillableFactorPpm).multiply(shortfallOfMargin)
            .multiply(positionMaintenance).ceilDivide(denominator.set(FixedPoint.PPM).multiply(maintenance).multiply(absSize));
        final long adjustmentTicks = (adjustmentQuotePerLot + market.quantumsPerTickLot() - 1) / market.quantumsPerTickLot();
        long limitTicks = side == Side.SELL ?
            Math.max(1, market.markTicks() - adjustmentTicks) : market.markTicks() + adjustmentTicks;

        // If the fund could not pay the worst shortfall at that limit, trade no worse than bankruptcy.
        final long quotePerTickOfSlice = lots * market.quantumsPerTickLot();
        final long worstReceived = sign * limitTicks * quotePerTickOfSlice;
        final long insurance = risk.ledger().insuranceBalance();
        final boolean fundCanPay = bankruptcyQuote - worstReceived <= Math.max(insurance, 0);
        if (!fundCanPay)
        {
            limitTicks = side == Side.SELL ?
                Math.max(1, Math.floorDiv(bankruptcyQuote + quotePerTickOfSlice - 1, quotePerTickOfSlice)) :
                Math.floorDiv(-bankruptcyQuote, quotePerTickOfSlice);
        }

        sliceFilledLots = 0;
        sliceReceivedQuote = 0;
        if (limitTicks > 0)
        {
            risk.engine().placeLiquidationOrder(account.accountId(), spec.marketId(), side, limitTicks, lots);
        }
        final long filled = sliceFilledLots;
        final long received = sliceReceivedQuote;
        if (filled > 0)
        {
            settleInsurance(account, spec.marketId(), received, ProRata.share(bankruptcyQuote, filled, lots), params);
        }

        long deleveraged = 0;
        final long remaining = lots - filled;
        if (remaining > 0)
        {
            calculator.evaluate(account);
            if (calculator.netCollateral < 0 || !fundCanPay)
            {
                deleveraged = deleverager.offset(account, spec.marketId(), remaining,
                    bankruptcyQuote - ProRata.share(bankruptcyQuote, filled, lots));
            }
        }
        final EventPublisher events = risk.engine().events();
        events.liquidationStep(account.accountId(), spec.marketId(), netCollateral, maintenance, side, spec.toSize(lots),
            spec.toPrice(Math.max(limitTicks, 0)), bankruptcyQuote, spec.toSize(filled), received, spec.toSize(deleveraged));
        return (filled + deleveraged) * lotValue;
    }

    /**
     * Per slice: {@code delta = received - bankruptcyQuote}; a surplus goes to the fund up to the
     * liquidation fee (the rest stays with the account), a deficit is paid by the fund.
     */
    private void settleInsurance(
        final Account account, final int marketId, final long received, final long bankruptcyQuote, final RiskParams params)
    {
        final Ledger ledger = risk.ledger();
        final long delta = received - bankruptcyQuote;
        final EventPublisher events = risk.engine().events();
        if (delta > 0)
        {
            final long fee = Math.min(delta, FixedPoint.ppmFloor(Math.abs(received), params.liquidationFeePpm));
            if (fee > 0)
            {
                ledger.toInsurance(account, fee);
                events.insuranceFundChanged(account.accountId(), marketId, InsuranceCause.LIQUIDATION_FEE, fee,
                    ledger.insuranceBalance(), account.balance());
            }
        }
        else if (delta < 0)
        {
            final long paid = Math.min(-delta, Math.max(ledger.insuranceBalance(), 0));
            if (paid > 0)
            {
                ledger.toInsurance(account, -paid);
                events.insuranceFundChanged(account.accountId(), marketId, InsuranceCause.SHORTFALL, -paid,
                    ledger.insuranceBalance(), account.balance());
            }
        }
    }

    /** An account left with no positions and a negative balance is made whole by the fund, as far as it can. */
    private void coverNegativeEquity(final Account account)
    {
        if (account.positionCount() != 0 || account.balance() >= 0)
        {
            return;
        }
        final Ledger ledger = risk.ledger();
        final long paid = Math.min(-account.balance(), Math.max(ledger.insuranceBalance(), 0));
        if (paid > 0)
        {
            ledger.toInsurance(account, -paid);
            risk.engine().events().insuranceFundChanged(account.accountId(), 0, InsuranceCause.NEGATIVE_EQUITY, -paid,
                ledger.insuranceBalance(), account.balance());
        }
    }

}
