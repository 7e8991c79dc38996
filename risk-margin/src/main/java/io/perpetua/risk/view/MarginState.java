package io.perpetua.risk.view;

import io.perpetua.core.sbe.AccountCreatedDecoder;
import io.perpetua.core.sbe.CollateralChangedDecoder;
import io.perpetua.core.sbe.DeleveragedDecoder;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.FundingPaymentDecoder;
import io.perpetua.core.sbe.FundingTickAppliedDecoder;
import io.perpetua.core.sbe.InsuranceFundChangedDecoder;
import io.perpetua.core.sbe.LeverageSetDecoder;
import io.perpetua.core.sbe.LiquidateDecoder;
import io.perpetua.core.sbe.LiquidationStepDecoder;
import io.perpetua.core.sbe.MarkPriceUpdatedDecoder;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.PositionChangedDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.RiskConfiguredDecoder;
import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.liquidation.Deleverager;
import io.perpetua.risk.margin.LiquidationPrice;
import io.perpetua.risk.margin.RiskParams;
import org.agrona.DirectBuffer;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accounts, positions, marks and risk parameters rebuilt from the event journal alone — what a
 * process tailing the journal knows. Events carry the state after each change (balances, sizes,
 * cost bases), so nothing of the core's logic is re-run here; margin figures are computed with the
 * same formulas and rounding as the core's {@link io.perpetua.risk.margin.MarginCalculator},
 * including the funding a position owes since it last settled (the index moves with
 * FundingTickApplied; FundingPayment reports a settlement).
 *
 * <p>Owned by one thread (the tailer's); {@link MarginViews} publishes copies to readers.
 */
public final class MarginState
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MarketConfiguredDecoder marketConfigured = new MarketConfiguredDecoder();
    private final RiskConfiguredDecoder riskConfigured = new RiskConfiguredDecoder();
    private final MarkPriceUpdatedDecoder markPrice = new MarkPriceUpdatedDecoder();
    private final AccountCreatedDecoder accountCreated = new AccountCreatedDecoder();
    private final CollateralChangedDecoder collateral = new CollateralChangedDecoder();
    private final PositionChangedDecoder positionChanged = new PositionChangedDecoder();
    private final InsuranceFundChangedDecoder insurance = new InsuranceFundChangedDecoder();
    private final LeverageSetDecoder leverageSet = new LeverageSetDecoder();
    private final FundingTickAppliedDecoder fundingTick = new FundingTickAppliedDecoder();
    private final FundingPaymentDecoder fundingPayment = new FundingPaymentDecoder();

    private final Map<Integer, Market> markets = new TreeMap<>();
    private final Map<Long, Holder> accounts = new TreeMap<>();
    private final List<Long> touchedAccounts = new ArrayList<>();
    private final List<Integer> repricedMarkets = new ArrayList<>();
    private final List<Long> liquidationResults = new ArrayList<>();
    private final RejectedDecoder rejected = new RejectedDecoder();
    private final LiquidationStepDecoder liquidationStep = new LiquidationStepDecoder();
    private long lastSequence;
    private long fills;
    private long liquidationSteps;
    private long deleverages;
    private long insuranceBalance;
    private long fundingTicks;

    /** A market as the events describe it. */
    static final class Market
    {
        final int marketId;
        final long tickSize;
        final long lotSize;
        final long quantumsPerTickLot;
        RiskParams params = RiskParams.defaults();
        long markTicks;
        long openInterestLots;
        long fundingIndex;

        Market(final int marketId, final long tickSize, final long lotSize, final int exponent)
        {
            this.marketId = marketId;
            this.tickSize = tickSize;
            this.lotSize = lotSize;
            this.quantumsPerTickLot = tickSize * lotSize / FixedPoint.powerOfTen(exponent);
        }
    }

    /** An account as the events describe it. */
    static final class Holder
    {
        final long accountId;
        long parentAccountId;
        long balance;
        /** marketId -> {size in lots, cost basis, funding index settled to}. */
        final Map<Integer, long[]> positions = new TreeMap<>();
        final Map<Integer, Integer> leverage = new TreeMap<>();

        Holder(final long accountId)
        {
            this.accountId = accountId;
        }
    }

    /** Applies the events of one command (one events-journal document). */
    public void onEvents(final DirectBuffer buffer, final int offset, final int length)
    {
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            header.wrap(buffer, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            final int block = header.blockLength();
            final int version = header.version();
            int messageLength = MessageHeaderDecoder.ENCODED_LENGTH + block;
            lastSequence = buffer.getLong(body, ByteOrder.LITTLE_ENDIAN);
            switch (header.templateId())
            {
                case MarketConfiguredDecoder.TEMPLATE_ID:
                {
                    final MarketConfiguredDecoder d = marketConfigured.wrap(buffer, body, block, version);
                    markets.computeIfAbsent(d.marketId(),
                        id -> new Market(id, d.tickSize(), d.lotSize(), d.quoteScaleExponent()));
                    messageLength += MarketConfiguredDecoder.symbolHeaderLength() + d.symbolLength();
                    break;
                }
                case RiskConfiguredDecoder.TEMPLATE_ID:
                {
                    final RiskConfiguredDecoder d = riskConfigured.wrap(buffer, body, block, version);
                    final Market market = markets.get(d.marketId());
                    market.params = RiskParams.of(d.initialMarginPpm(), d.maintenanceMarginPpm(),
                        d.openInterestLowerCap() / market.lotSize, d.openInterestUpperCap() / market.lotSize,
                        d.liquidationFeePpm(), d.liquidationSlicePpm(), d.minSliceNotional(), d.maxLiquidationNotional(),
                        d.fillableFactorPpm());
                    break;
                }
                case MarkPriceUpdatedDecoder.TEMPLATE_ID:
                {
                    final MarkPriceUpdatedDecoder d = markPrice.wrap(buffer, body, block, version);
                    final Market market = markets.get(d.marketId());
                    market.markTicks = d.price() / market.tickSize;
                    repricedMarkets.add(d.marketId());
                    break;
                }
                case AccountCreatedDecoder.TEMPLATE_ID:
                {
                    final AccountCreatedDecoder d = accountCreated.wrap(buffer, body, block, version);
                    holder(d.accountId()).parentAccountId = d.parentAccountId();
                    break;
                }
                case CollateralChangedDecoder.TEMPLATE_ID:
                {
                    final CollateralChangedDecoder d = collateral.wrap(buffer, body, block, version);
                    holder(d.accountId()).balance = d.balance();
                    touchedAccounts.add(d.accountId());
                    break;
                }
                case PositionChangedDecoder.TEMPLATE_ID:
                {
                    final PositionChangedDecoder d = positionChanged.wrap(buffer, body, block, version);
                    final Holder holder = holder(d.accountId());
                    holder.balance = d.balance();
                    final Market market = markets.get(d.marketId());
                    final long sizeLots = d.size() / market.lotSize;
                    final long[] before = holder.positions.get(d.marketId());
                    market.openInterestLots += Math.max(sizeLots, 0) - (before == null ? 0 : Math.max(before[0], 0));
                    if (sizeLots == 0)
                    {
                        holder.positions.remove(d.marketId());
                    }
                    else
                    {
                        // The core settles a position's funding before it trades: it is at the index now.
                        holder.positions.put(d.marketId(), new long[] {sizeLots, d.costBasis(), market.fundingIndex});
                    }
                    touchedAccounts.add(d.accountId());
                    break;
                }
                case InsuranceFundChangedDecoder.TEMPLATE_ID:
                {
                    final InsuranceFundChangedDecoder d = insurance.wrap(buffer, body, block, version);
                    insuranceBalance = d.fundBalance();
                    if (d.accountId() != 0)
                    {
                        holder(d.accountId()).balance = d.accountBalance();
                        touchedAccounts.add(d.accountId());
                    }
                    break;
                }
                case FundingTickAppliedDecoder.TEMPLATE_ID:
                {
                    final FundingTickAppliedDecoder d = fundingTick.wrap(buffer, body, block, version);
                    markets.get(d.marketId()).fundingIndex = d.fundingIndex();
                    fundingTicks++;
                    // Every position in the market now owes or is owed: re-check them like a mark change.
                    repricedMarkets.add(d.marketId());
                    break;
                }
                case FundingPaymentDecoder.TEMPLATE_ID:
                {
                    final FundingPaymentDecoder d = fundingPayment.wrap(buffer, body, block, version);
                    final Holder holder = holder(d.accountId());
                    holder.balance = d.balance();
                    final long[] settled = holder.positions.get(d.marketId());
                    if (settled != null)
                    {
                        settled[2] = d.fundingIndex();
                    }
                    touchedAccounts.add(d.accountId());
                    break;
                }
                case LeverageSetDecoder.TEMPLATE_ID:
                {
                    final LeverageSetDecoder d = leverageSet.wrap(buffer, body, block, version);
                    holder(d.accountId()).leverage.put(d.marketId(), d.leverage());
                    touchedAccounts.add(d.accountId());
                    break;
                }
                case FillDecoder.TEMPLATE_ID:
                    fills++;
                    break;
                case LiquidationStepDecoder.TEMPLATE_ID:
                    liquidationSteps++;
                    liquidationResults.add(liquidationStep.wrap(buffer, body, block, version).accountId());
                    break;
                case RejectedDecoder.TEMPLATE_ID:
                {
                    final RejectedDecoder d = rejected.wrap(buffer, body, block, version);
                    if (d.commandTemplateId() == LiquidateDecoder.TEMPLATE_ID)
                    {
                        liquidationResults.add(d.accountId());
                    }
                    break;
                }
                case DeleveragedDecoder.TEMPLATE_ID:
                    deleverages++;
                    break;
                default:
                    break;
            }
            position += messageLength;
        }
    }

    private Holder holder(final long accountId)
    {
        return accounts.computeIfAbsent(accountId, Holder::new);
    }

    /** Accounts whose balance or positions changed since the last call, in event order (may repeat). */
    public List<Long> drainTouchedAccounts()
    {
        final List<Long> drained = new ArrayList<>(touchedAccounts);
        touchedAccounts.clear();
        return drained;
    }

    /** Accounts whose Liquidate command was applied or refused since the last call. */
    public List<Long> drainLiquidationResults()
    {
        final List<Long> drained = new ArrayList<>(liquidationResults);
        liquidationResults.clear();
        return drained;
    }

    /** Markets whose mark price changed since the last call. */
    public List<Integer> drainRepricedMarkets()
    {
        final List<Integer> drained = new ArrayList<>(repricedMarkets);
        repricedMarkets.clear();
        return drained;
    }

    /** Accounts holding a position in the market, ascending. */
    public List<Long> accountsIn(final int marketId)
    {
        final List<Long> result = new ArrayList<>();
        for (final Holder holder : accounts.values())
        {
            if (holder.positions.containsKey(marketId))
            {
                result.add(holder.accountId);
            }
        }
        return result;
    }

    public long lastSequence()
    {
        return lastSequence;
    }

    public long fills()
    {
        return fills;
    }

    public long liquidationSteps()
    {
        return liquidationSteps;
    }

    public long deleverages()
    {
        return deleverages;
    }

    public long insuranceBalance()
    {
        return insuranceBalance;
    }

    /** Funding ticks applied so far (all markets). */
    public long fundingTicks()
    {
        return fundingTicks;
    }

    /** What the position owes in funding since it last settled (negative: is owed), as the core rounds it. */
    private static long owedFunding(final Market market, final long[] position)
    {
        return Funding.payment(market.fundingIndex - position[2], position[0]);
    }

    /** Sum of long sizes in the market, in lots. */
    public long openInterestLots(final int marketId)
    {
        final Market market = markets.get(marketId);
        return market == null ? 0 : market.openInterestLots;
    }

    /** Sum over markets of the open interest, in lots. */
    public long openInterestLots()
    {
        long total = 0;
        for (final int marketId : markets.keySet())
        {
            total += openInterestLots(marketId);
        }
        return total;
    }

    /**
     * Whether the account is liquidatable at the current marks ({@code MMR > 0 and NC < MMR}); only
     * the two figures it needs, as the monitor asks after every change.
     */
    public boolean liquidatable(final long accountId)
    {
        final Holder holder = accounts.get(accountId);
        if (holder == null || holder.positions.isEmpty())
        {
            return false;
        }
        long netCollateral = holder.balance;
        long maintenance = 0;
        for (final Map.Entry<Integer, long[]> entry : holder.positions.entrySet())
        {
            final Market market = markets.get(entry.getKey());
            final long notional = entry.getValue()[0] * market.markTicks * market.quantumsPerTickLot;
            netCollateral += notional - owedFunding(market, entry.getValue());
            maintenance += FixedPoint.ppmCeil(Math.abs(notional), market.params.maintenanceMarginPpm);
        }
        return maintenance > 0 && netCollateral < maintenance;
    }

    /** The margin view of an account, or null if the events never named it. */
    public AccountView view(final long accountId)
    {
        final Holder holder = accounts.get(accountId);
        if (holder == null)
        {
            return null;
        }
        long netCollateral = holder.balance;
        long initial = 0;
        long maintenance = 0;
        long grossNotional = 0;
        final List<long[]> figures = new ArrayList<>();
        for (final Map.Entry<Integer, long[]> entry : holder.positions.entrySet())
        {
            final Market market = markets.get(entry.getKey());
            final long size = entry.getValue()[0];
            final long notional = size * market.markTicks * market.quantumsPerTickLot;
            final long absolute = Math.abs(notional);
            final long imf = market.params.initialFractionPpm(
                openInterestLots(market.marketId), holder.leverage.getOrDefault(market.marketId, 0));
            final long im = FixedPoint.ppmCeil(absolute, imf);
            final long mm = FixedPoint.ppmCeil(absolute, market.params.maintenanceMarginPpm);
            netCollateral += notional - owedFunding(market, entry.getValue());
            initial += im;
            maintenance += mm;
            grossNotional += absolute;
            figures.add(new long[] {market.marketId, size, entry.getValue()[1], notional, mm});
        }
        final List<PositionView> positions = new ArrayList<>();
        for (final long[] f : figures)
        {
            final Market market = markets.get((int)f[0]);
            // Solve NC = MMR in this market's mark with everything else fixed.
            final long othersCollateral = netCollateral - f[3];
            final long othersMaintenance = maintenance - f[4];
            final long liquidationTicks = LiquidationPrice.ticks(
                f[1], market.quantumsPerTickLot, market.params.maintenanceMarginPpm, othersCollateral, othersMaintenance);
            positions.add(new PositionView((int)f[0], f[1] * market.lotSize, f[2], f[3],
                market.markTicks * market.tickSize, f[3] - f[2], liquidationTicks * market.tickSize,
                adlQuantile(holder.accountId, market)));
        }
        return new AccountView(holder.accountId, holder.parentAccountId, holder.balance, netCollateral, initial, maintenance,
            netCollateral - initial, netCollateral > 0 ? ratioPpm(maintenance, netCollateral) : Long.MAX_VALUE,
            netCollateral > 0 ? ratioPpm(grossNotional, netCollateral) : Long.MAX_VALUE, positions);
    }

    private static long ratioPpm(final long numerator, final long denominator)
    {
        return BigInteger.valueOf(numerator).multiply(BigInteger.valueOf(FixedPoint.PPM))
            .divide(BigInteger.valueOf(denominator)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    /**
     * Where the account stands in the market's deleveraging queue, 1 (last) to 5 (first), by the
     * deleverager's own ranking among the positions on the same side.
     */
    private int adlQuantile(final long accountId, final Market market)
    {
        final long[] own = accounts.get(accountId).positions.get(market.marketId);
        final long sign = Long.signum(own[0]);
        final List<Deleverager.Candidate> sameSide = new ArrayList<>();
        Deleverager.Candidate mine = null;
        for (final Holder holder : accounts.values())
        {
            final long[] position = holder.positions.get(market.marketId);
            if (position == null || Long.signum(position[0]) != sign)
            {
                continue;
            }
            final Deleverager.Candidate candidate = Deleverager.candidate(holder.accountId, position[0], position[1],
                position[0] * market.markTicks * market.quantumsPerTickLot, collateralOf(holder));
            sameSide.add(candidate);
            if (holder.accountId == accountId)
            {
                mine = candidate;
            }
        }
        sameSide.sort(null);
        final int index = sameSide.indexOf(mine);
        return 5 - (5 * index) / sameSide.size();
    }

    private long collateralOf(final Holder holder)
    {
        long netCollateral = holder.balance;
        for (final Map.Entry<Integer, long[]> entry : holder.positions.entrySet())
        {
            final Market market = markets.get(entry.getKey());
            netCollateral += entry.getValue()[0] * market.markTicks * market.quantumsPerTickLot -
                owedFunding(market, entry.getValue());
        }
        return netCollateral;
    }
}
