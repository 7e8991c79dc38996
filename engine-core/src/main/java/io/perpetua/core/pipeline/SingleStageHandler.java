package io.perpetua.core.pipeline;

import com.lmax.disruptor.EventHandler;

/**
 * Both stages on one thread: stamp and journal the command, then apply it. The ordering guarantee
 * is the same as with two stages (a result follows the journal append); what changes is that
 * journaling and matching no longer overlap, which on a machine with fewer cores than busy
 * threads (publisher, sequencer, core) is the cheaper trade.
 */
final class SingleStageHandler implements EventHandler<CommandSlot>
{
    private final SequencerHandler sequencer;
    private final BusinessHandler business;

    SingleStageHandler(final SequencerHandler sequencer, final BusinessHandler business)
    {
        this.sequencer = sequencer;
        this.business = business;
    }

    @Override
    public void onStart()
    {
        sequencer.onStart();
        business.onStart();
    }

    @Override
    public void onEvent(final CommandSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        sequencer.onEvent(slot, ringSequence, endOfBatch);
        business.onEvent(slot, ringSequence, endOfBatch);
    }

    @Override
    public void onShutdown()
    {
        try
        {
            business.onShutdown();
        }
        finally
        {
            sequencer.onShutdown();
        }
    }
}
