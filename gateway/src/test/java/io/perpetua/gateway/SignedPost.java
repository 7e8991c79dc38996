package io.perpetua.gateway;

import io.perpetua.gateway.trading.LoginVerifier;
import io.perpetua.gateway.trading.TradingEndpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One trading request as a signed HTTP POST to {@code /v1/trade}, signed now. */
final class SignedPost
{
    private SignedPost()
    {
    }

    /** Posts {@code body} signed as the key's request. */
    static HttpResponse<String> send(final TestExchange exchange, final String key, final byte[] secret, final String nonce,
        final String body) throws Exception
    {
        return send(exchange, key, secret, nonce, body, body);
    }

    /** Posts {@code body} with the signature of {@code signedBody} (a tampered request when they differ). */
    static HttpResponse<String> send(final TestExchange exchange, final String key, final byte[] secret, final String nonce,
        final String body, final String signedBody) throws Exception
    {
        final long timestamp = System.currentTimeMillis();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(exchange.baseUrl() + TradingEndpoint.PATH))
            .header(TradingEndpoint.KEY_HEADER, key)
            .header(TradingEndpoint.TIMESTAMP_HEADER, Long.toString(timestamp))
            .header(TradingEndpoint.NONCE_HEADER, nonce)
            .header(TradingEndpoint.SIGNATURE_HEADER, LoginVerifier.signRequest(secret, key, timestamp, nonce, signedBody))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
