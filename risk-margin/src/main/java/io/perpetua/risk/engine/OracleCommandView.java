package io.perpetua.risk.engine;

import io.perpetua.core.sbe.GroupSizeEncodingDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OraclePriceDecoder;
import io.perpetua.risk.oracle.OracleObservations;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The observations of an OraclePrice command read in place from the journaled bytes, by index,
 * for the verifier. The command was checked to be well formed (group inside the message) before it
 * was journaled.
 */
final class OracleCommandView implements OracleObservations
{
    private static final ByteOrder ORDER = OraclePriceDecoder.BYTE_ORDER;

    private DirectBuffer buffer;
    private int entries;
    private int entryLength;
    private int count;

    /** Wraps the command at {@code offset} (its message header). */
    OracleCommandView wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        final int blockLength = buffer.getShort(offset, ORDER) & 0xFFFF;
        final int group = offset + MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        entryLength = buffer.getShort(group, ORDER) & 0xFFFF;
        count = buffer.getShort(group + 2, ORDER) & 0xFFFF;
        entries = group + GroupSizeEncodingDecoder.ENCODED_LENGTH;
        return this;
    }

    public int count()
    {
        return count;
    }

    public int sourceIndex(final int i)
    {
        return buffer.getByte(entries + i * entryLength +
            OraclePriceDecoder.ObservationsDecoder.sourceIndexEncodingOffset()) & 0xFF;
    }

    public long priceTicks(final int i)
    {
        return buffer.getLong(entries + i * entryLength + OraclePriceDecoder.ObservationsDecoder.priceEncodingOffset(), ORDER);
    }

    public long timestampNs(final int i)
    {
        return buffer.getLong(
            entries + i * entryLength + OraclePriceDecoder.ObservationsDecoder.observedNsEncodingOffset(), ORDER);
    }

    public int signature(final int i, final byte[] dst)
    {
        final int length = OraclePriceDecoder.ObservationsDecoder.signatureLength();
        buffer.getBytes(entries + i * entryLength + OraclePriceDecoder.ObservationsDecoder.signatureEncodingOffset(),
            dst, 0, Math.min(length, dst.length));
        return length;
    }
}
