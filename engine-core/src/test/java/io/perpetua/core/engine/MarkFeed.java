package io.perpetua.core.engine;

import io.perpetua.core.book.OrderBook;
import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.MessageHeaderEncoder;
import io.perpetua.core.sbe.OraclePriceDecoder;
import io.perpetua.core.sbe.OraclePriceEncoder;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.Side;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * A stand-in for risk-margin in engine-core's tests: an {@link EngineExtension} that takes an
 * {@code OraclePrice} command's first observation as the mark price (no signatures, no quorum) and
 * keeps each account's signed position per market from fills, so that reduce-only orders have
 * something to reduce. Its positions are in snapshots and the state hash like a real extension's.
 * Allocation-free on commands and fills.
 */
final class MarkFeed implements EngineExtension
{
    private static final int MARKETS_PER_ACCOUNT = 1 << 10;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OraclePriceDecoder oracle = new OraclePriceDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final OraclePriceEncoder oracleEncoder = new OraclePriceEncoder();
    private final Long2LongHashMap positions = new Long2LongHashMap(0);
    private MatchingEngine engine;

    /** Encodes an OraclePrice command with one observation at {@code price}; returns its length. */
    int encode(final MutableDirectBuffer buffer, final int offset, final int marketId, final long price)
    {
        final OraclePriceEncoder encoder = oracleEncoder
            .wrapAndApplyHeader(buffer, offset, headerEncoder)
            .sequence(0)
            .timestampNs(0)
            .marketId(marketId);
        encoder.observationsCount(1).next().sourceIndex((short)0).price(price).observedNs(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /** The account's signed position in lots. */
    long position(final long accountId, final int marketId)
    {
        return positions.get(key(accountId, marketId));
    }

    public int extensionId()
    {
        return 0x7E57;
    }

    public void attach(final MatchingEngine engine)
    {
        this.engine = engine;
    }

    public boolean handles(final int templateId)
    {
        return templateId == OraclePriceDecoder.TEMPLATE_ID;
    }

    public void apply(final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset);
        oracle.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final int marketId = oracle.marketId();
        final OrderBook book = engine.state().book(marketId);
        if (book == null)
        {
            engine.events().rejected(templateId, RejectReason.UNKNOWN_MARKET, 0, marketId, 0, 0);
            return;
        }
        final OraclePriceDecoder.ObservationsDecoder observations = oracle.observations();
        final MarketSpec spec = book.spec();
        final long price = observations.hasNext() ? observations.next().price() : 0;
        if (price <= 0 || price % spec.tickSize() != 0)
        {
            engine.events().rejected(templateId, RejectReason.ORACLE_BAD_PRICE, 0, marketId, 0, 0);
            return;
        }
        engine.events().markPriceUpdated(marketId, price, price, 1);
        engine.applyMarkPrice(marketId, price / spec.tickSize());
    }

    public RejectReason checkOrder(final OrderRequest request, final OrderBook book)
    {
        return null;
    }

    public FillVerdict checkFill(
        final OrderBook book, final long makerAccountId, final long takerAccountId, final Side takerSide,
        final long priceTicks, final long sizeLots)
    {
        return FillVerdict.PROCEED;
    }

    public long reducibleLots(final OrderBook book, final long accountId, final Side side)
    {
        final long position = position(accountId, book.spec().marketId());
        return side == Side.SELL ? Math.max(0, position) : Math.max(0, -position);
    }

    public void onFill(
        final OrderBook book, final long tradeId, final long makerAccountId, final long takerAccountId,
        final Side takerSide, final long priceTicks, final long sizeLots, final long quote, final long makerFee,
        final long takerFee)
    {
        final int marketId = book.spec().marketId();
        final long takerDelta = takerSide == Side.BUY ? sizeLots : -sizeLots;
        move(key(takerAccountId, marketId), takerDelta);
        move(key(makerAccountId, marketId), -takerDelta);
    }

    private void move(final long key, final long delta)
    {
        final long position = positions.get(key) + delta;
        if (position == 0)
        {
            positions.remove(key);
        }
        else
        {
            positions.put(key, position);
        }
    }

    public int writeSnapshot(final ExpandableDirectByteBuffer buffer, final int offset)
    {
        final long[] keys = sortedKeys();
        int position = offset;
        buffer.putInt(position, keys.length);
        position += Integer.BYTES;
        for (final long key : keys)
        {
            buffer.putLong(position, key);
            buffer.putLong(position + Long.BYTES, positions.get(key));
            position += 2 * Long.BYTES;
        }
        return position - offset;
    }

    public void readSnapshot(final DirectBuffer buffer, final int offset, final int length)
    {
        final int count = buffer.getInt(offset);
        for (int i = 0; i < count; i++)
        {
            final int at = offset + Integer.BYTES + i * 2 * Long.BYTES;
            positions.put(buffer.getLong(at), buffer.getLong(at + Long.BYTES));
        }
    }

    public void hashInto(final StateHasher hasher)
    {
        final long[] keys = sortedKeys();
        hasher.mix(keys.length);
        for (final long key : keys)
        {
            hasher.mix(key);
            hasher.mix(positions.get(key));
        }
    }

    private long[] sortedKeys()
    {
        final long[] keys = new long[positions.size()];
        int count = 0;
        final Long2LongHashMap.KeyIterator iterator = positions.keySet().iterator();
        while (iterator.hasNext())
        {
            keys[count++] = iterator.nextValue();
        }
        Arrays.sort(keys);
        return keys;
    }

    private static long key(final long accountId, final int marketId)
    {
        return accountId * MARKETS_PER_ACCOUNT + marketId;
    }
}
