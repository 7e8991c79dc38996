package io.perpetua.node;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import io.perpetua.gateway.trading.OracleInbox;
import io.perpetua.node.config.ConfigLoader;
import io.perpetua.node.config.NodeConfig;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.Ed25519PublicKey;
import io.perpetua.risk.oracle.OracleAggregator;
import io.perpetua.risk.oracle.OracleConfig;
import io.perpetua.risk.oracle.PriceSource;
import io.perpetua.risk.oracle.SignedPrice;
import io.perpetua.risk.oracle.SignedPriceSet;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's oracle: per market, the latest signed price of each configured source, as ORACLE keys
 * submit them through the gateway, and an {@link OracleAggregator} that turns a fresh quorum into an
 * {@code OraclePrice} command. A price is checked against its source's key when it arrives, so a
 * bad one is refused to its sender instead of being dropped silently; the core verifies every
 * signature again against the command's own timestamp. Each market's feed is driven by whichever
 * I/O thread delivers a price, one at a time.
 */
final class OracleFeeds implements OracleInbox
{
    private static final ResultListener IGNORE = (correlationId, sequence, events, offset, length) ->
    {
    };

    private final Map<Integer, Feed> feeds = new HashMap<>();
    private final Pipeline pipeline;
    private final EpochNanoClock clock;

    /** @param clock the wall clock the aggregator judges freshness by (never the engine's) */
    OracleFeeds(final List<NodeConfig.Market> markets, final Pipeline pipeline, final EpochNanoClock clock)
    {
        this.pipeline = pipeline;
        this.clock = clock;
        for (final NodeConfig.Market market : markets)
        {
            feeds.put(market.id(), new Feed(ConfigLoader.oracleConfig(market.id(), market.oracle()), market.oracle().maxAgeNs()));
        }
    }

    @Override
    public Outcome offer(final int marketId, final int sourceIndex, final long price, final long timestampNs, final byte[] signature)
    {
        final Feed feed = feeds.get(marketId);
        if (feed == null || sourceIndex < 0 || sourceIndex >= feed.sources.size())
        {
            return Outcome.UNKNOWN_SOURCE;
        }
        final SignedPrice signed = new SignedPrice(marketId, price, timestampNs, signature);
        if (!signed.isSignedBy(feed.sourceKeys[sourceIndex]))
        {
            return Outcome.BAD_SIGNATURE;
        }
        synchronized (feed)
        {
            final Source source = feed.sources.get(sourceIndex);
            final SignedPrice last = source.latest;
            if (last != null && timestampNs <= last.timestampNs())
            {
                return Outcome.NOT_NEWER;
            }
            source.latest = signed;
            return feed.aggregator.poll(clock.nanoTime()) ? Outcome.SUBMITTED : Outcome.PENDING;
        }
    }

    /** One source as the aggregator sees it: the last price the gateway took from it. */
    private static final class Source implements PriceSource
    {
        volatile SignedPrice latest;

        @Override
        public Optional<SignedPrice> latest()
        {
            return Optional.ofNullable(latest);
        }
    }

    private final class Feed
    {
        final OracleConfig config;
        final List<Source> sources = new ArrayList<>();
        final Ed25519PublicKey[] sourceKeys;
        final OracleAggregator aggregator;
        final AccountCommandEncoder encoder = new AccountCommandEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandAdapter.MAX_COMMAND_LENGTH]);

        Feed(final OracleConfig config, final long maxAgeNs)
        {
            this.config = config;
            sourceKeys = new Ed25519PublicKey[config.sourceCount()];
            for (int i = 0; i < config.sourceCount(); i++)
            {
                sources.add(new Source());
                sourceKeys[i] = Ed25519Keys.publicKey(config.sourceKey(i));
            }
            aggregator = new OracleAggregator(config, sources, maxAgeNs, clock, this::submit);
        }

        /** Encodes the set as an OraclePrice command; false if the ring is full (the set is offered again with the next price). */
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
            final int length = encoder.oraclePrice(buffer, 0, config.marketId(), count, indexes, prices, times, signatures);
            if (pipeline.tryPublish(buffer, 0, length, IGNORE, config.marketId()) != PublishResult.PUBLISHED)
            {
                return false;
            }
            return true;
        }
    }
}
