package io.perpetua.gateway.marketdata;

import java.util.Collection;

/** Receives the market-data deltas, on the tailer thread, while the state's lock is held. */
public interface MarketDataListener
{
    /**
     * The state after the command {@code sequence}, and what that command changed per market
     * (markets it did not touch are absent).
     */
    void onChanges(MarketDataState state, long sequence, Collection<MarketChanges> changes);

    /** The tailer has caught up with the journal. */
    default void onCaughtUp()
    {
    }
}
