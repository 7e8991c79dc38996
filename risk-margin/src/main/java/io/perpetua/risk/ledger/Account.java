package io.perpetua.risk.ledger;

import java.util.Arrays;

/**
 * A margin account: a quote balance (USDC quantums), at most one position per market kept in
 * ascending market id, the leverage the owner chose per market, the owner's Ed25519 key and the
 * last nonce a signed request used. An isolated subaccount is an account whose parent is its
 * owner's main account; it shares the owner's key and is margined on its own.
 */
public final class Account
{
    public static final int PUBLIC_KEY_LENGTH = 32;

    final long accountId;
    final long parentAccountId;
    final byte[] publicKey;
    long balance;
    long lastNonce;
    private Position[] positions = new Position[4];
    private int positionCount;
    /** Closed position objects kept for reuse, so trading in and out of markets allocates nothing. */
    private Position[] spare = new Position[4];
    private int spareCount;
    private int[] leverageMarkets = new int[0];
    private int[] leverages = new int[0];
    private final MarginTotals marginTotals = new MarginTotals();

    Account(final long accountId, final long parentAccountId, final byte[] publicKey)
    {
        this.accountId = accountId;
        this.parentAccountId = parentAccountId;
        this.publicKey = publicKey;
    }

    public long accountId()
    {
        return accountId;
    }

    /** 0 for an owner's main account. */
    public long parentAccountId()
    {
        return parentAccountId;
    }

    /** The owner's key; do not modify. */
    public byte[] publicKey()
    {
        return publicKey;
    }

    public long balance()
    {
        return balance;
    }

    public long lastNonce()
    {
        return lastNonce;
    }

    public int positionCount()
    {
        return positionCount;
    }

    /** The margin figures the calculator keeps for the account as a whole. */
    public MarginTotals marginTotals()
    {
        return marginTotals;
    }

    /** A position's size, settled funding or leverage changed: the account's totals must be summed again. */
    void positionChanged()
    {
        marginTotals.invalidate();
    }

    /** Open positions by ascending market id. */
    public Position positionAt(final int index)
    {
        return positions[index];
    }

    /** The open position in a market, or null. */
    public Position position(final int marketId)
    {
        int low = 0;
        int high = positionCount - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final int middleMarket = positions[middle].marketId;
            if (middleMarket < marketId)
            {
                low = middle + 1;
            }
            else if (middleMarket > marketId)
            {
                high = middle - 1;
            }
            else
            {
                return positions[middle];
            }
        }
        return null;
    }

    /** Signed size in lots in a market (0 if none). */
    public long sizeLots(final int marketId)
    {
        final Position position = position(marketId);
        return position == null ? 0 : position.sizeLots;
    }

    /** The position in a market, opened (size 0) if there is none, keeping market order. */
    Position openPosition(final int marketId)
    {
        final Position existing = position(marketId);
        if (existing != null)
        {
            return existing;
        }
        positionChanged();
        if (positionCount == positions.length)
        {
            positions = Arrays.copyOf(positions, positionCount * 2);
        }
        int index = positionCount;
        while (index > 0 && positions[index - 1].marketId > marketId)
        {
            positions[index] = positions[index - 1];
            index--;
        }
        final Position position;
        if (spareCount > 0)
        {
            position = spare[--spareCount];
            spare[spareCount] = null;
            position.reset(marketId);
        }
        else
        {
            position = new Position(marketId);
        }
        position.leverage = leverage(marketId);
        positions[index] = position;
        positionCount++;
        return position;
    }

    /** Drops a position that has gone to zero size. */
    void closeIfFlat(final Position position)
    {
        if (position.sizeLots != 0)
        {
            return;
        }
        positionChanged();
        for (int i = 0; i < positionCount; i++)
        {
            if (positions[i] == position)
            {
                System.arraycopy(positions, i + 1, positions, i, positionCount - i - 1);
                positions[--positionCount] = null;
                if (spareCount == spare.length)
                {
                    spare = Arrays.copyOf(spare, spareCount * 2);
                }
                spare[spareCount++] = position;
                return;
            }
        }
    }

    /** The leverage chosen for a market, 0 if none (the tier maximum applies). */
    public int leverage(final int marketId)
    {
        for (int i = 0; i < leverageMarkets.length; i++)
        {
            if (leverageMarkets[i] == marketId)
            {
                return leverages[i];
            }
        }
        return 0;
    }

    void leverage(final int marketId, final int leverage)
    {
        final Position position = position(marketId);
        if (position != null)
        {
            position.leverage = leverage;
            position.marginCache.invalidate();
            positionChanged();
        }
        for (int i = 0; i < leverageMarkets.length; i++)
        {
            if (leverageMarkets[i] == marketId)
            {
                leverages[i] = leverage;
                return;
            }
        }
        int index = leverageMarkets.length;
        leverageMarkets = Arrays.copyOf(leverageMarkets, index + 1);
        leverages = Arrays.copyOf(leverages, index + 1);
        while (index > 0 && leverageMarkets[index - 1] > marketId)
        {
            leverageMarkets[index] = leverageMarkets[index - 1];
            leverages[index] = leverages[index - 1];
            index--;
        }
        leverageMarkets[index] = marketId;
        leverages[index] = leverage;
    }

    int leverageCount()
    {
        return leverageMarkets.length;
    }

    int leverageMarketAt(final int index)
    {
        return leverageMarkets[index];
    }

    int leverageAt(final int index)
    {
        return leverages[index];
    }
}
