package io.perpetua.node.bench;

import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.node.Engines;
import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.margin.RiskParams;
import io.perpetua.risk.oracle.OracleMessage;
import io.perpetua.risk.view.MarginViews;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.PrivateKey;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * A seeded perpetual-futures workload for the benchmarks, run through the node's engine
 * ({@link Engines#standard()}: order limits, accounts, oracle, margin): several markets, a few
 * thousand funded, leveraged taker accounts leaning long or short, market makers re-quoting ladders
 * and re-centring them after every oracle move, takers resting (some reduce-only), crossing,
 * cancelling and amending (some through the book), stop and take-profit orders that the oracle's
 * moves trigger, rare signed oracle prices with occasional sharp moves, the liquidations those moves
 * cause, and a funding tick per market halfway between oracle rounds.
 *
 * <p>The generator is a closed loop: it applies every command to its own engine as it writes it,
 * feeds the events to {@link MarginViews} with its liquidation monitor, and writes the
 * {@code Liquidate} commands the monitor asks for into the stream right after the command that
 * made an account liquidatable, as the node's monitor would submit them. Commands are stamped with
 * a stepping clock ({@link #origin()} plus {@link #stepNs()} per command); a pipeline sequencing the
 * stream with the same clock ({@link #clock()}) reaches exactly {@link #expectedStateHash()}.
 *
 * <p>Oracle signatures are made here, once: the core verifies each (about 1.2 ms with the JDK's
 * Ed25519), so prices are rare ({@link Config#oracleInterval()} commands apart) and carry the
 * quorum of two observations. Funding rates are drawn, not sampled from a premium (the funding
 * processor's sampling runs outside the core): what the core does with a tick is the same.
 */
public final class PerpetualsWorkload
{
    /** The stamped time of command 1 minus one step: 2027-01-15T08:00:00Z. */
    public static final long ORIGIN_NS = 1_800_000_000_000_000_000L;
    /** Stamped time between commands: the flow is timed as if offered at 1M commands/s. */
    public static final long STEP_NS = 1_000;

    private static final int ORACLE_SOURCES = 3;
    private static final int ORACLE_QUORUM = 2;
    private static final long ORACLE_VALIDITY_NS = 10_000_000_000L;
    private static final int ORACLE_MAX_MOVE_PPM = 150_000;
    private static final long ORACLE_MOVE_WINDOW_NS = 1_000_000_000L;
    private static final long ORACLE_STALE_NS = 30_000_000_000L;
    private static final int MAKERS_PER_MARKET = 2;
    private static final int LADDER_LEVELS = 8;
    private static final long MAKER_DEPOSIT = 50_000_000_000_000L;
    private static final long FIRST_TAKER = 1_000;
    /**
     * Taker orders the flow remembers, for cancels and amends; the oldest is cancelled when a new one
     * takes its place (takers do not leave orders open forever), so open orders stay bounded.
     */
    private static final int RECENT = 8_192;
    private static final int MAKER_QUOTES = 64;
    /** One round in this many moves a market sharply, which is what liquidates the highly leveraged accounts. */
    private static final int SHARP_MOVE_ONE_IN = 6;
    private static final int SHARP_MOVE_PPM = 100_000;
    /** Owner keys the taker accounts share (deriving one Ed25519 key per account would dominate generation). */
    private static final int OWNER_KEYS = 64;
    /** A monitor that keeps asking after this many Liquidate commands in a row disagrees with the core. */
    private static final int MAX_LIQUIDATIONS_PER_COMMAND = 100_000;
    /** Funding rates are drawn within this many ppb per 8 hours either way (0.05%). */
    private static final int MAX_FUNDING_RATE_PPB = 500_000;
    /** Conditional orders trigger within this many ppm of the mid either way. */
    private static final int MAX_TRIGGER_DISTANCE_PPM = 20_000;

    /**
     * @param seed            the flow's seed
     * @param markets         markets, 1 to {@link #MARKETS}{@code .length}
     * @param takers          funded taker accounts
     * @param timedCommands   commands in the timed part (at least; liquidations may add a few)
     * @param oracleInterval  timed commands between oracle rounds (one price per market a round)
     */
    public record Config(long seed, int markets, int takers, int timedCommands, int oracleInterval)
    {
        public Config
        {
            if (markets < 1 || markets > MARKETS.length)
            {
                throw new IllegalArgumentException("markets must be 1.." + MARKETS.length + ", not " + markets);
            }
            if (takers < 1 || timedCommands < 1 || oracleInterval < 1)
            {
                throw new IllegalArgumentException("takers, timedCommands and oracleInterval must be positive");
            }
        }

        /** The benchmark default: 4 markets, 2,000 takers, 3M timed commands, a price round every 200k. */
        public static Config standard(final long seed)
        {
            return new Config(seed, 4, 2_000, 3_000_000, 200_000);
        }
    }

    /**
     * A market of the workload; one lot is worth $20-$75 at the reference price.
     *
     * @param quoteScaleExponent a fill's quote in USDC quantums is {@code price * size / 10^exponent}
     */
    record Market(int marketId, String symbol, long tickSize, long lotSize, int quoteScaleExponent, long referencePrice)
    {
    }

    /** BTC and ETH as in the demo (cents; satoshis and 1e-6 ETH), SOL (cents; 1e-6 SOL), DOGE (1e-4 USD; 0.01 DOGE). */
    static final Market[] MARKETS = {
        new Market(1, "BTC-USD", 50, 100_000, 4, 6_000_000),
        new Market(2, "ETH-USD", 5, 10_000, 2, 300_000),
        new Market(3, "SOL-USD", 1, 500_000, 2, 15_000),
        new Market(4, "DOGE-USD", 1, 10_000, 0, 2_000),
    };

    /** What the flow did, counted by the generator's own engine. */
    public record Summary(
        long commands, long oracleRounds, long fundingRounds, long liquidateCommands, long fills, long liquidationSteps,
        long deleverages, long insuranceBalance, long openInterestLots)
    {
    }

    private final Config config;
    private final EncodedStream stream;
    private final long expectedStateHash;
    private final long lastSequence;
    private final Summary summary;

    private PerpetualsWorkload(final Config config, final EncodedStream stream, final long expectedStateHash,
        final long lastSequence, final Summary summary)
    {
        this.config = config;
        this.stream = stream;
        this.expectedStateHash = expectedStateHash;
        this.lastSequence = lastSequence;
        this.summary = summary;
    }

    /** Generates the workload (deterministic in {@code config}). */
    public static PerpetualsWorkload generate(final Config config)
    {
        return new Generator(config).run();
    }

    public Config config()
    {
        return config;
    }

    public EncodedStream stream()
    {
        return stream;
    }

    /** The engine's state hash after the whole stream, sequenced with {@link #clock()}. */
    public long expectedStateHash()
    {
        return expectedStateHash;
    }

    public long lastSequence()
    {
        return lastSequence;
    }

    public Summary summary()
    {
        return summary;
    }

    public static long origin()
    {
        return ORIGIN_NS;
    }

    public static long stepNs()
    {
        return STEP_NS;
    }

    /** A fresh sequencer clock that stamps command {@code k} with {@code origin() + k * stepNs()}. */
    public static SteppingClock clock()
    {
        return new SteppingClock(ORIGIN_NS, STEP_NS);
    }

    private static final class Generator
    {
        private final Config config;
        private final SplittableRandom random;
        private final EncodedStream.Builder builder;
        private final CommandEncoder orders = new CommandEncoder();
        private final AccountCommandEncoder accounts = new AccountCommandEncoder();
        private final FundingCommandEncoder funding = new FundingCommandEncoder();
        private final UnsafeBuffer command =
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
        private final UnsafeBuffer stamped =
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(CommandAdapter.MAX_COMMAND_LENGTH, 64));
        private final MatchingEngine engine = Engines.standard();
        private final CommandAdapter adapter = new CommandAdapter(engine);
        private final EventPublisher events = engine.events();
        private final ArrayDeque<Long> liquidations = new ArrayDeque<>();
        private final MarginViews views = new MarginViews(accountId -> liquidations.add(accountId));
        private final PrivateKey[][] oracleKeys;
        private final byte[][] ownerKeys = new byte[OWNER_KEYS][];
        private final long[] midTicks;
        private final long[][] makerQuotes;
        private final int[] makerQuoteCount;
        private final long[] recentAccount = new long[RECENT];
        private final int[] recentMarket = new int[RECENT];
        private final long[] recentClientId = new long[RECENT];
        private final Side[] recentSide = new Side[RECENT];
        private long recentCount;
        private long nextClientId = 1;
        private long sequence;
        private long timedWritten;
        private long oracleRounds;
        private long fundingRounds;
        private long liquidateCommands;
        private long depositId;

        Generator(final Config config)
        {
            this.config = config;
            this.random = new SplittableRandom(config.seed());
            this.builder = new EncodedStream.Builder(Math.max(1 << 20, config.timedCommands() * 56));
            this.oracleKeys = new PrivateKey[config.markets()][ORACLE_SOURCES];
            this.midTicks = new long[config.markets()];
            this.makerQuotes = new long[config.markets() * MAKERS_PER_MARKET][MAKER_QUOTES];
            this.makerQuoteCount = new int[config.markets() * MAKERS_PER_MARKET];
        }

        PerpetualsWorkload run()
        {
            prefill();
            // Counted in commands written: a flow step may write more than one (a cancel before a new order).
            long nextOracle = config.oracleInterval();
            long nextFunding = config.oracleInterval() / 2;
            while (timedWritten < config.timedCommands())
            {
                if (timedWritten >= nextOracle)
                {
                    oracleRound();
                    nextOracle += config.oracleInterval();
                }
                else if (config.oracleInterval() >= 2 && timedWritten >= nextFunding)
                {
                    fundingRound();
                    nextFunding += config.oracleInterval();
                }
                else
                {
                    flowCommand();
                }
            }
            final MarginViews.Summary margin = views.summary();
            final Summary summary = new Summary(sequence, oracleRounds, fundingRounds, liquidateCommands, margin.fills(),
                margin.liquidationSteps(), margin.deleverages(), margin.insuranceBalance(), margin.openInterestLots());
            return new PerpetualsWorkload(config, builder.build(), engine.stateHash(), engine.lastSequence(), summary);
        }

        private void prefill()
        {
            for (int m = 0; m < config.markets(); m++)
            {
                final Market market = MARKETS[m];
                midTicks[m] = market.referencePrice() / market.tickSize();
                emit(false, orders.addMarket(command, 0, market.marketId(), market.symbol(), market.tickSize(),
                    market.lotSize(), market.quoteScaleExponent(), market.lotSize(), market.lotSize() * 100_000, 0,
                    100_000, -100, 500, market.referencePrice(), false, MarketStatus.ACTIVE));
                emit(false, accounts.configureRisk(command, 0, market.marketId(), RiskParams.DEFAULT_IMF_PPM,
                    RiskParams.DEFAULT_MMF_PPM, 0, 0, RiskParams.DEFAULT_LIQUIDATION_FEE_PPM, RiskParams.DEFAULT_SLICE_PPM,
                    RiskParams.DEFAULT_MIN_SLICE_NOTIONAL, RiskParams.DEFAULT_MAX_LIQUIDATION_NOTIONAL,
                    RiskParams.DEFAULT_FILLABLE_FACTOR_PPM));
                final byte[][] keys = new byte[ORACLE_SOURCES][];
                for (int s = 0; s < ORACLE_SOURCES; s++)
                {
                    final var pair = Ed25519Keys.keyPairFromSeed(
                        Ed25519Keys.deriveSeed("perpetua/bench-oracle/" + market.marketId() + "/" + config.seed(), s));
                    oracleKeys[m][s] = pair.getPrivate();
                    keys[s] = Ed25519Keys.rawPublicKey(pair.getPublic());
                }
                emit(false, accounts.configureOracle(command, 0, market.marketId(), ORACLE_QUORUM, ORACLE_VALIDITY_NS,
                    ORACLE_MAX_MOVE_PPM, ORACLE_MOVE_WINDOW_NS, ORACLE_STALE_NS, keys));
                emit(false, oraclePrice(m, midTicks[m]));
            }
            for (int k = 0; k < config.markets() * MAKERS_PER_MARKET; k++)
            {
                emit(false, accounts.deposit(command, 0, makerAccount(k), MAKER_DEPOSIT, ++depositId, publicKey(makerAccount(k))));
            }
            for (int t = 0; t < config.takers(); t++)
            {
                final long account = FIRST_TAKER + t;
                final long dollars = 200 + random.nextInt(4_801);
                emit(false, accounts.deposit(command, 0, account, dollars * 1_000_000L, ++depositId, publicKey(account)));
                for (int m = 0; m < config.markets(); m++)
                {
                    emit(false, accounts.setLeverage(command, 0, account, MARKETS[m].marketId(), 3 + random.nextInt(18)));
                }
            }
            for (int m = 0; m < config.markets(); m++)
            {
                for (int k = 0; k < MAKERS_PER_MARKET; k++)
                {
                    ladder(false, m, m * MAKERS_PER_MARKET + k);
                }
            }
        }

        /** One command of the steady flow (a maker re-quote, or a taker's order, cancel or reduce). */
        private void flowCommand()
        {
            final int m = random.nextInt(config.markets());
            final int roll = random.nextInt(100);
            if (roll < 30)
            {
                requote(m, m * MAKERS_PER_MARKET + random.nextInt(MAKERS_PER_MARKET));
            }
            else if (roll < 54)
            {
                restingOrder(m);
            }
            else if (roll < 72)
            {
                crossingOrder(m, OrderType.LIMIT);
            }
            else if (roll < 76)
            {
                crossingOrder(m, OrderType.MARKET);
            }
            else if (roll < 82)
            {
                conditionalOrder(m);
            }
            else if (recentCount == 0)
            {
                restingOrder(m);
            }
            else
            {
                final int r = (int)random.nextLong(Math.min(recentCount, RECENT));
                final Market market = MARKETS[recentMarket[r] - 1];
                if (roll < 95)
                {
                    emit(true, orders.cancelOrder(command, 0, recentAccount[r], recentMarket[r], 0, recentClientId[r]));
                }
                else if (roll < 98)
                {
                    emit(true, orders.amendOrder(command, 0, recentAccount[r], recentMarket[r], 0, recentClientId[r], 0, 0,
                        market.lotSize()));
                }
                else
                {
                    // Re-priced through the mid: it trades as a taker, and what is left rests at the new price.
                    final long through = 1 + random.nextInt(4);
                    final long mid = midTicks[recentMarket[r] - 1];
                    final long priceTicks = recentSide[r] == Side.BUY ? mid + through : mid - through;
                    emit(true, orders.amendOrder(command, 0, recentAccount[r], recentMarket[r], 0, recentClientId[r],
                        priceTicks * market.tickSize(), 0, 0));
                }
            }
        }

        /** A maker pulls one of its quotes or adds one at a random level of its ladder, holding at most {@link #MAKER_QUOTES}. */
        private void requote(final int m, final int maker)
        {
            final int count = makerQuoteCount[maker];
            if (count >= MAKER_QUOTES || count > 0 && random.nextBoolean())
            {
                final int i = random.nextInt(count);
                final long clientId = makerQuotes[maker][i];
                makerQuotes[maker][i] = makerQuotes[maker][count - 1];
                makerQuoteCount[maker] = count - 1;
                emit(true, orders.cancelOrder(command, 0, makerAccount(maker), MARKETS[m].marketId(), 0, clientId));
                return;
            }
            quote(true, m, maker, random.nextBoolean() ? Side.BUY : Side.SELL, 1 + random.nextInt(LADDER_LEVELS));
        }

        /** A maker pulls its quotes and lays a fresh ladder around the current mid. */
        private void ladder(final boolean timed, final int m, final int maker)
        {
            emit(timed, orders.cancelAll(command, 0, makerAccount(maker), MARKETS[m].marketId()));
            makerQuoteCount[maker] = 0;
            for (int level = 1; level <= LADDER_LEVELS; level++)
            {
                quote(timed, m, maker, Side.BUY, level);
                quote(timed, m, maker, Side.SELL, level);
            }
        }

        private void quote(final boolean timed, final int m, final int maker, final Side side, final int level)
        {
            final Market market = MARKETS[m];
            final long priceTicks = side == Side.BUY ? midTicks[m] - level : midTicks[m] + level;
            final long clientId = nextClientId++;
            if (makerQuoteCount[maker] < MAKER_QUOTES)
            {
                makerQuotes[maker][makerQuoteCount[maker]++] = clientId;
            }
            emit(timed, orders.placeOrder(command, 0, makerAccount(maker), market.marketId(), clientId, side, OrderType.LIMIT,
                TimeInForce.GTC, CommandEncoder.POST_ONLY, SelfTradePrevention.CANCEL_MAKER, priceTicks * market.tickSize(),
                market.lotSize() * (20 + random.nextInt(200)), 0));
        }

        /** A taker's GTC order a few ticks off the mid; one in five is a reduce-only order on its closing side. */
        private void restingOrder(final int m)
        {
            final Market market = MARKETS[m];
            final long account = takerAccount();
            final boolean reduceOnly = random.nextInt(5) == 0;
            final Side side = reduceOnly ? closingSide(account) : side(account);
            final long distance = 1 + random.nextInt(20);
            final long priceTicks = side == Side.BUY ? midTicks[m] - distance : midTicks[m] + distance;
            final long clientId = remember(account, market, side);
            emit(true, orders.placeOrder(command, 0, account, market.marketId(), clientId, side, OrderType.LIMIT,
                TimeInForce.GTC, reduceOnly ? CommandEncoder.REDUCE_ONLY : 0, SelfTradePrevention.CANCEL_MAKER,
                priceTicks * market.tickSize(), market.lotSize() * (1 + random.nextInt(60)), 0));
        }

        /**
         * A taker's stop or take-profit on its closing side (half of them reduce-only), its trigger
         * up to 2% from the mid: the oracle rounds' moves fire them, the sharp ones many at once.
         */
        private void conditionalOrder(final int m)
        {
            final Market market = MARKETS[m];
            final long account = takerAccount();
            final Side side = closingSide(account);
            final boolean stop = random.nextBoolean();
            final long distance = Math.max(1, midTicks[m] * (1 + random.nextInt(MAX_TRIGGER_DISTANCE_PPM)) / 1_000_000);
            // A stop sells below the mark (buys above it); a take-profit sells above it (buys below it).
            final boolean above = stop == (side == Side.BUY);
            final long triggerTicks = above ? midTicks[m] + distance : Math.max(1, midTicks[m] - distance);
            final OrderType type = stop ? OrderType.STOP_MARKET : OrderType.TAKE_PROFIT_LIMIT;
            final long limitTicks = stop ? 0 : Math.max(1, side == Side.BUY ? triggerTicks + 2 : triggerTicks - 2);
            final long clientId = remember(account, market, side);
            emit(true, orders.placeOrder(command, 0, account, market.marketId(), clientId, side, type,
                stop ? TimeInForce.IOC : TimeInForce.GTC, random.nextBoolean() ? CommandEncoder.REDUCE_ONLY : 0,
                SelfTradePrevention.CANCEL_TAKER, limitTicks * market.tickSize(), market.lotSize() * (1 + random.nextInt(60)),
                0, triggerTicks * market.tickSize()));
        }

        /**
         * Keeps a taker's order among the recent ones that cancels and amends pick from, first
         * cancelling the order whose place it takes (UNKNOWN_ORDER if it is already gone); returns
         * the new order's client id.
         */
        private long remember(final long account, final Market market, final Side side)
        {
            final long clientId = nextClientId++;
            final int slot = (int)(recentCount++ % RECENT);
            if (recentCount > RECENT)
            {
                emit(true, orders.cancelOrder(command, 0, recentAccount[slot], recentMarket[slot], 0, recentClientId[slot]));
            }
            recentAccount[slot] = account;
            recentMarket[slot] = market.marketId();
            recentClientId[slot] = clientId;
            recentSide[slot] = side;
            return clientId;
        }

        private void crossingOrder(final int m, final OrderType type)
        {
            final Market market = MARKETS[m];
            final long account = takerAccount();
            final Side side = side(account);
            final long through = 1 + random.nextInt(4);
            final long price = type == OrderType.MARKET ? 0 :
                (side == Side.BUY ? midTicks[m] + through : midTicks[m] - through) * market.tickSize();
            emit(true, orders.placeOrder(command, 0, account, market.marketId(), 0, side, type, TimeInForce.IOC, (byte)0,
                SelfTradePrevention.CANCEL_TAKER, price, market.lotSize() * (1 + random.nextInt(60)), 0));
        }

        /** A signed price per market on a random walk with occasional 10% moves; makers re-centre after it. */
        private void oracleRound()
        {
            oracleRounds++;
            for (int m = 0; m < config.markets(); m++)
            {
                final long movePpm = random.nextInt(SHARP_MOVE_ONE_IN) == 0 ?
                    (random.nextBoolean() ? SHARP_MOVE_PPM : -SHARP_MOVE_PPM) : random.nextInt(10_001) - 5_000;
                midTicks[m] = Math.max(100, midTicks[m] + midTicks[m] * movePpm / 1_000_000);
                emit(true, oraclePrice(m, midTicks[m]));
                for (int k = 0; k < MAKERS_PER_MARKET; k++)
                {
                    ladder(true, m, m * MAKERS_PER_MARKET + k);
                }
            }
        }

        /** A funding tick per market at a drawn rate, for the funding period ending at the command's own time. */
        private void fundingRound()
        {
            fundingRounds++;
            for (int m = 0; m < config.markets(); m++)
            {
                final long rate8hPpb = random.nextInt(2 * MAX_FUNDING_RATE_PPB + 1) - MAX_FUNDING_RATE_PPB;
                emit(true, funding.fundingTick(command, 0, MARKETS[m].marketId(), rate8hPpb,
                    ORIGIN_NS + (sequence + 1) * STEP_NS));
            }
        }

        /** Two of the three sources sign the price just before the command's own stamped time. */
        private int oraclePrice(final int m, final long priceTicks)
        {
            final Market market = MARKETS[m];
            final long observedNs = ORIGIN_NS + (sequence + 1) * STEP_NS - 1;
            final int[] sources = {0, 1 + random.nextInt(ORACLE_SOURCES - 1)};
            final long[] prices = {priceTicks * market.tickSize(), priceTicks * market.tickSize()};
            final long[] times = {observedNs, observedNs};
            final byte[][] signatures = new byte[ORACLE_QUORUM][];
            for (int i = 0; i < ORACLE_QUORUM; i++)
            {
                signatures[i] = OracleMessage.sign(oracleKeys[m][sources[i]], market.marketId(), prices[i], observedNs);
            }
            return accounts.oraclePrice(command, 0, market.marketId(), ORACLE_QUORUM, sources, prices, times, signatures);
        }

        /**
         * Writes the command to the stream, applies it with the stamp the pipeline will give it, feeds
         * its events to the margin views, then writes the liquidations the monitor asked for.
         */
        private void emit(final boolean timed, final int length)
        {
            append(timed, length);
            int submitted = 0;
            while (!liquidations.isEmpty())
            {
                if (++submitted > MAX_LIQUIDATIONS_PER_COMMAND)
                {
                    throw new IllegalStateException("the liquidation monitor did not settle after command " + sequence +
                        " (seed " + config.seed() + ")");
                }
                final long account = liquidations.poll();
                liquidateCommands++;
                append(timed, accounts.liquidate(command, 0, account));
            }
        }

        private void append(final boolean timed, final int length)
        {
            builder.append(timed, command, 0, length);
            if (timed)
            {
                timedWritten++;
            }
            sequence++;
            stamped.putBytes(0, command, 0, length);
            CommandAdapter.stamp(stamped, 0, sequence, ORIGIN_NS + sequence * STEP_NS);
            adapter.apply(stamped, 0, length);
            if (events.length() > 0)
            {
                views.onDocument(events.buffer(), 0, events.length());
            }
        }

        private long takerAccount()
        {
            return FIRST_TAKER + random.nextInt(config.takers());
        }

        /** The side that shrinks the position a taker leans to: even-numbered takers lean long. */
        private static Side closingSide(final long account)
        {
            return account % 2 == 0 ? Side.SELL : Side.BUY;
        }

        /** Even-numbered takers buy two times in three, odd ones sell two times in three. */
        private Side side(final long account)
        {
            final boolean lean = random.nextInt(3) != 0;
            return (account % 2 == 0) == lean ? Side.BUY : Side.SELL;
        }

        private static long makerAccount(final int maker)
        {
            return 1 + maker;
        }

        private byte[] publicKey(final long accountId)
        {
            final int k = (int)(accountId % OWNER_KEYS);
            if (ownerKeys[k] == null)
            {
                ownerKeys[k] = Ed25519Keys.rawPublicKey(
                    Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("perpetua/bench-owner", k)).getPublic());
            }
            return ownerKeys[k];
        }
    }
}
