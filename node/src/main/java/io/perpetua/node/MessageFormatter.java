package io.perpetua.node;

import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.ir.Encoding;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.otf.OtfHeaderDecoder;
import uk.co.real_logic.sbe.otf.OtfMessageDecoder;
import uk.co.real_logic.sbe.otf.TokenListener;
import uk.co.real_logic.sbe.otf.Types;
import uk.co.real_logic.sbe.xml.IrGenerator;
import uk.co.real_logic.sbe.xml.MessageSchema;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;
import org.agrona.DirectBuffer;

import java.io.InputStream;
import java.util.List;

/**
 * Renders journal messages as text or JSON by decoding them on the fly against the schema's IR,
 * read from the engine's own copy of the schema. Every field of every message appears without code
 * per message, and messages added by schema evolution are rendered as soon as the schema has them.
 * Enums and set choices are rendered by name.
 */
final class MessageFormatter
{
    /** Output style. */
    enum Style
    {
        /** {@code Name field=value ...}. */
        TEXT,
        /** One JSON object. */
        JSON
    }

    private static final String SCHEMA_RESOURCE = "/sbe/perpetua-journal.xml";

    private final Ir ir;
    private final OtfHeaderDecoder header;
    private final Renderer renderer = new Renderer();

    MessageFormatter()
    {
        this.ir = loadIr();
        this.header = new OtfHeaderDecoder(ir.headerStructure());
    }

    private static Ir loadIr()
    {
        try (InputStream schema = MessageFormatter.class.getResourceAsStream(SCHEMA_RESOURCE))
        {
            if (schema == null)
            {
                throw new IllegalStateException("schema " + SCHEMA_RESOURCE + " is not on the classpath");
            }
            final MessageSchema parsed = XmlSchemaParser.parse(
                schema, ParserOptions.builder().stopOnError(true).suppressOutput(true).build());
            return new IrGenerator().generate(parsed);
        }
        catch (final RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot load schema " + SCHEMA_RESOURCE, ex);
        }
    }

    /** Length of the message header that precedes every message. */
    int headerLength()
    {
        return header.encodedLength();
    }

    /**
     * Appends one message rendered in {@code style}, with the {@code kind} field ("command" or
     * "event") first.
     *
     * @return the offset just past the message
     */
    int format(final DirectBuffer buffer, final int offset, final String kind, final Style style, final StringBuilder out)
    {
        final int templateId = header.getTemplateId(buffer, offset);
        final int schemaId = header.getSchemaId(buffer, offset);
        final int version = header.getSchemaVersion(buffer, offset);
        final int blockLength = header.getBlockLength(buffer, offset);
        final List<Token> tokens = schemaId == ir.id() ? ir.getMessage(templateId) : null;
        if (tokens == null)
        {
            throw new IllegalArgumentException("unknown message: schema " + schemaId + " template " + templateId +
                " at offset " + offset);
        }
        renderer.begin(out, style, kind);
        return OtfMessageDecoder.decode(buffer, offset + header.encodedLength(), version, blockLength, tokens, renderer);
    }

    /** Writes fields as {@code name=value} or {@code "name":value}. */
    private static final class Renderer implements TokenListener
    {
        private StringBuilder out;
        private Style style;
        private String kind;
        private boolean firstInScope;
        private int compositeDepth;

        void begin(final StringBuilder out, final Style style, final String kind)
        {
            this.out = out;
            this.style = style;
            this.kind = kind;
            this.compositeDepth = 0;
        }

        @Override
        public void onBeginMessage(final Token token)
        {
            if (style == Style.JSON)
            {
                out.append("{\"kind\":\"").append(kind).append("\",\"type\":\"").append(token.name()).append('"');
            }
            else
            {
                out.append(kind).append(' ').append(token.name());
            }
            firstInScope = false;
        }

        @Override
        public void onEndMessage(final Token token)
        {
            if (style == Style.JSON)
            {
                out.append('}');
            }
        }

        @Override
        public void onEncoding(
            final Token fieldToken, final DirectBuffer buffer, final int index, final Token typeToken, final int actingVersion)
        {
            name(compositeDepth > 0 ? typeToken.name() : fieldToken.name());
            final Encoding encoding = typeToken.encoding();
            if (typeToken.version() > actingVersion)
            {
                out.append(style == Style.JSON ? "null" : "absent");
            }
            else if (typeToken.arrayLength() > 1 && encoding.primitiveType() == PrimitiveType.CHAR)
            {
                string(buffer, index, typeToken.arrayLength());
            }
            else if (style == Style.JSON)
            {
                Types.appendAsJsonString(out, buffer, index, encoding);
            }
            else
            {
                Types.appendAsString(out, buffer, index, encoding);
            }
        }

        @Override
        public void onEnum(
            final Token fieldToken,
            final DirectBuffer buffer,
            final int index,
            final List<Token> tokens,
            final int fromIndex,
            final int toIndex,
            final int actingVersion)
        {
            final Token typeToken = tokens.get(fromIndex + 1);
            name(fieldToken.name());
            final long value = Types.getLong(buffer, index, typeToken.encoding());
            String label = null;
            for (int i = fromIndex + 1; i < toIndex; i++)
            {
                final Token valid = tokens.get(i);
                if (valid.encoding().constValue().longValue() == value)
                {
                    label = valid.name();
                    break;
                }
            }
            if (label == null)
            {
                label = "NULL_VAL";
            }
            quoted(label);
        }

        @Override
        public void onBitSet(
            final Token fieldToken,
            final DirectBuffer buffer,
            final int index,
            final List<Token> tokens,
            final int fromIndex,
            final int toIndex,
            final int actingVersion)
        {
            final Token typeToken = tokens.get(fromIndex + 1);
            name(fieldToken.name());
            final long bits = Types.getLong(buffer, index, typeToken.encoding());
            out.append('[');
            boolean first = true;
            for (int i = fromIndex + 1; i < toIndex; i++)
            {
                final Token choice = tokens.get(i);
                if ((bits & (1L << choice.encoding().constValue().longValue())) != 0)
                {
                    if (!first)
                    {
                        out.append(',');
                    }
                    quoted(choice.name());
                    first = false;
                }
            }
            out.append(']');
        }

        @Override
        public void onBeginComposite(final Token fieldToken, final List<Token> tokens, final int fromIndex, final int toIndex)
        {
            name(fieldToken.name());
            out.append(style == Style.JSON ? '{' : '(');
            firstInScope = true;
            compositeDepth++;
        }

        @Override
        public void onEndComposite(final Token fieldToken, final List<Token> tokens, final int fromIndex, final int toIndex)
        {
            compositeDepth--;
            out.append(style == Style.JSON ? '}' : ')');
            firstInScope = false;
        }

        @Override
        public void onGroupHeader(final Token token, final int numInGroup)
        {
            name(token.name());
            out.append('[');
            if (numInGroup == 0)
            {
                out.append(']');
            }
            firstInScope = true;
        }

        @Override
        public void onBeginGroup(final Token token, final int groupIndex, final int numInGroup)
        {
            if (groupIndex > 0)
            {
                out.append(',');
            }
            out.append(style == Style.JSON ? '{' : '(');
            firstInScope = true;
        }

        @Override
        public void onEndGroup(final Token token, final int groupIndex, final int numInGroup)
        {
            out.append(style == Style.JSON ? '}' : ')');
            if (groupIndex == numInGroup - 1)
            {
                out.append(']');
            }
            firstInScope = false;
        }

        @Override
        public void onVarData(
            final Token fieldToken, final DirectBuffer buffer, final int index, final int length, final Token typeToken)
        {
            name(fieldToken.name());
            string(buffer, index, length);
        }

        private void name(final String name)
        {
            if (style == Style.JSON)
            {
                if (!firstInScope)
                {
                    out.append(',');
                }
                out.append('"').append(name).append("\":");
            }
            else
            {
                out.append(firstInScope ? "" : " ").append(name).append('=');
            }
            firstInScope = false;
        }

        private void quoted(final String text)
        {
            if (style == Style.JSON)
            {
                out.append('"').append(text).append('"');
            }
            else
            {
                out.append(text);
            }
        }

        private void string(final DirectBuffer buffer, final int index, final int length)
        {
            final StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++)
            {
                final byte b = buffer.getByte(index + i);
                if (b == 0)
                {
                    break;
                }
                text.append((char)(b & 0xFF));
            }
            if (style == Style.JSON)
            {
                out.append('"');
                Types.jsonEscape(text.toString(), out);
                out.append('"');
            }
            else
            {
                out.append(text);
            }
        }
    }
}
