package io.perpetua.risk.ledger;

import io.perpetua.core.engine.StateHasher;
import io.perpetua.core.units.FixedPoint;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Every balance the exchange holds, in quote quantums: the accounts (with their positions), the
 * fee account, the insurance fund and the funding account, and the running total of deposits net
 * of withdrawals. The conservation invariant holds exactly after every method:
 * {@code sum(account balances) + fee + insurance + funding == netDeposits}, and per market the
 * long sizes equal the short sizes.
 *
 * <p>Accounts live in a primitive map for lookup and in an ascending id array for everything that
 * reaches output (snapshots, hashes, ADL candidates), never in hash order. Arithmetic is exact:
 * the risk engine checks ranges before it calls a mutator, and a mutator that would still
 * overflow throws rather than wrap.
 */
public final class Ledger
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** 2: funding state per market after the accounts. */
    private static final int SNAPSHOT_VERSION = 2;

    private final Long2ObjectHashMap<Account> accounts = new Long2ObjectHashMap<>();
    private long[] accountIds = new long[16];
    private int accountCount;
    private final Int2ObjectHashMap<long[]> openInterest = new Int2ObjectHashMap<>();
    private long feeBalance;
    private long insuranceBalance;
    private long fundingBalance;
    private long netDeposits;
    private long lastDepositId;
    private final Int2ObjectHashMap<MarketFunding> funding = new Int2ObjectHashMap<>();
    private int[] fundingMarketIds = new int[0];
    private long lastFundingPayment;
    /** Moves whenever every position's cached margin figures may be stale (see {@link MarginCache}). */
    private long marginEpoch = MarginCache.INVALID + 1;

    public Account account(final long accountId)
    {
        return accounts.get(accountId);
    }

    public int accountCount()
    {
        return accountCount;
    }

    /** Account ids in ascending order. */
    public long accountIdAt(final int index)
    {
        return accountIds[index];
    }

    public long feeBalance()
    {
        return feeBalance;
    }

    public long insuranceBalance()
    {
        return insuranceBalance;
    }

    public long fundingBalance()
    {
        return fundingBalance;
    }

    /** Deposits minus withdrawals since the beginning. */
    public long netDeposits()
    {
        return netDeposits;
    }

    public long lastDepositId()
    {
        return lastDepositId;
    }

    /** The epoch at which {@link MarginCache} figures are valid. */
    public long marginEpoch()
    {
        return marginEpoch;
    }

    /** Marks every position's cached margin figures stale: a mark price or a market's risk parameters changed. */
    public void marginInputsChanged()
    {
        marginEpoch++;
    }

    /** Sum of long sizes (= sum of short sizes) in a market, in lots. */
    public long openInterestLots(final int marketId)
    {
        final long[] cell = openInterest.get(marketId);
        return cell == null ? 0 : cell[0];
    }

    public Account create(final long accountId, final long parentAccountId, final byte[] publicKey)
    {
        if (publicKey.length != Account.PUBLIC_KEY_LENGTH || accounts.containsKey(accountId))
        {
            throw new IllegalArgumentException("account " + accountId + " exists or key length " + publicKey.length);
        }
        final Account account = new Account(accountId, parentAccountId, publicKey.clone());
        accounts.put(accountId, account);
        if (accountCount == accountIds.length)
        {
            accountIds = Arrays.copyOf(accountIds, accountCount * 2);
        }
        int index = accountCount;
        while (index > 0 && accountIds[index - 1] > accountId)
        {
            accountIds[index] = accountIds[index - 1];
            index--;
        }
        accountIds[index] = accountId;
        accountCount++;
        return account;
    }

    public void deposit(final Account account, final long amount, final long depositId)
    {
        account.balance = Math.addExact(account.balance, amount);
        netDeposits = Math.addExact(netDeposits, amount);
        lastDepositId = depositId;
    }

    public void withdraw(final Account account, final long amount, final long nonce)
    {
        account.balance = Math.subtractExact(account.balance, amount);
        netDeposits = Math.subtractExact(netDeposits, amount);
        account.lastNonce = nonce;
    }

    public void transfer(final Account from, final Account to, final long amount, final long nonce)
    {
        from.balance = Math.subtractExact(from.balance, amount);
        to.balance = Math.addExact(to.balance, amount);
        from.lastNonce = nonce;
    }

    public void leverage(final Account account, final int marketId, final int leverage)
    {
        account.leverage(marketId, leverage);
    }

    /**
     * One side of a trade: the account's size moves by {@code deltaLots} (buy > 0), the buyer pays
     * {@code quote} to the seller through the balances, and {@code fee} goes to the fee account.
     *
     * @return the PnL the trade realizes (display only)
     */
    public long trade(final Account account, final int marketId, final long deltaLots, final long quote, final long fee)
    {
        final Position position = account.openPosition(marketId);
        final long before = position.sizeLots;
        final MarketFunding market = fundingFor(marketId);
        if (before == 0)
        {
            position.fundingIndex = market.index;
        }
        else if (position.fundingIndex != market.index)
        {
            throw new IllegalStateException("position of account " + account.accountId + " in market " + marketId +
                " trades before settling funding");
        }
        final long realized = position.trade(deltaLots, quote);
        account.positionChanged();
        if ((before == 0) != (position.sizeLots == 0))
        {
            market.openPositions += before == 0 ? 1 : -1;
        }
        account.balance = Math.subtractExact(account.balance, Math.addExact(deltaLots > 0 ? quote : -quote, fee));
        feeBalance = Math.addExact(feeBalance, fee);
        final long longBefore = Math.max(before, 0);
        final long longAfter = Math.max(position.sizeLots, 0);
        if (longBefore != longAfter)
        {
            final long[] cell = openInterest.computeIfAbsent(marketId, id -> new long[1]);
            cell[0] += longAfter - longBefore;
        }
        account.closeIfFlat(position);
        return realized;
    }

    /** Moves {@code amount} from the account to the insurance fund (negative: the fund pays the account). */
    public void toInsurance(final Account account, final long amount)
    {
        account.balance = Math.subtractExact(account.balance, amount);
        insuranceBalance = Math.addExact(insuranceBalance, amount);
    }

    // ---------------------------------------------------------------- funding

    /** The market's funding state, or null before anything touched it (index 0). */
    public MarketFunding funding(final int marketId)
    {
        return funding.get(marketId);
    }

    /** The market's funding state, created (index 0) on first use. */
    private MarketFunding fundingFor(final int marketId)
    {
        MarketFunding market = funding.get(marketId);
        if (market == null)
        {
            market = new MarketFunding(marketId);
            funding.put(marketId, market);
            int index = fundingMarketIds.length;
            fundingMarketIds = Arrays.copyOf(fundingMarketIds, index + 1);
            while (index > 0 && fundingMarketIds[index - 1] > marketId)
            {
                fundingMarketIds[index] = fundingMarketIds[index - 1];
                index--;
            }
            fundingMarketIds[index] = marketId;
        }
        return market;
    }

    /** The market's cumulative funding index (0 before its first tick). */
    public long fundingIndex(final int marketId)
    {
        final MarketFunding market = funding.get(marketId);
        return market == null ? 0 : market.index;
    }

    /**
     * A funding tick: the market's index becomes {@code index} for the period ending at
     * {@code fundingTimeNs}. O(1): positions settle lazily; every open one is now behind.
     */
    public void applyFundingTick(final int marketId, final long index, final long fundingTimeNs)
    {
        final MarketFunding market = fundingFor(marketId);
        if (index != market.index)
        {
            market.index = index;
            market.unsettledPositions = market.openPositions;
            marginEpoch++;
        }
        market.lastFundingTimeNs = fundingTimeNs;
    }

    /**
     * Settles the position to its market's index: the account pays
     * {@link Funding#payment} into the funding account (a negative payment comes out of it).
     *
     * @return whether the position was behind the index (then {@link #lastFundingPayment()} is what it paid)
     */
    public boolean settleFunding(final Account account, final Position position)
    {
        final MarketFunding market = fundingFor(position.marketId);
        if (position.fundingIndex == market.index)
        {
            return false;
        }
        final long payment = Funding.payment(Math.subtractExact(market.index, position.fundingIndex), position.sizeLots);
        if (payment == FixedPoint.OVERFLOW)
        {
            throw new ArithmeticException("funding payment of account " + account.accountId + " overflows");
        }
        account.balance = Math.subtractExact(account.balance, payment);
        fundingBalance = Math.addExact(fundingBalance, payment);
        market.balance = Math.addExact(market.balance, payment);
        position.fundingIndex = market.index;
        position.marginCache.invalidate();
        account.positionChanged();
        market.unsettledPositions--;
        lastFundingPayment = payment;
        return true;
    }

    /** What the last successful {@link #settleFunding} charged the account (negative: credited). */
    public long lastFundingPayment()
    {
        return lastFundingPayment;
    }

    /**
     * Once every open position of the market has settled to its index, what the market left in the
     * funding account is rounding dust in the exchange's favour: it moves to the insurance fund.
     *
     * @return the amount swept (0 if positions are still to settle or there is nothing)
     */
    public long sweepFundingDust(final int marketId)
    {
        final MarketFunding market = fundingFor(marketId);
        if (market.unsettledPositions != 0 || market.balance <= 0)
        {
            return 0;
        }
        final long dust = market.balance;
        market.balance = 0;
        fundingBalance -= dust;
        insuranceBalance = Math.addExact(insuranceBalance, dust);
        return dust;
    }

    /** Mixes the canonical ledger into the engine's state hash. */
    public void hashInto(final StateHasher hasher)
    {
        hasher.mix(feeBalance);
        hasher.mix(insuranceBalance);
        hasher.mix(fundingBalance);
        hasher.mix(netDeposits);
        hasher.mix(lastDepositId);
        hasher.mix(accountCount);
        for (int i = 0; i < accountCount; i++)
        {
            final Account account = accounts.get(accountIds[i]);
            hasher.mix(account.accountId);
            hasher.mix(account.parentAccountId);
            for (int k = 0; k < Account.PUBLIC_KEY_LENGTH; k += 8)
            {
                long word = 0;
                for (int b = 7; b >= 0; b--)
                {
                    word = (word << 8) | (account.publicKey[k + b] & 0xFF);
                }
                hasher.mix(word);
            }
            hasher.mix(account.balance);
            hasher.mix(account.lastNonce);
            hasher.mix(account.positionCount());
            for (int p = 0; p < account.positionCount(); p++)
            {
                final Position position = account.positionAt(p);
                hasher.mix(position.marketId);
                hasher.mix(position.sizeLots);
                hasher.mix(position.costBasis);
                hasher.mix(position.fundingIndex);
            }
            hasher.mix(account.leverageCount());
            for (int l = 0; l < account.leverageCount(); l++)
            {
                hasher.mix(account.leverageMarketAt(l));
                hasher.mix(account.leverageAt(l));
            }
        }
        hasher.mix(fundingMarketIds.length);
        for (final int marketId : fundingMarketIds)
        {
            final MarketFunding market = funding.get(marketId);
            hasher.mix(marketId);
            hasher.mix(market.index);
            hasher.mix(market.lastFundingTimeNs);
            hasher.mix(market.balance);
            hasher.mix(market.openPositions);
            hasher.mix(market.unsettledPositions);
        }
    }

    /**
     * Writes the ledger at {@code offset} (little-endian, versioned); the buffer must grow on demand.
     *
     * @return bytes written
     */
    public int write(final MutableDirectBuffer buffer, final int offset)
    {
        int at = offset;
        buffer.putInt(at, SNAPSHOT_VERSION, ORDER);
        at += 4;
        for (final long value : new long[] {feeBalance, insuranceBalance, fundingBalance, netDeposits, lastDepositId})
        {
            buffer.putLong(at, value, ORDER);
            at += 8;
        }
        buffer.putInt(at, accountCount, ORDER);
        at += 4;
        for (int i = 0; i < accountCount; i++)
        {
            final Account account = accounts.get(accountIds[i]);
            buffer.putLong(at, account.accountId, ORDER);
            buffer.putLong(at + 8, account.parentAccountId, ORDER);
            buffer.putBytes(at + 16, account.publicKey);
            at += 16 + Account.PUBLIC_KEY_LENGTH;
            buffer.putLong(at, account.balance, ORDER);
            buffer.putLong(at + 8, account.lastNonce, ORDER);
            buffer.putInt(at + 16, account.positionCount(), ORDER);
            at += 20;
            for (int p = 0; p < account.positionCount(); p++)
            {
                final Position position = account.positionAt(p);
                buffer.putInt(at, position.marketId, ORDER);
                buffer.putLong(at + 4, position.sizeLots, ORDER);
                buffer.putLong(at + 12, position.costBasis, ORDER);
                buffer.putLong(at + 20, position.fundingIndex, ORDER);
                at += 28;
            }
            buffer.putInt(at, account.leverageCount(), ORDER);
            at += 4;
            for (int l = 0; l < account.leverageCount(); l++)
            {
                buffer.putInt(at, account.leverageMarketAt(l), ORDER);
                buffer.putInt(at + 4, account.leverageAt(l), ORDER);
                at += 8;
            }
        }
        buffer.putInt(at, fundingMarketIds.length, ORDER);
        at += 4;
        for (final int marketId : fundingMarketIds)
        {
            final MarketFunding market = funding.get(marketId);
            buffer.putInt(at, marketId, ORDER);
            buffer.putLong(at + 4, market.index, ORDER);
            buffer.putLong(at + 12, market.lastFundingTimeNs, ORDER);
            buffer.putLong(at + 20, market.balance, ORDER);
            at += 28;
        }
        return at - offset;
    }

    /** Restores what {@link #write} wrote into this empty ledger; returns the bytes read. */
    public int read(final DirectBuffer buffer, final int offset)
    {
        if (accountCount != 0)
        {
            throw new IllegalStateException("restore needs an empty ledger");
        }
        int at = offset;
        final int version = buffer.getInt(at, ORDER);
        if (version != SNAPSHOT_VERSION)
        {
            throw new IllegalStateException("unknown ledger snapshot version " + version);
        }
        at += 4;
        feeBalance = buffer.getLong(at, ORDER);
        insuranceBalance = buffer.getLong(at + 8, ORDER);
        fundingBalance = buffer.getLong(at + 16, ORDER);
        netDeposits = buffer.getLong(at + 24, ORDER);
        lastDepositId = buffer.getLong(at + 32, ORDER);
        at += 40;
        final int count = buffer.getInt(at, ORDER);
        at += 4;
        for (int i = 0; i < count; i++)
        {
            final long accountId = buffer.getLong(at, ORDER);
            final long parent = buffer.getLong(at + 8, ORDER);
            final byte[] key = new byte[Account.PUBLIC_KEY_LENGTH];
            buffer.getBytes(at + 16, key);
            at += 16 + Account.PUBLIC_KEY_LENGTH;
            final Account account = create(accountId, parent, key);
            account.balance = buffer.getLong(at, ORDER);
            account.lastNonce = buffer.getLong(at + 8, ORDER);
            final int positions = buffer.getInt(at + 16, ORDER);
            at += 20;
            for (int p = 0; p < positions; p++)
            {
                final Position position = account.openPosition(buffer.getInt(at, ORDER));
                position.sizeLots = buffer.getLong(at + 4, ORDER);
                position.costBasis = buffer.getLong(at + 12, ORDER);
                position.fundingIndex = buffer.getLong(at + 20, ORDER);
                if (position.sizeLots > 0)
                {
                    openInterest.computeIfAbsent(position.marketId, id -> new long[1])[0] += position.sizeLots;
                }
                at += 28;
            }
            final int leverageCount = buffer.getInt(at, ORDER);
            at += 4;
            for (int l = 0; l < leverageCount; l++)
            {
                account.leverage(buffer.getInt(at, ORDER), buffer.getInt(at + 4, ORDER));
                at += 8;
            }
        }
        final int fundingMarkets = buffer.getInt(at, ORDER);
        at += 4;
        for (int m = 0; m < fundingMarkets; m++)
        {
            final MarketFunding market = fundingFor(buffer.getInt(at, ORDER));
            market.index = buffer.getLong(at + 4, ORDER);
            market.lastFundingTimeNs = buffer.getLong(at + 12, ORDER);
            market.balance = buffer.getLong(at + 20, ORDER);
            at += 28;
        }
        // Position counts are derived, not stored.
        for (int i = 0; i < accountCount; i++)
        {
            final Account account = accounts.get(accountIds[i]);
            for (int p = 0; p < account.positionCount(); p++)
            {
                final Position position = account.positionAt(p);
                final MarketFunding market = fundingFor(position.marketId);
                market.openPositions++;
                if (position.fundingIndex != market.index)
                {
                    market.unsettledPositions++;
                }
            }
        }
        return at - offset;
    }
}
