package io.perpetua.core.pipeline;

import com.lmax.disruptor.EventHandler;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalAppender;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Stage 1: gives each command the next sequence number and a timestamp, and appends it to the
 * commands journal, committing one document per ring batch (more if the batch exceeds the document
 * bound). The Disruptor makes a stage's batch visible to the next stage only after the whole batch
 * was handled, so the core sees no command of the batch before the document holding it is written.
 * The clock is read here, once per ring batch or once per command ({@link Stamping}), and nowhere in
 * the engine: the timestamp is journaled, so replay sees the same time. Timestamps never go
 * backwards, across restarts too (they start from the recovered last timestamp).
 */
final class SequencerHandler implements EventHandler<CommandSlot>
{
    private final Journal commands;
    private final EpochNanoClock clock;
    private final Stamping stamping;
    private final Runnable onExit;
    private JournalAppender appender;
    private long lastSequence;
    private long lastTimestampNs;
    /** The next command takes a fresh clock reading: it is the first of a batch, or every command does. */
    private boolean clockDue = true;

    SequencerHandler(
        final Journal commands,
        final EpochNanoClock clock,
        final Stamping stamping,
        final long lastSequence,
        final long lastTimestampNs,
        final Runnable onExit)
    {
        this.commands = commands;
        this.clock = clock;
        this.stamping = stamping;
        this.lastSequence = lastSequence;
        this.lastTimestampNs = lastTimestampNs;
        this.onExit = onExit;
    }

    @Override
    public void onStart()
    {
        if (commands != null)
        {
            appender = commands.appender();
        }
    }

    @Override
    public void onEvent(final CommandSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        if (slot.length == CommandSlot.MALFORMED)
        {
            slot.sequence = 0;
        }
        else
        {
            stampAndAppend(slot);
        }
        if (endOfBatch)
        {
            clockDue = true;
            if (appender != null)
            {
                appender.commit();
            }
        }
    }

    private void stampAndAppend(final CommandSlot slot)
    {
        final long sequence = lastSequence + 1;
        if (clockDue)
        {
            lastTimestampNs = Math.max(clock.nanoTime(), lastTimestampNs);
            clockDue = stamping == Stamping.EACH_COMMAND;
        }
        CommandAdapter.stamp(slot.buffer, 0, sequence, lastTimestampNs);
        if (appender != null)
        {
            appender.append(slot.buffer, 0, slot.length);
        }
        slot.sequence = sequence;
        lastSequence = sequence;
    }

    @Override
    public void onShutdown()
    {
        try
        {
            if (appender != null)
            {
                appender.close();
            }
        }
        finally
        {
            onExit.run();
        }
    }
}
