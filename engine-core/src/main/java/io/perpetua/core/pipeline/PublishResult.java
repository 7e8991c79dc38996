package io.perpetua.core.pipeline;

/**
 * Outcome of {@link Pipeline#tryPublish}: a gateway thread must never block on the core, so a full
 * ring is reported, not waited on, and the gateway decides (retry, back-pressure, or refuse).
 */
public enum PublishResult
{
    /** The command is in the ring; its result will reach the listener. */
    PUBLISHED,
    /** The ring is full; nothing was published. Retry later. */
    BUSY,
    /** The bytes failed the ingress check; the listener already received the rejection. */
    MALFORMED,
    /** The pipeline is closing or has failed; nothing was published. */
    CLOSED
}
