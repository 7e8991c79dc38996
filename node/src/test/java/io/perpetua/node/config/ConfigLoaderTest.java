package io.perpetua.node.config;

import io.perpetua.core.pipeline.WaitMode;
import io.perpetua.gateway.sbe.SbeServer;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.risk.auth.Ed25519Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict YAML loader: a valid file's values, and each kind of error naming its field's path. */
class ConfigLoaderTest
{
    static final String KEY_0 = key("config-test/oracle", 0);
    static final String KEY_1 = key("config-test/oracle", 1);
    static final String OWNER = key("config-test/owner", 11);

    static final String VALID = """
        journal: data/journal
        waitStrategy: YIELDING
        snapshotIntervalSeconds: 30
        http: {host: 127.0.0.1, port: 8081}
        sbe: {port: 9091, reportWindow: 512, reportIndexInterval: 64, reportJournalReplay: false}
        gateway: {ioThreads: 2, rateLimitPerSecond: 50, rateLimitBurst: 80}
        funding: {sampleIntervalSeconds: 2, fundingIntervalSeconds: 20, impactNotional: "5000"}
        settlement: {enabled: true, treeDepth: 12, maxBatchSeconds: 3}
        markets:
          - id: 1
            symbol: BTC-USD
            tickSize: 50
            lotSize: 100000
            quoteScaleExponent: 4
            minSize: 100000
            maxSize: 1000000000
            priceBandPpm: 50000
            makerFeePpm: -100
            takerFeePpm: 500
            referencePrice: 6000000
            risk: {initialMarginPpm: 100000, maintenanceMarginPpm: 50000, minSliceNotional: "1000"}
            oracle:
              quorum: 2
              maxAgeMs: 3000
              sources: ["%s", "%s"]
          - id: 2
            symbol: ETH-USD
            tickSize: 5
            lotSize: 10000
            quoteScaleExponent: 2
            minSize: 10000
            maxSize: 10000000000
            priceBandPpm: 50000
            makerFeePpm: -100
            takerFeePpm: 500
            referencePrice: 300000
            oracle:
              sources: ["%s"]
        apiKeys:
          - {key: alice-key, secret: alice-secret-0123456789, account: 11}
          - {key: oracle-key, secret: oracle-secret-0123456789, role: ORACLE}
        deposits:
          - {account: 11, amount: "2500.5", ownerKey: "%s"}
        """.formatted(KEY_0, KEY_1, KEY_0, OWNER);

    @TempDir
    Path dir;

    static String key(final String label, final long index)
    {
        return HexFormat.of().formatHex(Ed25519Keys.rawPublicKey(Ed25519Keys.keyPairFromSeed(
            Ed25519Keys.deriveSeed(label, index)).getPublic()));
    }

    private static String error(final String yaml)
    {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Path.of("/base"))).getMessage();
    }

    /** The error of VALID with {@code from} replaced by {@code to} (which must occur). */
    private static String errorWith(final String from, final String to)
    {
        assertTrue(VALID.contains(from), from);
        return error(VALID.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    @Test
    void aValidFileGivesEveryValue() throws Exception
    {
        final Path file = dir.resolve("node.yaml");
        Files.writeString(file, VALID);
        final NodeConfig config = ConfigLoader.load(file);
        assertEquals(dir.resolve("data/journal"), config.journal());
        assertEquals(WaitMode.YIELDING, config.waitMode());
        assertEquals(TimeUnit.SECONDS.toNanos(30), config.snapshotIntervalNs());
        assertEquals(new NodeConfig.Listener("127.0.0.1", 8081), config.http());
        assertEquals(new NodeConfig.Listener("127.0.0.1", 9091), config.sbe());
        assertEquals(new NodeConfig.SbeReports(512, 64, false), config.sbeReports());
        assertEquals(2, config.ioThreads());
        assertEquals(50, config.rateLimitPerSecond());
        assertEquals(80, config.rateLimitBurst());
        assertEquals(TimeUnit.SECONDS.toNanos(20), config.funding().fundingIntervalNs());
        assertEquals(5_000_000_000L, config.funding().impactNotional());
        assertEquals(new NodeConfig.Settlement(12, TimeUnit.SECONDS.toNanos(3), 1_000_000,
            ConfigLoader.DEFAULT_SNAPSHOT_INTERVAL), config.settlement());
        assertEquals(2, config.markets().size());
        final NodeConfig.Market btc = config.markets().get(0);
        assertEquals("BTC-USD", btc.symbol());
        assertEquals(50, btc.tickSize());
        assertEquals(-100, btc.makerFeePpm());
        assertEquals(100_000, btc.risk().initialMarginPpm());
        assertEquals(1_000_000_000L, btc.risk().minSliceNotional());
        assertEquals(2, btc.oracle().quorum());
        assertEquals(TimeUnit.SECONDS.toNanos(3), btc.oracle().maxAgeNs());
        assertArrayEquals(HexFormat.of().parseHex(KEY_1), btc.oracle().sourceKeys().get(1));
        assertEquals(1, config.markets().get(1).oracle().quorum(), "one source: a quorum of one by default");
        assertEquals(30_000, config.markets().get(1).risk().maintenanceMarginPpm(), "risk defaults");
        assertEquals(ApiKeyStore.Role.TRADER, config.apiKeys().get(0).role());
        assertEquals(11, config.apiKeys().get(0).accountId());
        assertEquals(ApiKeyStore.Role.ORACLE, config.apiKeys().get(1).role());
        assertEquals(0, config.apiKeys().get(1).accountId());
        assertEquals(2_500_500_000L, config.deposits().get(0).amount());
    }

    @Test
    void defaultsAndOptionalSections()
    {
        final String minimal = """
            journal: /var/lib/perpetua
            markets:
              - {id: 7, symbol: SOL-USD, tickSize: 1, lotSize: 1000, quoteScaleExponent: 0, minSize: 1000, maxSize: 1000000,
                 priceBandPpm: 100000, makerFeePpm: 0, takerFeePpm: 100, referencePrice: 15000, oracle: {sources: ["%s"]}}
            """.formatted(KEY_0);
        final NodeConfig config = ConfigLoader.parse(minimal, Path.of("/elsewhere"));
        assertEquals(Path.of("/var/lib/perpetua"), config.journal());
        assertEquals(WaitMode.BLOCKING, config.waitMode());
        assertEquals(ConfigLoader.DEFAULT_HTTP_PORT, config.http().port());
        assertEquals(ConfigLoader.DEFAULT_SBE_PORT, config.sbe().port());
        assertEquals(new NodeConfig.SbeReports(SbeServer.ReportReplay.DEFAULT_WINDOW,
            SbeServer.ReportReplay.DEFAULT_INDEX_INTERVAL, true), config.sbeReports());
        assertNull(config.settlement());
        assertTrue(config.apiKeys().isEmpty());
        assertNull(ConfigLoader.parse(minimal + "sbe: {enabled: false}\n", Path.of("/")).sbe());
    }

    @Test
    void unknownFieldsAreErrorsWithTheirPath()
    {
        assertEquals("markets[1].tickSise: unknown field (allowed: id, lotSize, makerFeePpm, maxNotional, maxSize, minSize, " +
            "oracle, priceBandPpm, quoteScaleExponent, referencePrice, risk, symbol, takerFeePpm, tickSize)",
            errorWith("tickSize: 5\n", "tickSise: 5\n"));
        assertTrue(errorWith("waitStrategy:", "waitStrategi:").startsWith("waitStrategi: unknown field"));
        assertTrue(errorWith("apiKeys:\n  - {key: alice-key,", "apiKeys:\n  - {kee: x, key: alice-key,")
            .startsWith("apiKeys[0].kee: unknown field"));
        assertTrue(errorWith("risk: {initialMarginPpm", "risk: {imr: 1, initialMarginPpm").startsWith("markets[0].risk.imr: unknown field"));
    }

    @Test
    void missingRequiredFieldsAreErrors()
    {
        assertEquals("journal: required", errorWith("journal: data/journal\n", ""));
        assertEquals("markets[1].tickSize: required", errorWith("    tickSize: 5\n", ""));
        assertEquals("markets[0].oracle.sources: required", errorWith("      sources: [\"" + KEY_0 + "\", \"" + KEY_1 + "\"]\n", ""));
        assertEquals("apiKeys[0].account: required", errorWith(", account: 11}", "}"));
        assertEquals("deposits[0].ownerKey: required", errorWith(", ownerKey: \"" + OWNER + "\"}", "}"));
        assertEquals("markets: required", error("journal: x\n"));
        assertEquals("(top level): the configuration is empty", error(""));
    }

    @Test
    void wrongTypesAreErrors()
    {
        assertEquals("markets[0].tickSize: must be an integer, not a string", errorWith("tickSize: 50", "tickSize: \"50\""));
        assertEquals("http.port: must be an integer: 80.5", errorWith("port: 8081", "port: 80.5"));
        assertEquals("deposits[0].amount: must be a decimal string, e.g. \"2500.50\" (quoted: no floating point)",
            errorWith("amount: \"2500.5\"", "amount: 2500.5"));
        assertEquals("markets: must be a list", error("journal: j\nmarkets: 3\n"));
        assertEquals("waitStrategy: must be one of BLOCKING, YIELDING, BUSY_SPIN: SLEEPY", errorWith("YIELDING", "SLEEPY"));
        assertEquals("settlement.enabled: must be true or false", errorWith("enabled: true", "enabled: 1"));
        assertEquals("apiKeys[1].role: must be one of TRADER, ORACLE: ADMIN", errorWith("role: ORACLE", "role: ADMIN"));
        assertTrue(error("journal: [unclosed\n").startsWith("(top level): not valid YAML"));
        assertTrue(errorWith("http: {host", "journal: again\nhttp: {host").startsWith("(top level): not valid YAML: Duplicate field"));
    }

    @Test
    void outOfRangeValuesAreErrors()
    {
        assertEquals("markets[0].tickSize: must be > 0: 0", errorWith("tickSize: 50", "tickSize: 0"));
        assertEquals("markets[1].lotSize: must be > 0: -5", errorWith("lotSize: 10000\n", "lotSize: -5\n"));
        assertEquals("http.port: must be from 0 to 65535: 70000", errorWith("port: 8081", "port: 70000"));
        assertEquals("sbe.port: must differ from http.port: 8081", errorWith("port: 9091", "port: 8081"));
        assertEquals("sbe.reportWindow: must be from 1 to 1048576: 0", errorWith("reportWindow: 512", "reportWindow: 0"));
        assertEquals("sbe.reportIndexInterval: must be from 1 to 1048576: 2000000",
            errorWith("reportIndexInterval: 64", "reportIndexInterval: 2000000"));
        assertEquals("markets[0].quoteScaleExponent: must be from 0 to 18: 19", errorWith("quoteScaleExponent: 4", "quoteScaleExponent: 19"));
        assertEquals("markets[0].makerFeePpm: must be from -100000 to 100000: -200000", errorWith("makerFeePpm: -100", "makerFeePpm: -200000"));
        assertEquals("markets[0]: referencePrice must be 0 or a positive multiple of tickSize",
            errorWith("referencePrice: 6000000", "referencePrice: 6000001"));
        assertEquals("markets[0].risk.maintenanceMarginPpm: must not exceed initialMarginPpm (100000): 150000",
            errorWith("maintenanceMarginPpm: 50000", "maintenanceMarginPpm: 150000"));
        assertEquals("markets[0].oracle.quorum: must be from 1 to 2: 3", errorWith("quorum: 2", "quorum: 3"));
        assertEquals("markets[0].oracle.sources[1]: must be 64 hex digits (32 bytes)", errorWith(KEY_1, "abcd"));
        assertEquals("funding.fundingIntervalSeconds: must be a multiple of sampleIntervalSeconds (2): 21",
            errorWith("fundingIntervalSeconds: 20", "fundingIntervalSeconds: 21"));
        assertEquals("deposits[0].amount: has more than 6 decimal places: 1.0000001", errorWith("\"2500.5\"", "\"1.0000001\""));
        assertEquals("deposits[0].amount: must be from 0.000001 to 9223372036854.775807: 0", errorWith("\"2500.5\"", "\"0\""));
        assertEquals("deposits[0].account: must be from 1 to 4092: 5000", errorWith("{account: 11, amount", "{account: 5000, amount"));
        assertEquals("settlement.treeDepth: must be from 1 to 30: 40", errorWith("treeDepth: 12", "treeDepth: 40"));
        assertEquals("settlement.snapshotEveryBatches: must be from 0 to 1000000: -1",
            errorWith("maxBatchSeconds: 3", "maxBatchSeconds: 3, snapshotEveryBatches: -1"));
    }

    @Test
    void duplicatesAndBadKeysAreErrors()
    {
        assertEquals("markets[1].id: duplicate market id 1 (also markets[0].id)", errorWith("id: 2", "id: 1"));
        assertEquals("markets[1].symbol: duplicate symbol BTC-USD (also markets[0].symbol)", errorWith("ETH-USD", "BTC-USD"));
        assertEquals("markets[0].oracle.sources[1]: duplicate source key", errorWith(KEY_1, KEY_0));
        assertEquals("apiKeys[1].key: duplicate API key alice-key (also apiKeys[0].key)", errorWith("oracle-key", "alice-key"));
        assertEquals("apiKeys[0].key: must be 8-64 characters of [A-Za-z0-9_-]: al", errorWith("key: alice-key", "key: al"));
        assertEquals("apiKeys[0].secret: must have at least 16 bytes (UTF-8), has 5", errorWith("alice-secret-0123456789", "short"));
        assertEquals("apiKeys[1].account: an ORACLE key has no account", errorWith("role: ORACLE", "role: ORACLE, account: 3"));
        assertEquals("markets[0].symbol: must be 1-32 printable ASCII characters without spaces: BTC USD",
            errorWith("symbol: BTC-USD", "symbol: BTC USD"));
    }

    @Test
    void theDemosEmbeddedConfigurationLoads()
    {
        final NodeConfig demo = ConfigLoader.resource("/io/perpetua/node/demo.yaml", Path.of("/tmp"));
        assertEquals(2, demo.markets().size());
        assertEquals(3, demo.markets().get(0).oracle().sourceKeys().size());
        assertEquals(45, demo.apiKeys().size());
        assertEquals(42, demo.deposits().size());
        final NodeConfig example = ConfigLoader.resource("/perpetua-example.yaml", Path.of("/tmp"));
        assertTrue(example.markets().size() >= 1);
    }
}
