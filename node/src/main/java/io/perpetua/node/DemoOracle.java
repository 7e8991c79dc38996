package io.perpetua.node;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.risk.oracle.OracleAggregator;
import io.perpetua.risk.oracle.OracleConfig;
import io.perpetua.risk.oracle.SignedPriceSet;
import io.perpetua.risk.oracle.SimulatedPricePath;
import io.perpetua.risk.oracle.SimulatedPriceSource;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The demo's oracle: per market three simulated sources on a seeded price path with a sharp drop
 * every 45 seconds (8%, the first 15 seconds in), and an {@link OracleAggregator} that turns a
 * fresh quorum of their signed prices into an {@code OraclePrice} command. It runs outside the
 * core, on the demo's driving thread, and uses the wall clock as a real feed would; the core
 * verifies every signature and the window against the command's own timestamp.
 */
final class DemoOracle
{
    static final int SOURCES = 3;
    static final int QUORUM = 2;
    static final long VALIDITY_WINDOW_NS = 10_000_000_000L;
    static final int MAX_MOVE_PPM = 150_000;
    static final long MOVE_WINDOW_NS = 1_000_000_000L;
    static final long STALE_AFTER_NS = 30_000_000_000L;
    private static final long MAX_AGE_NS = 5_000_000_000L;

    private final AccountCommandEncoder encoder = new AccountCommandEncoder();
    private final List<Feed> feeds = new ArrayList<>();
    private MutableDirectBuffer target;
    private IntConsumer publisher;
    private final long[] lastMedian;

    private final class Feed
    {
        final DemoMarket market;
        final List<SimulatedPriceSource> sources;
        final OracleConfig config;
        final OracleAggregator aggregator;

        Feed(final DemoMarket market, final long seed, final long originNs)
        {
            this.market = market;
            final SimulatedPricePath path = SimulatedPricePath.builder(market.marketId(), market.referencePrice(), originNs,
                seed * 31 + market.marketId()).build();
            sources = SimulatedPriceSource.forPath(path, SOURCES, seed, 200);
            final List<byte[]> keys = new ArrayList<>();
            for (final SimulatedPriceSource source : sources)
            {
                keys.add(source.publicKey());
            }
            config = OracleConfig.builder(market.marketId(), keys).quorum(QUORUM).validityWindowNs(VALIDITY_WINDOW_NS)
                .maxMovePpm(MAX_MOVE_PPM).moveWindowNs(MOVE_WINDOW_NS).staleAfterNs(STALE_AFTER_NS).build();
            aggregator = new OracleAggregator(config, sources, MAX_AGE_NS, new SystemEpochNanoClock(), this::submit);
        }

        private boolean submit(final SignedPriceSet set)
        {
            final int count = set.count();
            final int[] indexes = new int[count];
            final long[] prices = new long[count];
            final long[] times = new long[count];
            final byte[][] signatures = new byte[count][64];
            for (int i = 0; i < count; i++)
            {
                indexes[i] = set.sourceIndex(i);
                prices[i] = set.priceTicks(i);
                times[i] = set.timestampNs(i);
                set.signature(i, signatures[i]);
            }
            final long[] sorted = prices.clone();
            Arrays.sort(sorted);
            lastMedian[market.marketId() - 1] = sorted[(count - 1) / 2];
            publisher.accept(encoder.oraclePrice(target, 0, market.marketId(), count, indexes, prices, times, signatures));
            return true;
        }
    }

    DemoOracle(final DemoMarket[] markets, final long seed, final long originNs)
    {
        lastMedian = new long[markets.length];
        for (final DemoMarket market : markets)
        {
            feeds.add(new Feed(market, seed, originNs));
        }
    }

    /** Encodes the ConfigureOracle command of a market's feed into {@code buffer}. */
    int configure(final MutableDirectBuffer buffer, final int marketIndex)
    {
        final OracleConfig config = feeds.get(marketIndex).config;
        final byte[][] keys = new byte[config.sourceCount()][];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = config.sourceKey(i);
        }
        return encoder.configureOracle(buffer, 0, config.marketId(), config.quorum(), config.validityWindowNs(),
            config.maxMovePpm(), config.moveWindowNs(), config.staleAfterNs(), keys);
    }

    /**
     * Lets the sources observe at {@code wallClockNs} and submits a price set per market with a fresh
     * quorum: each command is encoded into {@code buffer} and handed to {@code publish} (its length).
     */
    void poll(final long wallClockNs, final MutableDirectBuffer buffer, final IntConsumer publish)
    {
        target = buffer;
        publisher = publish;
        for (final Feed feed : feeds)
        {
            for (final SimulatedPriceSource source : feed.sources)
            {
                source.observe(wallClockNs);
            }
            feed.aggregator.poll(wallClockNs);
        }
    }

    /** The median of the last set submitted for a market (by index), 0 before the first. */
    long lastMedian(final int marketIndex)
    {
        return lastMedian[marketIndex];
    }
}
