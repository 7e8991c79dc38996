package io.perpetua.gateway.trading;

/**
 * Errors the gateway itself answers, before a request reaches the engine. The engine's own reject
 * codes ({@code RejectReason}) are passed through under their schema names.
 */
public enum ErrorCode
{
    /** The message is not a JSON object. */
    MALFORMED_JSON,
    /** A field this operation does not define (including {@code accountId}: the login decides the account). */
    UNKNOWN_FIELD,
    MISSING_FIELD,
    /** A field of the wrong type, format or range. */
    INVALID_FIELD,
    UNKNOWN_OP,
    NOT_LOGGED_IN,
    ALREADY_LOGGED_IN,
    UNKNOWN_API_KEY,
    BAD_SIGNATURE,
    STALE_TIMESTAMP,
    REPLAYED_NONCE,
    /** The key's role does not allow the op (an oracle key trading, a trader key submitting oracle prices). */
    NOT_PERMITTED,
    /** An oracle price the node's oracle refused: unknown source, bad signature, or not newer than the source's last. */
    INVALID_ORACLE_PRICE,
    /** The ticker names no market the gateway has seen configured. */
    UNKNOWN_MARKET,
    /** login, subscribe and unsubscribe need a WebSocket connection. */
    WEBSOCKET_ONLY,
    ALREADY_SUBSCRIBED,
    NOT_SUBSCRIBED,
    /** The API key sent more commands than its rate limit (token bucket) allows: nothing was submitted. */
    RATE_LIMITED,
    /** The sequencer's ring is full: nothing was submitted, retry later. */
    BUSY,
    /** The exchange core is stopping or has failed: nothing was submitted. */
    UNAVAILABLE
}
