package io.perpetua.core.engine;

import io.perpetua.core.sbe.AddMarketDecoder;
import io.perpetua.core.sbe.AmendOrderDecoder;
import io.perpetua.core.sbe.CancelAllDecoder;
import io.perpetua.core.sbe.CancelOrderDecoder;
import io.perpetua.core.sbe.ConfigureOracleDecoder;
import io.perpetua.core.sbe.ConfigureRiskDecoder;
import io.perpetua.core.sbe.DepositDecoder;
import io.perpetua.core.sbe.FundingTickDecoder;
import io.perpetua.core.sbe.GroupSizeEncodingDecoder;
import io.perpetua.core.sbe.HeartbeatDecoder;
import io.perpetua.core.sbe.LiquidateDecoder;
import io.perpetua.core.sbe.OraclePriceDecoder;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.SetLeverageDecoder;
import io.perpetua.core.sbe.TransferDecoder;
import io.perpetua.core.sbe.WithdrawDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.PlaceOrderDecoder;
import io.perpetua.core.sbe.TakeSnapshotDecoder;
import io.perpetua.core.sbe.UpdateMarketDecoder;
import io.perpetua.core.market.MarketSpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Decodes journaled commands and calls the {@link MatchingEngine} with primitive arguments.
 * Decoders are held in fields and re-wrapped per message; dispatch is a switch on template id.
 *
 * <p>{@link #isWellFormed} is the structural check the sequencer applies before a command is
 * journaled: known schema and template, a block at least as long as the template's, and every
 * variable-length field inside the message. Semantic checks (ranges, ids, state) belong to the
 * engine and end in {@code Rejected} events.
 */
public final class CommandAdapter
{
    /** Offset of the sequence number in every command, after the message header. */
    public static final int SEQUENCE_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;
    /** Offset of the command timestamp in every command. */
    public static final int TIMESTAMP_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH + 8;
    /** Largest command the pipeline carries. */
    public static final int MAX_COMMAND_LENGTH = 512;
    /** Minimum block length by command template id (commands are 1-99); -1 for ids that are not commands. */
    private static final int[] MINIMUM_BLOCK_LENGTH = minimumBlockLengths();

    private final MatchingEngine engine;
    private final PlaceOrderDecoder place = new PlaceOrderDecoder();
    private final CancelOrderDecoder cancel = new CancelOrderDecoder();
    private final CancelAllDecoder cancelAll = new CancelAllDecoder();
    private final AmendOrderDecoder amend = new AmendOrderDecoder();
    private final AddMarketDecoder addMarket = new AddMarketDecoder();
    private final UpdateMarketDecoder updateMarket = new UpdateMarketDecoder();
    private final StringBuilder symbol = new StringBuilder(MarketSpec.MAX_SYMBOL_LENGTH);

    public CommandAdapter(final MatchingEngine engine)
    {
        this.engine = engine;
    }

    public MatchingEngine engine()
    {
        return engine;
    }

    /**
     * Applies one well-formed, stamped command; its events are then in the engine's publisher.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed command (a journal that
     *                                  holds such bytes is corrupt: the sequencer never writes them)
     */
    public void apply(final DirectBuffer buffer, final int offset, final int length)
    {
        // The header is read once, as one word, for the structural check and for dispatch.
        if (!fitsBuffer(buffer, offset, length))
        {
            throw notWellFormed(offset, length);
        }
        final long header = buffer.getLong(offset, PlaceOrderDecoder.BYTE_ORDER);
        if (!isWellFormed(buffer, offset, length, header))
        {
            throw notWellFormed(offset, length);
        }
        final int templateId = templateId(header);
        final int blockLength = blockLength(header);
        final int version = version(header);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        engine.beginCommand(buffer.getLong(offset + SEQUENCE_OFFSET, PlaceOrderDecoder.BYTE_ORDER),
            buffer.getLong(offset + TIMESTAMP_OFFSET, PlaceOrderDecoder.BYTE_ORDER));

        switch (templateId)
        {
            case PlaceOrderDecoder.TEMPLATE_ID:
            {
                final PlaceOrderDecoder d = place.wrap(buffer, body, blockLength, version);
                engine.placeOrder(
                    d.accountId(), d.marketId(), d.clientOrderId(), WireEnums.side(d.sideRaw()),
                    WireEnums.orderType(d.orderTypeRaw()), WireEnums.timeInForce(d.timeInForceRaw()),
                    buffer.getByte(body + PlaceOrderDecoder.flagsEncodingOffset()),
                    WireEnums.selfTradePrevention(d.selfTradePreventionRaw()), d.price(), d.size(), d.expiryNs(),
                    version >= 1 ? d.triggerPrice() : 0);
                break;
            }
            case CancelOrderDecoder.TEMPLATE_ID:
            {
                final CancelOrderDecoder d = cancel.wrap(buffer, body, blockLength, version);
                engine.cancelOrder(templateId, d.accountId(), d.marketId(), d.orderId(), d.clientOrderId());
                break;
            }
            case CancelAllDecoder.TEMPLATE_ID:
            {
                final CancelAllDecoder d = cancelAll.wrap(buffer, body, blockLength, version);
                engine.cancelAll(templateId, d.accountId(), d.marketId());
                break;
            }
            case AmendOrderDecoder.TEMPLATE_ID:
            {
                final AmendOrderDecoder d = amend.wrap(buffer, body, blockLength, version);
                engine.amendOrder(
                    templateId, d.accountId(), d.marketId(), d.orderId(), d.clientOrderId(),
                    d.newPrice(), d.newSize(), d.reduceBy());
                break;
            }
            case AddMarketDecoder.TEMPLATE_ID:
            {
                final AddMarketDecoder d = addMarket.wrap(buffer, body, blockLength, version);
                symbol.setLength(0);
                final int symbolLength = d.symbolLength();
                final int symbolOffset = body + blockLength + AddMarketDecoder.symbolHeaderLength();
                for (int i = 0; i < symbolLength; i++)
                {
                    symbol.append((char)(buffer.getByte(symbolOffset + i) & 0xFF));
                }
                engine.addMarket(d, symbol.toString());
                break;
            }
            case UpdateMarketDecoder.TEMPLATE_ID:
                engine.updateMarket(updateMarket.wrap(buffer, body, blockLength, version));
                break;
            case TakeSnapshotDecoder.TEMPLATE_ID:
                engine.takeSnapshot();
                break;
            case HeartbeatDecoder.TEMPLATE_ID:
                break;
            default:
                final EngineExtension extension = engine.extension();
                if (extension != null && extension.handles(templateId))
                {
                    extension.apply(templateId, buffer, offset, length);
                }
                else
                {
                    // A well-formed account or oracle command for an engine without a ledger.
                    engine.events().rejected(templateId, RejectReason.UNKNOWN_ACCOUNT, 0, 0, 0, 0);
                }
        }
    }

    private static IllegalArgumentException notWellFormed(final int offset, final int length)
    {
        return new IllegalArgumentException("not a well-formed command at offset " + offset + " length " + length);
    }

    /** Writes the sequencer's stamp into a command in place. */
    public static void stamp(final MutableDirectBuffer buffer, final int offset, final long sequence, final long timestampNs)
    {
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, PlaceOrderDecoder.BYTE_ORDER);
        buffer.putLong(offset + TIMESTAMP_OFFSET, timestampNs, PlaceOrderDecoder.BYTE_ORDER);
    }

    /** Sequence number stamped in a well-formed command. */
    public static long sequenceOf(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET, PlaceOrderDecoder.BYTE_ORDER);
    }

    /** Template id of a message, or -1 if there is not even a header. */
    public static int templateIdOf(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return -1;
        }
        return buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(), PlaceOrderDecoder.BYTE_ORDER) & 0xFFFF;
    }

    /** The structural check described in the class comment. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length)
    {
        return fitsBuffer(buffer, offset, length) && isWellFormed(buffer, offset, length, headerFields(buffer, offset));
    }

    /**
     * The header word, read field by field from the caller's buffer as the ingress check always
     * has; {@link #apply} reads it as one word from the copy it is given.
     */
    private static long headerFields(final DirectBuffer buffer, final int offset)
    {
        long header = 0;
        for (int field = 0; field < 4; field++)
        {
            header |= (buffer.getShort(offset + 2 * field, PlaceOrderDecoder.BYTE_ORDER) & 0xFFFFL) << (16 * field);
        }
        return header;
    }

    /** A header's worth of bytes, no more than the largest command, inside the buffer. */
    private static boolean fitsBuffer(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= MessageHeaderDecoder.ENCODED_LENGTH && length <= MAX_COMMAND_LENGTH &&
            offset >= 0 && offset + length <= buffer.capacity();
    }

    // The message header as one little-endian word: blockLength, templateId, schemaId, version (uint16 each).
    private static int blockLength(final long header)
    {
        return (int)header & 0xFFFF;
    }

    private static int templateId(final long header)
    {
        return (int)(header >>> 16) & 0xFFFF;
    }

    private static int schemaId(final long header)
    {
        return (int)(header >>> 32) & 0xFFFF;
    }

    private static int version(final long header)
    {
        return (int)(header >>> 48) & 0xFFFF;
    }

    private static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length, final long header)
    {
        final int templateId = templateId(header);
        final int blockLength = blockLength(header);
        if (schemaId(header) != PlaceOrderDecoder.SCHEMA_ID || version(header) > PlaceOrderDecoder.SCHEMA_VERSION ||
            templateId >= MINIMUM_BLOCK_LENGTH.length)
        {
            return false;
        }
        final int minimumBlock = MINIMUM_BLOCK_LENGTH[templateId];
        if (minimumBlock < 0 || blockLength < minimumBlock)
        {
            return false;
        }
        final int end = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        if (templateId == OraclePriceDecoder.TEMPLATE_ID || templateId == ConfigureOracleDecoder.TEMPLATE_ID)
        {
            // One repeating group after the block: its header, then numInGroup entries.
            if (length < end + GroupSizeEncodingDecoder.ENCODED_LENGTH)
            {
                return false;
            }
            final int entryBlock = buffer.getShort(offset + end, PlaceOrderDecoder.BYTE_ORDER) & 0xFFFF;
            final int count = buffer.getShort(offset + end + 2, PlaceOrderDecoder.BYTE_ORDER) & 0xFFFF;
            final int minimumEntry = templateId == OraclePriceDecoder.TEMPLATE_ID ?
                OraclePriceDecoder.ObservationsDecoder.sbeBlockLength() :
                ConfigureOracleDecoder.SourcesDecoder.sbeBlockLength();
            return entryBlock >= minimumEntry &&
                length >= end + GroupSizeEncodingDecoder.ENCODED_LENGTH + (long)entryBlock * count;
        }
        if (templateId == AddMarketDecoder.TEMPLATE_ID)
        {
            final int varHeader = AddMarketDecoder.symbolHeaderLength();
            if (length < end + varHeader)
            {
                return false;
            }
            final long symbolLength = buffer.getInt(offset + end, PlaceOrderDecoder.BYTE_ORDER) & 0xFFFF_FFFFL;
            return symbolLength <= MarketSpec.MAX_SYMBOL_LENGTH && length >= end + varHeader + symbolLength;
        }
        return length >= end;
    }

    private static int[] minimumBlockLengths()
    {
        final int[] lengths = new int[100];
        for (int templateId = 0; templateId < lengths.length; templateId++)
        {
            lengths[templateId] = minimumBlockLength(templateId);
        }
        return lengths;
    }

    private static int minimumBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case PlaceOrderDecoder.TEMPLATE_ID:
                return PlaceOrderDecoder.BLOCK_LENGTH;
            case CancelOrderDecoder.TEMPLATE_ID:
                return CancelOrderDecoder.BLOCK_LENGTH;
            case CancelAllDecoder.TEMPLATE_ID:
                return CancelAllDecoder.BLOCK_LENGTH;
            case AmendOrderDecoder.TEMPLATE_ID:
                return AmendOrderDecoder.BLOCK_LENGTH;
            case AddMarketDecoder.TEMPLATE_ID:
                return AddMarketDecoder.BLOCK_LENGTH;
            case UpdateMarketDecoder.TEMPLATE_ID:
                return UpdateMarketDecoder.BLOCK_LENGTH;
            case TakeSnapshotDecoder.TEMPLATE_ID:
                return TakeSnapshotDecoder.BLOCK_LENGTH;
            case HeartbeatDecoder.TEMPLATE_ID:
                return HeartbeatDecoder.BLOCK_LENGTH;
            case DepositDecoder.TEMPLATE_ID:
                return DepositDecoder.BLOCK_LENGTH;
            case WithdrawDecoder.TEMPLATE_ID:
                return WithdrawDecoder.BLOCK_LENGTH;
            case TransferDecoder.TEMPLATE_ID:
                return TransferDecoder.BLOCK_LENGTH;
            case SetLeverageDecoder.TEMPLATE_ID:
                return SetLeverageDecoder.BLOCK_LENGTH;
            case OraclePriceDecoder.TEMPLATE_ID:
                return OraclePriceDecoder.BLOCK_LENGTH;
            case LiquidateDecoder.TEMPLATE_ID:
                return LiquidateDecoder.BLOCK_LENGTH;
            case ConfigureRiskDecoder.TEMPLATE_ID:
                return ConfigureRiskDecoder.BLOCK_LENGTH;
            case ConfigureOracleDecoder.TEMPLATE_ID:
                return ConfigureOracleDecoder.BLOCK_LENGTH;
            case FundingTickDecoder.TEMPLATE_ID:
                return FundingTickDecoder.BLOCK_LENGTH;
            default:
                return -1;
        }
    }
}
