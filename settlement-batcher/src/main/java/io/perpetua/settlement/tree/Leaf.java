package io.perpetua.settlement.tree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.rescue.RescuePrime;

/**
 * One leaf of the L2 position tree: the owner's Ed25519 public key, the quote balance and, per
 * market with an open position, the signed size in lots and the cached funding index.
 *
 * <p>Field elements hashed (Rescue-Prime {@code hashElements}): the key as eight 32-bit words, the
 * balance, the position count, then (market, size, funding index) per position in market order;
 * signed values map to the field as {@code v mod p}, which is injective for |v| &lt; 2^63. A leaf
 * that is all zero (no key, no balance, no position) has the zero digest, so untouched and reserved
 * leaves cost nothing until they first change. The ledger's own balances (fee account, insurance
 * fund, funding account) live in {@link ReservedLeaves} with a zero key.
 *
 * @param publicKey 32 bytes, all zero for reserved leaves
 * @param balance   quote balance in quote quantums
 * @param positions open positions, ascending by market, no zero sizes
 */
public record Leaf(byte[] publicKey, long balance, List<Position> positions)
{
    public static final int KEY_LENGTH = 32;
    /** Most positions a leaf may carry (bounds a decoded blob's allocation). */
    public static final int MAX_POSITIONS = 1024;
    public static final Leaf EMPTY = new Leaf(new byte[KEY_LENGTH], 0, List.of());

    /**
     * A position as the leaf carries it.
     *
     * @param marketId     market id
     * @param sizeLots     signed size in lots (long &gt; 0)
     * @param fundingIndex the market's cumulative funding index the position last settled at (0 until
     *                     funding events exist)
     */
    public record Position(int marketId, long sizeLots, long fundingIndex)
    {
    }

    public Leaf
    {
        if (publicKey.length != KEY_LENGTH)
        {
            throw new IllegalArgumentException("public key must have 32 bytes");
        }
        if (positions.size() > MAX_POSITIONS)
        {
            throw new IllegalArgumentException("too many positions: " + positions.size());
        }
        for (int i = 0; i < positions.size(); i++)
        {
            if (positions.get(i).sizeLots() == 0 || i > 0 && positions.get(i - 1).marketId() >= positions.get(i).marketId())
            {
                throw new IllegalArgumentException("positions must be non-zero and in ascending market order");
            }
        }
        publicKey = publicKey.clone();
        positions = List.copyOf(positions);
    }

    @Override
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    public boolean isEmpty()
    {
        return balance == 0 && positions.isEmpty() && Arrays.equals(publicKey, EMPTY.publicKey);
    }

    public long sizeLots(final int marketId)
    {
        for (final Position p : positions)
        {
            if (p.marketId() == marketId)
            {
                return p.sizeLots();
            }
        }
        return 0;
    }

    /** The digest the tree stores. */
    public long[] digest()
    {
        if (isEmpty())
        {
            return SparseRescueTree.EMPTY_LEAF.clone();
        }
        final long[] e = new long[8 + 2 + 3 * positions.size()];
        final ByteBuffer key = ByteBuffer.wrap(publicKey);
        for (int i = 0; i < 8; i++)
        {
            e[i] = Integer.toUnsignedLong(key.getInt(4 * i));
        }
        e[8] = Goldilocks.fromSigned(balance);
        e[9] = positions.size();
        int at = 10;
        for (final Position p : positions)
        {
            e[at++] = Integer.toUnsignedLong(p.marketId());
            e[at++] = Goldilocks.fromSigned(p.sizeLots());
            e[at++] = Goldilocks.fromSigned(p.fundingIndex());
        }
        return RescuePrime.hashElements(e);
    }

    /** Encoded size in bytes. */
    public int encodedLength()
    {
        return KEY_LENGTH + 8 + 4 + positions.size() * (4 + 8 + 8);
    }

    /** Writes key, balance, count and positions (little-endian buffer expected). */
    public void encode(final ByteBuffer out)
    {
        out.put(publicKey).putLong(balance).putInt(positions.size());
        for (final Position p : positions)
        {
            out.putInt(p.marketId()).putLong(p.sizeLots()).putLong(p.fundingIndex());
        }
    }

    /** Reads what {@link #encode} wrote; malformed input throws {@link IllegalArgumentException}. */
    public static Leaf decode(final ByteBuffer in)
    {
        final byte[] key = new byte[KEY_LENGTH];
        in.get(key);
        final long balance = in.getLong();
        final int count = in.getInt();
        if (count < 0 || count > MAX_POSITIONS)
        {
            throw new IllegalArgumentException("position count out of range: " + count);
        }
        final List<Position> positions = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            positions.add(new Position(in.getInt(), in.getLong(), in.getLong()));
        }
        return new Leaf(key, balance, positions);
    }

    public Leaf withBalance(final long newBalance)
    {
        return new Leaf(publicKey, newBalance, positions);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Leaf l && balance == l.balance && Arrays.equals(publicKey, l.publicKey) && positions.equals(l.positions);
    }

    @Override
    public int hashCode()
    {
        return 31 * (31 * Arrays.hashCode(publicKey) + Long.hashCode(balance)) + positions.hashCode();
    }

    @Override
    public String toString()
    {
        return "Leaf[key=" + java.util.HexFormat.of().formatHex(publicKey) + ", balance=" + balance + ", positions=" + positions + "]";
    }
}
