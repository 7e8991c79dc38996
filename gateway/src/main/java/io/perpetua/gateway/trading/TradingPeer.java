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
}
