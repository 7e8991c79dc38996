package io.perpetua.funding;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.FundingPaymentDecoder;
import io.perpetua.core.sbe.FundingTickAppliedDecoder;
import io.perpetua.core.sbe.InsuranceFundChangedDecoder;
import io.perpetua.core.sbe.LiquidationStepDecoder;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.PositionChangedDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.SignedRequests;
import io.perpetua.risk.engine.RiskEngine;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.Position;
import io.perpetua.risk.oracle.OracleMessage;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drives a matching engine with the risk engine through encoded commands, as the pipeline does, keeps
 * every command (for replay) and every events document (for the journal tailers), and renders the
 * funding-related events as short lines. Units: prices in micro-USDC per coin (tick $1), sizes in
 * lots of 0.001 coin, so one lot at $100 is 100,000 quantums ($0.10) and a quantum per tick-lot is
 * 1,000. Command time advances {@link #stepNs} per command.
 */
final class FundingHarness
{
    static final long USD = 1_000_000L;
    static final long COIN = 1_000L;
    static final long QUANTUMS_PER_TICK_LOT = 1_000L;
    private static final int ORACLE_SOURCES = 3;
    private static final KeyPair[] ORACLE_KEYS = new KeyPair[ORACLE_SOURCES];

    static
    {
        for (int i = 0; i < ORACLE_SOURCES; i++)
        {
            ORACLE_KEYS[i] = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("funding-harness-oracle", i));
        }
    }

    final RiskEngine risk = new RiskEngine();
    final MatchingEngine engine = new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate(), risk, new EventPublisher());
    final CommandAdapter adapter = new CommandAdapter(engine);
    private final CommandEncoder orders = new CommandEncoder();
    private final AccountCommandEncoder accounts = new AccountCommandEncoder();
    private final FundingCommandEncoder funding = new FundingCommandEncoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    /** Every command as applied (stamped), in order. */
    final List<byte[]> commands = new ArrayList<>();
    /** Every command's events document, in order. */
    final List<byte[]> documents = new ArrayList<>();
    long sequence;
    long nowNs = 1_000_000_000_000L;
    long stepNs = 1_000_000L;
    private long depositId;
    private final TreeMap<Long, Long> nonces = new TreeMap<>();

    static KeyPair ownerKeys(final long accountId)
    {
        return Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("funding-harness-account", accountId));
    }

    /** A fee-free market with tick $1 and lot 0.001 coin, its oracle (3 sources, quorum 2) and margin fractions. */
    void market(final int marketId, final int imfPpm, final int mmfPpm)
    {
        expectNoReject(submit(orders.addMarket(buffer, 0, marketId, "M" + marketId + "-USD", USD, 1, 3, 1, 1_000_000 * COIN,
            0, 0, 0, 0, 0, false, MarketStatus.ACTIVE)));
        final byte[][] keys = new byte[ORACLE_SOURCES][];
        for (int i = 0; i < ORACLE_SOURCES; i++)
        {
            keys[i] = Ed25519Keys.rawPublicKey(ORACLE_KEYS[i].getPublic());
        }
        // A long staleness window: the tests move command time by hours.
        expectNoReject(submit(accounts.configureOracle(buffer, 0, marketId, 2, 10_000_000_000L, 500_000, 1_000_000_000L,
            1_000_000_000_000_000L, keys)));
        expectNoReject(submit(accounts.configureRisk(buffer, 0, marketId, imfPpm, mmfPpm, 0, 0, 15_000, 100_000,
            1_000 * USD, 100_000 * USD, 1_500_000)));
    }

    List<String> oracle(final int marketId, final long price)
    {
        final long at = nowNs + stepNs;
        final int[] indexes = new int[ORACLE_SOURCES];
        final long[] prices = new long[ORACLE_SOURCES];
        final long[] times = new long[ORACLE_SOURCES];
        final byte[][] signatures = new byte[ORACLE_SOURCES][];
        for (int i = 0; i < ORACLE_SOURCES; i++)
        {
            indexes[i] = i;
            prices[i] = price;
            times[i] = at;
            signatures[i] = OracleMessage.sign(ORACLE_KEYS[i].getPrivate(), marketId, price, at);
        }
        return submit(accounts.oraclePrice(buffer, 0, marketId, ORACLE_SOURCES, indexes, prices, times, signatures));
    }

    List<String> deposit(final long accountId, final long amount)
    {
        return submit(accounts.deposit(buffer, 0, accountId, amount, ++depositId,
            Ed25519Keys.rawPublicKey(ownerKeys(accountId).getPublic())));
    }

    List<String> withdraw(final long accountId, final long amount)
    {
        final long nonce = nonces.merge(accountId, 1L, Long::sum);
        final long expiry = nowNs + 3_600_000_000_000L;
        final byte[] signature = SignedRequests.signWithdrawal(ownerKeys(accountId).getPrivate(), accountId, amount, nonce, expiry);
        return submit(accounts.withdraw(buffer, 0, accountId, amount, nonce, expiry, signature));
    }

    List<String> limit(final long accountId, final int marketId, final Side side, final long price, final long size)
    {
        return submit(orders.placeOrder(buffer, 0, accountId, marketId, 0, side, OrderType.LIMIT, TimeInForce.GTC, (byte)0,
            SelfTradePrevention.CANCEL_MAKER, price, size, 0));
    }

    List<String> ioc(final long accountId, final int marketId, final Side side, final long price, final long size)
    {
        return submit(orders.placeOrder(buffer, 0, accountId, marketId, 0, side, OrderType.LIMIT, TimeInForce.IOC, (byte)0,
            SelfTradePrevention.CANCEL_MAKER, price, size, 0));
    }

    /** {@code taker} takes {@code size} lots from {@code maker} at {@code price} (taker buys if size > 0). */
    void trade(final long maker, final long taker, final int marketId, final long price, final long size)
    {
        final Side takerSide = size > 0 ? Side.BUY : Side.SELL;
        expectNoReject(limit(maker, marketId, takerSide == Side.BUY ? Side.SELL : Side.BUY, price, Math.abs(size)));
        expectNoReject(ioc(taker, marketId, takerSide, price, Math.abs(size)));
    }

    List<String> setLeverage(final long accountId, final int marketId, final int leverage)
    {
        return submit(accounts.setLeverage(buffer, 0, accountId, marketId, leverage));
    }

    List<String> liquidate(final long accountId)
    {
        return submit(accounts.liquidate(buffer, 0, accountId));
    }

    List<String> fundingTick(final int marketId, final long rate8hPpb, final long fundingTimeNs)
    {
        return submit(funding.fundingTick(buffer, 0, marketId, rate8hPpb, fundingTimeNs));
    }

    /** Submits an encoded command at the next command time. */
    List<String> submit(final int length)
    {
        nowNs += stepNs;
        CommandAdapter.stamp(buffer, 0, ++sequence, nowNs);
        commands.add(Arrays.copyOf(buffer.byteArray(), length));
        adapter.apply(buffer, 0, length);
        final DirectBuffer events = engine.events().buffer();
        final int eventsLength = engine.events().length();
        final byte[] document = new byte[eventsLength];
        events.getBytes(0, document);
        documents.add(document);
        checkConservation();
        return render(events, eventsLength);
    }

    static void expectNoReject(final List<String> events)
    {
        for (final String event : events)
        {
            if (event.startsWith("Rejected"))
            {
                throw new AssertionError("unexpected reject: " + events);
            }
        }
    }

    Account account(final long accountId)
    {
        return risk.ledger().account(accountId);
    }

    long balance(final long accountId)
    {
        return account(accountId).balance();
    }

    /** Quote balances + fee + insurance + funding account = deposits - withdrawals, exactly. */
    void checkConservation()
    {
        final Ledger ledger = risk.ledger();
        long sum = ledger.feeBalance() + ledger.insuranceBalance() + ledger.fundingBalance();
        final TreeMap<Integer, long[]> sizes = new TreeMap<>();
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            final Account account = ledger.account(ledger.accountIdAt(i));
            sum += account.balance();
            for (int p = 0; p < account.positionCount(); p++)
            {
                final Position position = account.positionAt(p);
                sizes.computeIfAbsent(position.marketId(), id -> new long[2])[position.sizeLots() > 0 ? 0 : 1] +=
                    Math.abs(position.sizeLots());
            }
        }
        assertEquals(ledger.netDeposits(), sum, "balances + fee + insurance + funding = deposits - withdrawals");
        sizes.forEach((market, cell) -> assertEquals(cell[0], cell[1], "longs = shorts in market " + market));
    }

    /** A fresh engine that applies every command so far; for replay comparisons. */
    FundingHarness replay()
    {
        final FundingHarness copy = new FundingHarness();
        final ExpandableArrayBuffer replayBuffer = new ExpandableArrayBuffer(1024);
        for (final byte[] command : commands)
        {
            replayBuffer.putBytes(0, command);
            copy.adapter.apply(replayBuffer, 0, command.length);
            final byte[] document = new byte[copy.engine.events().length()];
            copy.engine.events().buffer().getBytes(0, document);
            copy.documents.add(document);
        }
        return copy;
    }

    /** Lines for the events this harness asserts on; others as their template id. */
    static List<String> render(final DirectBuffer buffer, final int length)
    {
        final List<String> lines = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int offset = 0;
        while (offset < length)
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final int block = header.blockLength();
            final int version = header.version();
            int messageLength = MessageHeaderDecoder.ENCODED_LENGTH + block;
            switch (header.templateId())
            {
                case RejectedDecoder.TEMPLATE_ID:
                    lines.add("Rejected " + new RejectedDecoder().wrap(buffer, body, block, version).reason());
                    break;
                case FundingTickAppliedDecoder.TEMPLATE_ID:
                {
                    final FundingTickAppliedDecoder d = new FundingTickAppliedDecoder().wrap(buffer, body, block, version);
                    lines.add("FundingTick market=" + d.marketId() + " rate=" + d.rate8hPpb() + " mark=" + d.markPrice() +
                        " index=" + d.fundingIndex());
                    break;
                }
                case FundingPaymentDecoder.TEMPLATE_ID:
                {
                    final FundingPaymentDecoder d = new FundingPaymentDecoder().wrap(buffer, body, block, version);
                    lines.add("FundingPayment account=" + d.accountId() + " market=" + d.marketId() + " amount=" +
                        d.amount() + " size=" + d.size() + " index=" + d.fundingIndex() + " balance=" + d.balance() +
                        " funding=" + d.fundingBalance());
                    break;
                }
                case InsuranceFundChangedDecoder.TEMPLATE_ID:
                {
                    final InsuranceFundChangedDecoder d = new InsuranceFundChangedDecoder().wrap(buffer, body, block, version);
                    lines.add("Insurance account=" + d.accountId() + " " + d.cause() + " " + d.amount() + " fund=" +
                        d.fundBalance());
                    break;
                }
                case PositionChangedDecoder.TEMPLATE_ID:
                {
                    final PositionChangedDecoder d = new PositionChangedDecoder().wrap(buffer, body, block, version);
                    lines.add("Position account=" + d.accountId() + " size=" + d.size() + " balance=" + d.balance());
                    break;
                }
                case LiquidationStepDecoder.TEMPLATE_ID:
                    lines.add("LiquidationStep account=" + new LiquidationStepDecoder().wrap(buffer, body, block, version)
                        .accountId());
                    break;
                case MarketConfiguredDecoder.TEMPLATE_ID:
                    lines.add("Event " + header.templateId());
                    messageLength += MarketConfiguredDecoder.symbolHeaderLength() +
                        buffer.getInt(body + block, ByteOrder.LITTLE_ENDIAN);
                    break;
                default:
                    lines.add("Event " + header.templateId());
                    break;
            }
            offset += messageLength;
        }
        return lines;
    }
}
