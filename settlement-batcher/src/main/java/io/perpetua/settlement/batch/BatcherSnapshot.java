package io.perpetua.settlement.batch;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.perpetua.settlement.tree.Leaf;

/**
 * The batcher's state right after it sealed a batch: the markets, every leaf ever touched, and where
 * in the events journal the batch ended. A restarted batcher that finds one resumes after that
 * batch instead of reading the events journal from its start; it rebuilds the trees from the leaves
 * and uses the snapshot only if their roots equal the stored batch's.
 *
 * <p>Layout (little-endian): magic "PBSS", u16 version, batchId, lastSequence, lastTimeNs, u8 tree
 * depth, u32 market count, per market (i32 id, i64 tick size, i64 lot size, i64 quote quantums per
 * tick x lot, i64 mark in ticks, i64 funding index) ascending by id, u32 leaf count, per leaf (i64
 * index, the leaf as in the blob) ascending by index, then the SHA-256 of all bytes before it.
 *
 * @param batchId      the batch sealed last
 * @param lastSequence the last command sequence that batch covers
 * @param lastTimeNs   that command's time
 */
record BatcherSnapshot(long batchId, long lastSequence, long lastTimeNs, int depth, List<L2Ledger.MarketState> markets,
    Map<Long, Leaf> leaves)
{
    static final int MAGIC = 0x53534250; // "PBSS" little-endian
    static final short VERSION = 1;
    private static final int DIGEST_LENGTH = 32;

    BatcherSnapshot
    {
        markets = List.copyOf(markets);
        leaves = Collections.unmodifiableMap(new TreeMap<>(leaves));
    }

    byte[] encode()
    {
        int length = 4 + 2 + 3 * Long.BYTES + 1 + 4 + markets.size() * (Integer.BYTES + 5 * Long.BYTES) + 4 + DIGEST_LENGTH;
        for (final Leaf leaf : leaves.values())
        {
            length += Long.BYTES + leaf.encodedLength();
        }
        final ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putShort(VERSION).putLong(batchId).putLong(lastSequence).putLong(lastTimeNs).put((byte)depth);
        out.putInt(markets.size());
        for (final L2Ledger.MarketState m : markets)
        {
            out.putInt(m.marketId()).putLong(m.tickSize()).putLong(m.lotSize()).putLong(m.quantumsPerTickLot())
                .putLong(m.markTicks()).putLong(m.fundingIndex());
        }
        out.putInt(leaves.size());
        leaves.forEach((index, leaf) ->
        {
            out.putLong(index);
            leaf.encode(out);
        });
        out.put(sha256(out.array(), out.position()));
        return out.array();
    }

    /** Decodes a snapshot; a damaged or foreign file (digest, magic, version, counts, order, trailing bytes) throws {@link IllegalArgumentException}. */
    static BatcherSnapshot decode(final byte[] bytes)
    {
        if (bytes.length < DIGEST_LENGTH)
        {
            throw new IllegalArgumentException("batcher snapshot truncated");
        }
        final int bodyLength = bytes.length - DIGEST_LENGTH;
        if (!Arrays.equals(sha256(bytes, bodyLength), 0, DIGEST_LENGTH, bytes, bodyLength, bytes.length))
        {
            throw new IllegalArgumentException("batcher snapshot damaged (digest mismatch)");
        }
        final ByteBuffer in = ByteBuffer.wrap(bytes, 0, bodyLength).order(ByteOrder.LITTLE_ENDIAN);
        try
        {
            if (in.getInt() != MAGIC)
            {
                throw new IllegalArgumentException("not a batcher snapshot (magic)");
            }
            final short version = in.getShort();
            if (version != VERSION)
            {
                throw new IllegalArgumentException("unsupported batcher snapshot version " + version);
            }
            final long batchId = in.getLong();
            final long lastSequence = in.getLong();
            final long lastTimeNs = in.getLong();
            final int depth = in.get();
            final int marketCount = count(in, Integer.BYTES + 5 * Long.BYTES);
            final List<L2Ledger.MarketState> markets = new ArrayList<>(marketCount);
            for (int i = 0; i < marketCount; i++)
            {
                final L2Ledger.MarketState m = new L2Ledger.MarketState(in.getInt(), in.getLong(), in.getLong(), in.getLong(),
                    in.getLong(), in.getLong());
                if (i > 0 && m.marketId() <= markets.get(i - 1).marketId())
                {
                    throw new IllegalArgumentException("markets out of order");
                }
                markets.add(m);
            }
            final int leafCount = count(in, Long.BYTES);
            final TreeMap<Long, Leaf> leaves = new TreeMap<>();
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < leafCount; i++)
            {
                final long index = in.getLong();
                if (i > 0 && index <= previous)
                {
                    throw new IllegalArgumentException("leaves out of order");
                }
                leaves.put(index, Leaf.decode(in));
                previous = index;
            }
            if (in.hasRemaining())
            {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes in the batcher snapshot");
            }
            return new BatcherSnapshot(batchId, lastSequence, lastTimeNs, depth, markets, leaves);
        }
        catch (final BufferUnderflowException ex)
        {
            throw new IllegalArgumentException("batcher snapshot truncated", ex);
        }
    }

    /** A count whose entries of at least {@code minEntryBytes} each must fit what is left. */
    private static int count(final ByteBuffer in, final int minEntryBytes)
    {
        final int count = in.getInt();
        if (count < 0 || (long)count * minEntryBytes > in.remaining())
        {
            throw new IllegalArgumentException("count " + count + " exceeds the snapshot");
        }
        return count;
    }

    private static byte[] sha256(final byte[] bytes, final int length)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }
}
