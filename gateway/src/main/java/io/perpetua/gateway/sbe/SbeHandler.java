package io.perpetua.gateway.sbe;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.pipeline.ResultListener;
import io.perpetua.gateway.sbe.codec.BookSnapshotRequestDecoder;
import io.perpetua.gateway.sbe.codec.BusinessRejectCode;
import io.perpetua.gateway.sbe.codec.BusinessRejectEncoder;
import io.perpetua.gateway.sbe.codec.CancelOrderDecoder;
import io.perpetua.gateway.sbe.codec.CancelReplaceDecoder;
import io.perpetua.gateway.sbe.codec.EstablishAckEncoder;
import io.perpetua.gateway.sbe.codec.EstablishDecoder;
import io.perpetua.gateway.sbe.codec.HeartbeatDecoder;
import io.perpetua.gateway.sbe.codec.HeartbeatEncoder;
import io.perpetua.gateway.sbe.codec.MarketDataRejectCode;
import io.perpetua.gateway.sbe.codec.MarketDataRejectEncoder;
import io.perpetua.gateway.sbe.codec.MarketDataSubscribeDecoder;
import io.perpetua.gateway.sbe.codec.MarketDataUnsubscribeDecoder;
import io.perpetua.gateway.sbe.codec.MassCancelDecoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderDecoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.sbe.codec.NewOrderDecoder;
import io.perpetua.gateway.sbe.codec.OrderType;
import io.perpetua.gateway.sbe.codec.RetransmitRequestDecoder;
import io.perpetua.gateway.sbe.codec.SelfTradePrevention;
import io.perpetua.gateway.sbe.codec.SessionRejectCode;
import io.perpetua.gateway.sbe.codec.Side;
import io.perpetua.gateway.sbe.codec.TerminateDecoder;
import io.perpetua.gateway.sbe.codec.TimeInForce;
import io.perpetua.gateway.sbe.codec.YesNo;
import io.perpetua.gateway.trading.LoginVerifier;
import io.perpetua.gateway.trading.TradingException;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The session layer and order entry of one connection, on its I/O thread. Each message is checked
 * whole (schema, version, block length, every enum and range) before anything is submitted, so a bad
 * message is either refused with a specific code or submitted complete, never half-way. Commands go
 * to the pipeline with {@link Pipeline#tryPublish}, which never blocks: a full ring is a
 * {@code BusinessReject(BUSY)}. Their outcome arrives as execution reports from the events journal.
 */
final class SbeHandler extends ChannelInboundHandlerAdapter
{
    static final int MIN_KEEPALIVE_MS = 1_000;
    static final int MAX_KEEPALIVE_MS = 60_000;
    static final int MAX_RETRANSMIT = 1_000;
    /** Outcomes come from the events journal, so the pipeline's direct reply is not needed. */
    private static final ResultListener IGNORE_RESULT = (correlationId, sequence, events, offset, length) ->
    {
    };

    private final Pipeline pipeline;
    private final LoginVerifier verifier;
    private final ExecutionReports reports;
    private final MarketDataFeed marketData;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final EstablishDecoder establish = new EstablishDecoder();
    private final RetransmitRequestDecoder retransmit = new RetransmitRequestDecoder();
    private final NewOrderDecoder newOrder = new NewOrderDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final CancelReplaceDecoder cancelReplace = new CancelReplaceDecoder();
    private final MassCancelDecoder massCancel = new MassCancelDecoder();
    private final MarketDataSubscribeDecoder subscribe = new MarketDataSubscribeDecoder();
    private final MarketDataUnsubscribeDecoder unsubscribe = new MarketDataUnsubscribeDecoder();
    private final BookSnapshotRequestDecoder snapshotRequest = new BookSnapshotRequestDecoder();
    private final CommandEncoder commands = new CommandEncoder();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[0]);
    private SbeSession session;

    private final AtomicLong slowConsumers;

    SbeHandler(final Pipeline pipeline, final LoginVerifier verifier, final ExecutionReports reports,
        final MarketDataFeed marketData, final AtomicLong slowConsumers)
    {
        this.marketData = marketData;
        this.slowConsumers = slowConsumers;
        this.pipeline = pipeline;
        this.verifier = verifier;
        this.reports = reports;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        session = new SbeSession(ctx.channel(), slowConsumers);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (session.accountId() != 0)
        {
            reports.unsubscribe(session);
            marketData.unsubscribeAll(session);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        try
        {
            if (!session.terminated())
            {
                final byte[] bytes = new byte[frame.readableBytes()];
                frame.readBytes(bytes);
                message.wrap(bytes);
                onMessage(bytes.length);
            }
        }
        catch (final FramingException ex)
        {
            session.terminate(ex.code(), ex.getMessage());
        }
        finally
        {
            frame.release();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        final Throwable problem = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (problem instanceof FramingException framing)
        {
            session.terminate(framing.code(), framing.getMessage());
        }
        else
        {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof IdleStateEvent idle)
        {
            if (idle.state() == IdleState.READER_IDLE)
            {
                session.terminate(SessionRejectCode.KEEPALIVE_LAPSED, session.accountId() == 0 ?
                    "no Establish within the establish timeout" : "no message within twice the keep-alive interval");
            }
            else if (idle.state() == IdleState.WRITER_IDLE && session.accountId() != 0)
            {
                sendHeartbeat();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    private void onMessage(final int length)
    {
        header.wrap(message, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.version() > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            throw new FramingException(SessionRejectCode.UNKNOWN_SCHEMA, "schema " + header.schemaId() + " version " +
                header.version() + ": this server speaks schema " + MessageHeaderDecoder.SCHEMA_ID + " up to version " +
                MessageHeaderDecoder.SCHEMA_VERSION);
        }
        final int templateId = header.templateId();
        final int expectedBlock = blockLength(templateId);
        if (expectedBlock < 0)
        {
            throw new FramingException(SessionRejectCode.UNKNOWN_TEMPLATE, "unknown template id " + templateId);
        }
        final int blockLength = header.blockLength();
        if (blockLength < expectedBlock || MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            throw new FramingException(SessionRejectCode.BAD_BLOCK_LENGTH, "template " + templateId + " with block length " +
                blockLength + " in a message of " + length + " bytes (needs at least " + expectedBlock + ")");
        }
        final int body = MessageHeaderDecoder.ENCODED_LENGTH;
        final int version = header.version();
        if (session.accountId() == 0)
        {
            if (templateId != EstablishDecoder.TEMPLATE_ID)
            {
                throw new FramingException(SessionRejectCode.NOT_ESTABLISHED, "template " + templateId +
                    " before Establish: establish the session first");
            }
            onEstablish(establish.wrap(message, body, blockLength, version));
            return;
        }
        switch (templateId)
        {
            case EstablishDecoder.TEMPLATE_ID ->
                throw new FramingException(SessionRejectCode.ALREADY_ESTABLISHED, "the session is established already");
            case HeartbeatDecoder.TEMPLATE_ID ->
            {
                // Its arrival is the point: the reader idle timer was reset.
            }
            case TerminateDecoder.TEMPLATE_ID -> session.terminate(SessionRejectCode.CLIENT_TERMINATED, "terminated by the client");
            case RetransmitRequestDecoder.TEMPLATE_ID -> onRetransmit(retransmit.wrap(message, body, blockLength, version));
            case NewOrderDecoder.TEMPLATE_ID -> onNewOrder(newOrder.wrap(message, body, blockLength, version));
            case CancelOrderDecoder.TEMPLATE_ID -> onCancel(cancelOrder.wrap(message, body, blockLength, version));
            case CancelReplaceDecoder.TEMPLATE_ID -> onCancelReplace(cancelReplace.wrap(message, body, blockLength, version));
            case MassCancelDecoder.TEMPLATE_ID -> onMassCancel(massCancel.wrap(message, body, blockLength, version));
            case MarketDataSubscribeDecoder.TEMPLATE_ID -> onSubscribe(subscribe.wrap(message, body, blockLength, version));
            case MarketDataUnsubscribeDecoder.TEMPLATE_ID ->
                onUnsubscribe(unsubscribe.wrap(message, body, blockLength, version));
            case BookSnapshotRequestDecoder.TEMPLATE_ID ->
                onSnapshotRequest(snapshotRequest.wrap(message, body, blockLength, version));
            default -> throw new FramingException(SessionRejectCode.UNKNOWN_TEMPLATE, "template " + templateId +
                " is sent by the server, not by clients");
        }
    }

    /** Root block length of the messages a client may send in this version; -1 for other templates. */
    private static int blockLength(final int templateId)
    {
        return switch (templateId)
        {
            case EstablishDecoder.TEMPLATE_ID -> EstablishDecoder.BLOCK_LENGTH;
            case HeartbeatDecoder.TEMPLATE_ID -> HeartbeatDecoder.BLOCK_LENGTH;
            case TerminateDecoder.TEMPLATE_ID -> TerminateDecoder.BLOCK_LENGTH;
            case RetransmitRequestDecoder.TEMPLATE_ID -> RetransmitRequestDecoder.BLOCK_LENGTH;
            case NewOrderDecoder.TEMPLATE_ID -> NewOrderDecoder.BLOCK_LENGTH;
            case CancelOrderDecoder.TEMPLATE_ID -> CancelOrderDecoder.BLOCK_LENGTH;
            case CancelReplaceDecoder.TEMPLATE_ID -> CancelReplaceDecoder.BLOCK_LENGTH;
            case MassCancelDecoder.TEMPLATE_ID -> MassCancelDecoder.BLOCK_LENGTH;
            case MarketDataSubscribeDecoder.TEMPLATE_ID -> MarketDataSubscribeDecoder.BLOCK_LENGTH;
            case MarketDataUnsubscribeDecoder.TEMPLATE_ID -> MarketDataUnsubscribeDecoder.BLOCK_LENGTH;
            case BookSnapshotRequestDecoder.TEMPLATE_ID -> BookSnapshotRequestDecoder.BLOCK_LENGTH;
            default -> -1;
        };
    }

    private void onEstablish(final EstablishDecoder request)
    {
        final long keepAlive = request.keepAliveIntervalMs();
        if (keepAlive < MIN_KEEPALIVE_MS || keepAlive > MAX_KEEPALIVE_MS)
        {
            throw new FramingException(SessionRejectCode.INVALID_FIELD, "keepAliveIntervalMs must be " + MIN_KEEPALIVE_MS +
                ".." + MAX_KEEPALIVE_MS + ": " + keepAlive);
        }
        if (request.nextExpectedSeqNo() < 0)
        {
            throw new FramingException(SessionRejectCode.INVALID_FIELD, "nextExpectedSeqNo must be >= 0");
        }
        final long accountId;
        try
        {
            accountId = verifier.verify(chars(request.apiKey()), request.timestampMs(), chars(request.nonce()),
                chars(request.signature()), SbeServer.SIGNED_CONTEXT);
        }
        catch (final TradingException ex)
        {
            throw new FramingException(sessionCode(ex), ex.getMessage());
        }
        session.accountId(accountId);
        session.channel().pipeline().replace(SbeServer.IDLE_HANDLER, SbeServer.IDLE_HANDLER,
            SbeServer.idleHandler(keepAlive));
        // The ack goes out before the replay, under the reports' lock, so its nextSeqNo is exact.
        reports.subscribe(session, request.nextExpectedSeqNo(), nextSeqNo ->
        {
            final int length = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
                EstablishAckEncoder.BLOCK_LENGTH;
            final byte[] ack = new byte[length];
            final UnsafeBuffer buffer = new UnsafeBuffer(ack);
            SbeSession.putFramingHeader(buffer, 0, length);
            new EstablishAckEncoder().wrapAndApplyHeader(buffer, SofhFrameDecoder.HEADER_LENGTH, new MessageHeaderEncoder())
                .accountId(accountId)
                .keepAliveIntervalMs(keepAlive)
                .nextSeqNo(nextSeqNo);
            session.sendFrame(ack);
        });
    }

    /** Trims the NUL padding of a fixed-length character field. */
    private static String chars(final String padded)
    {
        final int nul = padded.indexOf('\0');
        return nul < 0 ? padded : padded.substring(0, nul);
    }

    private static SessionRejectCode sessionCode(final TradingException ex)
    {
        return switch (ex.code())
        {
            case UNKNOWN_API_KEY -> SessionRejectCode.UNKNOWN_API_KEY;
            case BAD_SIGNATURE -> SessionRejectCode.BAD_SIGNATURE;
            case STALE_TIMESTAMP -> SessionRejectCode.STALE_TIMESTAMP;
            case REPLAYED_NONCE -> SessionRejectCode.REPLAYED_NONCE;
            default -> SessionRejectCode.INVALID_FIELD;
        };
    }

    private void onRetransmit(final RetransmitRequestDecoder request)
    {
        final long count = request.count();
        if (request.fromSeqNo() < 1 || count < 1 || count > MAX_RETRANSMIT)
        {
            throw new FramingException(SessionRejectCode.INVALID_FIELD, "RetransmitRequest needs fromSeqNo >= 1 and count 1.." +
                MAX_RETRANSMIT);
        }
        reports.retransmit(session, request.fromSeqNo(), (int)count);
    }

    private void onNewOrder(final NewOrderDecoder order)
    {
        final long clientOrderId = order.clientOrderId();
        final Side side = known(Side::get, Side.NULL_VAL, order.sideRaw());
        final OrderType type = known(OrderType::get, OrderType.NULL_VAL, order.orderTypeRaw());
        final TimeInForce timeInForce = known(TimeInForce::get, TimeInForce.NULL_VAL, order.timeInForceRaw());
        final SelfTradePrevention stp = known(SelfTradePrevention::get, SelfTradePrevention.NULL_VAL, order.selfTradePreventionRaw());
        final String invalid = side == null ? "side" : type == null ? "orderType" : timeInForce == null ? "timeInForce" :
            stp == null ? "selfTradePrevention" :
            (message.getByte(MessageHeaderDecoder.ENCODED_LENGTH + NewOrderDecoder.flagsEncodingOffset()) & ~0b11) != 0 ? "flags" :
            clientOrderId < 1 ? "clientOrderId" : order.marketId() < 1 ? "marketId" : null;
        if (invalid != null)
        {
            businessReject(NewOrderDecoder.TEMPLATE_ID, clientOrderId, BusinessRejectCode.INVALID_FIELD,
                "invalid " + invalid);
            return;
        }
        final byte flags = (byte)((order.flags().postOnly() ? CommandEncoder.POST_ONLY : 0) |
            (order.flags().reduceOnly() ? CommandEncoder.REDUCE_ONLY : 0));
        final int length = commands.placeOrder(command, 0, session.accountId(), order.marketId(), clientOrderId,
            io.perpetua.core.sbe.Side.get(side.value()), io.perpetua.core.sbe.OrderType.get(type.value()),
            io.perpetua.core.sbe.TimeInForce.get(timeInForce.value()), flags,
            io.perpetua.core.sbe.SelfTradePrevention.get(stp.value()), order.price(), order.size(), order.expiryNs());
        submit(NewOrderDecoder.TEMPLATE_ID, clientOrderId, length);
    }

    /** The enum constant with this wire value, or null (the generated lookup throws for unknown values). */
    private static <E extends Enum<E>> E known(final Function<Short, E> lookup, final E nullValue, final short raw)
    {
        try
        {
            final E value = lookup.apply(raw);
            return value == nullValue ? null : value;
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private void onCancel(final CancelOrderDecoder cancel)
    {
        if ((cancel.orderId() == 0) == (cancel.clientOrderId() == 0) || cancel.orderId() < 0 || cancel.clientOrderId() < 0)
        {
            businessReject(CancelOrderDecoder.TEMPLATE_ID, cancel.clientOrderId(), BusinessRejectCode.INVALID_FIELD,
                "give exactly one of orderId and clientOrderId, positive");
            return;
        }
        submit(CancelOrderDecoder.TEMPLATE_ID, cancel.clientOrderId(), commands.cancelOrder(command, 0,
            session.accountId(), cancel.marketId(), cancel.orderId(), cancel.clientOrderId()));
    }

    private void onCancelReplace(final CancelReplaceDecoder replace)
    {
        final String invalid = (replace.orderId() == 0) == (replace.clientOrderId() == 0) || replace.orderId() < 0 ||
            replace.clientOrderId() < 0 ? "give exactly one of orderId and clientOrderId, positive" :
            replace.newPrice() < 0 || replace.newSize() < 0 ? "newPrice and newSize must not be negative" :
            replace.newPrice() == 0 && replace.newSize() == 0 ? "newPrice or newSize must change" : null;
        if (invalid != null)
        {
            businessReject(CancelReplaceDecoder.TEMPLATE_ID, replace.clientOrderId(), BusinessRejectCode.INVALID_FIELD, invalid);
            return;
        }
        submit(CancelReplaceDecoder.TEMPLATE_ID, replace.clientOrderId(), commands.amendOrder(command, 0,
            session.accountId(), replace.marketId(), replace.orderId(), replace.clientOrderId(), replace.newPrice(),
            replace.newSize(), 0));
    }

    private void onMassCancel(final MassCancelDecoder cancel)
    {
        if (cancel.marketId() < 0)
        {
            businessReject(MassCancelDecoder.TEMPLATE_ID, 0, BusinessRejectCode.INVALID_FIELD, "marketId must be >= 0");
            return;
        }
        submit(MassCancelDecoder.TEMPLATE_ID, 0, commands.cancelAll(command, 0, session.accountId(), cancel.marketId()));
    }

    private void onSubscribe(final MarketDataSubscribeDecoder request)
    {
        final YesNo snapshot = known(YesNo::get, YesNo.NULL_VAL, request.snapshotRaw());
        if (snapshot == null)
        {
            marketDataReject(request.requestId(), request.marketId(), MarketDataRejectCode.INVALID_FIELD,
                "snapshot must be NO (0) or YES (1): " + request.snapshotRaw());
        }
        else if (validMarketDataRequest(request.requestId(), request.marketId()))
        {
            answer(request.requestId(), request.marketId(),
                marketData.subscribe(session, request.requestId(), request.marketId(), snapshot == YesNo.YES));
        }
    }

    private void onUnsubscribe(final MarketDataUnsubscribeDecoder request)
    {
        if (validMarketDataRequest(request.requestId(), request.marketId()))
        {
            answer(request.requestId(), request.marketId(),
                marketData.unsubscribe(session, request.requestId(), request.marketId()));
        }
    }

    private void onSnapshotRequest(final BookSnapshotRequestDecoder request)
    {
        if (validMarketDataRequest(request.requestId(), request.marketId()))
        {
            answer(request.requestId(), request.marketId(),
                marketData.snapshot(session, request.requestId(), request.marketId()));
        }
    }

    /** False (and an INVALID_FIELD reject sent) if the request id or market id is out of range. */
    private boolean validMarketDataRequest(final long requestId, final int marketId)
    {
        final String invalid = requestId < 1 ? "requestId must be positive: " + requestId :
            marketId < 1 ? "marketId must be positive: " + marketId : null;
        if (invalid != null)
        {
            marketDataReject(requestId, marketId, MarketDataRejectCode.INVALID_FIELD, invalid);
        }
        return invalid == null;
    }

    /** Sends the reject for a refused market-data request; an accepted one was answered by the feed. */
    private void answer(final long requestId, final int marketId, final MarketDataRejectCode refused)
    {
        if (refused != null)
        {
            marketDataReject(requestId, marketId, refused, switch (refused)
            {
                case UNKNOWN_MARKET -> "no market " + marketId;
                case ALREADY_SUBSCRIBED -> "already subscribed to market " + marketId;
                case NOT_SUBSCRIBED -> "not subscribed to market " + marketId;
                default -> refused.name();
            });
        }
    }

    private void marketDataReject(final long requestId, final int marketId, final MarketDataRejectCode code,
        final String reason)
    {
        final byte[] text = reason.getBytes(StandardCharsets.US_ASCII);
        final int length = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            MarketDataRejectEncoder.BLOCK_LENGTH + MarketDataRejectEncoder.reasonHeaderLength() + text.length;
        final byte[] frame = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        SbeSession.putFramingHeader(buffer, 0, length);
        new MarketDataRejectEncoder().wrapAndApplyHeader(buffer, SofhFrameDecoder.HEADER_LENGTH, new MessageHeaderEncoder())
            .requestId(requestId)
            .marketId(marketId)
            .code(code)
            .putReason(text, 0, text.length);
        session.sendFrame(frame);
    }

    private void submit(final int templateId, final long clientOrderId, final int length)
    {
        final PublishResult result = pipeline.tryPublish(command, 0, length, IGNORE_RESULT, 0);
        switch (result)
        {
            case PUBLISHED ->
            {
            }
            case BUSY -> businessReject(templateId, clientOrderId, BusinessRejectCode.BUSY,
                "the exchange is busy: nothing was submitted, retry");
            case MALFORMED -> businessReject(templateId, clientOrderId, BusinessRejectCode.MALFORMED,
                "the engine refused the command as malformed");
            default -> businessReject(templateId, clientOrderId, BusinessRejectCode.UNAVAILABLE,
                "the exchange is not accepting commands");
        }
    }

    private void businessReject(final int templateId, final long clientOrderId, final BusinessRejectCode code, final String reason)
    {
        final byte[] text = reason.getBytes(StandardCharsets.US_ASCII);
        final int length = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            BusinessRejectEncoder.BLOCK_LENGTH + BusinessRejectEncoder.reasonHeaderLength() + text.length;
        final byte[] frame = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        SbeSession.putFramingHeader(buffer, 0, length);
        new BusinessRejectEncoder().wrapAndApplyHeader(buffer, SofhFrameDecoder.HEADER_LENGTH, new MessageHeaderEncoder())
            .refTemplateId(templateId)
            .clientOrderId(clientOrderId)
            .code(code)
            .putReason(text, 0, text.length);
        session.sendFrame(frame);
    }

    private void sendHeartbeat()
    {
        final int length = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH;
        final byte[] frame = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        SbeSession.putFramingHeader(buffer, 0, length);
        new HeartbeatEncoder().wrapAndApplyHeader(buffer, SofhFrameDecoder.HEADER_LENGTH, new MessageHeaderEncoder())
            .nextSeqNo(reports.nextSeqNo(session.accountId()));
        session.sendFrame(frame);
    }
}
