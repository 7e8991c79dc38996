package io.perpetua.node;

import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.JournalReader;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Prints a journal directory's commands, each followed by the events it caused, one line per
 * message: the operator's and scripts' view of what the exchange did. Both journals are read entry
 * by entry and positioned at {@code --from} by {@link JournalReader#seekAfter}, without reading
 * what comes before.
 */
final class JournalDump
{
    private final MessageFormatter formatter = new MessageFormatter();
    private final StringBuilder line = new StringBuilder(512);

    /**
     * @param fromSequence first command to print
     * @param limit        most lines to print, 0 for no limit
     * @return lines printed
     */
    long dump(final Path root, final long fromSequence, final long limit, final MessageFormatter.Style style, final PrintWriter out)
    {
        final JournalLayout layout = new JournalLayout(root);
        if (!layout.hasCommandsJournal())
        {
            throw new IllegalArgumentException("no commands journal under " + layout.root());
        }
        final boolean hasEvents = java.nio.file.Files.isDirectory(layout.eventsDir());
        long lines = 0;
        try (Journal commands = Journal.open(layout.commandsDir());
            Journal events = hasEvents ? Journal.open(layout.eventsDir()) : null;
            JournalReader commandReader = commands.reader();
            JournalReader eventReader = events != null ? events.reader() : null)
        {
            commandReader.seekAfter(fromSequence - 1);
            if (eventReader != null)
            {
                eventReader.seekAfter(fromSequence - 1);
            }
            boolean pending = eventReader != null && eventReader.next();
            while (commandReader.next() && (limit == 0 || lines < limit))
            {
                final long sequence = commandReader.sequence();
                if (sequence < fromSequence)
                {
                    continue;
                }
                lines += print(commandReader, "command", style, out, limit == 0 ? Long.MAX_VALUE : limit - lines);
                while (pending && eventReader.sequence() < sequence)
                {
                    pending = eventReader.next();
                }
                if (pending && eventReader.sequence() == sequence && (limit == 0 || lines < limit))
                {
                    lines += print(eventReader, "event", style, out, limit == 0 ? Long.MAX_VALUE : limit - lines);
                    pending = eventReader.next();
                }
            }
        }
        out.flush();
        return lines;
    }

    private long print(
        final JournalReader reader, final String kind, final MessageFormatter.Style style, final PrintWriter out, final long maxLines)
    {
        long printed = 0;
        int offset = 0;
        while (offset < reader.length() && printed < maxLines)
        {
            line.setLength(0);
            if (style == MessageFormatter.Style.TEXT && kind.equals("event"))
            {
                line.append("  ");
            }
            offset = formatter.format(reader.buffer(), offset, kind, style, line);
            out.println(line);
            printed++;
        }
        return printed;
    }
}
