package io.perpetua.core.engine;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * State and commands that live beside the books on the core thread: risk-margin's accounts,
 * positions and oracle. The engine hands it every command template it does not own, includes its
 * state in snapshots and the state hash, and lets it act on the books through the engine's
 * internal operations (liquidation orders, cancel-all, mark prices).
 *
 * <p>An extension is also the engine's {@link RiskGate}: the gate and the ledger it checks are one
 * piece of state. Like the engine, it must be deterministic and allocation-free on its hot paths.
 */
public interface EngineExtension extends RiskGate
{
    /** Written with the extension's snapshot record; a snapshot from another extension is refused. */
    int extensionId();

    /** Called once by the engine's constructor. */
    void attach(MatchingEngine engine);

    /** Whether {@code templateId} is one of the extension's commands. */
    boolean handles(int templateId);

    /**
     * Applies a well-formed, stamped command of a template the extension handles, after
     * {@link MatchingEngine#beginCommand}; events go to the engine's publisher.
     *
     * @param offset start of the message header
     */
    void apply(int templateId, DirectBuffer buffer, int offset, int length);

    /** Appends the extension's state at {@code offset}; returns the bytes written. */
    int writeSnapshot(ExpandableDirectByteBuffer buffer, int offset);

    /** Restores the state written by {@link #writeSnapshot} into a fresh extension. */
    void readSnapshot(DirectBuffer buffer, int offset, int length);

    /** Mixes the extension's canonical state into the engine's state hash. */
    void hashInto(StateHasher hasher);
}
