/**
 * The signed oracle (MECHANICS section 6): each market's index price is the median of prices signed by
 * its configured sources, verified by the core itself so that a journaled price proves itself.
 *
 * <h2>Flow</h2>
 * <pre>
 *  PriceSource (one per source; SimulatedPriceSource in the demo)
 *      |  SignedPrice: Ed25519 over OracleMessage (market, price, timestamp)
 *      v
 *  OracleAggregator (outside the core; wall clock allowed)
 *      |  SignedPriceSet: a quorum of fresh, checked, never-submitted observations
 *      v
 *  oracle price command -> sequencer -> core thread:
 *      observations copied from the command's group into an OracleObservationBuffer
 *      OracleVerifier.verify(config, state, commandTimeNs, observations)
 *          ACCEPTED -> OracleState.accept(...), mark price = median
 *          otherwise -> reject with the OracleVerdict, state unchanged
 *      OracleVerifier.isStale(config, state, nowNs) gates liquidations and risk-increasing trading
 * </pre>
 *
 * <h2>Signed bytes</h2>
 * {@link io.perpetua.risk.oracle.OracleMessage}: the 18-byte ASCII tag {@code "perpetua/oracle/v1"},
 * then {@code marketId} int32, {@code priceTicks} int64 and {@code timestampNs} int64, little-endian;
 * 38 bytes. Prices are in the market's price ticks; timestamps are the source's clock, nanoseconds
 * since the Unix epoch.
 *
 * <h2>Rules</h2>
 * Quorum, validity window, replay protection, the median of an even count (the lower middle price),
 * the max-move guard and staleness are specified on {@link io.perpetua.risk.oracle.OracleVerifier};
 * their defaults and the reasons for them on {@link io.perpetua.risk.oracle.OracleConfig}. The state a
 * snapshot and the state hash must cover is listed on {@link io.perpetua.risk.oracle.OracleState}.
 *
 * <p>Nothing here depends on the engine's codecs: the core adapts its command to
 * {@link io.perpetua.risk.oracle.OracleObservations} and calls this package with primitives.
 */
package io.perpetua.risk.oracle;
