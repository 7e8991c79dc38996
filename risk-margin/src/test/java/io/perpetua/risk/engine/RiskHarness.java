package io.perpetua.risk.engine;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.CollateralChangedDecoder;
import io.perpetua.core.sbe.DeleveragedDecoder;
import io.perpetua.core.sbe.FillDecoder;
import io.perpetua.core.sbe.InsuranceFundChangedDecoder;
import io.perpetua.core.sbe.LiquidationStepDecoder;
import io.perpetua.core.sbe.LeverageSetDecoder;
import io.perpetua.core.sbe.MarkPriceUpdatedDecoder;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderAcceptedDecoder;
import io.perpetua.core.sbe.OrderAmendedDecoder;
import io.perpetua.core.sbe.OrderCancelledDecoder;
import io.perpetua.core.sbe.OrderRestedDecoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.PositionChangedDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.SignedRequests;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.Position;
import io.perpetua.risk.oracle.OracleMessage;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drives a matching engine with the risk engine through encoded commands, as the pipeline does,
 * and renders each command's events as short text lines. Units make hand computation easy:
 * prices in micro-USDC per coin (tick $1), sizes in milli-coins (lot 0.001), quote = price * size / 10^3,
 * so 1 coin at $100 is 100,000,000 quantums ($100). Time advances 1 ms per command.
 */
final class RiskHarness
{
    static final long USD = 1_000_000L;
    static final long COIN = 1_000L;
    static final int ORACLE_SOURCES = 3;
    private static final java.util.Map<Long, KeyPair> OWNER_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    final RiskEngine risk = new RiskEngine();
    final MatchingEngine engine = new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate(), risk, new EventPublisher());
    final CommandAdapter adapter = new CommandAdapter(engine);
    final CommandEncoder orders = new CommandEncoder();
    final AccountCommandEncoder accounts = new AccountCommandEncoder();
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    /** Compares its cached margin figures with {@link ReferenceMargin} after every command. */
    private final io.perpetua.risk.margin.MarginCalculator checkCalculator = risk.newCalculator();
    final KeyPair[] oracleKeys = new KeyPair[ORACLE_SOURCES];
    long sequence;
    long nowNs = 1_000_000_000_000L;
    long depositId;
    final List<String> lastEvents = new ArrayList<>();
    /** Every stamped command applied, in order, for replay. */
    final List<byte[]> journal = new ArrayList<>();
    /** The event bytes of each command, in order. */
    final List<byte[]> eventLog = new ArrayList<>();

    RiskHarness()
    {
        for (int i = 0; i < ORACLE_SOURCES; i++)
        {
            oracleKeys[i] = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("risk-harness-oracle", i));
        }
    }

    /** The key pair of the owner of main account {@code accountId} (derived once, then cached). */
    static KeyPair ownerKeys(final long accountId)
    {
        return OWNER_KEYS.computeIfAbsent(accountId,
            id -> Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("risk-harness-account", id)));
    }

    /** The key that signs for an account: its own, or its owner's for an isolated subaccount. */
    private KeyPair signer(final long accountId)
    {
        final Account account = account(accountId);
        return ownerKeys(account != null && account.parentAccountId() != 0 ? account.parentAccountId() : accountId);
    }

    /** A market with tick $1 and lot 0.001 coin, its oracle (3 sources, quorum 2) and margin parameters. */
    void market(final int marketId, final int makerFeePpm, final int takerFeePpm, final int imfPpm, final int mmfPpm)
    {
        submit(orders.addMarket(buffer, 0, marketId, "M" + marketId + "-USD", USD, 1, 3, 1, 1_000_000 * COIN, 0, 0,
            makerFeePpm, takerFeePpm, 0, false, MarketStatus.ACTIVE));
        final byte[][] keys = new byte[ORACLE_SOURCES][];
        for (int i = 0; i < ORACLE_SOURCES; i++)
        {
            keys[i] = Ed25519Keys.rawPublicKey(oracleKeys[i].getPublic());
        }
        expectNoReject(submit(accounts.configureOracle(buffer, 0, marketId, 2, 10_000_000_000L, 500_000, 1_000_000_000L,
            3_600_000_000_000L, keys)));
        expectNoReject(submit(accounts.configureRisk(buffer, 0, marketId, imfPpm, mmfPpm, 0, 0, 15_000, 100_000,
            1_000 * USD, 100_000 * USD, 1_500_000)));
    }

    /** Signed prices from all sources at the next command time; {@code price} in micro-USDC. */
    List<String> oracle(final int marketId, final long price)
    {
        return oracleFrom(marketId, price, 0, 1, 2);
    }

    /** The same price signed by the given sources at the next command time. */
    List<String> oracleFrom(final int marketId, final long price, final int... sources)
    {
        final long at = nowNs + 1_000_000;
        final long[] prices = new long[sources.length];
        final long[] times = new long[sources.length];
        final byte[][] signatures = new byte[sources.length][];
        for (int i = 0; i < sources.length; i++)
        {
            prices[i] = price;
            times[i] = at;
            signatures[i] = OracleMessage.sign(oracleKeys[sources[i]].getPrivate(), marketId, price, at);
        }
        return submit(accounts.oraclePrice(buffer, 0, marketId, sources.length, sources, prices, times, signatures));
    }

    List<String> deposit(final long accountId, final long amount)
    {
        return submit(accounts.deposit(buffer, 0, accountId, amount, ++depositId,
            Ed25519Keys.rawPublicKey(ownerKeys(accountId).getPublic())));
    }

    List<String> withdraw(final long accountId, final long amount, final long nonce)
    {
        final long expiry = nowNs + 60_000_000_000L;
        final byte[] signature = SignedRequests.signWithdrawal(signer(accountId).getPrivate(), accountId, amount, nonce, expiry);
        return submit(accounts.withdraw(buffer, 0, accountId, amount, nonce, expiry, signature));
    }

    List<String> transfer(final long from, final long to, final long amount, final long nonce)
    {
        final long expiry = nowNs + 60_000_000_000L;
        final byte[] signature = SignedRequests.signTransfer(signer(from).getPrivate(), from, to, amount, nonce, expiry);
        return submit(accounts.transfer(buffer, 0, from, to, amount, nonce, expiry, signature));
    }

    List<String> depositWithKey(final long accountId, final long amount, final long id, final byte[] publicKey)
    {
        return submit(accounts.deposit(buffer, 0, accountId, amount, id, publicKey));
    }

    List<String> withdrawSigned(
        final long accountId, final long amount, final long nonce, final long expiryNs, final byte[] signature)
    {
        return submit(accounts.withdraw(buffer, 0, accountId, amount, nonce, expiryNs, signature));
    }

    List<String> transferSigned(
        final long from, final long to, final long amount, final long nonce, final long expiryNs, final byte[] signature)
    {
        return submit(accounts.transfer(buffer, 0, from, to, amount, nonce, expiryNs, signature));
    }

    /** A market with no oracle or risk configuration. */
    List<String> bareMarket(final int marketId)
    {
        return submit(orders.addMarket(buffer, 0, marketId, "M" + marketId + "-USD", USD, 1, 3, 1, 1_000_000 * COIN, 0, 0,
            0, 0, 0, false, MarketStatus.ACTIVE));
    }

    List<String> limit(final long accountId, final int marketId, final Side side, final long price, final long size)
    {
        return order(accountId, marketId, side, TimeInForce.GTC, (byte)0, price, size);
    }

    List<String> order(
        final long accountId, final int marketId, final Side side, final TimeInForce tif, final byte flags, final long price,
        final long size)
    {
        return submit(orders.placeOrder(buffer, 0, accountId, marketId, 0, side, OrderType.LIMIT, tif, flags,
            SelfTradePrevention.CANCEL_MAKER, price, size, 0));
    }

    List<String> liquidate(final long accountId)
    {
        return submit(accounts.liquidate(buffer, 0, accountId));
    }

    List<String> setLeverage(final long accountId, final int marketId, final int leverage)
    {
        return submit(accounts.setLeverage(buffer, 0, accountId, marketId, leverage));
    }

    List<String> submit(final int length)
    {
        nowNs += 1_000_000;
        CommandAdapter.stamp(buffer, 0, ++sequence, nowNs);
        final byte[] command = new byte[length];
        buffer.getBytes(0, command);
        return apply(command);
    }

    /** Applies a stamped command as the pipeline would, records it and its events, checks the invariants. */
    List<String> apply(final byte[] command)
    {
        journal.add(command);
        adapter.apply(new UnsafeBuffer(command), 0, command.length);
        final byte[] events = new byte[engine.events().length()];
        engine.events().buffer().getBytes(0, events);
        eventLog.add(events);
        lastEvents.clear();
        lastEvents.addAll(render(engine.events().buffer(), engine.events().length()));
        checkInvariants();
        return new ArrayList<>(lastEvents);
    }

    /** Same-length signed prices of chosen sources, at chosen times, with chosen signatures (for rejects). */
    List<String> oracleObservations(
        final int marketId, final int[] indexes, final long[] prices, final long[] times, final byte[][] signatures)
    {
        return submit(accounts.oraclePrice(buffer, 0, marketId, indexes.length, indexes, prices, times, signatures));
    }

    byte[] oracleSignature(final int source, final int marketId, final long price, final long atNs)
    {
        return OracleMessage.sign(oracleKeys[source].getPrivate(), marketId, price, atNs);
    }

    List<String> cancelAll(final long accountId, final int marketId)
    {
        return submit(orders.cancelAll(buffer, 0, accountId, marketId));
    }

    /** Advances command time by {@code ns} with a heartbeat. */
    List<String> advance(final long ns)
    {
        nowNs += ns - 1_000_000;
        return submit(orders.heartbeat(buffer, 0));
    }

    long hash()
    {
        return engine.stateHash();
    }

    /** A command refused with {@code reason}: a single Rejected event and an unchanged state. */
    void expectReject(final String reason, final java.util.function.Supplier<List<String>> command)
    {
        final long before = hash();
        final List<String> events = command.get();
        assertEquals(List.of("Rejected " + reason), events);
        assertEquals(before, hash(), "a rejected command changes nothing");
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

    long size(final long accountId, final int marketId)
    {
        return account(accountId).sizeLots(marketId);
    }

    /** The exact invariants of issue 4, after every command. */
    void checkInvariants()
    {
        final Ledger ledger = risk.ledger();
        long sum = ledger.feeBalance() + ledger.insuranceBalance() + ledger.fundingBalance();
        final java.util.TreeMap<Integer, long[]> sizes = new java.util.TreeMap<>();
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            final Account account = ledger.account(ledger.accountIdAt(i));
            sum += account.balance();
            for (int p = 0; p < account.positionCount(); p++)
            {
                final Position position = account.positionAt(p);
                final long[] cell = sizes.computeIfAbsent(position.marketId(), id -> new long[2]);
                cell[position.sizeLots() > 0 ? 0 : 1] += Math.abs(position.sizeLots());
            }
        }
        assertEquals(ledger.netDeposits(), sum, "balances + fee + insurance + funding = deposits - withdrawals");
        sizes.forEach((market, cell) ->
        {
            assertEquals(cell[0], cell[1], "longs = shorts in market " + market);
            assertEquals(cell[0], ledger.openInterestLots(market), "open interest of market " + market);
        });
        ReferenceMargin.check(risk, checkCalculator, COIN);
    }

    /** The ids of every account the core's own margin calculator finds liquidatable now, in ledger order. */
    List<Long> liquidatable()
    {
        final Ledger ledger = risk.ledger();
        final io.perpetua.risk.margin.MarginCalculator calculator = risk.newCalculator();
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            final long id = ledger.accountIdAt(i);
            if (!calculator.evaluate(account(id)))
            {
                throw new AssertionError("account " + id + " could not be evaluated");
            }
            if (calculator.liquidatable())
            {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The LiquidationStep lines of rendered events. */
    static List<String> liquidationSteps(final List<String> events)
    {
        return events.stream().filter(e -> e.startsWith("LiquidationStep")).toList();
    }

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
            final int templateId = header.templateId();
            final String line;
            int messageLength = MessageHeaderDecoder.ENCODED_LENGTH + block;
            switch (templateId)
            {
                case RejectedDecoder.TEMPLATE_ID:
                    line = "Rejected " + new RejectedDecoder().wrap(buffer, body, block, version).reason();
                    break;
                case FillDecoder.TEMPLATE_ID:
                {
                    final FillDecoder d = new FillDecoder().wrap(buffer, body, block, version);
                    line = "Fill maker=" + d.makerAccountId() + " taker=" + d.takerAccountId() + " " + d.aggressorSide() +
                        " size=" + d.size() + " price=" + d.price() + " quote=" + d.quote() + " fees=" + d.makerFee() + "/" +
                        d.takerFee() + (d.liquidation() == io.perpetua.core.sbe.BooleanType.TRUE ? " liquidation" : "");
                    break;
                }
                case PositionChangedDecoder.TEMPLATE_ID:
                {
                    final PositionChangedDecoder d = new PositionChangedDecoder().wrap(buffer, body, block, version);
                    line = "Position account=" + d.accountId() + " " + d.cause() + " delta=" + d.sizeDelta() + " size=" +
                        d.size() + " quote=" + d.quoteDelta() + " fee=" + d.fee() + " balance=" + d.balance();
                    break;
                }
                case CollateralChangedDecoder.TEMPLATE_ID:
                {
                    final CollateralChangedDecoder d = new CollateralChangedDecoder().wrap(buffer, body, block, version);
                    line = "Collateral account=" + d.accountId() + " " + d.cause() + " " + d.amount() + " balance=" + d.balance();
                    break;
                }
                case InsuranceFundChangedDecoder.TEMPLATE_ID:
                {
                    final InsuranceFundChangedDecoder d = new InsuranceFundChangedDecoder().wrap(buffer, body, block, version);
                    line = "Insurance account=" + d.accountId() + " " + d.cause() + " " + d.amount() + " fund=" + d.fundBalance();
                    break;
                }
                case LiquidationStepDecoder.TEMPLATE_ID:
                {
                    final LiquidationStepDecoder d = new LiquidationStepDecoder().wrap(buffer, body, block, version);
                    line = "LiquidationStep account=" + d.accountId() + " nc=" + d.netCollateral() + " mmr=" +
                        d.maintenanceMargin() + " " + d.side() + " size=" + d.size() + " limit=" + d.fillablePrice() +
                        " bankruptcy=" + d.bankruptcyQuote() + " filled=" + d.filledSize() + " received=" + d.receivedQuote() +
                        " adl=" + d.deleveragedSize();
                    break;
                }
                case DeleveragedDecoder.TEMPLATE_ID:
                {
                    final DeleveragedDecoder d = new DeleveragedDecoder().wrap(buffer, body, block, version);
                    line = "Deleveraged " + d.liquidatedAccountId() + " against " + d.counterpartyAccountId() + " size=" +
                        d.size() + " quote=" + d.quote();
                    break;
                }
                case OrderAmendedDecoder.TEMPLATE_ID:
                {
                    final OrderAmendedDecoder d = new OrderAmendedDecoder().wrap(buffer, body, block, version);
                    line = "Amended account=" + d.accountId() + " order=" + d.orderId() + " size=" + d.oldSize() + "->" +
                        d.newSize();
                    break;
                }
                case OrderRestedDecoder.TEMPLATE_ID:
                {
                    final OrderRestedDecoder d = new OrderRestedDecoder().wrap(buffer, body, block, version);
                    line = "Rested account=" + d.accountId() + " order=" + d.orderId() + " " + d.side() + " size=" + d.size() +
                        " price=" + d.price();
                    break;
                }
                case OrderAcceptedDecoder.TEMPLATE_ID:
                {
                    final OrderAcceptedDecoder d = new OrderAcceptedDecoder().wrap(buffer, body, block, version);
                    line = "Accepted account=" + d.accountId() + " order=" + d.orderId() + " " + d.side() + " size=" +
                        d.size() + " price=" + d.price();
                    break;
                }
                case LeverageSetDecoder.TEMPLATE_ID:
                {
                    final LeverageSetDecoder d = new LeverageSetDecoder().wrap(buffer, body, block, version);
                    line = "Leverage account=" + d.accountId() + " market=" + d.marketId() + " " + d.leverage();
                    break;
                }
                case io.perpetua.core.sbe.FundingTickAppliedDecoder.TEMPLATE_ID:
                {
                    final io.perpetua.core.sbe.FundingTickAppliedDecoder d =
                        new io.perpetua.core.sbe.FundingTickAppliedDecoder().wrap(buffer, body, block, version);
                    line = "FundingTick market=" + d.marketId() + " index=" + d.fundingIndex();
                    break;
                }
                case io.perpetua.core.sbe.FundingPaymentDecoder.TEMPLATE_ID:
                {
                    final io.perpetua.core.sbe.FundingPaymentDecoder d =
                        new io.perpetua.core.sbe.FundingPaymentDecoder().wrap(buffer, body, block, version);
                    line = "FundingPayment account=" + d.accountId() + " market=" + d.marketId() + " " + d.amount();
                    break;
                }
                case MarkPriceUpdatedDecoder.TEMPLATE_ID:
                    line = "Mark " + new MarkPriceUpdatedDecoder().wrap(buffer, body, block, version).price();
                    break;
                case OrderCancelledDecoder.TEMPLATE_ID:
                {
                    final OrderCancelledDecoder d = new OrderCancelledDecoder().wrap(buffer, body, block, version);
                    line = "Cancelled account=" + d.accountId() + " order=" + d.orderId() + " " + d.reason();
                    break;
                }
                default:
                    line = "Event " + templateId;
                    messageLength = -1;
            }
            if (messageLength < 0)
            {
                // Variable-length events (market configured): skip by decoding the one var field.
                final int varOffset = body + block;
                messageLength = MessageHeaderDecoder.ENCODED_LENGTH + block +
                    (templateId == io.perpetua.core.sbe.MarketConfiguredDecoder.TEMPLATE_ID ?
                    4 + buffer.getInt(varOffset, java.nio.ByteOrder.LITTLE_ENDIAN) : 0);
            }
            lines.add(line);
            offset += messageLength;
        }
        return lines;
    }
}
