package io.perpetua.core.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The layout of a journal document, version 1. A Chronicle document holds many entries, so that
 * the per-document cost of Chronicle (write lock, header, index) is paid once per ring batch rather
 * than once per command:
 *
 * <pre>
 * document: int magic "PJNL" | int format version | entry | entry | ...
 * entry:    int length (> 0) | length bytes: one command (commands journal), or all the events of
 *                              one command back to back (events journal)
 * </pre>
 *
 * Integers are little-endian, like the SBE messages. Every entry starts with its command's
 * sequence number (the first field of every journal message), entries are in sequence order within
 * and across documents, and a document is written whole or not at all (Chronicle commits it
 * atomically), so a crash loses whole uncommitted documents and never half an entry.
 */
public final class JournalFormat
{
    /** "PJNL" read as a little-endian int: every document starts with it. */
    public static final int MAGIC = 'P' | 'J' << 8 | 'N' << 16 | 'L' << 24;
    /** The format this build writes and the only one it reads. */
    public static final int VERSION = 1;
    /** Bytes of the document header: magic and version. */
    public static final int DOCUMENT_HEADER_LENGTH = 8;
    /** Bytes of an entry's length prefix. */
    public static final int ENTRY_HEADER_LENGTH = 4;
    /**
     * Default bound of a document: a batch larger than this is split over several documents (an
     * entry is never split; a single entry larger than the bound gets a document of its own).
     */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024;

    static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int VERSION_OFFSET = 4;

    private JournalFormat()
    {
    }

    static void writeDocumentHeader(final MutableDirectBuffer buffer)
    {
        buffer.putInt(0, MAGIC, BYTE_ORDER);
        buffer.putInt(VERSION_OFFSET, VERSION, BYTE_ORDER);
    }

    /**
     * Checks a document's header.
     *
     * @throws UnsupportedJournalFormatException if it is not a version-1 Perpetua document
     */
    static void checkDocumentHeader(final DirectBuffer document, final int length, final long index)
    {
        if (length < DOCUMENT_HEADER_LENGTH || document.getInt(0, BYTE_ORDER) != MAGIC)
        {
            throw new UnsupportedJournalFormatException("journal document at Chronicle index " + Long.toHexString(index) +
                " does not start with the Perpetua journal header (magic \"PJNL\"): the journal was written by a build " +
                "older than journal format version " + VERSION + " or is not a Perpetua journal");
        }
        final int version = document.getInt(VERSION_OFFSET, BYTE_ORDER);
        if (version != VERSION)
        {
            throw new UnsupportedJournalFormatException("journal document at Chronicle index " + Long.toHexString(index) +
                " has journal format version " + version + "; this build reads only version " + VERSION);
        }
    }

    /** Thrown by readers for a document of a format this build cannot read. */
    public static final class UnsupportedJournalFormatException extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        UnsupportedJournalFormatException(final String message)
        {
            super(message);
        }
    }
}
