package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.perpetua.gateway.http.PostEndpoint;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One signed HTTP request: its account comes from the request's signature, its one response is the
 * HTTP response, with a status that says what kind of answer it is.
 */
final class HttpPeer implements TradingPeer
{
    private static final Set<ErrorCode> UNAUTHORISED = EnumSet.of(ErrorCode.UNKNOWN_API_KEY, ErrorCode.BAD_SIGNATURE,
        ErrorCode.STALE_TIMESTAMP, ErrorCode.REPLAYED_NONCE, ErrorCode.NOT_LOGGED_IN);
    /** A signed request whose key's role does not allow the op. */
    private static final Set<ErrorCode> FORBIDDEN = EnumSet.of(ErrorCode.NOT_PERMITTED);
    private static final Set<ErrorCode> UNAVAILABLE = EnumSet.of(ErrorCode.BUSY, ErrorCode.UNAVAILABLE);

    private final ApiKeyStore.ApiKey apiKey;
    private final PostEndpoint.Responder responder;
    private final LongSupplier exchangeAcknowledged;

    /**
     * @param exchangeAcknowledged the last sequence with events the exchange has answered anyone
     *        for: what this request's queries wait for, having no connection of their own
     */
    HttpPeer(final ApiKeyStore.ApiKey apiKey, final PostEndpoint.Responder responder,
        final LongSupplier exchangeAcknowledged)
    {
        this.apiKey = apiKey;
        this.responder = responder;
        this.exchangeAcknowledged = exchangeAcknowledged;
    }

    @Override
    public long accountId()
    {
        return apiKey.accountId();
    }

    @Override
    public ApiKeyStore.Role role()
    {
        return apiKey.role();
    }

    @Override
    public String apiKey()
    {
        return apiKey.key();
    }

    @Override
    public void send(final ObjectNode message)
    {
        responder.respond(status(message), message);
    }

    /** One request per peer: nothing to remember. */
    @Override
    public void acknowledged(final long sequence)
    {
    }

    /**
     * Everything the exchange has answered so far, on any connection or transport: it includes this
     * account's own earlier requests, so a query reads its own writes without a session.
     */
    @Override
    public long acknowledgedSequence()
    {
        return exchangeAcknowledged.getAsLong();
    }

    /** 200 result; 401 authentication; 403 not permitted for the key's role; 429 rate limited; 503 busy or unavailable; 422 an engine reject; 400 any other error. */
    static HttpResponseStatus status(final ObjectNode message)
    {
        if (!message.path("type").asText().equals("error"))
        {
            return HttpResponseStatus.OK;
        }
        if (message.has("sequence"))
        {
            return HttpResponseStatus.UNPROCESSABLE_ENTITY;
        }
        final ErrorCode code = ErrorCode.valueOf(message.get("code").asText());
        if (UNAUTHORISED.contains(code))
        {
            return HttpResponseStatus.UNAUTHORIZED;
        }
        if (FORBIDDEN.contains(code))
        {
            return HttpResponseStatus.FORBIDDEN;
        }
        if (code == ErrorCode.RATE_LIMITED)
        {
            return HttpResponseStatus.TOO_MANY_REQUESTS;
        }
        return UNAVAILABLE.contains(code) ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.BAD_REQUEST;
    }
}
