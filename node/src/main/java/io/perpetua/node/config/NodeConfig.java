package io.perpetua.node.config;

import io.perpetua.core.pipeline.WaitMode;
import io.perpetua.funding.FundingConfig;
import io.perpetua.gateway.trading.ApiKeyStore;

import java.nio.file.Path;
import java.util.List;

/**
 * A node's validated configuration, as {@link ConfigLoader} reads it from YAML (the format is in
 * {@code docs/operations.md}; {@code perpetua-example.yaml} is a commented example). Amounts and
 * prices are the engine's integers; durations are nanoseconds.
 *
 * @param journal            journal directory (commands, events, snapshots, settlement)
 * @param waitMode           how the pipeline's threads wait for work
 * @param snapshotIntervalNs a {@code TakeSnapshot} command this often; 0 for none
 * @param http               the HTTP/WebSocket listener
 * @param sbe                the SBE order-entry listener, or null for none
 * @param sbeReports         how many SBE execution reports the gateway keeps and how it resends older ones
 * @param settlement         the settlement batcher and simulated contract, or null for none
 * @param deposits           applied (in order) when the journal is new, escrowed at the contract first
 */
public record NodeConfig(
    Path journal,
    WaitMode waitMode,
    long snapshotIntervalNs,
    Listener http,
    Listener sbe,
    SbeReports sbeReports,
    int ioThreads,
    int rateLimitPerSecond,
    int rateLimitBurst,
    FundingConfig funding,
    Settlement settlement,
    List<Market> markets,
    List<ApiKey> apiKeys,
    List<Deposit> deposits)
{
    public NodeConfig
    {
        markets = List.copyOf(markets);
        apiKeys = List.copyOf(apiKeys);
        deposits = List.copyOf(deposits);
    }

    /** The same configuration with other listeners and journal (the demo's and tests' overrides). */
    public NodeConfig with(final Path journal, final Listener http, final Listener sbe)
    {
        return new NodeConfig(journal, waitMode, snapshotIntervalNs, http, sbe, sbeReports, ioThreads, rateLimitPerSecond, rateLimitBurst,
            funding, settlement, markets, apiKeys, deposits);
    }

    /** The same configuration with snapshots every {@code snapshotIntervalNs}. */
    public NodeConfig withSnapshotInterval(final long snapshotIntervalNs)
    {
        return new NodeConfig(journal, waitMode, snapshotIntervalNs, http, sbe, sbeReports, ioThreads, rateLimitPerSecond, rateLimitBurst,
            funding, settlement, markets, apiKeys, deposits);
    }

    /** A listening address; port 0 takes an ephemeral port. */
    public record Listener(String host, int port)
    {
    }

    /**
     * SBE execution report retention (docs/api/sbe-v1.md): the last {@code window} reports of each
     * account in memory, a sparse index entry every {@code indexInterval} reports, and whether older
     * reports are replayed from the events journal or refused with a RetransmitReject.
     */
    public record SbeReports(int window, int indexInterval, boolean journalReplay)
    {
    }

    /**
     * One market: the engine's {@code AddMarket}, {@code ConfigureRisk} and {@code ConfigureOracle}.
     *
     * @param maxNotional 0 for no limit
     */
    public record Market(
        int id,
        String symbol,
        long tickSize,
        long lotSize,
        int quoteScaleExponent,
        long minSize,
        long maxSize,
        long maxNotional,
        int priceBandPpm,
        int makerFeePpm,
        int takerFeePpm,
        long referencePrice,
        Risk risk,
        Oracle oracle)
    {
    }

    /** The market's margin tier and liquidation rules (see {@code docs/risk.md}); quantums are USDC 10^-6. */
    public record Risk(
        int initialMarginPpm,
        int maintenanceMarginPpm,
        long openInterestLowerCapLots,
        long openInterestUpperCapLots,
        int liquidationFeePpm,
        int liquidationSlicePpm,
        long minSliceNotional,
        long maxLiquidationNotional,
        int fillableFactorPpm)
    {
    }

    /**
     * The market's oracle: source public keys (raw 32-byte Ed25519, in source-index order) and the
     * core's acceptance rules; {@code maxAgeNs} is the oldest source price the node's aggregator uses.
     */
    public record Oracle(
        List<byte[]> sourceKeys,
        int quorum,
        long validityWindowNs,
        int maxMovePpm,
        long moveWindowNs,
        long staleAfterNs,
        long maxAgeNs)
    {
        public Oracle
        {
            sourceKeys = List.copyOf(sourceKeys);
        }
    }

    /** An API key; {@code accountId} is 0 for an ORACLE key. */
    public record ApiKey(String key, byte[] secret, ApiKeyStore.Role role, long accountId)
    {
    }

    /** A deposit to credit on a new journal: USDC quantums and the owner's 32-byte Ed25519 public key. */
    public record Deposit(long accountId, long amount, byte[] ownerKey)
    {
    }

    /**
     * The settlement batcher and the simulated L1 contract, state under {@code <journal>/settlement}.
     *
     * @param treeDepth       depth of the account tree: account ids below 2^depth - 3 (the top leaves are the ledger's)
     * @param maxBatchNs      a batch closes after this long of command time
     * @param maxTransitions  or after this many transitions
     * @param snapshotInterval the batcher stores its state after every this many batches, so that a
     *                         restart resumes there instead of re-reading the events journal (0: never)
     */
    public record Settlement(int treeDepth, long maxBatchNs, int maxTransitions, int snapshotInterval)
    {
    }
}
