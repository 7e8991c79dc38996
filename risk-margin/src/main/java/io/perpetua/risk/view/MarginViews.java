package io.perpetua.risk.view;

import org.agrona.DirectBuffer;

import java.util.List;
import java.util.function.LongPredicate;

/**
 * The margin views of issue 4, readable from any thread: per account its equity, requirements,
 * margin ratio, free collateral, leverage, and per position the liquidation price and ADL rank
 * quantile. Fed by a {@link JournalTailer} with the events journal; optionally drives a
 * {@link LiquidationMonitor} after each document.
 */
public final class MarginViews implements JournalTailer.Consumer
{
    private final MarginState state = new MarginState();
    private final LiquidationMonitor monitor;

    /** Views only. */
    public MarginViews()
    {
        this(null);
    }

    /** Views that also submit {@code Liquidate} commands through {@code liquidations}. */
    public MarginViews(final LongPredicate liquidations)
    {
        this.monitor = liquidations == null ? null : new LiquidationMonitor(state, liquidations);
    }

    public void onDocument(final DirectBuffer buffer, final int offset, final int length)
    {
        synchronized (state)
        {
            state.onEvents(buffer, offset, length);
            if (monitor != null)
            {
                monitor.afterEvents();
            }
            else
            {
                state.clearSignals();
            }
        }
    }

    /** The account's margin at the current marks, or null if the journal never named it. */
    public AccountView account(final long accountId)
    {
        synchronized (state)
        {
            return state.view(accountId);
        }
    }

    /** The sequence of the last event applied. */
    public long lastSequence()
    {
        synchronized (state)
        {
            return state.lastSequence();
        }
    }

    /** Counters for summaries: fills, liquidation steps, deleverages, insurance fund, open interest (lots), funding ticks. */
    public Summary summary()
    {
        synchronized (state)
        {
            return new Summary(state.lastSequence(), state.fills(), state.liquidationSteps(), state.deleverages(),
                state.insuranceBalance(), state.openInterestLots(), monitor == null ? 0 : monitor.submitted(),
                state.fundingTicks());
        }
    }

    /** Accounts holding a position in a market, ascending. */
    public List<Long> accountsIn(final int marketId)
    {
        synchronized (state)
        {
            return state.accountsIn(marketId);
        }
    }

    /** Totals of the journal so far. */
    public record Summary(
        long sequence, long fills, long liquidationSteps, long deleverages, long insuranceBalance, long openInterestLots,
        long liquidationsSubmitted, long fundingTicks)
    {
    }
}
