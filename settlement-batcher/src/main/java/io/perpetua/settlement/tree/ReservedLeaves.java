package io.perpetua.settlement.tree;

/**
 * The top three leaves of a tree of depth d hold the ledger's own balances, which are not accounts
 * of the engine: the fee account, the insurance fund and the funding account. With them in the
 * tree, "escrow = sum of leaf balances + unclaimed withdrawals" is a statement about the tree alone.
 * Engine account ids must stay below {@link #firstReserved}.
 */
public final class ReservedLeaves
{
    private ReservedLeaves()
    {
    }

    public static long fee(final int depth)
    {
        return (1L << depth) - 1;
    }

    public static long insurance(final int depth)
    {
        return (1L << depth) - 2;
    }

    public static long funding(final int depth)
    {
        return (1L << depth) - 3;
    }

    /** The lowest reserved index; account ids must be below it. */
    public static long firstReserved(final int depth)
    {
        return (1L << depth) - 3;
    }

    public static boolean isReserved(final long index, final int depth)
    {
        return index >= firstReserved(depth) && index < (1L << depth);
    }

    /** "fee", "insurance", "funding" or "account N". */
    public static String describe(final long index, final int depth)
    {
        if (index == fee(depth))
        {
            return "fee";
        }
        if (index == insurance(depth))
        {
            return "insurance";
        }
        if (index == funding(depth))
        {
            return "funding";
        }
        return "account " + index;
    }
}
