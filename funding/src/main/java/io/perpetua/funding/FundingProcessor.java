package io.perpetua.funding;

import io.perpetua.core.sbe.BooleanType;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.FundingPaymentDecoder;
import io.perpetua.core.sbe.FundingTickAppliedDecoder;
import io.perpetua.core.sbe.MarkPriceUpdatedDecoder;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderExpiredDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
import io.perpetua.core.sbe.RiskConfiguredDecoder;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.view.JournalTailer;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The funding processor of MECHANICS §4, a journal tailer outside the core. From the events alone
 * it keeps each market's book and index (the oracle mark), samples the premium at every multiple
 * of {@code sampleInterval} and, at every multiple of {@code fundingInterval}, turns the period's
 * average premium into an 8-hour rate and submits a {@code FundingTick} for the period.
 *
 * <p>Time is the command time the events carry, never the wall clock: a boundary {@code b} is
 * crossed by the first events entry stamped at or after {@code b}, and its sample sees the
 * book as every earlier command left it. The schedule of a market starts at the command that
 * configured it. So a processor reading the same journal computes the same samples and rates,
 * and a restarted one, which reads the journal again from its start, rebuilds exactly the state
 * of the one before. Ticks are submitted only when the reader has caught up with the journal,
 * and only for periods after the last {@code FundingTickApplied} it read, so a restart neither
 * skips a period nor submits one the core already applied; the core also refuses a tick for a
 * period at or before its last ({@code FUNDING_TICK_NOT_NEW}), which settles the race of a tick
 * submitted but not yet journaled when the processor stopped.
 *
 * <p>Owned by the tailer's thread; {@link #history()} is safe to read from others.
 */
public final class FundingProcessor implements JournalTailer.Consumer
{
    /** Publishes a FundingTick command; false if it could not be accepted for sequencing (retried later). */
    @FunctionalInterface
    public interface Submitter
    {
        boolean submit(int marketId, long rate8hPpb, long fundingTimeNs);
    }

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MarketConfiguredDecoder marketConfigured = new MarketConfiguredDecoder();
    private final RiskConfiguredDecoder riskConfigured = new RiskConfiguredDecoder();
    private final MarkPriceUpdatedDecoder markPrice = new MarkPriceUpdatedDecoder();
    private final OrderRestedDecoder rested = new OrderRestedDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final OrderCancelledDecoder cancelled = new OrderCancelledDecoder();
    private final OrderExpiredDecoder expired = new OrderExpiredDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final FundingTickAppliedDecoder tickApplied = new FundingTickAppliedDecoder();
    private final FundingPaymentDecoder payment = new FundingPaymentDecoder();

    private final IntFunction<FundingConfig> configs;
    private final Submitter submitter;
    private final FundingHistory history = new FundingHistory();
    private final Map<Integer, Schedule> markets = new TreeMap<>();
    private final ArrayDeque<DueTick> due = new ArrayDeque<>();
    private long submitted;

    /** A market's book view, its configuration and where it stands in its sampling and funding periods. */
    private static final class Schedule
    {
        final BookView book;
        final FundingConfig config;
        long nextSampleNs;
        long nextFundingNs;
        long premiumSumPpb;
        long samples;
        long lastAppliedNs;

        Schedule(final BookView book, final FundingConfig config, final long startNs)
        {
            this.book = book;
            this.config = config;
            this.nextSampleNs = nextMultiple(startNs, config.sampleIntervalNs());
            this.nextFundingNs = nextMultiple(startNs, config.fundingIntervalNs());
        }
    }

    /** A tick computed at its period's end, waiting to be submitted. */
    private record DueTick(int marketId, long rate8hPpb, long fundingTimeNs)
    {
    }

    /**
     * @param configs   the funding parameters of each market id (called once per market, when it is configured)
     * @param submitter where FundingTick commands go
     */
    public FundingProcessor(final IntFunction<FundingConfig> configs, final Submitter submitter)
    {
        this.configs = configs;
        this.submitter = submitter;
    }

    public FundingHistory history()
    {
        return history;
    }

    /** FundingTick commands this instance submitted. */
    public long submitted()
    {
        return submitted;
    }

    /** The processor's view of a market, or null if not configured (for tests and benchmarks). */
    public BookView book(final int marketId)
    {
        final Schedule schedule = markets.get(marketId);
        return schedule == null ? null : schedule.book;
    }

    /** Ticks computed but not yet submitted. */
    public int pendingTicks()
    {
        return due.size();
    }

    public void onDocument(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + 16)
        {
            return;
        }
        // Every event starts with (sequence, timestampNs) of the command that caused it.
        final long timestampNs = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + 8, ByteOrder.LITTLE_ENDIAN);
        advanceTo(timestampNs);
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            header.wrap(buffer, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            final int block = header.blockLength();
            final int version = header.version();
            int messageLength = MessageHeaderDecoder.ENCODED_LENGTH + block;
            switch (header.templateId())
            {
                case MarketConfiguredDecoder.TEMPLATE_ID:
                {
                    final MarketConfiguredDecoder d = marketConfigured.wrap(buffer, body, block, version);
                    final int marketId = d.marketId();
                    if (!markets.containsKey(marketId))
                    {
                        final long qptl = d.tickSize() * d.lotSize() / FixedPoint.powerOfTen(d.quoteScaleExponent());
                        markets.put(marketId, new Schedule(new BookView(marketId, d.tickSize(), d.lotSize(), qptl),
                            configs.apply(marketId), timestampNs));
                    }
                    messageLength += MarketConfiguredDecoder.symbolHeaderLength() + d.symbolLength();
                    break;
                }
                case RiskConfiguredDecoder.TEMPLATE_ID:
                {
                    final RiskConfiguredDecoder d = riskConfigured.wrap(buffer, body, block, version);
                    book(d.marketId()).margins(d.initialMarginPpm(), d.maintenanceMarginPpm());
                    break;
                }
                case MarkPriceUpdatedDecoder.TEMPLATE_ID:
                {
                    final MarkPriceUpdatedDecoder d = markPrice.wrap(buffer, body, block, version);
                    final BookView book = book(d.marketId());
                    book.markTicks(d.price() / book.tickSize());
                    break;
                }
                case OrderRestedDecoder.TEMPLATE_ID:
                {
                    final OrderRestedDecoder d = rested.wrap(buffer, body, block, version);
                    rest(d.marketId(), d.side(), d.price(), d.size());
                    break;
                }
                case FillDecoder.TEMPLATE_ID:
                {
                    final FillDecoder d = fill.wrap(buffer, body, block, version);
                    rest(d.marketId(), d.aggressorSide() == Side.BUY ? Side.SELL : Side.BUY, d.price(), -d.size());
                    break;
                }
                case OrderCancelledDecoder.TEMPLATE_ID:
                {
                    final OrderCancelledDecoder d = cancelled.wrap(buffer, body, block, version);
                    if (d.wasResting() == BooleanType.TRUE)
                    {
                        rest(d.marketId(), d.side(), d.price(), -d.remainingSize());
                    }
                    break;
                }
                case OrderExpiredDecoder.TEMPLATE_ID:
                {
                    final OrderExpiredDecoder d = expired.wrap(buffer, body, block, version);
                    rest(d.marketId(), d.side(), d.price(), -d.remainingSize());
                    break;
                }
                case OrderAmendedDecoder.TEMPLATE_ID:
                {
                    final OrderAmendedDecoder d = amended.wrap(buffer, body, block, version);
                    // Priority kept: shrunk in place. Otherwise the order left the book; a rest follows if it stays.
                    rest(d.marketId(), d.side(), d.oldPrice(), d.priorityKept() == BooleanType.TRUE ?
                        d.newSize() - d.oldSize() : -d.oldSize());
                    break;
                }
                case FundingTickAppliedDecoder.TEMPLATE_ID:
                {
                    final FundingTickAppliedDecoder d = tickApplied.wrap(buffer, body, block, version);
                    final Schedule schedule = markets.get(d.marketId());
                    schedule.lastAppliedNs = Math.max(schedule.lastAppliedNs, d.fundingTimeNs());
                    history.add(new FundingHistory.Tick(d.sequence(), d.marketId(), d.fundingTimeNs(), d.rate8hPpb(),
                        d.markPrice(), d.fundingIndex()));
                    break;
                }
                case FundingPaymentDecoder.TEMPLATE_ID:
                {
                    final FundingPaymentDecoder d = payment.wrap(buffer, body, block, version);
                    history.add(new FundingHistory.Payment(d.sequence(), d.timestampNs(), d.accountId(), d.marketId(),
                        d.amount(), d.size(), d.fundingIndex(), d.balance()));
                    break;
                }
                default:
                    break;
            }
            position += messageLength;
        }
    }

    /** Submits the ticks that came due, except those the journal shows applied already. */
    public void onCaughtUp()
    {
        for (final Iterator<DueTick> it = due.iterator(); it.hasNext(); )
        {
            final DueTick tick = it.next();
            if (tick.fundingTimeNs() <= markets.get(tick.marketId()).lastAppliedNs)
            {
                it.remove();
                continue;
            }
            if (!submitter.submit(tick.marketId(), tick.rate8hPpb(), tick.fundingTimeNs()))
            {
                return;
            }
            submitted++;
            it.remove();
        }
    }

    /** Takes every sample and closes every funding period whose boundary is at or before {@code nowNs}. */
    private void advanceTo(final long nowNs)
    {
        for (final Schedule schedule : markets.values())
        {
            final FundingConfig config = schedule.config;
            while (schedule.nextSampleNs <= nowNs)
            {
                final long boundary = schedule.nextSampleNs;
                if (schedule.book.markTicks() > 0)
                {
                    schedule.premiumSumPpb += schedule.book.premiumPpb(config.impactNotional());
                    schedule.samples++;
                }
                if (boundary == schedule.nextFundingNs)
                {
                    closePeriod(schedule);
                    schedule.nextFundingNs += config.fundingIntervalNs();
                }
                schedule.nextSampleNs += config.sampleIntervalNs();
            }
        }
    }

    /** A period without a single sample (no index yet) has no rate and no tick. */
    private void closePeriod(final Schedule schedule)
    {
        if (schedule.samples > 0)
        {
            final BookView book = schedule.book;
            final FundingConfig config = schedule.config;
            final long rate = FundingRate.rate8hPpb(FundingRate.averagePpb(schedule.premiumSumPpb, schedule.samples),
                config.interestPpb(), config.capPpb(book.initialMarginPpm(), book.maintenanceMarginPpm()));
            due.add(new DueTick(book.marketId(), rate, schedule.nextFundingNs));
        }
        schedule.premiumSumPpb = 0;
        schedule.samples = 0;
    }

    private void rest(final int marketId, final Side side, final long price, final long size)
    {
        final BookView book = book(marketId);
        book.add(side, price / book.tickSize(), size / book.lotSize());
    }

    /** The first multiple of {@code interval} strictly after {@code timeNs}. */
    static long nextMultiple(final long timeNs, final long interval)
    {
        return Math.floorDiv(timeNs, interval) * interval + interval;
    }
}
