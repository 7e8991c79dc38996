package io.perpetua.core.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;

/**
 * Both stages on one thread: stamp and journal the commands of a ring batch, commit their document,
 * then apply and answer them. The ordering guarantee is the same as with two stages (a result
 * follows the commit of its command's document); what changes is that journaling and matching no
 * longer overlap, which on a machine with fewer cores than busy threads (publisher, sequencer,
 * core) is the cheaper trade.
 */
final class SingleStageHandler implements EventHandler<CommandSlot>
{
    private final SequencerHandler sequencer;
    private final BusinessHandler business;
    private final RingBuffer<CommandSlot> ring;
    /** Ring sequence of the first command of the batch being journaled, -1 between batches. */
    private long batchStart = -1;

    SingleStageHandler(final SequencerHandler sequencer, final BusinessHandler business, final RingBuffer<CommandSlot> ring)
    {
        this.sequencer = sequencer;
        this.business = business;
        this.ring = ring;
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
        if (batchStart < 0)
        {
            batchStart = ringSequence;
        }
        // Commits the commands' document at the end of the batch.
        sequencer.onEvent(slot, ringSequence, endOfBatch);
        if (endOfBatch)
        {
            final long start = batchStart;
            batchStart = -1;
            // The slots stay ours until this handler returns from the end of the batch.
            for (long s = start; s <= ringSequence; s++)
            {
                business.onEvent(ring.get(s), s, s == ringSequence);
            }
        }
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
