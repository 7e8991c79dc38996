package io.perpetua.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A JSON-over-HTTP service on one path, answered asynchronously. The connection reads no further
 * request until the response is written, so responses keep the order of requests.
 */
public interface PostEndpoint
{
    /** Receives the response; callable once, from any thread. */
    @FunctionalInterface
    interface Responder
    {
        void respond(HttpResponseStatus status, JsonNode body);
    }

    /** Called on the connection's event loop with the request's headers and UTF-8 body. */
    void onPost(HttpHeaders headers, String body, Responder responder);
}
