package io.perpetua.gateway.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.perpetua.gateway.marketdata.CandleResolution;
import io.perpetua.gateway.marketdata.MarketDataState;
import io.perpetua.gateway.marketdata.MarketState;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The comlink REST endpoints (GET under {@code /v4}) over {@link MarketDataState}. Each response is
 * made under the state's lock, so it reflects one command boundary.
 */
public final class IndexerRest
{
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;

    private final MarketDataState state;
    private final LongSupplier wallClockNs;

    /** @param wallClockNs what {@code /v4/time} reports: the server's clock (market data itself uses command time) */
    public IndexerRest(final MarketDataState state, final LongSupplier wallClockNs)
    {
        this.state = state;
        this.wallClockNs = wallClockNs;
    }

    /** A status and a JSON body. */
    public record Response(HttpResponseStatus status, JsonNode body)
    {
        static Response ok(final JsonNode body)
        {
            return new Response(HttpResponseStatus.OK, body);
        }

        static Response error(final HttpResponseStatus status, final String message)
        {
            return new Response(status, IndexerJson.errors(message));
        }
    }

    /** @return the response, or null if the path is not one of these endpoints */
    public Response get(final QueryStringDecoder uri)
    {
        final String path = uri.path();
        final Map<String, List<String>> query = uri.parameters();
        if (path.equals("/v4/time"))
        {
            final long now = wallClockNs.getAsLong();
            final ObjectNode body = IndexerJson.object();
            body.put("iso", IndexerJson.iso(now));
            body.put("epoch", new java.math.BigDecimal(now / 1_000_000).movePointLeft(3));
            return Response.ok(body);
        }
        if (path.equals("/v4/height"))
        {
            // The chain's height in dYdX; here the last command whose events the market data has applied.
            final ObjectNode body = IndexerJson.object();
            synchronized (state)
            {
                body.put("height", Long.toString(state.sequence()));
                body.put("time", IndexerJson.iso(state.timestampNs()));
            }
            return Response.ok(body);
        }
        if (path.equals("/v4/perpetualMarkets"))
        {
            final String ticker = single(query, "ticker");
            synchronized (state)
            {
                if (ticker == null)
                {
                    return Response.ok(IndexerJson.markets(state.markets(), state.timestampNs()));
                }
                final MarketState market = state.market(ticker);
                return market == null ? unknownMarket(ticker) :
                    Response.ok(IndexerJson.markets(List.of(market), state.timestampNs()));
            }
        }
        String market = suffix(path, "/v4/orderbooks/perpetualMarket/");
        if (market != null)
        {
            synchronized (state)
            {
                final MarketState found = state.market(market);
                return found == null ? unknownMarket(market) : Response.ok(IndexerJson.orderBook(found));
            }
        }
        market = suffix(path, "/v4/trades/perpetualMarket/");
        if (market != null)
        {
            final int limit;
            try
            {
                limit = limit(query);
            }
            catch (final IllegalArgumentException ex)
            {
                return Response.error(HttpResponseStatus.BAD_REQUEST, ex.getMessage());
            }
            synchronized (state)
            {
                final MarketState found = state.market(market);
                return found == null ? unknownMarket(market) : Response.ok(IndexerJson.trades(found, limit));
            }
        }
        market = suffix(path, "/v4/historicalFunding/");
        if (market != null)
        {
            return historicalFunding(market, query);
        }
        market = suffix(path, "/v4/candles/perpetualMarkets/");
        if (market != null)
        {
            return candles(market, query);
        }
        return null;
    }

    private Response historicalFunding(final String ticker, final Map<String, List<String>> query)
    {
        final int limit;
        final long beforeOrAtNs;
        final long beforeOrAtHeight;
        try
        {
            limit = limit(query);
            beforeOrAtNs = isoParameter(query, "effectiveBeforeOrAt", Long.MAX_VALUE);
            beforeOrAtHeight = heightParameter(query, "effectiveBeforeOrAtHeight");
        }
        catch (final IllegalArgumentException ex)
        {
            return Response.error(HttpResponseStatus.BAD_REQUEST, ex.getMessage());
        }
        synchronized (state)
        {
            final MarketState market = state.market(ticker);
            return market == null ? unknownMarket(ticker) :
                Response.ok(IndexerJson.historicalFunding(market, limit, beforeOrAtNs, beforeOrAtHeight));
        }
    }

    private Response candles(final String ticker, final Map<String, List<String>> query)
    {
        final String resolutionName = single(query, "resolution");
        final CandleResolution resolution = CandleResolution.fromWireName(resolutionName);
        if (resolution == null)
        {
            return Response.error(HttpResponseStatus.BAD_REQUEST, resolutionName == null ?
                "resolution is required (1MIN, 5MINS, 15MINS, 30MINS, 1HOUR, 4HOURS or 1DAY)" :
                "invalid resolution: " + resolutionName);
        }
        final int limit;
        final long fromNs;
        final long toNs;
        try
        {
            limit = limit(query);
            fromNs = isoParameter(query, "fromISO", Long.MIN_VALUE);
            toNs = isoParameter(query, "toISO", Long.MAX_VALUE);
        }
        catch (final IllegalArgumentException ex)
        {
            return Response.error(HttpResponseStatus.BAD_REQUEST, ex.getMessage());
        }
        synchronized (state)
        {
            final MarketState market = state.market(ticker);
            return market == null ? unknownMarket(ticker) :
                Response.ok(IndexerJson.candles(market, resolution, limit, fromNs, toNs));
        }
    }

    private static Response unknownMarket(final String ticker)
    {
        return Response.error(HttpResponseStatus.NOT_FOUND, "No perpetual market found with ticker " + ticker);
    }

    private static String suffix(final String path, final String prefix)
    {
        if (!path.startsWith(prefix) || path.length() == prefix.length())
        {
            return null;
        }
        final String rest = path.substring(prefix.length());
        return rest.indexOf('/') >= 0 ? null : rest;
    }

    private static String single(final Map<String, List<String>> query, final String name)
    {
        final List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static int limit(final Map<String, List<String>> query)
    {
        final String text = single(query, "limit");
        if (text == null)
        {
            return DEFAULT_LIMIT;
        }
        try
        {
            final int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT)
            {
                return limit;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IllegalArgumentException("limit must be an integer from 1 to " + MAX_LIMIT + ": " + text);
    }

    private static long heightParameter(final Map<String, List<String>> query, final String name)
    {
        final String text = single(query, name);
        if (text == null)
        {
            return Long.MAX_VALUE;
        }
        try
        {
            final long height = Long.parseLong(text);
            if (height >= 0)
            {
                return height;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a non-negative integer: " + text);
    }

    private static long isoParameter(final Map<String, List<String>> query, final String name, final long absent)
    {
        // ccxt sends fromIso/toIso, the indexer documents fromISO/toISO: accept both spellings.
        String text = single(query, name);
        if (text == null && name.endsWith("ISO"))
        {
            text = single(query, name.substring(0, name.length() - 3) + "Iso");
        }
        if (text == null)
        {
            return absent;
        }
        try
        {
            final Instant instant = Instant.parse(text);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final DateTimeParseException | ArithmeticException ex)
        {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant: " + text);
        }
    }
}
