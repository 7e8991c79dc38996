package io.perpetua.core.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The layout of a journal document. A Chronicle document holds many entries, so that the
 * per-document cost of Chronicle (write lock, header, index) is paid once per ring batch rather than
 * once per command:
 *
 * <pre>
 * document: int magic "PJNL" | int format version | entry | entry | ...
 * entry:    int length (> 0) | length bytes: one command (commands journal), or all the events of
 *                              one command back to back (events journal)
 *         | int 0x80000000 | 32 (a spilled entry, version 2 only) | the entry's first 24 bytes
 *                              | int its length | int its CRC-32C
 * </pre>
 *
 * Integers are little-endian, like the SBE messages. Every entry starts with its command's
 * sequence number (the first field of every journal message), entries are in sequence order within
 * and across documents, and a document is written whole or not at all (Chronicle commits it
 * atomically), so a crash loses whole uncommitted documents and never half an entry.
 *
 * <p>An entry too large for a document (Chronicle maps only its overlap, a quarter of a block, past
 * the start of a chunk) is <b>spilled</b>: its bytes go to {@code spilled/<sequence>.entry} in the
 * queue's directory, written whole and renamed into place before the document that refers to it is
 * committed, and the document holds a stub in its place: the entry's first 24 bytes (message header,
 * sequence and time, so that seeks read the sequence as for any entry), its length and its checksum.
 * A document with a stub has version 2, which a build that knows only version 1 refuses clearly.
 */
public final class JournalFormat
{
    /** "PJNL" read as a little-endian int: every document starts with it. */
    public static final int MAGIC = 'P' | 'J' << 8 | 'N' << 16 | 'L' << 24;
    /** The format of a document without spilled entries. */
    public static final int VERSION = 1;
    /** The format of a document holding at least one spilled entry's stub; this build reads both. */
    public static final int SPILL_VERSION = 2;
    /** Marks an entry's length field as a spilled entry's stub (the low bits hold the stub's length). */
    static final int SPILLED = Integer.MIN_VALUE;
    /** Bytes of a spilled entry kept in its stub: message header, sequence and time. */
    static final int SPILLED_PREFIX_LENGTH = 24;
    /** Bytes of a stub: the prefix, the entry's length and its CRC-32C. */
    static final int STUB_LENGTH = SPILLED_PREFIX_LENGTH + 2 * Integer.BYTES;
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

    /** Marks a document being written as holding a spilled entry's stub. */
    static void markSpilled(final MutableDirectBuffer buffer)
    {
        buffer.putInt(VERSION_OFFSET, SPILL_VERSION, BYTE_ORDER);
    }

    /** Where the entry of a sequence spills, under the queue's directory. */
    static Path spillFile(final Path queueDirectory, final long sequence)
    {
        return queueDirectory.resolve("spilled").resolve(String.format("%020d.entry", sequence));
    }

    /**
     * Checks a document's header.
     *
     * @throws UnsupportedJournalFormatException if it is not a version-1 or version-2 Perpetua document
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
        if (version != VERSION && version != SPILL_VERSION)
        {
            throw new UnsupportedJournalFormatException("journal document at Chronicle index " + Long.toHexString(index) +
                " has journal format version " + version + "; this build reads versions " + VERSION + " and " + SPILL_VERSION);
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
