package io.perpetua.core.pipeline;

import com.lmax.disruptor.EventHandler;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalAppender;
import org.agrona.ErrorHandler;

/**
 * Stage 2, the core thread: applies each journaled command to the engine, stages its events for the
 * events journal and hands them to the submitter; the events of a batch are committed as one
 * document at its end. It runs strictly after the sequencer has committed the command's document,
 * so no result leaves before its command is durable. Events may reach the events journal a batch
 * later than the result: a crash in between loses them, and recovery re-derives them from the
 * commands. The engine is touched by no other thread while this runs.
 */
final class BusinessHandler implements EventHandler<CommandSlot>
{
    private final MatchingEngine engine;
    private final CommandAdapter adapter;
    private final EventPublisher events;
    private final Journal eventsJournal;
    private final ErrorHandler errorHandler;
    private final Pipeline pipeline;
    private JournalAppender appender;

    BusinessHandler(
        final MatchingEngine engine, final Journal eventsJournal, final ErrorHandler errorHandler, final Pipeline pipeline)
    {
        this.engine = engine;
        this.adapter = new CommandAdapter(engine);
        this.events = engine.events();
        this.eventsJournal = eventsJournal;
        this.errorHandler = errorHandler;
        this.pipeline = pipeline;
    }

    @Override
    public void onStart()
    {
        if (eventsJournal != null)
        {
            appender = eventsJournal.appender();
        }
    }

    @Override
    public void onEvent(final CommandSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        handle(slot);
        if (endOfBatch && appender != null)
        {
            appender.commit();
        }
    }

    private void handle(final CommandSlot slot)
    {
        final ResultListener listener = slot.listener;
        slot.listener = null;
        if (slot.length == CommandSlot.MALFORMED)
        {
            try
            {
                MalformedReply.send(slot.buffer, 0, slot.buffer.capacity(), listener, slot.correlationId);
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
            return;
        }
        adapter.apply(slot.buffer, 0, slot.length);
        final int length = events.length();
        if (length > 0)
        {
            if (appender != null)
            {
                appender.append(events.buffer(), 0, length);
            }
            pipeline.onEventsApplied(slot.sequence);
        }
        try
        {
            listener.onResult(slot.correlationId, slot.sequence, events.buffer(), 0, length);
        }
        catch (final RuntimeException ex)
        {
            // A faulty submitter must not stop the exchange: the command is applied and journaled.
            errorHandler.onError(ex);
        }
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
            pipeline.onCoreExit(engine.stateHash(), engine.lastSequence());
        }
    }
}
