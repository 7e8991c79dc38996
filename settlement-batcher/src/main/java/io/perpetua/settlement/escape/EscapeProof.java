package io.perpetua.settlement.escape;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.perpetua.settlement.batch.BatchBlob;
import io.perpetua.settlement.batch.BatchStore;
import io.perpetua.settlement.batch.SettlementBatch;
import io.perpetua.settlement.contract.ContractException;
import io.perpetua.settlement.contract.EscapeValuation;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.SparseRescueTree;

/**
 * What an account needs to escape a frozen contract: its leaf and sibling path against the root of
 * the last batch. Built from the batch blobs alone (the data-availability promise): replaying every
 * blob's new leaves rebuilds the position tree without the exchange's help.
 *
 * @param index     the account's leaf index (its account id)
 * @param leaf      the leaf as of the last batch
 * @param path      sibling digests, leaf level first
 * @param root      the root they lead to
 * @param batchId   the last batch replayed
 * @param markets   the marks and funding indexes as of that batch, which the contract values the escape at
 */
public record EscapeProof(long index, Leaf leaf, long[][] path, long[] root, long batchId, List<BatchBlob.MarketPrice> markets)
{
    public EscapeProof
    {
        markets = List.copyOf(markets);
    }

    /**
     * Rebuilds the tree from the stored batches 1..{@code lastBatchId} (the contract's last accepted
     * batch; stored batches after it were never settled) and proves {@code index}.
     *
     * @throws IllegalStateException if a blob does not continue the tree it is replayed on
     */
    public static EscapeProof fromStore(final BatchStore store, final long index, final long lastBatchId)
    {
        SparseRescueTree tree = null;
        Leaf leaf = Leaf.EMPTY;
        long last = 0;
        // As the contract keeps them: each batch's markets replace the earlier ones.
        final Map<Integer, BatchBlob.MarketPrice> markets = new TreeMap<>();
        if (lastBatchId > store.lastContiguousId())
        {
            throw new IllegalStateException("batches 1.." + lastBatchId + " are not all in " + store.dir());
        }
        for (long id = 1; id <= lastBatchId; id++)
        {
            final SettlementBatch batch = store.read(id).orElseThrow();
            final BatchBlob blob = batch.decodedBlob();
            if (tree == null)
            {
                tree = new SparseRescueTree(blob.treeDepth());
            }
            if (!Arrays.equals(tree.root(), batch.prevPositionRoot()))
            {
                throw new IllegalStateException("batch " + id + " does not start at the root of batch " + (id - 1));
            }
            for (final BatchBlob.Entry e : blob.entries())
            {
                tree.set(e.index(), e.after().digest());
                if (e.index() == index)
                {
                    leaf = e.after();
                }
            }
            if (!Arrays.equals(tree.root(), batch.newPositionRoot()))
            {
                throw new IllegalStateException("batch " + id + "'s blob does not produce its position root");
            }
            last = id;
            blob.markets().forEach(m -> markets.put(m.marketId(), m));
        }
        if (tree == null)
        {
            throw new IllegalStateException("no batches in " + store.dir());
        }
        return new EscapeProof(index, leaf, tree.path(index), tree.root(), last, List.copyOf(markets.values()));
    }

    /** The marks and funding indexes of the last batch, by market. */
    public Map<Integer, BatchBlob.MarketPrice> marketsById()
    {
        final Map<Integer, BatchBlob.MarketPrice> byId = new TreeMap<>();
        markets.forEach(m -> byId.put(m.marketId(), m));
        return byId;
    }

    /** What the contract pays for this leaf: balance + sum(size x mark) - pending funding (not positive: nothing). */
    public long escapeValue() throws ContractException
    {
        return EscapeValuation.value(leaf, marketsById());
    }

    /**
     * Text for {@code perpetua escape-proof}: one field per line, digests as 4 hex words; the markets of
     * the last batch, each position's notional and pending funding, and the escape value.
     */
    public String format()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("account ").append(index).append('\n');
        sb.append("batch ").append(batchId).append('\n');
        sb.append("root ").append(hex(root)).append('\n');
        for (final BatchBlob.MarketPrice m : markets)
        {
            sb.append("market ").append(m.marketId()).append(" mark-ticks=").append(m.markTicks()).append(" quantums-per-tick-lot=")
                .append(m.quantumsPerTickLot()).append(" funding-index=").append(m.fundingIndex()).append('\n');
        }
        sb.append("key ").append(HexFormat.of().formatHex(leaf.publicKey())).append('\n');
        sb.append("balance ").append(leaf.balance()).append('\n');
        final Map<Integer, BatchBlob.MarketPrice> byId = marketsById();
        for (final Leaf.Position p : leaf.positions())
        {
            sb.append("position market=").append(p.marketId()).append(" size-lots=").append(p.sizeLots())
                .append(" funding-index=").append(p.fundingIndex());
            try
            {
                final EscapeValuation.PositionValue v = EscapeValuation.position(p, byId);
                sb.append(" notional=").append(v.notional()).append(" pending-funding=").append(v.pendingFunding());
            }
            catch (final ContractException ex)
            {
                sb.append(" unvalued (").append(ex.getMessage()).append(')');
            }
            sb.append('\n');
        }
        try
        {
            sb.append("escape-value ").append(escapeValue()).append('\n');
        }
        catch (final ContractException ex)
        {
            sb.append("escape-value refused (").append(ex.getMessage()).append(")\n");
        }
        sb.append("leaf ").append(hex(leaf.digest())).append('\n');
        for (int l = 0; l < path.length; l++)
        {
            sb.append("sibling ").append(l).append(' ').append(hex(path[l])).append('\n');
        }
        sb.append("verified ").append(SparseRescueTree.verify(root, index, leaf.digest(), path));
        return sb.toString();
    }

    private static String hex(final long[] digest)
    {
        final StringBuilder sb = new StringBuilder();
        for (final long v : digest)
        {
            sb.append(String.format("%016x", v));
        }
        return sb.toString();
    }
}
