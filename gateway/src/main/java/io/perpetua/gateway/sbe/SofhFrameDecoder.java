package io.perpetua.gateway.sbe;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderDecoder;
import io.perpetua.gateway.sbe.codec.SessionRejectCode;

import java.util.List;

/**
 * Splits the byte stream into messages by the Simple Open Framing Header: a 4-byte big-endian
 * length of the whole frame (header included) and the 2-byte big-endian encoding type
 * {@value #SBE_LITTLE_ENDIAN}. Emits each message without its header. The encoding type is checked
 * as soon as the header is in, so garbage is refused without waiting for the length it claims.
 */
final class SofhFrameDecoder extends ByteToMessageDecoder
{
    /** Encoding type of SBE version 1.0, little-endian. */
    static final int SBE_LITTLE_ENDIAN = 0xEB50;
    static final int HEADER_LENGTH = 6;
    static final int MIN_FRAME_LENGTH = HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;

    private final int maxFrameLength;

    SofhFrameDecoder(final int maxFrameLength)
    {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        while (in.readableBytes() >= HEADER_LENGTH)
        {
            final int start = in.readerIndex();
            final long frameLength = in.getUnsignedInt(start);
            final int encodingType = in.getUnsignedShort(start + 4);
            if (encodingType != SBE_LITTLE_ENDIAN)
            {
                throw new FramingException(SessionRejectCode.WRONG_ENCODING_TYPE,
                    String.format("encoding type 0x%04X is not 0xEB50 (SBE 1.0 little-endian)", encodingType));
            }
            if (frameLength < MIN_FRAME_LENGTH || frameLength > maxFrameLength)
            {
                throw new FramingException(SessionRejectCode.BAD_LENGTH, "frame length " + frameLength + " outside " +
                    MIN_FRAME_LENGTH + ".." + maxFrameLength);
            }
            if (in.readableBytes() < frameLength)
            {
                return;
            }
            out.add(in.retainedSlice(start + HEADER_LENGTH, (int)frameLength - HEADER_LENGTH));
            in.skipBytes((int)frameLength);
        }
    }
}
