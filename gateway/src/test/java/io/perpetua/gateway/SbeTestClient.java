package io.perpetua.gateway;

import io.perpetua.gateway.sbe.SbeServer;
import io.perpetua.gateway.sbe.codec.EstablishEncoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.trading.LoginVerifier;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.xml.IrGenerator;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.otf.AbstractTokenListener;
import uk.co.real_logic.sbe.otf.OtfHeaderDecoder;
import uk.co.real_logic.sbe.otf.OtfMessageDecoder;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A market maker's connection for tests. Requests are encoded with the generated encoders; everything
 * the server sends is decoded with Real Logic's schema-driven OTF decoder from the published schema
 * file, so the tests check the wire bytes against the schema, not against our own decoders.
 */
final class SbeTestClient implements AutoCloseable
{
    static final Path SCHEMA = Path.of("src/main/resources/sbe/perpetua-mm.xml");
    private static final Ir IR = loadIr();

    /** One decoded message: its template name and its fields (enums by name, text as strings). */
    record Message(String name, Map<String, Object> fields)
    {
        long number(final String field)
        {
            return ((Number)fields.get(field)).longValue();
        }

        String text(final String field)
        {
            return String.valueOf(fields.get(field));
        }

        /** The entries of a repeating group, each its fields. */
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> group(final String name)
        {
            return (List<Map<String, Object>>)fields.get(name);
        }

        @Override
        public String toString()
        {
            return name + fields;
        }
    }

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    SbeTestClient(final int port) throws IOException
    {
        this(port, 0);
    }

    /** @param receiveBufferBytes the socket's receive buffer, 0 for the default */
    SbeTestClient(final int port, final int receiveBufferBytes) throws IOException
    {
        socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 30_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Ir loadIr()
    {
        try (InputStream schema = Files.newInputStream(SCHEMA))
        {
            return new IrGenerator().generate(XmlSchemaParser.parse(schema, ParserOptions.builder().stopOnError(true).suppressOutput(true).build()));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot load " + SCHEMA, ex);
        }
    }

    /** Encodes a message after the SBE header with {@code body} and sends it in a SOFH frame. */
    <E> void send(final E encoder, final Consumer<E> body) throws IOException
    {
        final int length = encode(encoder, body);
        out.write(buffer.byteArray(), 0, length);
        out.flush();
    }

    /** The framed bytes of a message, for tests that cut or corrupt them. */
    <E> byte[] frame(final E encoder, final Consumer<E> body)
    {
        final int length = encode(encoder, body);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private <E> int encode(final E encoder, final Consumer<E> body)
    {
        final int messageLength;
        try
        {
            final var wrap = encoder.getClass().getMethod("wrapAndApplyHeader", MutableDirectBuffer.class, int.class,
                MessageHeaderEncoder.class);
            wrap.invoke(encoder, buffer, 6, header);
            body.accept(encoder);
            messageLength = (int)encoder.getClass().getMethod("encodedLength").invoke(encoder);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
        final int length = 6 + MessageHeaderEncoder.ENCODED_LENGTH + messageLength;
        buffer.putInt(0, length, ByteOrder.BIG_ENDIAN);
        buffer.putShort(4, (short)0xEB50, ByteOrder.BIG_ENDIAN);
        return length;
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** Establishes with a fresh signature; returns the server's first answer. */
    Message establish(final String key, final byte[] secret, final String nonce, final long nextExpectedSeqNo)
        throws IOException
    {
        final long timestamp = System.currentTimeMillis();
        return establish(key, timestamp, nonce, LoginVerifier.signRequest(secret, key, timestamp, nonce,
            SbeServer.SIGNED_CONTEXT), nextExpectedSeqNo);
    }

    Message establish(final String key, final long timestampMs, final String nonce, final String signature,
        final long nextExpectedSeqNo) throws IOException
    {
        send(new EstablishEncoder(), e -> e.apiKey(key).timestampMs(timestampMs).nonce(nonce).signature(signature)
            .keepAliveIntervalMs(30_000).nextExpectedSeqNo(nextExpectedSeqNo));
        return read();
    }

    /** Reads the next frame and decodes it with the OTF decoder. */
    Message read() throws IOException
    {
        return decode(readFrame());
    }

    /** Reads the next frame's bytes, framing header included. */
    byte[] readFrame() throws IOException
    {
        final int length = in.readInt();
        final int encodingType = in.readUnsignedShort();
        if (encodingType != 0xEB50)
        {
            throw new IOException(String.format("server sent encoding type 0x%04X", encodingType));
        }
        final byte[] frame = new byte[length];
        new UnsafeBuffer(frame).putInt(0, length, ByteOrder.BIG_ENDIAN);
        new UnsafeBuffer(frame).putShort(4, (short)encodingType, ByteOrder.BIG_ENDIAN);
        in.readFully(frame, 6, length - 6);
        return frame;
    }

    /** Decodes a frame read by {@link #readFrame()}. */
    static Message decode(final byte[] frame)
    {
        return decode(new UnsafeBuffer(frame, 6, frame.length - 6), frame.length - 6);
    }

    /** Reads messages until one named {@code name}, returning it; fails on a Terminate in between. */
    Message await(final String name) throws IOException
    {
        while (true)
        {
            final Message message = read();
            if (message.name().equals(name))
            {
                return message;
            }
            if (message.name().equals("Terminate"))
            {
                throw new AssertionError("terminated while waiting for " + name + ": " + message);
            }
        }
    }

    /** True if the server closed the connection (end of stream) before {@code timeoutMs}. */
    boolean closedByServer(final int timeoutMs) throws IOException
    {
        socket.setSoTimeout(timeoutMs);
        try
        {
            while (true)
            {
                if (in.read() < 0)
                {
                    return true;
                }
            }
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return ex.getMessage() != null && ex.getMessage().contains("reset");
        }
    }

    static Message decode(final DirectBuffer buffer, final int length)
    {
        final OtfHeaderDecoder headerDecoder = new OtfHeaderDecoder(IR.headerStructure());
        final int templateId = headerDecoder.getTemplateId(buffer, 0);
        final List<Token> tokens = IR.getMessage(templateId);
        if (tokens == null)
        {
            throw new AssertionError("server sent unknown template " + templateId);
        }
        if (headerDecoder.getSchemaId(buffer, 0) != IR.id())
        {
            throw new AssertionError("server sent schema " + headerDecoder.getSchemaId(buffer, 0));
        }
        final Map<String, Object> message = new LinkedHashMap<>();
        final int end = OtfMessageDecoder.decode(buffer, headerDecoder.encodedLength(), headerDecoder.getSchemaVersion(buffer, 0),
            headerDecoder.getBlockLength(buffer, 0), tokens, new AbstractTokenListener()
            {
                private Map<String, Object> fields = message;

                @Override
                public void onGroupHeader(final Token token, final int numInGroup)
                {
                    message.put(token.name(), new ArrayList<Map<String, Object>>());
                }

                @Override
                @SuppressWarnings("unchecked")
                public void onBeginGroup(final Token token, final int groupIndex, final int numInGroup)
                {
                    fields = new LinkedHashMap<>();
                    ((List<Map<String, Object>>)message.get(token.name())).add(fields);
                }

                @Override
                public void onEndGroup(final Token token, final int groupIndex, final int numInGroup)
                {
                    fields = message;
                }

                @Override
                public void onEncoding(final Token fieldToken, final DirectBuffer buffer, final int index,
                    final Token typeToken, final int actingVersion)
                {
                    final var encoding = typeToken.encoding();
                    if (typeToken.arrayLength() > 1)
                    {
                        final byte[] chars = new byte[typeToken.arrayLength()];
                        buffer.getBytes(index, chars);
                        fields.put(fieldToken.name(), new String(chars, StandardCharsets.US_ASCII).replace("\0", ""));
                    }
                    else
                    {
                        fields.put(fieldToken.name(), switch (encoding.primitiveType())
                        {
                            case INT64, UINT64 -> buffer.getLong(index, encoding.byteOrder());
                            case INT32 -> buffer.getInt(index, encoding.byteOrder());
                            case UINT32 -> buffer.getInt(index, encoding.byteOrder()) & 0xFFFF_FFFFL;
                            case UINT16 -> buffer.getShort(index, encoding.byteOrder()) & 0xFFFF;
                            case UINT8 -> buffer.getByte(index) & 0xFF;
                            default -> throw new AssertionError("type not in the schema: " + encoding.primitiveType());
                        });
                    }
                }

                @Override
                public void onEnum(final Token fieldToken, final DirectBuffer buffer, final int bufferIndex,
                    final List<Token> tokens, final int fromIndex, final int toIndex, final int actingVersion)
                {
                    final Token type = tokens.get(fromIndex);
                    final long raw = type.encoding().primitiveType().size() == 1 ? buffer.getByte(bufferIndex) & 0xFF :
                        buffer.getShort(bufferIndex, type.encoding().byteOrder()) & 0xFFFF;
                    String name = "UNKNOWN(" + raw + ")";
                    for (int i = fromIndex + 1; i < toIndex; i++)
                    {
                        if (tokens.get(i).encoding().constValue().longValue() == raw)
                        {
                            name = tokens.get(i).name();
                        }
                    }
                    fields.put(fieldToken.name(), name);
                }

                @Override
                public void onVarData(final Token fieldToken, final DirectBuffer buffer, final int bufferIndex,
                    final int length, final Token typeToken)
                {
                    fields.put(fieldToken.name(), buffer.getStringWithoutLengthAscii(bufferIndex, length));
                }
            });
        if (end != length)
        {
            throw new AssertionError(tokens.get(0).name() + " of " + length + " bytes decodes to " + end + " bytes");
        }
        return new Message(tokens.get(0).name(), message);
    }

    /** Reads to the end of the stream, ignoring a reset; for tests that expect the server to close. */
    void drain() throws IOException
    {
        try
        {
            while (true)
            {
                read();
            }
        }
        catch (final EOFException ex)
        {
            // closed
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
