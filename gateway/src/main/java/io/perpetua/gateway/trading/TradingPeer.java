package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Who a trading request came from and where its answer goes: a WebSocket session or one HTTP request. */
interface TradingPeer
{
    /** The authenticated account, 0 if none yet or for an oracle key. */
    long accountId();

    /** The authenticated key's role, null if none yet. */
    ApiKeyStore.Role role();

    /** The API key that authenticated this peer, null if none yet. */
    String apiKey();

    /** Sends a response; callable from any thread. */
    void send(ObjectNode message);

    /**
     * Records that a command of this peer that had events was answered at {@code sequence}; later
     * queries of the peer's state wait until the feeds have processed it (read-your-writes). Any thread.
     */
    void acknowledged(long sequence);

    /**
     * What this peer's queries must see to read its own writes: the highest sequence with events
     * answered to this session, or, for a peer without a session (one HTTP request), the last one the
     * exchange answered anyone for.
     */
    long acknowledgedSequence();
}
