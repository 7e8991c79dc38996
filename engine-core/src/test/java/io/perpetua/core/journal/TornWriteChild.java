package io.perpetua.core.journal;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process the torn-document tests kill mid-write: opens a journal document, writes the header and
 * half an entry, and halts the JVM with the document open, as a crash inside
 * {@link JournalAppender#commit()} would leave it.
 */
public final class TornWriteChild
{
    public static final int EXIT_HALTED = 77;

    private TornWriteChild()
    {
    }

    /** The command line of a child that tears a document holding a heartbeat of {@code sequence} in {@code directory}. */
    public static List<String> command(final Path directory, final long sequence)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports") || argument.startsWith("-Dchronicle."))
            {
                command.add(argument);
            }
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TornWriteChild.class.getName());
        command.add(directory.toString());
        command.add(Long.toString(sequence));
        return command;
    }

    public static void main(final String[] args)
    {
        final UnsafeBuffer entry = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);
        final int length = new CommandEncoder().heartbeat(entry, 0);
        CommandAdapter.stamp(entry, 0, Long.parseLong(args[1]), 0);
        final Journal journal = Journal.open(Path.of(args[0]));
        final SingleChronicleQueue queue = journal.queue();
        final ExcerptAppender appender = queue.createAppender();
        final DocumentContext context = appender.writingDocument();
        final UnsafeBuffer torn = new UnsafeBuffer(new byte[JournalFormat.DOCUMENT_HEADER_LENGTH + 4 + length / 2]);
        torn.putInt(0, JournalFormat.MAGIC, ByteOrder.LITTLE_ENDIAN);
        torn.putInt(4, JournalFormat.VERSION, ByteOrder.LITTLE_ENDIAN);
        torn.putInt(8, length, ByteOrder.LITTLE_ENDIAN);
        torn.putBytes(12, entry, 0, length / 2);
        context.wire().bytes().write(torn.byteArray());
        Runtime.getRuntime().halt(EXIT_HALTED);
    }
}
