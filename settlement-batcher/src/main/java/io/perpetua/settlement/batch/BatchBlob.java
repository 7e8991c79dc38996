package io.perpetua.settlement.batch;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import io.perpetua.settlement.stark.batch.BatchRecord;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.ReservedLeaves;

/**
 * The data-availability blob of one batch: the squashed per-leaf state diff (each touched leaf
 * before and after the batch), the deposits and withdrawals it settles, and the mark prices an
 * escape would value positions at, with the funding indexes it would charge pending funding against.
 * Anyone holding every blob can rebuild the position tree; the layout is documented in
 * {@code docs/settlement.md} and versioned by {@link #VERSION}.
 *
 * <p>Layout (little-endian): magic "PBLB", u16 version, batchId, firstSequence, lastSequence,
 * firstTimeNs, lastTimeNs (i64 each), u8 tree depth; then four counted sections (u32 count each):
 * markets (i32 id, i64 mark in ticks, i64 quote quantums per tick x lot, i64 cumulative funding
 * index), entries (i64 leaf index,
 * leaf before, leaf after; ascending index), deposits (i64 deposit id, i64 account, i64 amount;
 * ascending id), withdrawals (i64 account, i64 nonce, i64 amount). A leaf is 32-byte key, i64
 * balance, u32 position count, then (i32 market, i64 size in lots, i64 funding index) each.
 *
 * @param batchId       batch number, from 1
 * @param firstSequence first command sequence the batch covers
 * @param lastSequence  last command sequence the batch covers (the engine state it settles)
 * @param firstTimeNs   command time of the first command
 * @param lastTimeNs    command time of the last command
 * @param treeDepth     depth of the position tree
 * @param markets       every market's mark price and funding index at lastSequence
 * @param entries       touched leaves, ascending index
 * @param deposits      deposits credited in the batch, ascending deposit id
 * @param withdrawals   withdrawals debited in the batch, in command order
 */
public record BatchBlob(long batchId, long firstSequence, long lastSequence, long firstTimeNs, long lastTimeNs, int treeDepth,
    List<MarketPrice> markets, List<Entry> entries, List<Deposit> deposits, List<Withdrawal> withdrawals)
{
    public static final int MAGIC = 0x424C4250; // "PBLB" little-endian
    /**
     * Version 2 added each market's funding index. Version 1 blobs are refused, not read: without the
     * index an escape could not charge pending funding, and re-deriving the batches from the events
     * journal writes version 2.
     */
    public static final short VERSION = 2;
    /** Bound on every section's count (protects decoding from absurd allocations). */
    public static final int MAX_COUNT = 1 << 20;

    /**
     * @param quantumsPerTickLot quote quantums of one tick times one lot
     * @param fundingIndex       the market's cumulative funding index (1 / {@code Funding.INDEX_SCALE}
     *                           quantum per lot), which positions' cached indexes are behind by their
     *                           pending funding
     */
    public record MarketPrice(int marketId, long markTicks, long quantumsPerTickLot, long fundingIndex)
    {
    }

    public record Entry(long index, Leaf before, Leaf after)
    {
    }

    public record Deposit(long depositId, long accountId, long amount)
    {
    }

    public record Withdrawal(long accountId, long nonce, long amount)
    {
    }

    public BatchBlob
    {
        markets = List.copyOf(markets);
        entries = List.copyOf(entries);
        deposits = List.copyOf(deposits);
        withdrawals = List.copyOf(withdrawals);
        if (treeDepth < 2 || treeDepth > 32)
        {
            throw new IllegalArgumentException("tree depth out of range: " + treeDepth);
        }
        for (int i = 0; i < entries.size(); i++)
        {
            final long index = entries.get(i).index();
            if (index < 0 || index >= (1L << treeDepth) || i > 0 && entries.get(i - 1).index() >= index)
            {
                throw new IllegalArgumentException("entries must be ascending leaf indexes inside the tree");
            }
        }
        for (int i = 0; i < deposits.size(); i++)
        {
            if (deposits.get(i).amount() <= 0 || i > 0 && deposits.get(i - 1).depositId() >= deposits.get(i).depositId())
            {
                throw new IllegalArgumentException("deposits must be positive and in ascending id order");
            }
        }
        for (final Withdrawal w : withdrawals)
        {
            if (w.amount() <= 0)
            {
                throw new IllegalArgumentException("withdrawals must be positive");
            }
        }
        if (firstSequence > lastSequence || firstTimeNs > lastTimeNs)
        {
            throw new IllegalArgumentException("batch range is backwards");
        }
    }

    /** The STARK records: every touched leaf except the fee and insurance leaves (which are the fee and insurance deltas). */
    public List<BatchRecord> records()
    {
        final List<BatchRecord> records = new ArrayList<>(entries.size());
        for (final Entry e : entries)
        {
            if (e.index() != ReservedLeaves.fee(treeDepth) && e.index() != ReservedLeaves.insurance(treeDepth))
            {
                final long pre = e.before().balance();
                final long post = e.after().balance();
                records.add(new BatchRecord(e.index(), pre, Math.subtractExact(post, pre), post));
            }
        }
        return records;
    }

    public long feeDelta()
    {
        return delta(ReservedLeaves.fee(treeDepth));
    }

    public long insuranceDelta()
    {
        return delta(ReservedLeaves.insurance(treeDepth));
    }

    private long delta(final long index)
    {
        for (final Entry e : entries)
        {
            if (e.index() == index)
            {
                return Math.subtractExact(e.after().balance(), e.before().balance());
            }
        }
        return 0;
    }

    /** E: deposits minus withdrawals. */
    public long netDeposits()
    {
        long e = 0;
        for (final Deposit d : deposits)
        {
            e = Math.addExact(e, d.amount());
        }
        for (final Withdrawal w : withdrawals)
        {
            e = Math.subtractExact(e, w.amount());
        }
        return e;
    }

    public byte[] encode()
    {
        int length = 4 + 2 + 5 * 8 + 1 + 4 * 4 + markets.size() * 28 + deposits.size() * 24 + withdrawals.size() * 24;
        for (final Entry e : entries)
        {
            length += 8 + e.before().encodedLength() + e.after().encodedLength();
        }
        final ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putShort(VERSION).putLong(batchId).putLong(firstSequence).putLong(lastSequence)
            .putLong(firstTimeNs).putLong(lastTimeNs).put((byte)treeDepth);
        out.putInt(markets.size());
        for (final MarketPrice m : markets)
        {
            out.putInt(m.marketId()).putLong(m.markTicks()).putLong(m.quantumsPerTickLot()).putLong(m.fundingIndex());
        }
        out.putInt(entries.size());
        for (final Entry e : entries)
        {
            out.putLong(e.index());
            e.before().encode(out);
            e.after().encode(out);
        }
        out.putInt(deposits.size());
        for (final Deposit d : deposits)
        {
            out.putLong(d.depositId()).putLong(d.accountId()).putLong(d.amount());
        }
        out.putInt(withdrawals.size());
        for (final Withdrawal w : withdrawals)
        {
            out.putLong(w.accountId()).putLong(w.nonce()).putLong(w.amount());
        }
        return out.array();
    }

    /** Decodes a blob; anything malformed (magic, version, counts, order, trailing bytes) throws {@link IllegalArgumentException}. */
    public static BatchBlob decode(final byte[] bytes)
    {
        final ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try
        {
            if (in.getInt() != MAGIC)
            {
                throw new IllegalArgumentException("not a batch blob (magic)");
            }
            final short version = in.getShort();
            if (version == 1)
            {
                throw new IllegalArgumentException("blob version 1 carries no funding indexes and is no longer read; "
                    + "re-derive the batches from the events journal (version " + VERSION + ")");
            }
            if (version != VERSION)
            {
                throw new IllegalArgumentException("unsupported blob version " + version);
            }
            final long batchId = in.getLong();
            final long firstSequence = in.getLong();
            final long lastSequence = in.getLong();
            final long firstTimeNs = in.getLong();
            final long lastTimeNs = in.getLong();
            final int depth = in.get();
            final int marketCount = count(in);
            final List<MarketPrice> markets = new ArrayList<>(marketCount);
            for (int i = 0; i < marketCount; i++)
            {
                markets.add(new MarketPrice(in.getInt(), in.getLong(), in.getLong(), in.getLong()));
            }
            final int entryCount = count(in);
            final List<Entry> entries = new ArrayList<>(entryCount);
            for (int i = 0; i < entryCount; i++)
            {
                entries.add(new Entry(in.getLong(), Leaf.decode(in), Leaf.decode(in)));
            }
            final int depositCount = count(in);
            final List<Deposit> deposits = new ArrayList<>(depositCount);
            for (int i = 0; i < depositCount; i++)
            {
                deposits.add(new Deposit(in.getLong(), in.getLong(), in.getLong()));
            }
            final int withdrawalCount = count(in);
            final List<Withdrawal> withdrawals = new ArrayList<>(withdrawalCount);
            for (int i = 0; i < withdrawalCount; i++)
            {
                withdrawals.add(new Withdrawal(in.getLong(), in.getLong(), in.getLong()));
            }
            if (in.hasRemaining())
            {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after the blob");
            }
            return new BatchBlob(batchId, firstSequence, lastSequence, firstTimeNs, lastTimeNs, depth, markets, entries, deposits,
                withdrawals);
        }
        catch (final BufferUnderflowException ex)
        {
            throw new IllegalArgumentException("blob truncated", ex);
        }
    }

    private static int count(final ByteBuffer in)
    {
        final int n = in.getInt();
        if (n < 0 || n > MAX_COUNT || n > in.remaining())
        {
            throw new IllegalArgumentException("section count out of range: " + n);
        }
        return n;
    }

    /** SHA-256 of the encoded blob: the commitment an L1 contract would check calldata against. */
    public static byte[] sha256(final byte[] blob)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(blob);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JDK guarantees SHA-256", ex);
        }
    }
}
