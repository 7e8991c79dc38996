package io.perpetua.gateway.marketdata;

import org.agrona.DirectBuffer;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.otf.AbstractTokenListener;
import uk.co.real_logic.sbe.otf.OtfHeaderDecoder;
import uk.co.real_logic.sbe.otf.OtfMessageDecoder;
import uk.co.real_logic.sbe.otf.TokenListener;
import uk.co.real_logic.sbe.xml.IrGenerator;
import uk.co.real_logic.sbe.xml.MessageSchema;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;

import java.io.InputStream;
import java.util.List;

/**
 * The journal schema's IR, loaded from engine-core's schema resource, used to step over messages
 * the gateway does not decode. An events journal entry holds a command's events back to back and some
 * messages carry variable-length data, so skipping one needs its layout; reading the layout from
 * the schema keeps tailers working when schema evolution adds messages.
 */
public final class JournalSchema
{
    private static final String SCHEMA_RESOURCE = "/sbe/perpetua-journal.xml";
    private static final TokenListener IGNORE = new AbstractTokenListener()
    {
    };

    private final Ir ir;
    private final OtfHeaderDecoder header;

    public JournalSchema()
    {
        ir = load();
        header = new OtfHeaderDecoder(ir.headerStructure());
    }

    private static Ir load()
    {
        try (InputStream schema = JournalSchema.class.getResourceAsStream(SCHEMA_RESOURCE))
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

    /**
     * Offset just past the message that starts (with its header) at {@code offset}.
     *
     * @throws IllegalArgumentException for a template the schema does not know
     */
    public int skip(final DirectBuffer buffer, final int offset)
    {
        final int templateId = header.getTemplateId(buffer, offset);
        final List<Token> tokens = header.getSchemaId(buffer, offset) == ir.id() ? ir.getMessage(templateId) : null;
        if (tokens == null)
        {
            throw new IllegalArgumentException("unknown journal message: template " + templateId + " at offset " + offset);
        }
        return OtfMessageDecoder.decode(buffer, offset + header.encodedLength(), header.getSchemaVersion(buffer, offset),
            header.getBlockLength(buffer, offset), tokens, IGNORE);
    }
}
