package io.perpetua.gateway.trading;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import io.perpetua.core.engine.AccountCommandEncoder;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.gateway.http.PostEndpoint;
import io.perpetua.gateway.http.WebSocketEndpoint;
import io.perpetua.gateway.marketdata.JournalConsumer;
import io.perpetua.gateway.marketdata.MarketDataState;
import io.perpetua.gateway.marketdata.MarketInfo;
import io.perpetua.gateway.marketdata.MarketState;
import io.perpetua.risk.view.MarginViews;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Perpetua's private trading API, version 1, over WebSocket ({@code /v1/trade}) and as signed HTTP
 * POSTs to the same path; the protocol is specified in {@code docs/api/trading-v1.md}. I/O threads parse and validate a request, encode the
 * command and {@link Pipeline#tryPublish publish} it without blocking; the reply comes back through
 * {@link ReplyDispatcher} and is written on the connection's event loop. The account of every
 * command is the logged-in key's account, never a field of the request.
 */
public final class TradingEndpoint implements WebSocketEndpoint, PostEndpoint, AutoCloseable
{
    /** How long a query may wait for the account feed to reach the commands it must see. */
    static final long QUERY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long QUERY_SWEEP_MS = 100;
    /** Where the endpoint is served. */
    public static final String PATH = "/v1/trade";
    public static final String PROTOCOL_VERSION = "1";
    public static final String KEY_HEADER = "X-Perpetua-Key";
    public static final String TIMESTAMP_HEADER = "X-Perpetua-Timestamp";
    public static final String NONCE_HEADER = "X-Perpetua-Nonce";
    public static final String SIGNATURE_HEADER = "X-Perpetua-Signature";
    private static final Pattern REQUEST_ID = Pattern.compile("[\\x21-\\x7e]{1,64}");
    private static final Pattern SIGNATURE_HEX = Pattern.compile("[0-9a-fA-F]{128}");
    /** Highest oracle source index the schema carries (uint8). */
    private static final int MAX_ORACLE_SOURCE = 254;
    private static final AttributeKey<TradingSession> SESSION = AttributeKey.valueOf("perpetua.trading.session");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ThreadLocal<CommandEncoder> ENCODER = ThreadLocal.withInitial(CommandEncoder::new);
    private static final ThreadLocal<AccountCommandEncoder> ACCOUNT_ENCODER = ThreadLocal.withInitial(AccountCommandEncoder::new);
    private static final ThreadLocal<UnsafeBuffer> BUFFER = ThreadLocal.withInitial(() -> new UnsafeBuffer(new byte[512]));

    private final Pipeline pipeline;
    private final MarketDataState marketData;
    private final LoginVerifier verifier;
    private final ReplyDispatcher replies;
    /** Decoders of the reply dispatcher thread. */
    private final AccountEvents replyEvents;
    private final MessageHeaderDecoder replyHeader = new MessageHeaderDecoder();
    private final RejectedDecoder rejected = new RejectedDecoder();
    private final AccountFeed accountFeed;
    /** Answers the queries the account feed has not caught up with in time (a stalled or lagging tailer). */
    private final ScheduledExecutorService queryTimeouts;
    private final MarginViews margins = new MarginViews();
    private final AtomicLong correlation = new AtomicLong();
    private final RateLimiter rateLimiter;
    private final OracleInbox oracle;

    /**
     * @param clockMs     the wall clock for login timestamps (epoch milliseconds)
     * @param rateLimiter the per-key limit of submitted commands
     * @param oracle      where ORACLE keys' signed prices go, or null if this gateway takes none
     */
    public TradingEndpoint(
        final Pipeline pipeline,
        final MarketDataState marketData,
        final ApiKeyStore keys,
        final LongSupplier clockMs,
        final RateLimiter rateLimiter,
        final OracleInbox oracle,
        final ErrorHandler errorHandler)
    {
        this.rateLimiter = rateLimiter;
        this.oracle = oracle;
        this.pipeline = pipeline;
        this.marketData = marketData;
        this.verifier = new LoginVerifier(keys, clockMs);
        this.replies = new ReplyDispatcher(errorHandler);
        this.replyEvents = new AccountEvents(this::marketInfo);
        this.accountFeed = new AccountFeed(this::marketInfo, margins);
        this.queryTimeouts = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "perpetua-gateway-query-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        queryTimeouts.scheduleWithFixedDelay(() ->
        {
            try
            {
                accountFeed.expireWaiting(System.nanoTime());
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }, QUERY_SWEEP_MS, QUERY_SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    /** The margin views' consumer of the events journal: register it with the events tailer before {@link #accountFeed}. */
    public JournalConsumer marginViews()
    {
        return margins::onDocument;
    }

    /** The private channel's consumer of the events journal: register it with the events tailer. */
    public JournalConsumer accountFeed()
    {
        return accountFeed;
    }

    private MarketInfo marketInfo(final int marketId)
    {
        synchronized (marketData)
        {
            final MarketState market = marketData.market(marketId);
            return market == null ? null : market.info();
        }
    }

    @Override
    public void onOpen(final Channel channel)
    {
        channel.attr(SESSION).set(new TradingSession(channel));
    }

    @Override
    public void onClose(final Channel channel)
    {
        final TradingSession session = channel.attr(SESSION).get();
        if (session != null && session.role() == ApiKeyStore.Role.TRADER)
        {
            accountFeed.unsubscribe(session);
        }
    }

    @Override
    public void onBinary(final Channel channel)
    {
        channel.attr(SESSION).get().send(error(null, null, ErrorCode.MALFORMED_JSON.name(),
            "binary frames are not accepted: send JSON text"));
    }

    @Override
    public void onText(final Channel channel, final String text)
    {
        process(channel.attr(SESSION).get(), text);
    }

    /**
     * A request over HTTP: {@code POST /v1/trade} with the same JSON body as a WebSocket request,
     * signed in the {@code X-Perpetua-*} headers instead of a login.
     */
    @Override
    public void onPost(final HttpHeaders headers, final String body, final PostEndpoint.Responder responder)
    {
        final ApiKeyStore.ApiKey apiKey;
        try
        {
            final String key = header(headers, KEY_HEADER);
            final String timestampText = header(headers, TIMESTAMP_HEADER);
            final long timestamp;
            try
            {
                timestamp = Long.parseLong(timestampText);
            }
            catch (final NumberFormatException ex)
            {
                throw new TradingException(ErrorCode.INVALID_FIELD, TIMESTAMP_HEADER + " must be epoch milliseconds: " +
                    timestampText);
            }
            apiKey = verifier.authenticate(key, timestamp, header(headers, NONCE_HEADER), header(headers, SIGNATURE_HEADER), body);
        }
        catch (final TradingException ex)
        {
            responder.respond(HttpResponseStatus.UNAUTHORIZED, error(null, null, ex.code().name(), ex.getMessage()));
            return;
        }
        process(new HttpPeer(apiKey, responder, pipeline::lastSequenceWithEvents), body);
    }

    private static String header(final HttpHeaders headers, final String name)
    {
        final String value = headers.get(name);
        if (value == null)
        {
            throw new TradingException(ErrorCode.MISSING_FIELD, "header " + name + " is required");
        }
        return value;
    }

    private void process(final TradingPeer session, final String text)
    {
        final JsonNode request;
        try
        {
            request = JSON.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            session.send(error(null, null, ErrorCode.MALFORMED_JSON.name(), "not valid JSON: " +
                ex.getOriginalMessage()));
            return;
        }
        if (request == null || !request.isObject())
        {
            session.send(error(null, null, ErrorCode.MALFORMED_JSON.name(), "a request must be a JSON object"));
            return;
        }
        String op = null;
        String requestId = null;
        try
        {
            final JsonNode idNode = request.get("requestId");
            if (idNode == null)
            {
                throw new TradingException(ErrorCode.MISSING_FIELD, "requestId is required");
            }
            if (!idNode.isTextual() || !REQUEST_ID.matcher(idNode.asText()).matches())
            {
                throw new TradingException(ErrorCode.INVALID_FIELD, "requestId must be a string of 1-64 printable ASCII characters");
            }
            requestId = idNode.asText();
            final JsonNode opNode = request.get("op");
            if (opNode == null)
            {
                throw new TradingException(ErrorCode.MISSING_FIELD, "op is required");
            }
            if (!opNode.isTextual())
            {
                throw new TradingException(ErrorCode.INVALID_FIELD, "op must be a string");
            }
            op = opNode.asText();
            handle(session, op, requestId, request);
        }
        catch (final TradingException ex)
        {
            session.send(error(op, requestId, ex.code().name(), ex.getMessage()));
        }
    }

    private void handle(final TradingPeer session, final String op, final String requestId, final JsonNode request)
    {
        switch (op)
        {
            case "ping" ->
            {
                new RequestFields(request, Set.of("op", "requestId"));
                session.send(NODES.objectNode().put("type", "pong").put("requestId", requestId));
            }
            case "login" -> login(webSocket(session, op), requestId, request);
            case "subscribe", "unsubscribe" -> subscription(webSocket(session, op), op, requestId, request);
            case "place" -> place(session, requestId, request);
            case "cancel" -> cancel(session, requestId, request);
            case "cancelAll" -> cancelAll(session, requestId, request);
            case "amend" -> amend(session, requestId, request);
            case "setLeverage" -> setLeverage(session, requestId, request);
            case "oraclePrice" -> oraclePrice(session, requestId, request);
            case "openOrders" -> openOrders(session, requestId, request);
            default -> throw new TradingException(ErrorCode.UNKNOWN_OP, "unknown op: " + op +
                " (login, subscribe, unsubscribe, place, cancel, cancelAll, amend, setLeverage, openOrders, oraclePrice, ping)");
        }
    }

    private static TradingSession webSocket(final TradingPeer peer, final String op)
    {
        if (peer instanceof TradingSession session)
        {
            return session;
        }
        throw new TradingException(ErrorCode.WEBSOCKET_ONLY, op + " is only available on the WebSocket " + PATH +
            " (HTTP requests are signed one by one)");
    }

    private void login(final TradingSession session, final String requestId, final JsonNode request)
    {
        final RequestFields fields = new RequestFields(request, Set.of("op", "requestId", "apiKey", "timestamp", "nonce", "signature"));
        if (session.role() != null)
        {
            throw new TradingException(ErrorCode.ALREADY_LOGGED_IN, "this connection is logged in already");
        }
        final String key = fields.string("apiKey");
        final long timestamp = fields.requiredInteger("timestamp", 0);
        final String nonce = fields.string("nonce");
        final String signature = fields.string("signature");
        final ApiKeyStore.ApiKey apiKey = verifier.authenticate(key, timestamp, nonce, signature);
        session.login(apiKey);
        final ObjectNode result = result("login", requestId);
        if (apiKey.role() == ApiKeyStore.Role.TRADER)
        {
            result.put("accountId", apiKey.accountId());
        }
        session.send(result.put("role", apiKey.role().name()).put("version", PROTOCOL_VERSION));
    }

    /** The peer must be logged in with a key of {@code role}. */
    private static void requireRole(final TradingPeer session, final String op, final ApiKeyStore.Role role)
    {
        final ApiKeyStore.Role actual = session.role();
        if (actual == null)
        {
            throw new TradingException(ErrorCode.NOT_LOGGED_IN, "log in first");
        }
        if (actual != role)
        {
            throw new TradingException(ErrorCode.NOT_PERMITTED, op + " needs a " + role + " key; this is an " + actual + " key");
        }
    }

    private void subscription(final TradingSession session, final String op, final String requestId, final JsonNode request)
    {
        final RequestFields fields = new RequestFields(request, Set.of("op", "requestId", "channel"));
        requireRole(session, op, ApiKeyStore.Role.TRADER);
        final String channel = fields.string("channel");
        if (!channel.equals("account"))
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, "channel must be \"account\": " + channel);
        }
        if (op.equals("subscribe"))
        {
            final long sequence;
            final ObjectNode margin;
            final ArrayNode orders;
            synchronized (accountFeed)
            {
                sequence = accountFeed.subscribe(session);
                margin = accountFeed.margin(session.accountId());
                orders = accountFeed.openOrders(session.accountId(), 0);
            }
            final ObjectNode result = result(op, requestId).put("channel", channel).put("sequence", Long.toString(sequence));
            if (margin != null)
            {
                result.set("margin", margin);
            }
            result.set("orders", orders);
            session.send(result);
        }
        else
        {
            if (!accountFeed.unsubscribe(session))
            {
                throw new TradingException(ErrorCode.NOT_SUBSCRIBED, "not subscribed to the account channel");
            }
            session.send(result(op, requestId).put("channel", channel));
        }
    }

    private void openOrders(final TradingPeer session, final String requestId, final JsonNode request)
    {
        final RequestFields fields = new RequestFields(request, Set.of("op", "requestId", "market"));
        requireRole(session, "openOrders", ApiKeyStore.Role.TRADER);
        final String ticker = fields.optionalString("market");
        final int marketId = ticker == null ? 0 : market(ticker).marketId();
        final long accountId = session.accountId();
        final long waitFor = session.acknowledgedSequence();
        accountFeed.whenAt(waitFor, sequence ->
        {
            final ObjectNode result = result("openOrders", requestId).put("sequence", Long.toString(sequence));
            result.set("orders", accountFeed.openOrders(accountId, marketId));
            session.send(result);
        }, System.nanoTime() + QUERY_TIMEOUT_NS, () -> session.send(error("openOrders", requestId, ErrorCode.UNAVAILABLE.name(),
            "the account feed has not reached sequence " + waitFor + " within " +
            TimeUnit.NANOSECONDS.toSeconds(QUERY_TIMEOUT_NS) + " s: retry")));
    }

    private void place(final TradingPeer session, final String requestId, final JsonNode request)
    {
        final RequestFields fields = new RequestFields(request, Set.of("op", "requestId", "market", "side", "type",
            "timeInForce", "price", "triggerPrice", "size", "postOnly", "reduceOnly", "selfTradePrevention", "clientOrderId",
            "expiresAt"));
        requireRole(session, "place", ApiKeyStore.Role.TRADER);
        final MarketInfo market = market(fields.string("market"));
        final Side side = fields.choice("side", Side.class, null, EnumSet.of(Side.BUY, Side.SELL));
        final OrderType type = fields.choice("type", OrderType.class, OrderType.LIMIT, EnumSet.of(OrderType.LIMIT,
            OrderType.MARKET, OrderType.STOP_LIMIT, OrderType.STOP_MARKET, OrderType.TAKE_PROFIT_LIMIT,
            OrderType.TAKE_PROFIT_MARKET));
        final boolean marketType = type == OrderType.MARKET || type == OrderType.STOP_MARKET ||
            type == OrderType.TAKE_PROFIT_MARKET;
        final TimeInForce timeInForce = fields.choice("timeInForce", TimeInForce.class,
            marketType ? TimeInForce.IOC : TimeInForce.GTC,
            EnumSet.of(TimeInForce.GTC, TimeInForce.GTT, TimeInForce.IOC, TimeInForce.FOK));
        final long price;
        if (!marketType)
        {
            price = fields.decimal("price", market.units()::parsePrice);
        }
        else if (fields.has("price"))
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, "price must be absent for a " + type +
                " order (its limit is the band)");
        }
        else
        {
            price = 0;
        }
        final long triggerPrice;
        if (OpenOrders.isConditional(type))
        {
            triggerPrice = fields.decimal("triggerPrice", market.units()::parsePrice);
        }
        else if (fields.has("triggerPrice"))
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, "triggerPrice is only for STOP_* and TAKE_PROFIT_* orders");
        }
        else
        {
            triggerPrice = 0;
        }
        final long size = fields.decimal("size", market.units()::parseSize);
        final boolean postOnly = fields.bool("postOnly", false);
        final boolean reduceOnly = fields.bool("reduceOnly", false);
        final SelfTradePrevention stp = fields.choice("selfTradePrevention", SelfTradePrevention.class,
            SelfTradePrevention.CANCEL_MAKER,
            EnumSet.of(SelfTradePrevention.CANCEL_MAKER, SelfTradePrevention.CANCEL_TAKER, SelfTradePrevention.CANCEL_BOTH));
        final long clientOrderId = fields.integer("clientOrderId", 1, 0);
        final long expiryNs;
        if (timeInForce == TimeInForce.GTT)
        {
            final long expiresAtMs = fields.requiredInteger("expiresAt", 1);
            if (expiresAtMs > Long.MAX_VALUE / 1_000_000)
            {
                throw new TradingException(ErrorCode.INVALID_FIELD, "expiresAt is too far in the future: " + expiresAtMs);
            }
            expiryNs = expiresAtMs * 1_000_000;
        }
        else if (fields.has("expiresAt"))
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, "expiresAt is only for GTT orders");
        }
        else
        {
            expiryNs = 0;
        }
        final UnsafeBuffer buffer = BUFFER.get();
        final int length = ENCODER.get().placeOrder(buffer, 0, session.accountId(), market.marketId(), clientOrderId,
            side, type, timeInForce, (byte)((postOnly ? CommandEncoder.POST_ONLY : 0) | (reduceOnly ? CommandEncoder.REDUCE_ONLY : 0)),
            stp, price, size, expiryNs, triggerPrice);
        submit(session, "place", requestId, buffer, length);
    }

    private void cancel(final TradingPeer session, final String requestId, final JsonNode request)
    {
        final RequestFields fields = new RequestFields(request, Set.of("op", "requestId", "market", "orderId", "clientOrderId"));
        requireRole(session, "cancel", ApiKeyStore.Role.TRADER);
        final MarketInfo market = market(fields.string("market"));
        final long[] ids = orderReference(fields);
        final UnsafeBuffer buffer = BUFFER.get();
        final int length = ENCODER.get().cancelOrder(buffer, 0, session.accountId(), market.marketId(), ids[0], ids[1]);
        submit(session, "cancel", requestId, buffer, length);
    }

    private void cancelAll(final TradingPeer session, final String requestId, final JsonNode request)
    {
        final RequestFields fields = new RequestFields(request, Set.of("op", "requestId", "market"));
        requireRole(session, "cancelAll", ApiKeyStore.Role.TRADER);
        final String ticker = fields.optionalString("market");
        final int marketId = ticker == null ? 0 : market(ticker).marketId();
        final UnsafeBuffer buffer = BUFFER.get();
        final int length = ENCODER.get().cancelAll(buffer, 0, session.accountId(), marketId);
        submit(session, "cancelAll", requestId, buffer, length);
    }

    private void amend(final TradingPeer session, final String requestId, final JsonNode request)
    {
        final RequestFields fields = new RequestFields(request, Set.of("op", "requestId", "market", "orderId",
            "clientOrderId", "price", "size", "reduceBy"));
        requireRole(session, "amend", ApiKeyStore.Role.TRADER);
        final MarketInfo market = market(fields.string("market"));
        final long[] ids = orderReference(fields);
        final long newPrice = fields.has("price") ? fields.decimal("price", market.units()::parsePrice) : 0;
        final long newSize = fields.has("size") ? fields.decimal("size", market.units()::parseSize) : 0;
        final long reduceBy = fields.has("reduceBy") ? fields.decimal("reduceBy", market.units()::parseSize) : 0;
        if (!fields.has("price") && !fields.has("size") && !fields.has("reduceBy"))
        {
            throw new TradingException(ErrorCode.MISSING_FIELD, "an amend needs price, size or reduceBy");
        }
        final UnsafeBuffer buffer = BUFFER.get();
        final int length = ENCODER.get().amendOrder(buffer, 0, session.accountId(), market.marketId(), ids[0], ids[1],
            newPrice, newSize, reduceBy);
        submit(session, "amend", requestId, buffer, length);
    }

    private void setLeverage(final TradingPeer session, final String requestId, final JsonNode request)
    {
        final RequestFields fields = new RequestFields(request, Set.of("op", "requestId", "market", "leverage"));
        requireRole(session, "setLeverage", ApiKeyStore.Role.TRADER);
        final MarketInfo market = market(fields.string("market"));
        // 0 returns to the tier's maximum; the engine rejects what is above its limit (INVALID_LEVERAGE).
        final long leverage = fields.requiredInteger("leverage", 0);
        if (leverage > Integer.MAX_VALUE)
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, "leverage is out of range: " + leverage);
        }
        final UnsafeBuffer buffer = BUFFER.get();
        final int length = ACCOUNT_ENCODER.get().setLeverage(buffer, 0, session.accountId(), market.marketId(), (int)leverage);
        submit(session, "setLeverage", requestId, buffer, length);
    }

    /**
     * One oracle source's signed price, for an ORACLE key: handed to the node's oracle, which answers
     * at once (it submits an {@code OraclePrice} command when the price completes a fresh quorum).
     */
    private void oraclePrice(final TradingPeer session, final String requestId, final JsonNode request)
    {
        final RequestFields fields = new RequestFields(request, Set.of("op", "requestId", "market", "source", "price",
            "timestamp", "signature"));
        requireRole(session, "oraclePrice", ApiKeyStore.Role.ORACLE);
        final MarketInfo market = market(fields.string("market"));
        final long source = fields.requiredInteger("source", 0);
        if (source > MAX_ORACLE_SOURCE)
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, "source must be an index from 0 to " + MAX_ORACLE_SOURCE + ": " + source);
        }
        final long price = fields.decimal("price", market.units()::parsePrice);
        if (price <= 0)
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, "price must be positive: " + fields.string("price"));
        }
        final long timestampNs = fields.requiredInteger("timestamp", 1);
        final String signatureHex = fields.string("signature");
        if (!SIGNATURE_HEX.matcher(signatureHex).matches())
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, "signature must be 128 hex digits (64 bytes)");
        }
        if (oracle == null)
        {
            throw new TradingException(ErrorCode.UNAVAILABLE, "this gateway takes no oracle prices");
        }
        if (!rateLimiter.tryAcquire(session.apiKey()))
        {
            throw new TradingException(ErrorCode.RATE_LIMITED, "rate limit of this API key exceeded: nothing was taken, slow down");
        }
        final OracleInbox.Outcome outcome = oracle.offer(market.marketId(), (int)source, price, timestampNs,
            HexFormat.of().parseHex(signatureHex));
        switch (outcome)
        {
            case SUBMITTED, PENDING -> session.send(result("oraclePrice", requestId)
                .put("submitted", outcome == OracleInbox.Outcome.SUBMITTED));
            case UNKNOWN_SOURCE -> throw new TradingException(ErrorCode.INVALID_ORACLE_PRICE, market.symbol() +
                " has no oracle source " + source);
            case BAD_SIGNATURE -> throw new TradingException(ErrorCode.INVALID_ORACLE_PRICE,
                "signature is not source " + source + "'s over (market, price, timestamp)");
            case NOT_NEWER -> throw new TradingException(ErrorCode.INVALID_ORACLE_PRICE,
                "timestamp is not newer than source " + source + "'s last price");
            default -> throw new IllegalStateException("unknown outcome " + outcome);
        }
    }

    /** {orderId, clientOrderId}: exactly one of them given. */
    private static long[] orderReference(final RequestFields fields)
    {
        final boolean byId = fields.has("orderId");
        final boolean byClientId = fields.has("clientOrderId");
        if (byId == byClientId)
        {
            throw new TradingException(byId ? ErrorCode.INVALID_FIELD : ErrorCode.MISSING_FIELD,
                "give exactly one of orderId and clientOrderId");
        }
        return byId ? new long[] {fields.orderId("orderId"), 0} : new long[] {0, fields.integer("clientOrderId", 1, 0)};
    }

    private MarketInfo market(final String ticker)
    {
        synchronized (marketData)
        {
            final MarketState market = marketData.market(ticker);
            if (market == null)
            {
                throw new TradingException(ErrorCode.UNKNOWN_MARKET, "no such market: " + ticker);
            }
            return market.info();
        }
    }

    private void submit(final TradingPeer session, final String op, final String requestId, final UnsafeBuffer buffer,
        final int length)
    {
        if (!rateLimiter.tryAcquire(session.apiKey()))
        {
            throw new TradingException(ErrorCode.RATE_LIMITED, "rate limit of this API key exceeded: nothing was submitted, slow down");
        }
        final long id = correlation.incrementAndGet();
        final long accountId = session.accountId();
        replies.expect(id, (sequence, events, offset, eventsLength) ->
        {
            final ObjectNode reply = reply(op, requestId, accountId, sequence, events, offset, eventsLength);
            if (eventsLength > 0)
            {
                // A command without events changed nothing a later query could miss.
                session.acknowledged(sequence);
            }
            session.send(reply);
        });
        final PublishResult published = pipeline.tryPublish(buffer, 0, length, replies, id);
        if (published == PublishResult.BUSY || published == PublishResult.CLOSED)
        {
            replies.cancel(id);
            throw published == PublishResult.BUSY ?
                new TradingException(ErrorCode.BUSY, "the exchange is busy: nothing was submitted, retry") :
                new TradingException(ErrorCode.UNAVAILABLE, "the exchange is not accepting commands");
        }
    }

    /** Runs on the reply dispatcher thread. */
    private ObjectNode reply(
        final String op, final String requestId, final long accountId, final long sequence,
        final DirectBuffer events, final int offset, final int length)
    {
        if (length > 0 && replyHeader.wrap(events, offset).templateId() == RejectedDecoder.TEMPLATE_ID)
        {
            rejected.wrapAndApplyHeader(events, offset, replyHeader);
            final ObjectNode error = error(op, requestId, rejected.reason().name(), RejectMessages.of(rejected.reason()));
            error.put("sequence", Long.toString(sequence));
            return error;
        }
        final ObjectNode result = result(op, requestId).put("sequence", Long.toString(sequence));
        final ArrayNode list = result.putArray("events");
        replyEvents.collect(events, offset, length, accountId, list);
        for (final JsonNode event : list)
        {
            // The command's own rejection can follow events it caused first (GTT orders of other
            // accounts expiring at its timestamp): it is still an error answer.
            if (event.path("event").asText().equals("rejected"))
            {
                return error(op, requestId, event.get("code").asText(), event.get("message").asText())
                    .put("sequence", Long.toString(sequence));
            }
            if (op.equals("place") && event.path("event").asText().equals("accepted") && !result.has("orderId"))
            {
                result.put("orderId", event.get("orderId").asText());
            }
        }
        return result;
    }

    private static ObjectNode result(final String op, final String requestId)
    {
        return NODES.objectNode().put("type", "result").put("op", op).put("requestId", requestId);
    }

    private static ObjectNode error(final String op, final String requestId, final String code, final String message)
    {
        final ObjectNode node = NODES.objectNode().put("type", "error");
        node.put("op", op);
        node.put("requestId", requestId);
        return node.put("code", code).put("message", message);
    }

    @Override
    public void close()
    {
        queryTimeouts.shutdownNow();
        replies.close();
    }
}
