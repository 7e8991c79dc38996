package io.perpetua.bench.gateway;

import io.perpetua.gateway.marketdata.MarketChanges;
import io.perpetua.gateway.marketdata.MarketDataListener;
import io.perpetua.gateway.marketdata.MarketDataState;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The sequencer's timestamp of each command that changed market data, by sequence number, taken
 * from the gateway's market-data state as it applies the command: the time the command entered the
 * engine on the clock the clients share. Kept in a ring of the latest {@link #CAPACITY} commands.
 */
final class CommandTimes implements MarketDataListener
{
    static final int CAPACITY = 1 << 22;
    /** Pairs: [2i] the sequence (written last), [2i + 1] its timestamp. */
    private final AtomicLongArray slots = new AtomicLongArray(2 * CAPACITY);

    @Override
    public void onChanges(final MarketDataState state, final long sequence, final Collection<MarketChanges> changes)
    {
        final int slot = (int)(sequence & (CAPACITY - 1));
        slots.lazySet(2 * slot + 1, state.timestampNs());
        slots.set(2 * slot, sequence);
    }

    /** The command's timestamp, or -1 if it is not (or no longer) known. */
    long timestampNs(final long sequence)
    {
        final int slot = (int)(sequence & (CAPACITY - 1));
        return slots.get(2 * slot) == sequence ? slots.get(2 * slot + 1) : -1;
    }
}
