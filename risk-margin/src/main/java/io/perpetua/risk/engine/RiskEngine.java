package io.perpetua.risk.engine;

import io.perpetua.core.book.OrderBook;
import io.perpetua.core.engine.EngineExtension;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderRequest;
import io.perpetua.core.engine.StateHasher;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.market.MarketSpec;
import io.perpetua.core.sbe.CollateralCause;
import io.perpetua.core.sbe.ConfigureOracleDecoder;
import io.perpetua.core.sbe.ConfigureRiskDecoder;
import io.perpetua.core.sbe.DepositDecoder;
import io.perpetua.core.sbe.FundingTickDecoder;
import io.perpetua.core.sbe.InsuranceCause;
import io.perpetua.core.sbe.LiquidateDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OraclePriceDecoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.PositionCause;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.sbe.SetLeverageDecoder;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TransferDecoder;
import io.perpetua.core.sbe.WithdrawDecoder;
import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.SignedRequests;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.MarketFunding;
import io.perpetua.risk.ledger.Position;
import io.perpetua.risk.ledger.ProRata;
import io.perpetua.risk.liquidation.Liquidator;
import io.perpetua.risk.margin.MarginCalculator;
import io.perpetua.risk.margin.MarketRisk;
import io.perpetua.risk.margin.RiskParams;
import io.perpetua.risk.oracle.OracleConfig;
import io.perpetua.risk.oracle.OracleState;
import io.perpetua.risk.oracle.OracleVerdict;
import io.perpetua.risk.oracle.OracleVerifier;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Risk-margin on the core thread: the ledger of accounts and positions, the signed oracle, the
 * margin checks of MECHANICS §3 as the engine's {@link io.perpetua.core.engine.RiskGate}, and the
 * commands that move collateral (deposit, withdraw, transfer), choose leverage, configure markets'
 * risk and oracle, accept oracle prices and liquidate.
 *
 * <p>Everything is a deterministic function of the commands: time is the command's timestamp,
 * accounts iterate by id, money is integer quote quantums with rounding that protects the
 * exchange. Checks run before any change, so a rejected command changes nothing.
 */
public final class RiskEngine implements EngineExtension
{
    /** Written with snapshots of this extension. */
    public static final int EXTENSION_ID = 1;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int MAX_LEVERAGE = 1000;

    private final Ledger ledger = new Ledger();
    private final Int2ObjectHashMap<MarketRisk> markets = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<OracleConfig> oracleConfigs = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<OracleState> oracleStates = new Int2ObjectHashMap<>();
    private final MarginCalculator before;
    private final MarginCalculator after;
    private final OracleVerifier oracleVerifier = new OracleVerifier();
    private final OracleCommandView oracleView = new OracleCommandView();
    private final Liquidator liquidator;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final DepositDecoder deposit = new DepositDecoder();
    private final WithdrawDecoder withdraw = new WithdrawDecoder();
    private final TransferDecoder transfer = new TransferDecoder();
    private final SetLeverageDecoder setLeverage = new SetLeverageDecoder();
    private final LiquidateDecoder liquidate = new LiquidateDecoder();
    private final ConfigureRiskDecoder configureRisk = new ConfigureRiskDecoder();
    private final ConfigureOracleDecoder configureOracle = new ConfigureOracleDecoder();
    private final FundingTickDecoder fundingTick = new FundingTickDecoder();
    private final byte[] keyScratch = new byte[Account.PUBLIC_KEY_LENGTH];
    private final byte[] signatureScratch = new byte[Ed25519Keys.SIGNATURE_LENGTH];
    private final UnsafeBuffer keyView = new UnsafeBuffer(new byte[0]);

    private MatchingEngine engine;
    private EventPublisher events;

    public RiskEngine()
    {
        before = new MarginCalculator(markets, ledger);
        after = new MarginCalculator(markets, ledger);
        liquidator = new Liquidator(this);
    }

    public Ledger ledger()
    {
        return ledger;
    }

    public MatchingEngine engine()
    {
        return engine;
    }

    /** The risk view of a market (created with default parameters on first use), or null if no such market. */
    public MarketRisk market(final int marketId)
    {
        MarketRisk risk = markets.get(marketId);
        if (risk == null)
        {
            final OrderBook book = engine.state().book(marketId);
            if (book == null)
            {
                return null;
            }
            risk = new MarketRisk(book);
            markets.put(marketId, risk);
        }
        return risk;
    }

    /** A margin calculator over this engine's markets and ledger (one per caller). */
    public MarginCalculator newCalculator()
    {
        return new MarginCalculator(markets, ledger);
    }

    /** Whether the market's oracle price is stale (or missing) at the current command time. */
    public boolean oracleStale(final int marketId)
    {
        final OracleConfig config = oracleConfigs.get(marketId);
        final OracleState state = oracleStates.get(marketId);
        return config == null || OracleVerifier.isStale(config, state, engine.nowNs());
    }

    // ------------------------------------------------------------ extension

    public int extensionId()
    {
        return EXTENSION_ID;
    }

    public void attach(final MatchingEngine engine)
    {
        if (this.engine != null)
        {
            throw new IllegalStateException("a risk engine serves one matching engine");
        }
        this.engine = engine;
        this.events = engine.events();
    }

    public boolean handles(final int templateId)
    {
        switch (templateId)
        {
            case DepositDecoder.TEMPLATE_ID:
            case WithdrawDecoder.TEMPLATE_ID:
            case TransferDecoder.TEMPLATE_ID:
            case SetLeverageDecoder.TEMPLATE_ID:
            case OraclePriceDecoder.TEMPLATE_ID:
            case LiquidateDecoder.TEMPLATE_ID:
            case ConfigureRiskDecoder.TEMPLATE_ID:
            case ConfigureOracleDecoder.TEMPLATE_ID:
            case FundingTickDecoder.TEMPLATE_ID:
                return true;
            default:
                return false;
        }
    }

    public void apply(final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (templateId)
        {
            case DepositDecoder.TEMPLATE_ID:
                applyDeposit(deposit.wrap(buffer, body, blockLength, version));
                break;
            case WithdrawDecoder.TEMPLATE_ID:
                applyWithdraw(withdraw.wrap(buffer, body, blockLength, version));
                break;
            case TransferDecoder.TEMPLATE_ID:
                applyTransfer(transfer.wrap(buffer, body, blockLength, version));
                break;
            case SetLeverageDecoder.TEMPLATE_ID:
                applySetLeverage(setLeverage.wrap(buffer, body, blockLength, version));
                break;
            case OraclePriceDecoder.TEMPLATE_ID:
                applyOraclePrice(buffer, offset);
                break;
            case LiquidateDecoder.TEMPLATE_ID:
            {
                final long accountId = liquidate.wrap(buffer, body, blockLength, version).accountId();
                final RejectReason reason = liquidator.liquidate(accountId);
                if (reason != null)
                {
                    events.rejected(templateId, reason, accountId, 0, 0, 0);
                }
                else
                {
                    // Closed slices settled as they traded; what is left open settles now.
                    settleFunding(ledger.account(accountId));
                }
                break;
            }
            case ConfigureRiskDecoder.TEMPLATE_ID:
                applyConfigureRisk(configureRisk.wrap(buffer, body, blockLength, version));
                break;
            case ConfigureOracleDecoder.TEMPLATE_ID:
                applyConfigureOracle(configureOracle.wrap(buffer, body, blockLength, version));
                break;
            case FundingTickDecoder.TEMPLATE_ID:
                applyFundingTick(fundingTick.wrap(buffer, body, blockLength, version));
                break;
            default:
                throw new IllegalArgumentException("not a risk command: template " + templateId);
        }
    }

    // ------------------------------------------------------------- collateral

    private void applyDeposit(final DepositDecoder command)
    {
        final long accountId = command.accountId();
        final long amount = command.amount();
        command.getPublicKey(keyScratch, 0, keyScratch.length);
        final RejectReason reason = checkDeposit(accountId, amount, command.depositId());
        if (reason != null)
        {
            events.rejected(DepositDecoder.TEMPLATE_ID, reason, accountId, 0, 0, 0);
            return;
        }
        Account account = ledger.account(accountId);
        if (account == null)
        {
            account = ledger.create(accountId, 0, keyScratch);
            keyView.wrap(keyScratch);
            events.accountCreated(accountId, 0, keyView, 0);
        }
        ledger.deposit(account, amount, command.depositId());
        events.collateralChanged(accountId, CollateralCause.DEPOSIT, amount, account.balance(), command.depositId());
    }

    private RejectReason checkDeposit(final long accountId, final long amount, final long depositId)
    {
        if (accountId <= 0)
        {
            return RejectReason.UNKNOWN_ACCOUNT;
        }
        if (amount <= 0)
        {
            return RejectReason.INVALID_AMOUNT;
        }
        if (depositId <= ledger.lastDepositId())
        {
            return RejectReason.DUPLICATE_DEPOSIT;
        }
        final Account account = ledger.account(accountId);
        if (account == null)
        {
            if (!Ed25519Keys.isValidPublicKey(keyScratch))
            {
                return RejectReason.KEY_MISMATCH;
            }
        }
        else if (!Arrays.equals(account.publicKey(), keyScratch))
        {
            return RejectReason.KEY_MISMATCH;
        }
        final long balance = account == null ? 0 : account.balance();
        if (FixedPoint.add(balance, amount) == FixedPoint.OVERFLOW ||
            FixedPoint.add(ledger.netDeposits(), amount) == FixedPoint.OVERFLOW)
        {
            return RejectReason.INVALID_AMOUNT;
        }
        return null;
    }

    private void applyWithdraw(final WithdrawDecoder command)
    {
        final long accountId = command.accountId();
        final long amount = command.amount();
        final long nonce = command.nonce();
        final long expiryNs = command.expiryNs();
        command.getSignature(signatureScratch, 0, signatureScratch.length);
        final Account account = ledger.account(accountId);
        RejectReason reason = checkSignedRequest(account, amount, nonce, expiryNs);
        if (reason == null && !SignedRequests.verifyWithdrawal(
            account.publicKey(), accountId, amount, nonce, expiryNs, signatureScratch))
        {
            reason = RejectReason.BAD_SIGNATURE;
        }
        if (reason == null)
        {
            reason = checkCollateralOut(account, amount);
        }
        if (reason != null)
        {
            events.rejected(WithdrawDecoder.TEMPLATE_ID, reason, accountId, 0, 0, 0);
            return;
        }
        settleFunding(account);
        ledger.withdraw(account, amount, nonce);
        events.collateralChanged(accountId, CollateralCause.WITHDRAWAL, -amount, account.balance(), nonce);
    }

    private void applyTransfer(final TransferDecoder command)
    {
        final long fromId = command.fromAccountId();
        final long toId = command.toAccountId();
        final long amount = command.amount();
        final long nonce = command.nonce();
        final long expiryNs = command.expiryNs();
        command.getSignature(signatureScratch, 0, signatureScratch.length);
        final Account from = ledger.account(fromId);
        RejectReason reason = checkSignedRequest(from, amount, nonce, expiryNs);
        if (reason == null && (toId <= 0 || toId == fromId))
        {
            reason = RejectReason.UNKNOWN_ACCOUNT;
        }
        if (reason == null &&
            !SignedRequests.verifyTransfer(from.publicKey(), fromId, toId, amount, nonce, expiryNs, signatureScratch))
        {
            reason = RejectReason.BAD_SIGNATURE;
        }
        if (reason == null)
        {
            reason = checkCollateralOut(from, amount);
        }
        Account to = ledger.account(toId);
        if (reason == null && to != null && FixedPoint.add(to.balance(), amount) == FixedPoint.OVERFLOW)
        {
            reason = RejectReason.INVALID_AMOUNT;
        }
        if (reason != null)
        {
            events.rejected(TransferDecoder.TEMPLATE_ID, reason, fromId, 0, 0, 0);
            return;
        }
        if (to == null)
        {
            // An isolated subaccount of the sender's owner, sharing the owner's key.
            final long owner = from.parentAccountId() == 0 ? fromId : from.parentAccountId();
            to = ledger.create(toId, owner, from.publicKey());
            keyView.wrap(from.publicKey());
            events.accountCreated(toId, owner, keyView, 0);
        }
        settleFunding(from);
        ledger.transfer(from, to, amount, nonce);
        events.collateralChanged(fromId, CollateralCause.TRANSFER_OUT, -amount, from.balance(), toId);
        events.collateralChanged(toId, CollateralCause.TRANSFER_IN, amount, to.balance(), fromId);
    }

    /** The checks every signed request shares, cheapest first; the signature itself is checked after. */
    private RejectReason checkSignedRequest(final Account account, final long amount, final long nonce, final long expiryNs)
    {
        if (account == null)
        {
            return RejectReason.UNKNOWN_ACCOUNT;
        }
        if (amount <= 0)
        {
            return RejectReason.INVALID_AMOUNT;
        }
        if (nonce <= account.lastNonce())
        {
            return RejectReason.NONCE_REUSED;
        }
        if (expiryNs <= engine.nowNs())
        {
            return RejectReason.REQUEST_EXPIRED;
        }
        return null;
    }

    /** Collateral may leave an account only while {@code NC - amount >= IMR} (MECHANICS §3). */
    private RejectReason checkCollateralOut(final Account account, final long amount)
    {
        if (!after.evaluate(account, 0, 0, -amount) || after.netCollateral < after.initialMargin ||
            FixedPoint.add(account.balance(), -amount) == FixedPoint.OVERFLOW)
        {
            return RejectReason.INSUFFICIENT_COLLATERAL;
        }
        return null;
    }

    private void applySetLeverage(final SetLeverageDecoder command)
    {
        final long accountId = command.accountId();
        final int marketId = command.marketId();
        final int leverage = command.leverage();
        final Account account = ledger.account(accountId);
        RejectReason reason = null;
        if (account == null)
        {
            reason = RejectReason.UNKNOWN_ACCOUNT;
        }
        else if (market(marketId) == null)
        {
            reason = RejectReason.UNKNOWN_MARKET;
        }
        else if (leverage < 0 || leverage > MAX_LEVERAGE)
        {
            reason = RejectReason.INVALID_LEVERAGE;
        }
        else
        {
            final int previous = account.leverage(marketId);
            ledger.leverage(account, marketId, leverage);
            // Lower leverage raises the requirement; refuse it if the account would no longer meet it.
            if (account.sizeLots(marketId) != 0 &&
                (!after.evaluate(account) || after.netCollateral < after.initialMargin))
            {
                ledger.leverage(account, marketId, previous);
                reason = RejectReason.INSUFFICIENT_MARGIN;
            }
        }
        if (reason != null)
        {
            events.rejected(SetLeverageDecoder.TEMPLATE_ID, reason, accountId, marketId, 0, 0);
            return;
        }
        settleFunding(account);
        events.leverageSet(accountId, marketId, leverage);
    }

    // ------------------------------------------------------------ configuration

    private void applyConfigureRisk(final ConfigureRiskDecoder command)
    {
        final int marketId = command.marketId();
        final MarketRisk risk = market(marketId);
        if (risk == null)
        {
            events.rejected(ConfigureRiskDecoder.TEMPLATE_ID, RejectReason.UNKNOWN_MARKET, 0, marketId, 0, 0);
            return;
        }
        final long lotSize = risk.book().spec().lotSize();
        final long lower = command.openInterestLowerCap();
        final long upper = command.openInterestUpperCap();
        final RiskParams params = lower % lotSize != 0 || upper % lotSize != 0 ? null : RiskParams.of(
            command.initialMarginPpm(), command.maintenanceMarginPpm(), lower / lotSize, upper / lotSize,
            command.liquidationFeePpm(), command.liquidationSlicePpm(), command.minSliceNotional(),
            command.maxLiquidationNotional(), command.fillableFactorPpm());
        if (params == null)
        {
            events.rejected(ConfigureRiskDecoder.TEMPLATE_ID, RejectReason.INVALID_RISK_CONFIG, 0, marketId, 0, 0);
            return;
        }
        risk.params(params);
        ledger.marginInputsChanged();
        publishRisk(risk);
    }

    private void publishRisk(final MarketRisk risk)
    {
        final RiskParams p = risk.params();
        final long lotSize = risk.book().spec().lotSize();
        events.riskConfigured(risk.marketId(), p.initialMarginPpm, p.maintenanceMarginPpm,
            p.openInterestLowerCapLots * lotSize, p.openInterestUpperCapLots * lotSize, p.liquidationFeePpm,
            p.liquidationSlicePpm, p.minSliceNotional, p.maxLiquidationNotional, p.fillableFactorPpm);
    }

    private void applyConfigureOracle(final ConfigureOracleDecoder command)
    {
        final int marketId = command.marketId();
        if (market(marketId) == null)
        {
            events.rejected(ConfigureOracleDecoder.TEMPLATE_ID, RejectReason.UNKNOWN_MARKET, 0, marketId, 0, 0);
            return;
        }
        final int quorum = command.quorum();
        final long validityWindowNs = command.validityWindowNs();
        final int maxMovePpm = command.maxMovePpm();
        final long moveWindowNs = command.moveWindowNs();
        final long staleAfterNs = command.staleAfterNs();
        final List<byte[]> keys = new ArrayList<>();
        for (final ConfigureOracleDecoder.SourcesDecoder source : command.sources())
        {
            final byte[] key = new byte[Account.PUBLIC_KEY_LENGTH];
            source.getPublicKey(key, 0, key.length);
            keys.add(key);
        }
        final OracleConfig config;
        try
        {
            config = OracleConfig.builder(marketId, keys)
                .quorum(quorum)
                .validityWindowNs(validityWindowNs)
                .maxMovePpm(maxMovePpm)
                .moveWindowNs(moveWindowNs)
                .staleAfterNs(staleAfterNs)
                .build();
        }
        catch (final IllegalArgumentException ex)
        {
            events.rejected(ConfigureOracleDecoder.TEMPLATE_ID, RejectReason.INVALID_RISK_CONFIG, 0, marketId, 0, 0);
            return;
        }
        installOracle(config, OracleState.forConfig(config));
        events.oracleConfigured(marketId, config.quorum(), config.sourceCount(), config.validityWindowNs(),
            config.maxMovePpm(), config.moveWindowNs(), config.staleAfterNs());
    }

    private void installOracle(final OracleConfig config, final OracleState state)
    {
        oracleConfigs.put(config.marketId(), config);
        oracleStates.put(config.marketId(), state);
    }

    // ---------------------------------------------------------------- oracle

    private void applyOraclePrice(final DirectBuffer buffer, final int offset)
    {
        final int marketId = buffer.getInt(offset + MessageHeaderDecoder.ENCODED_LENGTH +
            OraclePriceDecoder.marketIdEncodingOffset(), ORDER);
        final MarketRisk risk = market(marketId);
        final OracleConfig config = oracleConfigs.get(marketId);
        final RejectReason reason;
        if (risk == null)
        {
            reason = RejectReason.UNKNOWN_MARKET;
        }
        else if (config == null)
        {
            reason = RejectReason.ORACLE_NOT_CONFIGURED;
        }
        else
        {
            final OracleState state = oracleStates.get(marketId);
            oracleView.wrap(buffer, offset);
            final OracleVerdict verdict = oracleVerifier.verify(config, state, engine.nowNs(), oracleView);
            if (verdict == OracleVerdict.ACCEPTED)
            {
                final long median = oracleVerifier.medianPriceTicks();
                final MarketSpec spec = risk.book().spec();
                // To the nearest tick (halves down), never below one tick.
                final long markTicks = Math.max(1, (median + (spec.tickSize() - 1) / 2) / spec.tickSize());
                state.accept(engine.nowNs(), median, oracleView);
                events.markPriceUpdated(marketId, spec.toPrice(markTicks), median, oracleView.count());
                // Before the mark moves: the conditional orders it fires are checked at the new mark.
                ledger.marginInputsChanged();
                engine.applyMarkPrice(marketId, markTicks);
                return;
            }
            reason = oracleReject(verdict);
        }
        events.rejected(OraclePriceDecoder.TEMPLATE_ID, reason, 0, marketId, 0, 0);
    }

    private static RejectReason oracleReject(final OracleVerdict verdict)
    {
        switch (verdict)
        {
            case UNKNOWN_SOURCE:
                return RejectReason.ORACLE_UNKNOWN_SOURCE;
            case DUPLICATE_SOURCE:
                return RejectReason.ORACLE_DUPLICATE_SOURCE;
            case NON_POSITIVE_PRICE:
                return RejectReason.ORACLE_BAD_PRICE;
            case OUT_OF_WINDOW:
                return RejectReason.ORACLE_OUT_OF_WINDOW;
            case REPLAYED:
                return RejectReason.ORACLE_REPLAYED;
            case NO_QUORUM:
                return RejectReason.ORACLE_NO_QUORUM;
            case BAD_SIGNATURE:
                return RejectReason.ORACLE_BAD_SIGNATURE;
            case MAX_MOVE:
                return RejectReason.ORACLE_MAX_MOVE;
            default:
                throw new IllegalArgumentException("not a reject: " + verdict);
        }
    }

    // ------------------------------------------------------------ risk gate

    public RejectReason checkOrder(final OrderRequest request, final OrderBook book)
    {
        final Account account = ledger.account(request.accountId());
        if (account == null)
        {
            return RejectReason.UNKNOWN_ACCOUNT;
        }
        final MarketRisk risk = market(book.spec().marketId());
        if (risk.markTicks() == 0)
        {
            return RejectReason.NO_MARK_PRICE;
        }
        final OrderType type = request.orderType();
        if (type != OrderType.LIMIT && type != OrderType.MARKET)
        {
            // A waiting stop or take-profit reserves nothing; it is checked like any order when it fires.
            return null;
        }
        final MarketSpec spec = book.spec();
        final long quote = spec.quote(request.priceTicks(), request.sizeLots());
        if (quote == FixedPoint.OVERFLOW)
        {
            return RejectReason.OVERFLOW;
        }
        // The whole size filling at the order's own price, paying the larger fee (a rebate never helps).
        final long fee = Math.max(0, FixedPoint.ppmCeil(quote, Math.max(spec.makerFeePpm(), spec.takerFeePpm())));
        final boolean buy = request.side() == Side.BUY;
        final long delta = buy ? request.sizeLots() : -request.sizeLots();
        final long balanceDelta = (buy ? -quote : quote) - fee;
        // The makers are not known yet: open interest can grow by at most the order's size (each lot traded
        // adds at most one lot to the long side), so the IMF is charged at that bound.
        if (!after.evaluate(account, spec.marketId(), delta, balanceDelta, request.sizeLots()))
        {
            return RejectReason.OVERFLOW;
        }
        return marginVerdict(account, spec.marketId());
    }

    /**
     * The margin rule on the change already evaluated into {@link #after}: {@code NC >= IMR} afterwards,
     * or a change that only reduces risk; with a stale oracle, only the latter. The account as it is now
     * ({@link #before}) is evaluated only when the answer depends on it.
     *
     * @return null to accept, or the reason to refuse
     */
    private RejectReason marginVerdict(final Account account, final int marketId)
    {
        final boolean stale = oracleStale(marketId);
        if (!stale && after.netCollateral >= after.initialMargin)
        {
            return null;
        }
        if (!before.evaluate(account))
        {
            return RejectReason.OVERFLOW;
        }
        final boolean reduces = reducesRisk();
        if (stale && !reduces)
        {
            return RejectReason.ORACLE_STALE;
        }
        return after.netCollateral >= after.initialMargin || reduces ? null : RejectReason.INSUFFICIENT_MARGIN;
    }

    /**
     * Whether the change evaluated into {@link #after} only reduces risk relative to {@link #before}:
     * MMR does not grow and NC/MMR does not fall (MECHANICS §3).
     */
    private boolean reducesRisk()
    {
        if (after.maintenanceMargin > before.maintenanceMargin)
        {
            return false;
        }
        if (after.maintenanceMargin == 0)
        {
            return true;
        }
        if (before.maintenanceMargin == 0)
        {
            return false;
        }
        return ProRata.compareProducts(
            after.netCollateral, before.maintenanceMargin, before.netCollateral, after.maintenanceMargin) >= 0;
    }

    public FillVerdict checkFill(
        final OrderBook book,
        final long makerAccountId,
        final long takerAccountId,
        final Side takerSide,
        final long priceTicks,
        final long sizeLots)
    {
        final MarketSpec spec = book.spec();
        final long quote = spec.quote(priceTicks, sizeLots);
        final Account maker = ledger.account(makerAccountId);
        final Account taker = ledger.account(takerAccountId);
        if (maker == null || taker == null)
        {
            return maker == null ? FillVerdict.REMOVE_MAKER : FillVerdict.STOP_TAKER;
        }
        // Both sides are known now: the fill's exact effect on the open interest.
        final long takerDelta = takerSide == Side.BUY ? sizeLots : -sizeLots;
        final int marketId = spec.marketId();
        final long openInterestDelta = longGrowth(maker, marketId, -takerDelta) + longGrowth(taker, marketId, takerDelta);
        if (!passesFill(spec, maker, -takerDelta, quote, true, openInterestDelta))
        {
            return FillVerdict.REMOVE_MAKER;
        }
        if (!engine.isLiquidating() && !passesFill(spec, taker, takerDelta, quote, false, openInterestDelta))
        {
            return FillVerdict.STOP_TAKER;
        }
        return FillVerdict.PROCEED;
    }

    /** How much the account's long size in the market grows when its size moves by {@code deltaLots}. */
    private static long longGrowth(final Account account, final int marketId, final long deltaLots)
    {
        final long size = account.sizeLots(marketId);
        return Math.max(size + deltaLots, 0) - Math.max(size, 0);
    }

    /** The placement rule again at the fill, at the fill's price and with the side's actual fee. */
    private boolean passesFill(
        final MarketSpec spec, final Account account, final long deltaLots, final long quote, final boolean maker,
        final long openInterestDelta)
    {
        final long fee = feeFor(spec, quote, maker);
        final long balanceDelta = (deltaLots > 0 ? -quote : quote) - fee;
        return after.evaluate(account, spec.marketId(), deltaLots, balanceDelta, openInterestDelta) &&
            marginVerdict(account, spec.marketId()) == null;
    }

    public long fee(final OrderBook book, final long accountId, final long quote, final boolean maker)
    {
        // A liquidation slice pays the insurance fund's liquidation fee instead of the taker fee.
        if (!maker && engine.isLiquidating())
        {
            return 0;
        }
        return feeFor(book.spec(), quote, maker);
    }

    /** Fees round up; rebates round toward zero: both in the exchange's favour. */
    private static long feeFor(final MarketSpec spec, final long quote, final boolean maker)
    {
        final int ppm = maker ? spec.makerFeePpm() : spec.takerFeePpm();
        return ppm >= 0 ? FixedPoint.ppmCeil(quote, ppm) : -FixedPoint.ppmFloor(quote, -ppm);
    }

    public long reducibleLots(final OrderBook book, final long accountId, final Side side)
    {
        final Account account = ledger.account(accountId);
        if (account == null)
        {
            return 0;
        }
        final long size = account.sizeLots(book.spec().marketId());
        if (side == Side.SELL)
        {
            return Math.max(size, 0);
        }
        return Math.max(-size, 0);
    }

    public void onFill(
        final OrderBook book,
        final long tradeId,
        final long makerAccountId,
        final long takerAccountId,
        final Side takerSide,
        final long priceTicks,
        final long sizeLots,
        final long quote,
        final long makerFee,
        final long takerFee)
    {
        final int marketId = book.spec().marketId();
        final long takerDelta = takerSide == Side.BUY ? sizeLots : -sizeLots;
        settleTrade(ledger.account(makerAccountId), marketId, PositionCause.TRADE, tradeId, -takerDelta, quote, makerFee);
        final boolean liquidating = engine.isLiquidating();
        settleTrade(ledger.account(takerAccountId), marketId,
            liquidating ? PositionCause.LIQUIDATION : PositionCause.TRADE, tradeId, takerDelta, quote, takerFee);
        if (liquidating)
        {
            liquidator.onSliceFill(takerDelta, quote);
        }
    }

    /** Moves one side of a trade through the ledger and reports it. */
    public void settleTrade(
        final Account account,
        final int marketId,
        final PositionCause cause,
        final long tradeId,
        final long deltaLots,
        final long quote,
        final long fee)
    {
        settleFunding(account, marketId);
        final long realized = ledger.trade(account, marketId, deltaLots, quote, fee);
        final Position position = account.position(marketId);
        final MarketSpec spec = engine.state().book(marketId).spec();
        events.positionChanged(account.accountId(), marketId, cause, tradeId, spec.toSize(deltaLots),
            deltaLots > 0 ? -quote : quote, fee, position == null ? 0 : spec.toSize(position.sizeLots()),
            position == null ? 0 : position.costBasis(), realized, account.balance());
    }

    // --------------------------------------------------------------- funding

    /**
     * A funding tick from the funding processor: the market's cumulative index moves by
     * {@code rate8h / 8 * mark} per lot (MECHANICS §4). O(1) in the positions: each settles lazily
     * when next touched, and margin checks count what it owes meanwhile.
     */
    private void applyFundingTick(final FundingTickDecoder command)
    {
        final int marketId = command.marketId();
        final long rate = command.rate8hPpb();
        final long fundingTimeNs = command.fundingTimeNs();
        final MarketRisk risk = market(marketId);
        final MarketFunding state = ledger.funding(marketId);
        RejectReason reason = null;
        long index = 0;
        if (risk == null)
        {
            reason = RejectReason.UNKNOWN_MARKET;
        }
        else if (rate < -Funding.MAX_RATE_PPB || rate > Funding.MAX_RATE_PPB)
        {
            reason = RejectReason.INVALID_FUNDING_RATE;
        }
        else if (fundingTimeNs <= 0 || state != null && fundingTimeNs <= state.lastFundingTimeNs())
        {
            reason = RejectReason.FUNDING_TICK_NOT_NEW;
        }
        else if (risk.markTicks() == 0)
        {
            reason = RejectReason.NO_MARK_PRICE;
        }
        else
        {
            final long increment = Funding.indexIncrement(rate, risk.markTicks(), risk.quantumsPerTickLot());
            index = increment == FixedPoint.OVERFLOW ? increment : FixedPoint.add(ledger.fundingIndex(marketId), increment);
            if (index == FixedPoint.OVERFLOW)
            {
                reason = RejectReason.OVERFLOW;
            }
        }
        if (reason != null)
        {
            events.rejected(FundingTickDecoder.TEMPLATE_ID, reason, 0, marketId, 0, 0);
            return;
        }
        ledger.applyFundingTick(marketId, index, fundingTimeNs);
        events.fundingTickApplied(marketId, rate, risk.book().spec().toPrice(risk.markTicks()), index, fundingTimeNs);
        sweepFundingDust(marketId);
    }

    /** Settles every position of the account to its market's funding index. */
    public void settleFunding(final Account account)
    {
        for (int i = 0; i < account.positionCount(); i++)
        {
            settleFunding(account, account.positionAt(i).marketId());
        }
    }

    /** Settles the account's position in the market (if any) to the market's funding index and reports it. */
    public void settleFunding(final Account account, final int marketId)
    {
        final Position position = account.position(marketId);
        if (position == null || !ledger.settleFunding(account, position))
        {
            return;
        }
        final MarketSpec spec = engine.state().book(marketId).spec();
        events.fundingPayment(account.accountId(), marketId, -ledger.lastFundingPayment(), spec.toSize(position.sizeLots()),
            position.fundingIndex(), account.balance(), ledger.fundingBalance());
        sweepFundingDust(marketId);
    }

    private void sweepFundingDust(final int marketId)
    {
        final long dust = ledger.sweepFundingDust(marketId);
        if (dust > 0)
        {
            events.insuranceFundChanged(0, marketId, InsuranceCause.FUNDING_DUST, dust, ledger.insuranceBalance(), 0);
        }
    }

    // ----------------------------------------------------- snapshot and hash

    public int writeSnapshot(final ExpandableDirectByteBuffer buffer, final int offset)
    {
        int at = offset + ledger.write(buffer, offset);
        final int marketCount = engine.state().marketCount();
        buffer.putInt(at, marketCount, ORDER);
        at += 4;
        for (int i = 0; i < marketCount; i++)
        {
            final int marketId = engine.state().marketIdAt(i);
            final RiskParams p = market(marketId).params();
            buffer.putInt(at, marketId, ORDER);
            buffer.putInt(at + 4, p.initialMarginPpm, ORDER);
            buffer.putInt(at + 8, p.maintenanceMarginPpm, ORDER);
            buffer.putLong(at + 12, p.openInterestLowerCapLots, ORDER);
            buffer.putLong(at + 20, p.openInterestUpperCapLots, ORDER);
            buffer.putInt(at + 28, p.liquidationFeePpm, ORDER);
            buffer.putInt(at + 32, p.liquidationSlicePpm, ORDER);
            buffer.putLong(at + 36, p.minSliceNotional, ORDER);
            buffer.putLong(at + 44, p.maxLiquidationNotional, ORDER);
            buffer.putInt(at + 52, p.fillableFactorPpm, ORDER);
            at += 56;
            final OracleConfig config = oracleConfigs.get(marketId);
            buffer.putInt(at, config == null ? 0 : config.sourceCount(), ORDER);
            at += 4;
            if (config != null)
            {
                buffer.putInt(at, config.quorum(), ORDER);
                buffer.putLong(at + 4, config.validityWindowNs(), ORDER);
                buffer.putLong(at + 12, config.maxFutureSkewNs(), ORDER);
                buffer.putInt(at + 20, config.maxMovePpm(), ORDER);
                buffer.putLong(at + 24, config.moveWindowNs(), ORDER);
                buffer.putLong(at + 32, config.staleAfterNs(), ORDER);
                at += 40;
                for (int s = 0; s < config.sourceCount(); s++)
                {
                    buffer.putBytes(at, config.sourceKey(s));
                    at += Account.PUBLIC_KEY_LENGTH;
                }
                final OracleState state = oracleStates.get(marketId);
                for (int f = 0; f < state.fieldCount(); f++)
                {
                    buffer.putLong(at, state.field(f), ORDER);
                    at += 8;
                }
            }
        }
        return at - offset;
    }

    public void readSnapshot(final DirectBuffer buffer, final int offset, final int length)
    {
        int at = offset + ledger.read(buffer, offset);
        final int marketCount = buffer.getInt(at, ORDER);
        at += 4;
        for (int i = 0; i < marketCount; i++)
        {
            final int marketId = buffer.getInt(at, ORDER);
            final RiskParams params = RiskParams.of(buffer.getInt(at + 4, ORDER), buffer.getInt(at + 8, ORDER),
                buffer.getLong(at + 12, ORDER), buffer.getLong(at + 20, ORDER), buffer.getInt(at + 28, ORDER),
                buffer.getInt(at + 32, ORDER), buffer.getLong(at + 36, ORDER), buffer.getLong(at + 44, ORDER),
                buffer.getInt(at + 52, ORDER));
            final MarketRisk risk = market(marketId);
            if (params == null || risk == null)
            {
                throw new IllegalStateException("snapshot risk parameters of market " + marketId + " are invalid");
            }
            risk.params(params);
            ledger.marginInputsChanged();
            at += 56;
            final int sources = buffer.getInt(at, ORDER);
            at += 4;
            if (sources > 0)
            {
                final int quorum = buffer.getInt(at, ORDER);
                final long validity = buffer.getLong(at + 4, ORDER);
                final long skew = buffer.getLong(at + 12, ORDER);
                final int maxMove = buffer.getInt(at + 20, ORDER);
                final long moveWindow = buffer.getLong(at + 24, ORDER);
                final long staleAfter = buffer.getLong(at + 32, ORDER);
                at += 40;
                final List<byte[]> keys = new ArrayList<>();
                for (int s = 0; s < sources; s++)
                {
                    final byte[] key = new byte[Account.PUBLIC_KEY_LENGTH];
                    buffer.getBytes(at, key);
                    keys.add(key);
                    at += Account.PUBLIC_KEY_LENGTH;
                }
                final OracleConfig config = OracleConfig.builder(marketId, keys).quorum(quorum).validityWindowNs(validity)
                    .maxFutureSkewNs(skew).maxMovePpm(maxMove).moveWindowNs(moveWindow).staleAfterNs(staleAfter).build();
                final OracleState state = OracleState.forConfig(config);
                final long[] fields = new long[state.fieldCount()];
                for (int f = 0; f < fields.length; f++)
                {
                    fields[f] = buffer.getLong(at, ORDER);
                    at += 8;
                }
                state.readFrom(fields, 0);
                installOracle(config, state);
            }
        }
        if (at != offset + length)
        {
            throw new IllegalStateException("risk snapshot length " + length + " but read " + (at - offset));
        }
    }

    public void hashInto(final StateHasher hasher)
    {
        ledger.hashInto(hasher);
        for (int i = 0; i < engine.state().marketCount(); i++)
        {
            final int marketId = engine.state().marketIdAt(i);
            final RiskParams p = market(marketId).params();
            hasher.mix(marketId);
            hasher.mix(p.initialMarginPpm);
            hasher.mix(p.maintenanceMarginPpm);
            hasher.mix(p.openInterestLowerCapLots);
            hasher.mix(p.openInterestUpperCapLots);
            hasher.mix(p.liquidationFeePpm);
            hasher.mix(p.liquidationSlicePpm);
            hasher.mix(p.minSliceNotional);
            hasher.mix(p.maxLiquidationNotional);
            hasher.mix(p.fillableFactorPpm);
            final OracleConfig config = oracleConfigs.get(marketId);
            if (config == null)
            {
                hasher.mix(0);
                continue;
            }
            hasher.mix(config.sourceCount());
            hasher.mix(config.quorum());
            hasher.mix(config.validityWindowNs());
            hasher.mix(config.maxFutureSkewNs());
            hasher.mix(config.maxMovePpm());
            hasher.mix(config.moveWindowNs());
            hasher.mix(config.staleAfterNs());
            for (int s = 0; s < config.sourceCount(); s++)
            {
                hasher.mix(Arrays.hashCode(config.sourceKey(s)));
            }
            final OracleState state = oracleStates.get(marketId);
            for (int f = 0; f < state.fieldCount(); f++)
            {
                hasher.mix(state.field(f));
            }
        }
    }
}
