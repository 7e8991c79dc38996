package io.perpetua.node;

import io.perpetua.gateway.marketdata.MarketUnits;
import io.perpetua.node.config.NodeConfig;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.oracle.SignedPrice;
import io.perpetua.risk.oracle.SimulatedPricePath;
import io.perpetua.risk.oracle.SimulatedPriceSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The demo's oracle sources: per market three simulated sources on a seeded price path with a sharp
 * drop every 30 seconds (8%, the first 20 seconds in, once the takers hold positions). Each source signs its observations with its
 * own key (derived from {@code "perpetua/demo-oracle/<market>"}, whose public halves the demo's
 * configuration lists) and submits them through the gateway as an ORACLE key would, as
 * {@code oraclePrice} requests; the node's aggregator turns a fresh quorum into an
 * {@code OraclePrice} command. Source {@code i} of every market uses API key {@code demo-oracle-<i>}.
 * The sources use the wall clock as a real feed would; the core checks every signature and the
 * validity window against the command's own timestamp.
 */
final class DemoOracle
{
    static final int SOURCES = 3;
    private static final int NOISE_PPM = 200;
    /** The path's 8% drops: 20 s in, then every 30 s, recovering over 20 s (two drops in a one-minute demo). */
    private static final long DROP_OFFSET_NS = 20_000_000_000L;
    private static final long DROP_PERIOD_NS = 30_000_000_000L;
    private static final long RECOVERY_NS = 20_000_000_000L;

    private final List<Feed> feeds = new ArrayList<>();
    private long requestId;

    private record Feed(int marketId, String symbol, MarketUnits units, List<SimulatedPriceSource> sources, long[] lastPrices)
    {
    }

    DemoOracle(final List<NodeConfig.Market> markets, final long seed, final long originNs)
    {
        for (final NodeConfig.Market market : markets)
        {
            final SimulatedPricePath path = SimulatedPricePath.builder(market.id(), market.referencePrice(), originNs,
                seed * 31 + market.id()).dropOffsetNs(DROP_OFFSET_NS).dropPeriodNs(DROP_PERIOD_NS).recoveryNs(RECOVERY_NS).build();
            final List<SimulatedPriceSource> sources = new ArrayList<>();
            for (int i = 0; i < SOURCES; i++)
            {
                sources.add(new SimulatedPriceSource(path, Ed25519Keys.deriveSeed("perpetua/demo-oracle/" + market.id(), i),
                    seed * SOURCES + i, NOISE_PPM));
            }
            feeds.add(new Feed(market.id(), market.symbol(), DemoTraffic.units(market), sources, new long[SOURCES]));
        }
    }

    /** The API key of source {@code index}. */
    static String apiKey(final int index)
    {
        return "demo-oracle-" + index;
    }

    /**
     * Lets every source observe at {@code wallClockNs} and sends its signed price: {@code sink}
     * gets the source index and the request.
     */
    void poll(final long wallClockNs, final DemoTraffic.Sink sink)
    {
        for (final Feed feed : feeds)
        {
            for (int i = 0; i < feed.sources().size(); i++)
            {
                final SignedPrice price = feed.sources().get(i).observe(wallClockNs);
                feed.lastPrices()[i] = price.priceTicks();
                sink.send(i, "{\"op\":\"oraclePrice\",\"requestId\":\"" + (++requestId) + "\",\"market\":\"" + feed.symbol() +
                    "\",\"source\":" + i + ",\"price\":\"" + feed.units().price(price.priceTicks()) + "\",\"timestamp\":" +
                    price.timestampNs() + ",\"signature\":\"" + HexFormat.of().formatHex(price.signature()) + "\"}");
            }
        }
    }

    /** The median of the sources' last prices in a market (by index), 0 before the first poll. */
    long median(final int marketIndex)
    {
        final long[] sorted = feeds.get(marketIndex).lastPrices().clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }
}
