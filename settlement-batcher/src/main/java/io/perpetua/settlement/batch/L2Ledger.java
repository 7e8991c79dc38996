package io.perpetua.settlement.batch;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.perpetua.core.sbe.AccountCreatedDecoder;
import io.perpetua.core.sbe.CollateralCause;
import io.perpetua.core.sbe.CollateralChangedDecoder;
import io.perpetua.core.sbe.FundingPaymentDecoder;
import io.perpetua.core.sbe.FundingTickAppliedDecoder;
import io.perpetua.core.sbe.InsuranceCause;
import io.perpetua.core.sbe.InsuranceFundChangedDecoder;
import io.perpetua.core.sbe.MarkPriceUpdatedDecoder;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.PositionChangedDecoder;
import io.perpetua.core.units.FixedPoint;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.ReservedLeaves;
import org.agrona.DirectBuffer;

/**
 * The L2 state as the event journal describes it: per account the key, quote balance and positions,
 * plus the ledger's fee, insurance and funding balances, every market's mark, and what changed
 * since the last batch (touched leaves, deposits, withdrawals, number of state transitions).
 *
 * <p>Events carry balances and sizes after each change, so nothing of the engine's arithmetic is
 * re-run: the fee balance is the one exception, summed from the fills' fees exactly as the ledger
 * sums them. A position's cached funding index is the market's index when it opened
 * (FundingTickApplied), then the index each FundingPayment settled it to; the funding leaf is the
 * funding account's balance after each payment, less the dust swept to the insurance fund.
 */
final class L2Ledger
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MarketConfiguredDecoder marketConfigured = new MarketConfiguredDecoder();
    private final MarkPriceUpdatedDecoder markPrice = new MarkPriceUpdatedDecoder();
    private final AccountCreatedDecoder accountCreated = new AccountCreatedDecoder();
    private final CollateralChangedDecoder collateral = new CollateralChangedDecoder();
    private final PositionChangedDecoder positionChanged = new PositionChangedDecoder();
    private final InsuranceFundChangedDecoder insurance = new InsuranceFundChangedDecoder();
    private final FundingTickAppliedDecoder fundingTick = new FundingTickAppliedDecoder();
    private final FundingPaymentDecoder fundingPayment = new FundingPaymentDecoder();

    private final int depth;
    private final TreeMap<Integer, Market> markets = new TreeMap<>();
    private final Map<Long, Holder> accounts = new TreeMap<>();
    private long feeBalance;
    private long insuranceBalance;
    private long fundingBalance;

    private final TreeSet<Long> touched = new TreeSet<>();
    private final List<BatchBlob.Deposit> deposits = new ArrayList<>();
    private final List<BatchBlob.Withdrawal> withdrawals = new ArrayList<>();
    private long transitions;

    /** A market as the ledger knows it, for snapshots. */
    record MarketState(int marketId, long tickSize, long lotSize, long quantumsPerTickLot, long markTicks, long fundingIndex)
    {
    }

    private static final class Market
    {
        final long tickSize;
        final long lotSize;
        final long quantumsPerTickLot;
        long markTicks;
        long fundingIndex;

        Market(final long tickSize, final long lotSize, final long quantumsPerTickLot)
        {
            this.tickSize = tickSize;
            this.lotSize = lotSize;
            this.quantumsPerTickLot = quantumsPerTickLot;
        }
    }

    private static final class Holder
    {
        byte[] publicKey = new byte[Leaf.KEY_LENGTH];
        long balance;
        final TreeMap<Integer, Long> sizes = new TreeMap<>();
        final TreeMap<Integer, Long> fundingIndexes = new TreeMap<>();
    }

    L2Ledger(final int depth)
    {
        this.depth = depth;
    }

    /** Sequence of the command whose events start at {@code offset}. */
    static long sequenceOf(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, ORDER);
    }

    /** Command time of the command whose events start at {@code offset}. */
    static long timeOf(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES, ORDER);
    }

    /** Applies the events of one command. */
    void onEvents(final DirectBuffer buffer, final int offset, final int length)
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
            switch (header.templateId())
            {
                case MarketConfiguredDecoder.TEMPLATE_ID:
                {
                    final MarketConfiguredDecoder d = marketConfigured.wrap(buffer, body, block, version);
                    markets.computeIfAbsent(d.marketId(), id -> new Market(d.tickSize(), d.lotSize(),
                        d.tickSize() * d.lotSize() / FixedPoint.powerOfTen(d.quoteScaleExponent())));
                    messageLength += MarketConfiguredDecoder.symbolHeaderLength() + d.symbolLength();
                    break;
                }
                case MarkPriceUpdatedDecoder.TEMPLATE_ID:
                {
                    final MarkPriceUpdatedDecoder d = markPrice.wrap(buffer, body, block, version);
                    final Market market = markets.get(d.marketId());
                    market.markTicks = d.price() / market.tickSize;
                    break;
                }
                case AccountCreatedDecoder.TEMPLATE_ID:
                {
                    final AccountCreatedDecoder d = accountCreated.wrap(buffer, body, block, version);
                    final Holder h = holder(d.accountId());
                    d.getPublicKey(h.publicKey, 0, Leaf.KEY_LENGTH);
                    transitions++;
                    break;
                }
                case CollateralChangedDecoder.TEMPLATE_ID:
                {
                    final CollateralChangedDecoder d = collateral.wrap(buffer, body, block, version);
                    holder(d.accountId()).balance = d.balance();
                    if (d.cause() == CollateralCause.DEPOSIT)
                    {
                        deposits.add(new BatchBlob.Deposit(d.reference(), d.accountId(), d.amount()));
                    }
                    else if (d.cause() == CollateralCause.WITHDRAWAL)
                    {
                        withdrawals.add(new BatchBlob.Withdrawal(d.accountId(), d.reference(), Math.negateExact(d.amount())));
                    }
                    transitions++;
                    break;
                }
                case PositionChangedDecoder.TEMPLATE_ID:
                {
                    final PositionChangedDecoder d = positionChanged.wrap(buffer, body, block, version);
                    final Holder h = holder(d.accountId());
                    h.balance = d.balance();
                    final long sizeLots = d.size() / markets.get(d.marketId()).lotSize;
                    if (sizeLots == 0)
                    {
                        h.sizes.remove(d.marketId());
                        h.fundingIndexes.remove(d.marketId());
                    }
                    else
                    {
                        // A position opened from flat starts at the market's index, as the ledger does.
                        if (h.sizes.put(d.marketId(), sizeLots) == null)
                        {
                            h.fundingIndexes.put(d.marketId(), markets.get(d.marketId()).fundingIndex);
                        }
                    }
                    if (d.fee() != 0)
                    {
                        feeBalance = Math.addExact(feeBalance, d.fee());
                        touched.add(ReservedLeaves.fee(depth));
                    }
                    transitions++;
                    break;
                }
                case InsuranceFundChangedDecoder.TEMPLATE_ID:
                {
                    final InsuranceFundChangedDecoder d = insurance.wrap(buffer, body, block, version);
                    if (d.cause() == InsuranceCause.FUNDING_DUST)
                    {
                        // Swept from the funding account, not from an account.
                        fundingBalance = Math.subtractExact(fundingBalance, d.amount());
                        touched.add(ReservedLeaves.funding(depth));
                    }
                    else
                    {
                        holder(d.accountId()).balance = d.accountBalance();
                    }
                    insuranceBalance = d.fundBalance();
                    touched.add(ReservedLeaves.insurance(depth));
                    transitions++;
                    break;
                }
                case FundingTickAppliedDecoder.TEMPLATE_ID:
                {
                    final FundingTickAppliedDecoder d = fundingTick.wrap(buffer, body, block, version);
                    markets.get(d.marketId()).fundingIndex = d.fundingIndex();
                    break;
                }
                case FundingPaymentDecoder.TEMPLATE_ID:
                {
                    final FundingPaymentDecoder d = fundingPayment.wrap(buffer, body, block, version);
                    final Holder h = holder(d.accountId());
                    h.balance = d.balance();
                    if (h.sizes.containsKey(d.marketId()))
                    {
                        h.fundingIndexes.put(d.marketId(), d.fundingIndex());
                    }
                    fundingBalance = d.fundingBalance();
                    touched.add(ReservedLeaves.funding(depth));
                    transitions++;
                    break;
                }
                default:
                    // Every other event is fixed-length; only MarketConfigured carries variable data.
                    break;
            }
            position += messageLength;
        }
    }

    private Holder holder(final long accountId)
    {
        if (accountId < 1 || accountId >= ReservedLeaves.firstReserved(depth))
        {
            throw new IllegalStateException("account " + accountId + " does not fit a depth-" + depth
                + " position tree (ids must be below " + ReservedLeaves.firstReserved(depth) + "); configure a deeper tree");
        }
        touched.add(accountId);
        return accounts.computeIfAbsent(accountId, id -> new Holder());
    }

    /** The leaf at {@code index} now. */
    Leaf leaf(final long index)
    {
        if (index == ReservedLeaves.fee(depth))
        {
            return Leaf.EMPTY.withBalance(feeBalance);
        }
        if (index == ReservedLeaves.insurance(depth))
        {
            return Leaf.EMPTY.withBalance(insuranceBalance);
        }
        if (index == ReservedLeaves.funding(depth))
        {
            return Leaf.EMPTY.withBalance(fundingBalance);
        }
        final Holder h = accounts.get(index);
        if (h == null)
        {
            return Leaf.EMPTY;
        }
        final List<Leaf.Position> positions = new ArrayList<>(h.sizes.size());
        h.sizes.forEach((market, size) -> positions.add(new Leaf.Position(market, size, h.fundingIndexes.get(market))));
        return new Leaf(h.publicKey, h.balance, positions);
    }

    List<BatchBlob.MarketPrice> marketPrices()
    {
        final List<BatchBlob.MarketPrice> prices = new ArrayList<>(markets.size());
        markets.forEach((id, m) -> prices.add(new BatchBlob.MarketPrice(id, m.markTicks, m.quantumsPerTickLot, m.fundingIndex)));
        return prices;
    }

    /** Every market the ledger knows, ascending by id. */
    List<MarketState> marketStates()
    {
        final List<MarketState> states = new ArrayList<>(markets.size());
        markets.forEach((id, m) -> states.add(new MarketState(id, m.tickSize, m.lotSize, m.quantumsPerTickLot, m.markTicks,
            m.fundingIndex)));
        return states;
    }

    /**
     * Puts an empty ledger into the state a snapshot recorded: its markets, and every leaf ever
     * touched (accounts and the reserved balances), with no batch in progress.
     */
    void restore(final List<MarketState> states, final Map<Long, Leaf> leaves)
    {
        if (!markets.isEmpty() || !accounts.isEmpty() || !touched.isEmpty())
        {
            throw new IllegalStateException("a ledger is restored only when empty");
        }
        for (final MarketState m : states)
        {
            final Market market = new Market(m.tickSize(), m.lotSize(), m.quantumsPerTickLot());
            market.markTicks = m.markTicks();
            market.fundingIndex = m.fundingIndex();
            markets.put(m.marketId(), market);
        }
        leaves.forEach((index, leaf) ->
        {
            if (index == ReservedLeaves.fee(depth))
            {
                feeBalance = leaf.balance();
            }
            else if (index == ReservedLeaves.insurance(depth))
            {
                insuranceBalance = leaf.balance();
            }
            else if (index == ReservedLeaves.funding(depth))
            {
                fundingBalance = leaf.balance();
            }
            else
            {
                final Holder h = new Holder();
                h.publicKey = leaf.publicKey();
                h.balance = leaf.balance();
                for (final Leaf.Position position : leaf.positions())
                {
                    h.sizes.put(position.marketId(), position.sizeLots());
                    h.fundingIndexes.put(position.marketId(), position.fundingIndex());
                }
                accounts.put(index, h);
            }
        });
    }

    long transitions()
    {
        return transitions;
    }

    /** Touched leaves since the last {@link #resetBatch}, ascending. */
    TreeSet<Long> touched()
    {
        return touched;
    }

    List<BatchBlob.Deposit> deposits()
    {
        return deposits;
    }

    List<BatchBlob.Withdrawal> withdrawals()
    {
        return withdrawals;
    }

    void resetBatch()
    {
        touched.clear();
        deposits.clear();
        withdrawals.clear();
        transitions = 0;
    }
}
