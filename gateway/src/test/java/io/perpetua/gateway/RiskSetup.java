package io.perpetua.gateway;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.margin.RiskParams;
import io.perpetua.risk.oracle.OracleMessage;

import java.security.KeyPair;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Risk-margin's setup for a {@link TestExchange} built {@link TestExchange#withRisk with risk}: the
 * default margin parameters, a two-of-three oracle with test keys, signed mark prices and deposits.
 */
final class RiskSetup
{
    static final int IMF_PPM = RiskParams.DEFAULT_IMF_PPM;
    static final int MMF_PPM = RiskParams.DEFAULT_MMF_PPM;
    private static final int SOURCES = 3;

    private final TestExchange exchange;
    private final AccountCommandEncoder accounts = new AccountCommandEncoder();
    private final KeyPair[] sources = new KeyPair[SOURCES];

    RiskSetup(final TestExchange exchange)
    {
        this.exchange = exchange;
        for (int i = 0; i < SOURCES; i++)
        {
            sources[i] = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("perpetua/gateway-test-oracle", i));
        }
    }

    /** ConfigureRisk with the large-cap defaults and ConfigureOracle (quorum 2 of 3) for {@code marketId}. */
    long configure(final int marketId) throws Exception
    {
        accepted(accounts.configureRisk(exchange.buffer(), 0, marketId, IMF_PPM, MMF_PPM, 0, 0,
            RiskParams.DEFAULT_LIQUIDATION_FEE_PPM, RiskParams.DEFAULT_SLICE_PPM, RiskParams.DEFAULT_MIN_SLICE_NOTIONAL,
            RiskParams.DEFAULT_MAX_LIQUIDATION_NOTIONAL, RiskParams.DEFAULT_FILLABLE_FACTOR_PPM));
        final byte[][] keys = new byte[SOURCES][];
        for (int i = 0; i < SOURCES; i++)
        {
            keys[i] = Ed25519Keys.rawPublicKey(sources[i].getPublic());
        }
        return accepted(accounts.configureOracle(exchange.buffer(), 0, marketId, 2, 10_000_000_000L, 150_000,
            1_000_000_000L, 30_000_000_000L, keys));
    }

    /**
     * A mark price signed by two sources, observed a moment before now on the wall clock: the
     * sequencer stamps commands with the wall clock and the core accepts observations within its
     * validity window.
     */
    long markPrice(final int marketId, final long price) throws Exception
    {
        final long observedNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 50);
        final int[] indexes = {0, 1};
        final long[] prices = {price, price};
        final long[] times = {observedNs, observedNs};
        final byte[][] signatures = {
            OracleMessage.sign(sources[0].getPrivate(), marketId, price, observedNs),
            OracleMessage.sign(sources[1].getPrivate(), marketId, price, observedNs)};
        return accepted(accounts.oraclePrice(exchange.buffer(), 0, marketId, 2, indexes, prices, times, signatures));
    }

    /** Deposits {@code amount} quote quantums into {@code accountId} (deposit id = account id). */
    long deposit(final long accountId, final long amount) throws Exception
    {
        final byte[] owner = Ed25519Keys.rawPublicKey(
            Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("perpetua/gateway-test-account", accountId)).getPublic());
        return accepted(accounts.deposit(exchange.buffer(), 0, accountId, amount, accountId, owner));
    }

    long setLeverage(final long accountId, final int marketId, final int leverage) throws Exception
    {
        return accepted(accounts.setLeverage(exchange.buffer(), 0, accountId, marketId, leverage));
    }

    private long accepted(final int length) throws Exception
    {
        final TestExchange.Result result = exchange.submit(length);
        assertNull(result.rejectReason(), "setup command rejected at sequence " + result.sequence());
        return result.sequence();
    }
}
