package io.perpetua.funding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The funding history the events journal records, queryable from any thread: per market the
 * rate, mark and index of every applied tick; per account every payment its positions settled.
 */
public final class FundingHistory
{
    /** An applied tick; prices in price units, the index in {@code 1 / Funding.INDEX_SCALE} quantum per lot. */
    public record Tick(long sequence, int marketId, long fundingTimeNs, long rate8hPpb, long markPrice, long fundingIndex)
    {
    }

    /** A settled payment: {@code amount} is the change of the account's balance (negative: it paid). */
    public record Payment(
        long sequence, long timestampNs, long accountId, int marketId, long amount, long size, long fundingIndex,
        long balance)
    {
    }

    private final Map<Integer, List<Tick>> ticks = new TreeMap<>();
    private final Map<Long, List<Payment>> payments = new TreeMap<>();

    synchronized void add(final Tick tick)
    {
        ticks.computeIfAbsent(tick.marketId(), id -> new ArrayList<>()).add(tick);
    }

    synchronized void add(final Payment payment)
    {
        payments.computeIfAbsent(payment.accountId(), id -> new ArrayList<>()).add(payment);
    }

    /** The market's ticks, oldest first (a copy). */
    public synchronized List<Tick> ticks(final int marketId)
    {
        return new ArrayList<>(ticks.getOrDefault(marketId, List.of()));
    }

    /** The account's payments in journal order (a copy). */
    public synchronized List<Payment> payments(final long accountId)
    {
        return new ArrayList<>(payments.getOrDefault(accountId, List.of()));
    }

    /** Ticks applied in all markets. */
    public synchronized long tickCount()
    {
        long count = 0;
        for (final List<Tick> market : ticks.values())
        {
            count += market.size();
        }
        return count;
    }

    /** Sum of the account's payments in a market (its funding PnL there). */
    public synchronized long total(final long accountId, final int marketId)
    {
        long total = 0;
        for (final Payment payment : payments.getOrDefault(accountId, List.of()))
        {
            if (payment.marketId() == marketId)
            {
                total += payment.amount();
            }
        }
        return total;
    }
}
