package io.perpetua.gateway.indexer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.gateway.marketdata.Candle;
import io.perpetua.gateway.marketdata.CandleResolution;
import io.perpetua.gateway.marketdata.FundingTick;
import io.perpetua.gateway.marketdata.MarketInfo;
import io.perpetua.gateway.marketdata.MarketState;
import io.perpetua.gateway.marketdata.MarketUnits;
import io.perpetua.gateway.marketdata.Trade;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * The dYdX v4 indexer's JSON shapes (comlink REST responses and socks channel contents) made from
 * {@link MarketState}. Call with the market-data state's lock held. Field names and nesting follow
 * the indexer; the mapping of Perpetua's concepts onto them is documented in
 * {@code docs/api/market-data-v4.md}.
 */
public final class IndexerJson
{
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter ISO_MILLIS =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private IndexerJson()
    {
    }

    /** ISO-8601 UTC with milliseconds, as the indexer prints times. */
    public static String iso(final long epochNs)
    {
        return ISO_MILLIS.format(Instant.ofEpochSecond(0, epochNs));
    }

    /** {@code {"markets": {ticker: market, ...}}}. */
    public static ObjectNode markets(final Collection<MarketState> markets, final long nowNs)
    {
        final ObjectNode byTicker = NODES.objectNode();
        for (final MarketState market : markets)
        {
            byTicker.set(market.info().symbol(), market(market, nowNs));
        }
        final ObjectNode root = NODES.objectNode();
        root.set("markets", byTicker);
        return root;
    }

    /** One perpetual market as {@code /v4/perpetualMarkets} lists it. */
    public static ObjectNode market(final MarketState market, final long nowNs)
    {
        final MarketInfo info = market.info();
        final MarketUnits units = info.units();
        final MarketState.DayStats day = market.dayStats(nowNs);
        final ObjectNode node = NODES.objectNode();
        node.put("clobPairId", Integer.toString(info.marketId()));
        node.put("ticker", info.symbol());
        node.put("status", info.status() == MarketStatus.ACTIVE ? "ACTIVE" : "CANCEL_ONLY");
        if (market.markPrice() == 0)
        {
            node.putNull("oraclePrice");
        }
        else
        {
            node.put("oraclePrice", units.price(market.markPrice()));
        }
        node.put("priceChange24H", units.price(day.priceChange()));
        node.put("volume24H", MarketUnits.quote(day.quoteVolume()));
        node.put("trades24H", day.trades());
        // No predicted rate exists (the funding processor computes a rate only at the period's end):
        // the rate in force is the latest applied tick's, and the next period's end follows from the
        // latest period's length.
        final FundingTick lastTick = market.lastFundingTick();
        if (lastTick == null)
        {
            node.putNull("nextFundingRate");
        }
        else
        {
            node.put("nextFundingRate", fundingRate(lastTick.rate8hPpb()));
        }
        final long nextFundingNs = market.nextFundingTimeNs();
        if (nextFundingNs < 0)
        {
            node.putNull("nextFundingAt");
        }
        else
        {
            node.put("nextFundingAt", iso(nextFundingNs));
        }
        putPpm(node, "initialMarginFraction", market.initialMarginPpm());
        putPpm(node, "maintenanceMarginFraction", market.maintenanceMarginPpm());
        node.put("openInterest", units.size(market.openInterest()));
        node.put("atomicResolution", -units.sizeDecimals());
        node.put("quantumConversionExponent", -info.quoteScaleExponent());
        node.put("tickSize", units.price(info.tickSize()));
        node.put("stepSize", units.size(info.lotSize()));
        node.put("stepBaseQuantums", info.lotSize());
        node.put("subticksPerTick", info.tickSize());
        node.put("minOrderBaseQuantums", info.minSize());
        node.put("marketType", "CROSS");
        return node;
    }

    /** A fraction given in ppm as a decimal string ("0.05"), or null while it is not configured (-1). */
    private static void putPpm(final ObjectNode node, final String field, final int ppm)
    {
        if (ppm < 0)
        {
            node.putNull(field);
        }
        else
        {
            node.put(field, BigDecimal.valueOf(ppm, 6).stripTrailingZeros().toPlainString());
        }
    }

    /** {@code {"bids": [{"price","size"}...], "asks": [...]}}, best levels first. */
    public static ObjectNode orderBook(final MarketState market)
    {
        final MarketUnits units = market.info().units();
        final ObjectNode root = NODES.objectNode();
        root.set("bids", levels(market.bids(), units));
        root.set("asks", levels(market.asks(), units));
        return root;
    }

    private static ArrayNode levels(final Map<Long, Long> levels, final MarketUnits units)
    {
        final ArrayNode array = NODES.arrayNode();
        for (final Map.Entry<Long, Long> level : levels.entrySet())
        {
            array.addObject().put("price", units.price(level.getKey())).put("size", units.size(level.getValue()));
        }
        return array;
    }

    /** Level deltas as the socks channel sends them: {@code [price, size]} pairs, size "0" removes. */
    public static ArrayNode levelDeltas(final Map<Long, Long> levels, final MarketUnits units)
    {
        final ArrayNode array = NODES.arrayNode();
        for (final Map.Entry<Long, Long> level : levels.entrySet())
        {
            array.addArray().add(units.price(level.getKey())).add(units.size(level.getValue()));
        }
        return array;
    }

    /** {@code {"trades": [...]}}, newest first, at most {@code limit}. */
    public static ObjectNode trades(final MarketState market, final int limit)
    {
        final ArrayNode array = NODES.arrayNode();
        final MarketUnits units = market.info().units();
        for (final Iterator<Trade> it = market.tradesNewestFirst(); it.hasNext() && array.size() < limit; )
        {
            array.add(trade(it.next(), units));
        }
        final ObjectNode root = NODES.objectNode();
        root.set("trades", array);
        return root;
    }

    public static ObjectNode trade(final Trade trade, final MarketUnits units)
    {
        final ObjectNode node = NODES.objectNode();
        node.put("id", Long.toString(trade.tradeId()));
        node.put("side", trade.takerSide().name());
        node.put("size", units.size(trade.size()));
        node.put("price", units.price(trade.price()));
        node.put("type", trade.takerType().name());
        node.put("createdAt", iso(trade.timestampNs()));
        node.put("createdAtHeight", Long.toString(trade.sequence()));
        return node;
    }

    /**
     * {@code {"historicalFunding": [...]}}, newest first, at most {@code limit}, of the ticks applied
     * at or before both {@code beforeOrAtNs} and {@code beforeOrAtSequence}. Times compare as
     * printed (milliseconds), so a tick's own {@code effectiveAt} selects it.
     */
    public static ObjectNode historicalFunding(
        final MarketState market, final int limit, final long beforeOrAtNs, final long beforeOrAtSequence)
    {
        final ArrayNode array = NODES.arrayNode();
        final MarketUnits units = market.info().units();
        for (final Iterator<FundingTick> it = market.fundingTicksNewestFirst(); it.hasNext() && array.size() < limit; )
        {
            final FundingTick tick = it.next();
            final long effectiveAtNs = Math.floorDiv(tick.timestampNs(), 1_000_000L) * 1_000_000L;
            if (effectiveAtNs <= beforeOrAtNs && tick.sequence() <= beforeOrAtSequence)
            {
                array.addObject()
                    .put("ticker", market.info().symbol())
                    .put("rate", fundingRate(tick.rate8hPpb()))
                    .put("price", units.price(tick.markPrice()))
                    .put("effectiveAt", iso(tick.timestampNs()))
                    .put("effectiveAtHeight", Long.toString(tick.sequence()));
            }
        }
        final ObjectNode root = NODES.objectNode();
        root.set("historicalFunding", array);
        return root;
    }

    /**
     * The rate a tick charges, as dYdX states its hourly rate: the fraction of the mark price a
     * position pays per unit of size at that tick. A tick moves the funding index by one eighth of
     * its 8-hour rate, so this is {@code rate8hPpb / 8e9}, always an exact decimal.
     */
    public static String fundingRate(final long rate8hPpb)
    {
        final BigDecimal rate = BigDecimal.valueOf(rate8hPpb).divide(BigDecimal.valueOf(8_000_000_000L));
        return rate.signum() == 0 ? "0" : rate.stripTrailingZeros().toPlainString();
    }

    /** {@code {"candles": [...]}}, newest first, at most {@code limit}, within [fromNs, toNs]. */
    public static ObjectNode candles(
        final MarketState market, final CandleResolution resolution, final int limit, final long fromNs, final long toNs)
    {
        final ArrayNode array = NODES.arrayNode();
        for (final Iterator<Candle> it = market.candlesNewestFirst(resolution); it.hasNext() && array.size() < limit; )
        {
            final Candle candle = it.next();
            if (candle.startedAtNs() < fromNs)
            {
                break;
            }
            if (candle.startedAtNs() <= toNs)
            {
                array.add(candle(market, candle));
            }
        }
        final ObjectNode root = NODES.objectNode();
        root.set("candles", array);
        return root;
    }

    public static ObjectNode candle(final MarketState market, final Candle candle)
    {
        final MarketUnits units = market.info().units();
        final ObjectNode node = NODES.objectNode();
        node.put("startedAt", iso(candle.startedAtNs()));
        node.put("ticker", market.info().symbol());
        node.put("resolution", candle.resolution().wireName());
        node.put("low", units.price(candle.low()));
        node.put("high", units.price(candle.high()));
        node.put("open", units.price(candle.open()));
        node.put("close", units.price(candle.close()));
        node.put("baseTokenVolume", units.size(candle.baseVolume()));
        node.put("usdVolume", MarketUnits.quote(candle.quoteVolume()));
        node.put("trades", candle.trades());
        node.putNull("startingOpenInterest");
        putMid(node, "orderbookMidPriceOpen", candle.midSumOpen(), units);
        putMid(node, "orderbookMidPriceClose", candle.midSumClose(), units);
        return node;
    }

    private static void putMid(final ObjectNode node, final String field, final long midSum, final MarketUnits units)
    {
        if (midSum < 0)
        {
            node.putNull(field);
        }
        else
        {
            node.put(field, units.mid(midSum, 0));
        }
    }

    /** The indexer's error body: {@code {"errors": [{"msg": ...}]}}. */
    public static ObjectNode errors(final String message)
    {
        final ObjectNode root = NODES.objectNode();
        root.putArray("errors").addObject().put("msg", message);
        return root;
    }

    public static ObjectNode object()
    {
        return NODES.objectNode();
    }
}
