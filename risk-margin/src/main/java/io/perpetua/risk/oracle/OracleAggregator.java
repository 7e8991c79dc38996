package io.perpetua.risk.oracle;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Collects one market's signed source prices outside the core and hands a {@link SignedPriceSet} to a
 * {@link Sink} (which encodes it as an oracle price command) whenever a quorum of sources has a fresh
 * observation the aggregator has not submitted before.
 *
 * <p>An observation is used when it is for this market, has a positive price, is newer than the last
 * one submitted from its source, is no older than {@code maxAgeNs} and no further ahead than the
 * config's future skew, and carries a valid signature. The core rejects a whole command for one bad
 * observation, so the aggregator checks them all first; sources that fail are left out, not submitted.
 * Because every submitted observation is newer than its source's previous one, the same set is never
 * submitted twice and, while this aggregator is the market's only submitter, the core never finds one of
 * its observations replayed. (A restarted aggregator may resubmit an observation the core already
 * accepted; that command is rejected as {@code REPLAYED} and the next round with newer observations
 * goes through.)
 *
 * <p>It is an Agrona {@link Agent} (each duty cycle reads the clock and {@link #poll}s) or can be
 * driven directly through {@link #poll(long)} with any time, as tests and the demo do. The wall clock
 * is allowed here: the decision is journaled as a command, and the core re-checks it against the
 * command's timestamp. Owned by one thread.
 */
public final class OracleAggregator implements Agent
{
    /** Receives the sets to submit; returns false if it cannot take one now (it is offered again). */
    @FunctionalInterface
    public interface Sink
    {
        boolean offer(SignedPriceSet set);
    }

    private final OracleConfig config;
    private final PriceSource[] sources;
    private final long maxAgeNs;
    private final EpochNanoClock clock;
    private final Sink sink;
    private final long[] lastSubmittedNs;
    private final SignedPrice[] lastChecked;
    private final boolean[] lastCheckedValid;
    private final int[] usableSources;
    private final SignedPrice[] usablePrices;
    private long submittedSets;
    private long rejectedObservations;

    /**
     * @param sources  one per source of {@code config}, in the config's order
     * @param maxAgeNs oldest observation to use, at most the config's validity window; leave a margin
     *                 for the time a command takes to reach the sequencer
     * @param clock    read once per duty cycle when run as an {@link Agent}
     */
    public OracleAggregator(
        final OracleConfig config,
        final List<? extends PriceSource> sources,
        final long maxAgeNs,
        final EpochNanoClock clock,
        final Sink sink)
    {
        if (sources.size() != config.sourceCount())
        {
            throw new IllegalArgumentException("market " + config.marketId() + " has " + config.sourceCount() +
                " oracle sources, given " + sources.size());
        }
        if (maxAgeNs <= 0 || maxAgeNs > config.validityWindowNs())
        {
            throw new IllegalArgumentException("maxAgeNs must be in (0, " + config.validityWindowNs() +
                "], the validity window, not " + maxAgeNs);
        }
        this.config = config;
        this.sources = sources.toArray(new PriceSource[0]);
        this.maxAgeNs = maxAgeNs;
        this.clock = clock;
        this.sink = sink;
        lastSubmittedNs = new long[this.sources.length];
        Arrays.fill(lastSubmittedNs, Long.MIN_VALUE);
        lastChecked = new SignedPrice[this.sources.length];
        lastCheckedValid = new boolean[this.sources.length];
        usableSources = new int[this.sources.length];
        usablePrices = new SignedPrice[this.sources.length];
    }

    @Override
    public int doWork()
    {
        return poll(clock.nanoTime()) ? 1 : 0;
    }

    @Override
    public String roleName()
    {
        return "oracle-aggregator-" + config.marketId();
    }

    /**
     * Collects the sources' latest observations as of {@code nowNs} and offers a set if a quorum of them
     * is usable.
     *
     * @return true iff a set was taken by the sink
     */
    public boolean poll(final long nowNs)
    {
        final long oldestNs = Saturating.subtract(nowNs, maxAgeNs);
        final long newestNs = Saturating.add(nowNs, config.maxFutureSkewNs());
        int usable = 0;
        for (int source = 0; source < sources.length; source++)
        {
            final Optional<SignedPrice> latest = sources[source].latest();
            if (latest.isEmpty())
            {
                continue;
            }
            final SignedPrice price = latest.get();
            final long timestampNs = price.timestampNs();
            if (timestampNs <= lastSubmittedNs[source] || timestampNs < oldestNs || timestampNs > newestNs)
            {
                continue;
            }
            if (isValid(source, price))
            {
                usableSources[usable] = source;
                usablePrices[usable] = price;
                usable++;
            }
        }
        if (usable < config.quorum())
        {
            return false;
        }
        final SignedPriceSet set = new SignedPriceSet(
            config.marketId(), Arrays.copyOf(usableSources, usable), Arrays.copyOf(usablePrices, usable));
        if (!sink.offer(set))
        {
            return false;
        }
        for (int i = 0; i < set.count(); i++)
        {
            lastSubmittedNs[set.sourceIndex(i)] = set.timestampNs(i);
        }
        submittedSets++;
        return true;
    }

    /** Sets the sink has taken. */
    public long submittedSets()
    {
        return submittedSets;
    }

    /** Distinct observations left out for a wrong market, a non-positive price or a bad signature. */
    public long rejectedObservations()
    {
        return rejectedObservations;
    }

    /** Checks an observation once; a source returning the same instance again is not re-verified. */
    private boolean isValid(final int source, final SignedPrice price)
    {
        if (price != lastChecked[source])
        {
            lastChecked[source] = price;
            lastCheckedValid[source] = price.marketId() == config.marketId() && price.priceTicks() > 0 &&
                price.isSignedBy(config.sourcePublicKey(source));
            if (!lastCheckedValid[source])
            {
                rejectedObservations++;
            }
        }
        return lastCheckedValid[source];
    }
}
