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
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.PositionChangedDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.RiskConfiguredDecoder;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.liquidation.Deleverager;
import io.perpetua.risk.margin.LiquidationPrice;
import io.perpetua.risk.margin.RiskParams;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accounts, positions, marks and risk parameters rebuilt from the event journal alone — what a
 * process tailing the journal knows. Events carry the state after each change (balances, sizes,
 * cost bases), so nothing of the core's logic is re-run here; margin figures are computed with the
 * same formulas and rounding as the core's {@link io.perpetua.risk.margin.MarginCalculator},
 * including the funding a position owes since it last settled (the index moves with
 * FundingTickApplied; FundingPayment reports a settlement).
 *
 * <p>Owned by one thread (the tailer's); {@link MarginViews} publishes copies to readers. Accounts,
 * positions and markets are kept in primitive collections, so applying events allocates nothing once
 * the collections have grown (a mark price update in particular).
 */
public final class MarginState
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final LiquidationPrice liquidationPrice = new LiquidationPrice();
    private final Deleverager.Ranking ranking = new Deleverager.Ranking();
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

    private final Int2ObjectHashMap<Market> markets = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<Holder> accounts = new Long2ObjectHashMap<>();
    private final LongArrayList touchedAccounts = new LongArrayList();
    private final IntArrayList repricedMarkets = new IntArrayList();
    private final IntArrayList rescannedMarkets = new IntArrayList();
    private final LongArrayList liquidationResults = new LongArrayList();
    private final LongHashSet liquidationProgress = new LongHashSet();
    private final IntArrayList liquidityAdded = new IntArrayList();
    private final LongArrayList liquidityPrices = new LongArrayList();
    private final RejectedDecoder rejected = new RejectedDecoder();
    private final OrderAcceptedDecoder orderAccepted = new OrderAcceptedDecoder();
    private final LiquidationStepDecoder liquidationStep = new LiquidationStepDecoder();
    private long lastSequence;
    private long fills;
    private long liquidationSteps;
    private long deleverages;
    private long insuranceBalance;
    private long fundingTicks;
    /** Figures of the last successful {@link #evaluate}. */
    long evaluatedNetCollateral;
    long evaluatedMaintenance;

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
        /** Accounts with a position here. */
        final LongHashSet holders = new LongHashSet();

        Market(final int marketId, final long tickSize, final long lotSize, final int exponent)
        {
            this.marketId = marketId;
            this.tickSize = tickSize;
            this.lotSize = lotSize;
            this.quantumsPerTickLot = tickSize * lotSize / FixedPoint.powerOfTen(exponent);
        }
    }

    /** An account as the events describe it; positions by ascending market id in parallel arrays. */
    static final class Holder
    {
        final long accountId;
        long parentAccountId;
        long balance;
        int positionCount;
        int[] positionMarkets = new int[4];
        long[] sizes = new long[4];
        long[] costBases = new long[4];
        /** The funding index each position settled to. */
        long[] fundingIndexes = new long[4];
        /** Leverage chosen per market (0: none). */
        final Int2IntHashMap leverage = new Int2IntHashMap(-1);
        /** Markets whose trigger heaps hold this account (kept by the {@link LiquidationMonitor}). */
        int[] triggerMarkets = new int[4];
        int triggerCount;
        /**
         * The last Liquidate of the account that closed nothing: its slice's market (0 for a refusal,
         * which no new order can change), side and limit price (price units).
         */
        int stalledMarketId;
        Side stalledSide;
        long stalledLimitPrice;

        Holder(final long accountId)
        {
            this.accountId = accountId;
        }

        /**
         * Whether a resting order ({@link MarginState#liquiditySignal(int, Side)} and price) could fill the slice of
         * the account's last Liquidate that closed nothing: a bid at or above a sell's limit, an ask at
         * or below a buy's.
         */
        boolean stalledSliceWouldTake(final int liquiditySignal, final long price)
        {
            if (stalledMarketId == 0 || liquiditySignal >> 1 != stalledMarketId)
            {
                return false;
            }
            final boolean ask = (liquiditySignal & 1) != 0;
            return stalledSide == Side.SELL ? !ask && price >= stalledLimitPrice : ask && price <= stalledLimitPrice;
        }

        /** The slot of the position in the market, or {@code -(insertion point) - 1}. */
        int slotOf(final int marketId)
        {
            return Arrays.binarySearch(positionMarkets, 0, positionCount, marketId);
        }

        void put(final int marketId, final long sizeLots, final long costBasis, final long fundingIndex)
        {
            int slot = slotOf(marketId);
            if (slot < 0)
            {
                slot = -slot - 1;
                if (positionCount == positionMarkets.length)
                {
                    final int grown = positionCount * 2;
                    positionMarkets = Arrays.copyOf(positionMarkets, grown);
                    sizes = Arrays.copyOf(sizes, grown);
                    costBases = Arrays.copyOf(costBases, grown);
                    fundingIndexes = Arrays.copyOf(fundingIndexes, grown);
                }
                final int moved = positionCount - slot;
                System.arraycopy(positionMarkets, slot, positionMarkets, slot + 1, moved);
                System.arraycopy(sizes, slot, sizes, slot + 1, moved);
                System.arraycopy(costBases, slot, costBases, slot + 1, moved);
                System.arraycopy(fundingIndexes, slot, fundingIndexes, slot + 1, moved);
                positionMarkets[slot] = marketId;
                positionCount++;
            }
            sizes[slot] = sizeLots;
            costBases[slot] = costBasis;
            fundingIndexes[slot] = fundingIndex;
        }

        void remove(final int marketId)
        {
            final int slot = slotOf(marketId);
            if (slot < 0)
            {
                return;
            }
            final int moved = positionCount - slot - 1;
            System.arraycopy(positionMarkets, slot + 1, positionMarkets, slot, moved);
            System.arraycopy(sizes, slot + 1, sizes, slot, moved);
            System.arraycopy(costBases, slot + 1, costBases, slot, moved);
            System.arraycopy(fundingIndexes, slot + 1, fundingIndexes, slot, moved);
            positionCount--;
        }

        long sizeLots(final int marketId)
        {
            final int slot = slotOf(marketId);
            return slot < 0 ? 0 : sizes[slot];
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
                    // Maintenance fractions may have changed: every position there needs a new look.
                    rescannedMarkets.addInt(d.marketId());
                    break;
                }
                case MarkPriceUpdatedDecoder.TEMPLATE_ID:
                {
                    final MarkPriceUpdatedDecoder d = markPrice.wrap(buffer, body, block, version);
                    final Market market = markets.get(d.marketId());
                    market.markTicks = d.price() / market.tickSize;
                    repricedMarkets.addInt(d.marketId());
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
                    touchedAccounts.addLong(d.accountId());
                    break;
                }
                case PositionChangedDecoder.TEMPLATE_ID:
                {
                    final PositionChangedDecoder d = positionChanged.wrap(buffer, body, block, version);
                    final Holder holder = holder(d.accountId());
                    holder.balance = d.balance();
                    final Market market = markets.get(d.marketId());
                    final long sizeLots = d.size() / market.lotSize;
                    final long before = holder.sizeLots(d.marketId());
                    market.openInterestLots += Math.max(sizeLots, 0) - Math.max(before, 0);
                    if (sizeLots == 0)
                    {
                        holder.remove(d.marketId());
                        market.holders.remove(d.accountId());
                    }
                    else
                    {
                        // The core settles a position's funding before it trades: it is at the index now.
                        holder.put(d.marketId(), sizeLots, d.costBasis(), market.fundingIndex);
                        market.holders.add(d.accountId());
                    }
                    touchedAccounts.addLong(d.accountId());
                    break;
                }
                case InsuranceFundChangedDecoder.TEMPLATE_ID:
                {
                    final InsuranceFundChangedDecoder d = insurance.wrap(buffer, body, block, version);
                    insuranceBalance = d.fundBalance();
                    if (d.accountId() != 0)
                    {
                        holder(d.accountId()).balance = d.accountBalance();
                        touchedAccounts.addLong(d.accountId());
                    }
                    break;
                }
                case FundingTickAppliedDecoder.TEMPLATE_ID:
                {
                    final FundingTickAppliedDecoder d = fundingTick.wrap(buffer, body, block, version);
                    markets.get(d.marketId()).fundingIndex = d.fundingIndex();
                    fundingTicks++;
                    // Every position in the market now owes or is owed: re-check them all.
                    rescannedMarkets.addInt(d.marketId());
                    break;
                }
                case FundingPaymentDecoder.TEMPLATE_ID:
                {
                    final FundingPaymentDecoder d = fundingPayment.wrap(buffer, body, block, version);
                    final Holder holder = holder(d.accountId());
                    holder.balance = d.balance();
                    final int slot = holder.slotOf(d.marketId());
                    if (slot >= 0)
                    {
                        holder.fundingIndexes[slot] = d.fundingIndex();
                    }
                    touchedAccounts.addLong(d.accountId());
                    break;
                }
                case LeverageSetDecoder.TEMPLATE_ID:
                {
                    final LeverageSetDecoder d = leverageSet.wrap(buffer, body, block, version);
                    holder(d.accountId()).leverage.put(d.marketId(), d.leverage());
                    touchedAccounts.addLong(d.accountId());
                    break;
                }
                case FillDecoder.TEMPLATE_ID:
                    fills++;
                    break;
                case LiquidationStepDecoder.TEMPLATE_ID:
                {
                    final LiquidationStepDecoder d = liquidationStep.wrap(buffer, body, block, version);
                    liquidationSteps++;
                    liquidationResults.addLong(d.accountId());
                    if (d.filledSize() > 0 || d.deleveragedSize() > 0)
                    {
                        liquidationProgress.add(d.accountId());
                    }
                    else
                    {
                        final Holder holder = holder(d.accountId());
                        holder.stalledMarketId = d.marketId();
                        holder.stalledSide = d.side();
                        holder.stalledLimitPrice = d.fillablePrice();
                    }
                    break;
                }
                case OrderAcceptedDecoder.TEMPLATE_ID:
                {
                    // Only orders that may rest add liquidity a stalled liquidation could trade against.
                    final OrderAcceptedDecoder d = orderAccepted.wrap(buffer, body, block, version);
                    final TimeInForce timeInForce = d.timeInForce();
                    if (timeInForce == TimeInForce.GTC || timeInForce == TimeInForce.GTT)
                    {
                        liquidityAdded.addInt(liquiditySignal(d.marketId(), d.side()));
                        liquidityPrices.addLong(d.price());
                    }
                    break;
                }
                case RejectedDecoder.TEMPLATE_ID:
                {
                    final RejectedDecoder d = rejected.wrap(buffer, body, block, version);
                    if (d.commandTemplateId() == LiquidateDecoder.TEMPLATE_ID)
                    {
                        liquidationResults.addLong(d.accountId());
                        final Holder holder = accounts.get(d.accountId());
                        if (holder != null)
                        {
                            holder.stalledMarketId = 0;
                        }
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

    /** Drops what the monitor would read: views without a monitor call this after each document. */
    void clearSignals()
    {
        touchedAccounts.clear();
        liquidationResults.clear();
        liquidationProgress.clear();
        liquidityAdded.clear();
        liquidityPrices.clear();
        repricedMarkets.clear();
        rescannedMarkets.clear();
    }

    /** Accounts whose balance or positions changed since the monitor last cleared it, in event order (may repeat). */
    LongArrayList touchedAccounts()
    {
        return touchedAccounts;
    }

    /** Accounts whose Liquidate command was applied or refused since the monitor last cleared it. */
    LongArrayList liquidationResults()
    {
        return liquidationResults;
    }

    /** Accounts with a liquidation step that closed something (filled or deleveraged) since the monitor last cleared it. */
    LongHashSet liquidationProgress()
    {
        return liquidationProgress;
    }

    /**
     * Orders that may rest (GTC, GTT) accepted since the monitor last cleared it, as
     * {@link #liquiditySignal(int, Side)} of their market and side, in event order; their prices are
     * at the same index of {@link #liquidityPrices()}.
     */
    IntArrayList liquidityAdded()
    {
        return liquidityAdded;
    }

    LongArrayList liquidityPrices()
    {
        return liquidityPrices;
    }

    /** A market and book side as one int: {@code marketId * 2}, plus one for the ask side. */
    static int liquiditySignal(final int marketId, final Side side)
    {
        return marketId * 2 + (side == Side.SELL ? 1 : 0);
    }

    /** Markets whose mark price changed since the monitor last cleared it. */
    IntArrayList repricedMarkets()
    {
        return repricedMarkets;
    }

    /** Markets where every position must be looked at again (a funding tick or new risk parameters). */
    IntArrayList rescannedMarkets()
    {
        return rescannedMarkets;
    }

    /** The account, or null if the events never named it. */
    Holder holderOf(final long accountId)
    {
        return accounts.get(accountId);
    }

    Market market(final int marketId)
    {
        return markets.get(marketId);
    }

    /** Accounts holding a position in the market, ascending. */
    public List<Long> accountsIn(final int marketId)
    {
        final List<Long> result = new ArrayList<>();
        final Market market = markets.get(marketId);
        if (market != null)
        {
            final LongHashSet.LongIterator holders = market.holders.iterator();
            while (holders.hasNext())
            {
                result.add(holders.nextValue());
            }
            result.sort(null);
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

    /** What the holder's position in {@code slot} owes in funding since it last settled (negative: is owed), as the core rounds it. */
    private static long owedFunding(final Market market, final Holder holder, final int slot)
    {
        return Funding.payment(market.fundingIndex - holder.fundingIndexes[slot], holder.sizes[slot]);
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
        for (final Market market : markets.values())
        {
            total += market.openInterestLots;
        }
        return total;
    }

    /**
     * Whether the account is liquidatable at the current marks ({@code MMR > 0 and NC < MMR}), with the
     * core's own arithmetic ({@link #evaluate}): an account whose figures overflow is not, as the core
     * refuses to liquidate it.
     */
    public boolean liquidatable(final long accountId)
    {
        final Holder holder = accounts.get(accountId);
        return holder != null && holder.positionCount > 0 && evaluate(holder) && evaluatedMaintenance > 0 &&
            evaluatedNetCollateral < evaluatedMaintenance;
    }

    /**
     * The holder's NC and MMR at the current marks into {@link #evaluatedNetCollateral} and
     * {@link #evaluatedMaintenance}, with the formulas, rounding and overflow checks of the core's
     * {@link io.perpetua.risk.margin.MarginCalculator} (initial requirements are checked for overflow
     * as it checks them, not kept).
     *
     * @return false if a figure overflows 64 bits
     */
    boolean evaluate(final Holder holder)
    {
        long netCollateral = holder.balance;
        long maintenance = 0;
        for (int i = 0; i < holder.positionCount; i++)
        {
            final Market market = markets.get(holder.positionMarkets[i]);
            final long size = holder.sizes[i];
            final long behind = FixedPoint.add(market.fundingIndex, -holder.fundingIndexes[i]);
            final long owed = behind == FixedPoint.OVERFLOW ? behind : Funding.payment(behind, size);
            if (owed == FixedPoint.OVERFLOW)
            {
                return false;
            }
            netCollateral = netCollateral == FixedPoint.OVERFLOW ? netCollateral : FixedPoint.add(netCollateral, -owed);
            final long notional = FixedPoint.multiply(size, market.markTicks, market.quantumsPerTickLot);
            if (notional == FixedPoint.OVERFLOW || netCollateral == FixedPoint.OVERFLOW)
            {
                return false;
            }
            netCollateral = FixedPoint.add(netCollateral, notional);
            final long absolute = Math.abs(notional);
            final long imf = market.params.initialFractionPpm(market.openInterestLots, holder.leverage.getOrDefault(market.marketId, 0));
            final long maintenancePart = FixedPoint.ppmCeil(absolute, market.params.maintenanceMarginPpm);
            if (FixedPoint.ppmCeil(absolute, imf) == FixedPoint.OVERFLOW || maintenancePart == FixedPoint.OVERFLOW)
            {
                return false;
            }
            maintenance = FixedPoint.add(maintenance, maintenancePart);
        }
        if (netCollateral == FixedPoint.OVERFLOW || maintenance == FixedPoint.OVERFLOW)
        {
            return false;
        }
        evaluatedNetCollateral = netCollateral;
        evaluatedMaintenance = maintenance;
        return true;
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
        for (int i = 0; i < holder.positionCount; i++)
        {
            final Market market = markets.get(holder.positionMarkets[i]);
            final long size = holder.sizes[i];
            final long notional = size * market.markTicks * market.quantumsPerTickLot;
            final long absolute = Math.abs(notional);
            final long imf = market.params.initialFractionPpm(
                openInterestLots(market.marketId), holder.leverage.getOrDefault(market.marketId, 0));
            final long im = FixedPoint.ppmCeil(absolute, imf);
            final long mm = FixedPoint.ppmCeil(absolute, market.params.maintenanceMarginPpm);
            netCollateral += notional - owedFunding(market, holder, i);
            initial += im;
            maintenance += mm;
            grossNotional += absolute;
            figures.add(new long[] {market.marketId, size, holder.costBases[i], notional, mm});
        }
        final List<PositionView> positions = new ArrayList<>();
        for (final long[] f : figures)
        {
            final Market market = markets.get((int)f[0]);
            // Solve NC = MMR in this market's mark with everything else fixed.
            final long othersCollateral = netCollateral - f[3];
            final long othersMaintenance = maintenance - f[4];
            final long liquidationTicks = liquidationPrice.ticks(
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
        final long sign = Long.signum(accounts.get(accountId).sizeLots(market.marketId));
        final List<Deleverager.Candidate> sameSide = new ArrayList<>();
        Deleverager.Candidate mine = null;
        final LongHashSet.LongIterator holders = market.holders.iterator();
        while (holders.hasNext())
        {
            final Holder holder = accounts.get(holders.nextValue());
            final int slot = holder.slotOf(market.marketId);
            final long size = holder.sizes[slot];
            if (Long.signum(size) != sign)
            {
                continue;
            }
            final Deleverager.Candidate candidate = new Deleverager.Candidate(holder.accountId, size, holder.costBases[slot],
                size * market.markTicks * market.quantumsPerTickLot, collateralOf(holder));
            sameSide.add(candidate);
            if (holder.accountId == accountId)
            {
                mine = candidate;
            }
        }
        sameSide.sort(ranking);
        final int index = sameSide.indexOf(mine);
        return 5 - (5 * index) / sameSide.size();
    }

    private long collateralOf(final Holder holder)
    {
        long netCollateral = holder.balance;
        for (int i = 0; i < holder.positionCount; i++)
        {
            final Market market = markets.get(holder.positionMarkets[i]);
            netCollateral += holder.sizes[i] * market.markTicks * market.quantumsPerTickLot - owedFunding(market, holder, i);
        }
        return netCollateral;
    }
}
