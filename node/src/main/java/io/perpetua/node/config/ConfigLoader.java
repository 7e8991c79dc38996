package io.perpetua.node.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.perpetua.core.market.InvalidSpecException;
import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.pipeline.WaitMode;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.gateway.sbe.SbeServer;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.funding.FundingConfig;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.margin.RiskParams;
import io.perpetua.risk.oracle.OracleConfig;
import io.perpetua.settlement.tree.ReservedLeaves;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads and validates a node's YAML configuration before anything starts. Strict: an unknown field,
 * a missing required one, a wrong type, an out-of-range value or a duplicate (market id or symbol,
 * API key, oracle source key) is a {@link ConfigException} naming the field's path. The format is
 * documented in {@code docs/operations.md}.
 */
public final class ConfigLoader
{
    /** Default port of HTTP and WebSocket. */
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** Default port of SBE order entry. */
    public static final int DEFAULT_SBE_PORT = 9090;
    /** Reports kept per account at most: 1M frames are 121 MB for one account. */
    private static final int MAX_SBE_REPORT_WINDOW = 1 << 20;
    /** Default depth of the settlement tree: account ids up to 1,020 ({@code perpetua batches verify} assumes it too). */
    public static final int DEFAULT_TREE_DEPTH = 10;
    /** USDC amounts have six decimal places (quantums). */
    private static final int USDC_DECIMALS = 6;
    private static final long MAX_SECONDS = TimeUnit.DAYS.toSeconds(365);
    private static final long MAX_MS = TimeUnit.DAYS.toMillis(365);

    private static final Set<String> TOP = Set.of("journal", "waitStrategy", "snapshotIntervalSeconds", "http", "sbe",
        "gateway", "funding", "settlement", "markets", "apiKeys", "deposits");
    private static final Set<String> LISTENER = Set.of("host", "port");
    private static final Set<String> SBE = Set.of("enabled", "host", "port", "reportWindow", "reportIndexInterval",
        "reportJournalReplay");
    private static final Set<String> GATEWAY = Set.of("ioThreads", "rateLimitPerSecond", "rateLimitBurst");
    private static final Set<String> FUNDING = Set.of("sampleIntervalSeconds", "fundingIntervalSeconds", "impactNotional",
        "interestPpb", "capPpb");
    private static final Set<String> SETTLEMENT = Set.of("enabled", "treeDepth", "maxBatchSeconds", "maxTransitions",
        "snapshotEveryBatches");
    private static final Set<String> MARKET = Set.of("id", "symbol", "tickSize", "lotSize", "quoteScaleExponent", "minSize",
        "maxSize", "maxNotional", "priceBandPpm", "makerFeePpm", "takerFeePpm", "referencePrice", "risk", "oracle");
    private static final Set<String> RISK = Set.of("initialMarginPpm", "maintenanceMarginPpm", "openInterestLowerCap",
        "openInterestUpperCap", "liquidationFeePpm", "liquidationSlicePpm", "minSliceNotional", "maxLiquidationNotional",
        "fillableFactorPpm");
    private static final Set<String> ORACLE = Set.of("sources", "quorum", "validityWindowMs", "maxMovePpm", "moveWindowMs",
        "staleAfterMs", "maxAgeMs");
    private static final Set<String> API_KEY = Set.of("key", "secret", "role", "account");
    private static final Set<String> DEPOSIT = Set.of("account", "amount", "ownerKey");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader()
    {
    }

    /** Reads {@code file}; a relative {@code journal} is resolved against the file's directory. */
    public static NodeConfig load(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException("", "no configuration file " + file);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("", "cannot read " + file + ": " + ex.getMessage());
        }
        final Path base = file.toAbsolutePath().getParent();
        return parse(text, base);
    }

    /** Reads a classpath resource (the demo's embedded configuration); a relative journal resolves against {@code base}. */
    public static NodeConfig resource(final String name, final Path base)
    {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(name))
        {
            if (in == null)
            {
                throw new IllegalStateException("no resource " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), base);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read resource " + name, ex);
        }
    }

    /** Parses a YAML document. */
    public static NodeConfig parse(final String yaml, final Path base)
    {
        final JsonNode document;
        try
        {
            document = YAML.readTree(yaml);
        }
        catch (final JsonProcessingException ex)
        {
            throw new ConfigException("", "not valid YAML: " + ex.getOriginalMessage() +
                (ex.getLocation() == null ? "" : " (line " + ex.getLocation().getLineNr() + ")"));
        }
        if (document == null || document.isMissingNode())
        {
            throw new ConfigException("", "the configuration is empty");
        }
        final ConfigNode root = ConfigNode.root(document, TOP);

        final Path journal = base.resolve(root.string("journal")).normalize();
        final WaitMode waitMode = root.choice("waitStrategy", WaitMode.class, WaitMode.BLOCKING);
        final long snapshotSeconds = root.integer("snapshotIntervalSeconds", 0, MAX_SECONDS, 60);

        final ConfigNode httpNode = root.object("http", LISTENER);
        final NodeConfig.Listener http = new NodeConfig.Listener(httpNode.string("host", "127.0.0.1"),
            httpNode.intValue("port", 0, 65_535, DEFAULT_HTTP_PORT));
        final ConfigNode sbeNode = root.object("sbe", SBE);
        final NodeConfig.Listener sbe = sbeNode.bool("enabled", true) ? new NodeConfig.Listener(
            sbeNode.string("host", http.host()), sbeNode.intValue("port", 0, 65_535, DEFAULT_SBE_PORT)) : null;
        if (sbe != null && sbe.port() != 0 && sbe.port() == http.port() && sbe.host().equals(http.host()))
        {
            throw new ConfigException(sbeNode.child("port"), "must differ from http.port: " + sbe.port());
        }
        final NodeConfig.SbeReports sbeReports = new NodeConfig.SbeReports(
            sbeNode.intValue("reportWindow", 1, MAX_SBE_REPORT_WINDOW, SbeServer.ReportReplay.DEFAULT_WINDOW),
            sbeNode.intValue("reportIndexInterval", 1, MAX_SBE_REPORT_WINDOW, SbeServer.ReportReplay.DEFAULT_INDEX_INTERVAL),
            sbeNode.bool("reportJournalReplay", true));

        final ConfigNode gateway = root.object("gateway", GATEWAY);
        final int ioThreads = gateway.intValue("ioThreads", 1, 64, 1);
        final int perSecond = gateway.intValue("rateLimitPerSecond", 1, 100_000_000, 100);
        final int burst = gateway.intValue("rateLimitBurst", 1, 100_000_000, 200);

        final FundingConfig funding = funding(root.object("funding", FUNDING));
        final NodeConfig.Settlement settlement = settlement(root.object("settlement", SETTLEMENT));
        final List<NodeConfig.Market> markets = markets(root);
        final List<NodeConfig.ApiKey> apiKeys = apiKeys(root);
        final List<NodeConfig.Deposit> deposits = deposits(root, settlement);
        return new NodeConfig(journal, waitMode, TimeUnit.SECONDS.toNanos(snapshotSeconds), http, sbe, sbeReports, ioThreads, perSecond,
            burst, funding, settlement, markets, apiKeys, deposits);
    }

    private static FundingConfig funding(final ConfigNode node)
    {
        final FundingConfig defaults = FundingConfig.defaults();
        final long sample = node.integer("sampleIntervalSeconds", 1, MAX_SECONDS,
            defaults.sampleIntervalNs() / FundingConfig.SECOND_NS);
        final long interval = node.integer("fundingIntervalSeconds", 1, MAX_SECONDS,
            defaults.fundingIntervalNs() / FundingConfig.SECOND_NS);
        if (interval % sample != 0)
        {
            throw new ConfigException(node.child("fundingIntervalSeconds"), "must be a multiple of sampleIntervalSeconds (" +
                sample + "): " + interval);
        }
        final long impact = node.has("impactNotional") ? node.decimal("impactNotional", USDC_DECIMALS, 1) :
            defaults.impactNotional();
        final long interest = node.integer("interestPpb", -Funding.MAX_RATE_PPB, Funding.MAX_RATE_PPB, defaults.interestPpb());
        final long cap = node.integer("capPpb", 0, Funding.MAX_RATE_PPB, defaults.capPpb());
        return new FundingConfig(sample * FundingConfig.SECOND_NS, interval * FundingConfig.SECOND_NS, impact, interest, cap);
    }

    /** Batches between batcher snapshots: a restart re-reads at most this many batches of events. */
    static final int DEFAULT_SNAPSHOT_INTERVAL = 10;

    private static NodeConfig.Settlement settlement(final ConfigNode node)
    {
        if (!node.bool("enabled", false))
        {
            for (final String field : List.of("treeDepth", "maxBatchSeconds", "maxTransitions", "snapshotEveryBatches"))
            {
                if (node.has(field))
                {
                    throw new ConfigException(node.child(field), "settlement is not enabled (set settlement.enabled: true)");
                }
            }
            return null;
        }
        return new NodeConfig.Settlement(node.intValue("treeDepth", 1, 30, DEFAULT_TREE_DEPTH),
            TimeUnit.SECONDS.toNanos(node.integer("maxBatchSeconds", 1, MAX_SECONDS, 5)),
            node.intValue("maxTransitions", 1, 100_000_000, 1_000_000),
            node.intValue("snapshotEveryBatches", 0, 1_000_000, DEFAULT_SNAPSHOT_INTERVAL));
    }

    private static List<NodeConfig.Market> markets(final ConfigNode root)
    {
        final List<ConfigNode> nodes = root.objects("markets", MARKET, true);
        if (nodes.isEmpty())
        {
            throw new ConfigException("markets", "must list at least one market");
        }
        final Map<Integer, String> ids = new HashMap<>();
        final Map<String, String> symbols = new HashMap<>();
        final List<NodeConfig.Market> markets = new ArrayList<>();
        for (final ConfigNode node : nodes)
        {
            final int id = node.intValue("id", 1, Integer.MAX_VALUE);
            final String previousId = ids.putIfAbsent(id, node.path());
            if (previousId != null)
            {
                throw new ConfigException(node.child("id"), "duplicate market id " + id + " (also " + previousId + ".id)");
            }
            final String symbol = node.string("symbol");
            if (!symbol.matches("[!-~]{1," + MarketSpec.MAX_SYMBOL_LENGTH + "}"))
            {
                throw new ConfigException(node.child("symbol"), "must be 1-" + MarketSpec.MAX_SYMBOL_LENGTH +
                    " printable ASCII characters without spaces: " + symbol);
            }
            final String previousSymbol = symbols.putIfAbsent(symbol, node.path());
            if (previousSymbol != null)
            {
                throw new ConfigException(node.child("symbol"), "duplicate symbol " + symbol + " (also " + previousSymbol + ".symbol)");
            }
            final long tick = node.integer("tickSize", 1, Long.MAX_VALUE);
            final long lot = node.integer("lotSize", 1, Long.MAX_VALUE);
            final int scale = node.intValue("quoteScaleExponent", 0, 18);
            final long minSize = node.integer("minSize", 1, Long.MAX_VALUE);
            final long maxSize = node.integer("maxSize", 1, Long.MAX_VALUE);
            final long maxNotional = node.integer("maxNotional", 0, Long.MAX_VALUE, 0);
            final int band = node.intValue("priceBandPpm", 0, 999_999);
            final int maker = node.intValue("makerFeePpm", -MarketSpec.MAX_FEE_PPM, MarketSpec.MAX_FEE_PPM);
            final int taker = node.intValue("takerFeePpm", 0, MarketSpec.MAX_FEE_PPM);
            final long reference = node.integer("referencePrice", 1, Long.MAX_VALUE);
            try
            {
                MarketSpec.create(id, symbol, tick, lot, scale, minSize, maxSize, maxNotional, band, maker, taker, reference,
                    false, MarketStatus.ACTIVE);
            }
            catch (final InvalidSpecException ex)
            {
                throw new ConfigException(node.path(), ex.getMessage());
            }
            final NodeConfig.Risk risk = risk(node.object("risk", RISK));
            final NodeConfig.Oracle oracle = oracle(node.object("oracle", ORACLE), id);
            markets.add(new NodeConfig.Market(id, symbol, tick, lot, scale, minSize, maxSize, maxNotional, band, maker, taker,
                reference, risk, oracle));
        }
        return markets;
    }

    private static NodeConfig.Risk risk(final ConfigNode node)
    {
        final RiskParams d = RiskParams.defaults();
        final NodeConfig.Risk risk = new NodeConfig.Risk(
            node.intValue("initialMarginPpm", 1, 1_000_000, d.initialMarginPpm),
            node.intValue("maintenanceMarginPpm", 1, 1_000_000, d.maintenanceMarginPpm),
            node.integer("openInterestLowerCap", 0, Long.MAX_VALUE, d.openInterestLowerCapLots),
            node.integer("openInterestUpperCap", 0, Long.MAX_VALUE, d.openInterestUpperCapLots),
            node.intValue("liquidationFeePpm", 0, 1_000_000, d.liquidationFeePpm),
            node.intValue("liquidationSlicePpm", 1, 1_000_000, d.liquidationSlicePpm),
            node.has("minSliceNotional") ? node.decimal("minSliceNotional", USDC_DECIMALS, 1) : d.minSliceNotional,
            node.has("maxLiquidationNotional") ? node.decimal("maxLiquidationNotional", USDC_DECIMALS, 1) : d.maxLiquidationNotional,
            node.intValue("fillableFactorPpm", 0, 10_000_000, d.fillableFactorPpm));
        if (risk.maintenanceMarginPpm() > risk.initialMarginPpm())
        {
            throw new ConfigException(node.child("maintenanceMarginPpm"), "must not exceed initialMarginPpm (" +
                risk.initialMarginPpm() + "): " + risk.maintenanceMarginPpm());
        }
        if (risk.openInterestLowerCapLots() == 0 ? risk.openInterestUpperCapLots() != 0 :
            risk.openInterestUpperCapLots() <= risk.openInterestLowerCapLots())
        {
            throw new ConfigException(node.child("openInterestUpperCap"), "must be above openInterestLowerCap, or both 0 (one tier)");
        }
        if (risk.maxLiquidationNotional() < risk.minSliceNotional())
        {
            throw new ConfigException(node.child("maxLiquidationNotional"), "must be at least minSliceNotional");
        }
        return risk;
    }

    private static NodeConfig.Oracle oracle(final ConfigNode node, final int marketId)
    {
        final List<String> hexKeys = node.strings("sources");
        if (hexKeys.isEmpty() || hexKeys.size() > OracleConfig.MAX_SOURCES)
        {
            throw new ConfigException(node.child("sources"), "must list 1 to " + OracleConfig.MAX_SOURCES + " source public keys");
        }
        final List<byte[]> keys = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < hexKeys.size(); i++)
        {
            final String path = node.child("sources") + "[" + i + "]";
            final byte[] key = ConfigNode.hexValue(path, hexKeys.get(i), Ed25519Keys.PUBLIC_KEY_LENGTH);
            if (!Ed25519Keys.isValidPublicKey(key))
            {
                throw new ConfigException(path, "is not an Ed25519 public key");
            }
            if (!seen.add(hexKeys.get(i).toLowerCase(java.util.Locale.ROOT)))
            {
                throw new ConfigException(path, "duplicate source key");
            }
            keys.add(key);
        }
        final int quorum = node.intValue("quorum", 1, keys.size(), (keys.size() / 2) + 1);
        final long windowMs = node.integer("validityWindowMs", 1, MAX_MS,
            TimeUnit.NANOSECONDS.toMillis(OracleConfig.DEFAULT_VALIDITY_WINDOW_NS));
        final NodeConfig.Oracle oracle = new NodeConfig.Oracle(keys, quorum, TimeUnit.MILLISECONDS.toNanos(windowMs),
            node.intValue("maxMovePpm", 1, 1_000_000, OracleConfig.DEFAULT_MAX_MOVE_PPM),
            TimeUnit.MILLISECONDS.toNanos(node.integer("moveWindowMs", 1, MAX_MS,
                TimeUnit.NANOSECONDS.toMillis(OracleConfig.DEFAULT_MOVE_WINDOW_NS))),
            TimeUnit.MILLISECONDS.toNanos(node.integer("staleAfterMs", 1, MAX_MS,
                TimeUnit.NANOSECONDS.toMillis(OracleConfig.DEFAULT_STALE_AFTER_NS))),
            TimeUnit.MILLISECONDS.toNanos(node.integer("maxAgeMs", 1, windowMs, Math.min(windowMs, 5_000))));
        try
        {
            oracleConfig(marketId, oracle);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(node.path(), ex.getMessage());
        }
        return oracle;
    }

    /** The risk-margin oracle configuration of a configured market. */
    public static OracleConfig oracleConfig(final int marketId, final NodeConfig.Oracle oracle)
    {
        return OracleConfig.builder(marketId, oracle.sourceKeys()).quorum(oracle.quorum())
            .validityWindowNs(oracle.validityWindowNs()).maxMovePpm(oracle.maxMovePpm()).moveWindowNs(oracle.moveWindowNs())
            .staleAfterNs(oracle.staleAfterNs()).build();
    }

    private static List<NodeConfig.ApiKey> apiKeys(final ConfigNode root)
    {
        final Map<String, String> seen = new HashMap<>();
        final List<NodeConfig.ApiKey> keys = new ArrayList<>();
        for (final ConfigNode node : root.objects("apiKeys", API_KEY, false))
        {
            final String key = node.string("key");
            if (!ApiKeyStore.KEY_PATTERN.matcher(key).matches())
            {
                throw new ConfigException(node.child("key"), "must be 8-64 characters of [A-Za-z0-9_-]: " + key);
            }
            final String previous = seen.putIfAbsent(key, node.path());
            if (previous != null)
            {
                throw new ConfigException(node.child("key"), "duplicate API key " + key + " (also " + previous + ".key)");
            }
            final byte[] secret = node.string("secret").getBytes(StandardCharsets.UTF_8);
            if (secret.length < ApiKeyStore.MIN_SECRET_BYTES)
            {
                throw new ConfigException(node.child("secret"), "must have at least " + ApiKeyStore.MIN_SECRET_BYTES +
                    " bytes (UTF-8), has " + secret.length);
            }
            final ApiKeyStore.Role role = node.choice("role", ApiKeyStore.Role.class, ApiKeyStore.Role.TRADER);
            final long account;
            if (role == ApiKeyStore.Role.TRADER)
            {
                account = node.integer("account", 1, Long.MAX_VALUE);
            }
            else if (node.has("account"))
            {
                throw new ConfigException(node.child("account"), "an " + role + " key has no account");
            }
            else
            {
                account = 0;
            }
            keys.add(new NodeConfig.ApiKey(key, secret, role, account));
        }
        return keys;
    }

    private static List<NodeConfig.Deposit> deposits(final ConfigNode root, final NodeConfig.Settlement settlement)
    {
        final Map<Long, byte[]> owners = new HashMap<>();
        final List<NodeConfig.Deposit> deposits = new ArrayList<>();
        for (final ConfigNode node : root.objects("deposits", DEPOSIT, false))
        {
            // With settlement, the top leaves of the tree are the ledger's own (fee, insurance, funding).
            final long maxAccount = settlement == null ? Long.MAX_VALUE : ReservedLeaves.firstReserved(settlement.treeDepth()) - 1;
            final long account = node.integer("account", 1, maxAccount);
            final long amount = node.decimal("amount", USDC_DECIMALS, 1);
            final byte[] owner = node.hex("ownerKey", Ed25519Keys.PUBLIC_KEY_LENGTH);
            if (!Ed25519Keys.isValidPublicKey(owner))
            {
                throw new ConfigException(node.child("ownerKey"), "is not an Ed25519 public key");
            }
            final byte[] known = owners.putIfAbsent(account, owner);
            if (known != null && !Arrays.equals(known, owner))
            {
                throw new ConfigException(node.child("ownerKey"), "account " + account + " already has another owner key");
            }
            deposits.add(new NodeConfig.Deposit(account, amount, owner));
        }
        return deposits;
    }
}
