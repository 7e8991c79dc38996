package io.perpetua.node;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.gateway.sbe.SbeServer;
import io.perpetua.gateway.sbe.codec.BusinessRejectDecoder;
import io.perpetua.gateway.sbe.codec.CancelOrderEncoder;
import io.perpetua.gateway.sbe.codec.CancelReplaceEncoder;
import io.perpetua.gateway.sbe.codec.EstablishAckDecoder;
import io.perpetua.gateway.sbe.codec.EstablishEncoder;
import io.perpetua.gateway.sbe.codec.ExecType;
import io.perpetua.gateway.sbe.codec.ExecutionReportDecoder;
import io.perpetua.gateway.sbe.codec.HeartbeatEncoder;
import io.perpetua.gateway.sbe.codec.MassCancelEncoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderDecoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.sbe.codec.NewOrderEncoder;
import io.perpetua.gateway.sbe.codec.OrderType;
import io.perpetua.gateway.sbe.codec.SelfTradePrevention;
import io.perpetua.gateway.sbe.codec.SessionRejectCode;
import io.perpetua.gateway.sbe.codec.Side;
import io.perpetua.gateway.sbe.codec.TerminateDecoder;
import io.perpetua.gateway.sbe.codec.TerminateEncoder;
import io.perpetua.gateway.sbe.codec.TimeInForce;
import io.perpetua.gateway.trading.LoginVerifier;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A market maker's client of the gateway's SBE port ({@code docs/api/sbe-v1.md}), as the demo's
 * maker uses it: SOFH-framed messages encoded and decoded with the codecs generated from the
 * published schema, Establish with the key's HMAC signature, heartbeats both ways, NewOrder,
 * CancelOrder, CancelReplace and MassCancel, and the account's execution reports counted by type.
 *
 * <p>Requests are written without waiting (Netty, one I/O thread). The gateway answers requests with
 * execution reports, not by request id, so a request counts as answered by the report that settles
 * it: NEW for a NewOrder, CANCELLED by the user for a CancelOrder, REPLACED for a CancelReplace,
 * REJECTED or a BusinessReject for any of them. A MassCancel that finds nothing open produces no
 * report at all, so MassCancels are not counted. The count of unanswered requests is shared with the
 * caller's other clients so the caller can bound them.
 *
 * <p>If the session drops (the gateway restarts, a keep-alive lapses, a Terminate), the client
 * reconnects after {@link #RECONNECT_DELAY_MS} and establishes with {@code nextExpectedSeqNo} one
 * past the last report it processed, so the reports it missed are replayed before new ones. The
 * requests that were unanswered when it dropped are forgotten (the replayed reports say what became
 * of them); requests made while no session is established are not sent and count as
 * {@link #NOT_CONNECTED} errors. Requests come from one thread at a time.
 */
final class SbeTradingClient implements AutoCloseable
{
    /** Keep-alive interval the client asks for: it sends a Heartbeat when it has sent nothing for this long. */
    static final int KEEPALIVE_MS = 5_000;
    static final long RECONNECT_DELAY_MS = 500;
    /** The error counted for a request made while no session is established. */
    static final String NOT_CONNECTED = "SBE_NOT_CONNECTED";
    private static final long TIMEOUT_S = 30;
    /** The engine's CancelReason code of a cancel asked for by the order's owner. */
    private static final int CANCEL_REASON_USER = 0;
    /** Frames from the gateway: execution reports are about 130 bytes; market data, which this client does not ask for, is larger. */
    private static final int MAX_INBOUND_FRAME = 1 << 16;
    private static final int SOFH_LENGTH = 6;
    private static final int ENCODING_TYPE = 0xEB50;

    private final InetSocketAddress address;
    private final String apiKey;
    private final byte[] secret;
    private final Map<String, LongAdder> errors;
    private final AtomicLong inFlight;
    private final AtomicLong outstanding = new AtomicLong();
    private final Map<ExecType, LongAdder> reports = new EnumMap<>(ExecType.class);
    private final AtomicLong sessions = new AtomicLong();
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final CompletableFuture<Void> firstSession = new CompletableFuture<>();
    /** The channel of the established session; null while there is none. */
    private volatile Channel established;
    private volatile boolean closed;
    private long nonceCounter;

    // The caller's thread only.
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder requestHeader = new MessageHeaderEncoder();
    private final NewOrderEncoder newOrder = new NewOrderEncoder();
    private final CancelOrderEncoder cancelOrder = new CancelOrderEncoder();
    private final CancelReplaceEncoder cancelReplace = new CancelReplaceEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();

    // The I/O thread only.
    /** Sequence number of the last execution report processed (0: none yet). */
    private long lastSeqNo;
    /** Whether a session was established before: a reconnection asks for the reports from {@code lastSeqNo + 1}. */
    private boolean reconnecting;
    /** Reports below this sequence number are the replay of an establish, not answers to this session's requests. */
    private long replayEndSeqNo;

    /**
     * Connects to the SBE port at {@code address} and establishes a session as {@code apiKey}.
     *
     * @param errors   shared counters of error codes (of all the caller's clients)
     * @param inFlight shared count of requests sent and not answered yet
     * @throws IllegalStateException if no session is established within 30 seconds
     */
    static SbeTradingClient connect(
        final InetSocketAddress address,
        final String apiKey,
        final byte[] secret,
        final Map<String, LongAdder> errors,
        final AtomicLong inFlight)
    {
        final SbeTradingClient client = new SbeTradingClient(address, apiKey, secret, errors, inFlight);
        try
        {
            client.connectOnce();
            client.firstSession.get(TIMEOUT_S, TimeUnit.SECONDS);
            return client;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException("SBE session of " + apiKey + ": interrupted", ex);
        }
        catch (final ExecutionException | TimeoutException | RuntimeException ex)
        {
            client.close();
            throw new IllegalStateException("SBE session of " + apiKey + " at " + address + " failed: " +
                (ex instanceof ExecutionException ? ex.getCause().getMessage() : ex.toString()), ex);
        }
    }

    private SbeTradingClient(
        final InetSocketAddress address,
        final String apiKey,
        final byte[] secret,
        final Map<String, LongAdder> errors,
        final AtomicLong inFlight)
    {
        this.address = address;
        this.apiKey = apiKey;
        this.secret = secret.clone();
        this.errors = errors;
        this.inFlight = inFlight;
        for (final ExecType type : ExecType.values())
        {
            reports.put(type, new LongAdder());
        }
        group = new NioEventLoopGroup(1, runnable ->
        {
            final Thread thread = new Thread(runnable, "perpetua-sbe-client-" + apiKey);
            thread.setDaemon(true);
            return thread;
        });
        bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)TimeUnit.SECONDS.toMillis(TIMEOUT_S))
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline()
                        .addLast(new LengthFieldBasedFrameDecoder(MAX_INBOUND_FRAME, 0, 4, -4, 0))
                        .addLast(new IdleStateHandler(2L * KEEPALIVE_MS, KEEPALIVE_MS, 0, TimeUnit.MILLISECONDS))
                        .addLast(new Session());
                }
            });
    }

    private void connectOnce()
    {
        bootstrap.connect(address).addListener((ChannelFuture connected) ->
        {
            if (connected.isSuccess())
            {
                connected.channel().writeAndFlush(establish(connected.channel()));
            }
            else if (!firstSession.isDone())
            {
                firstSession.completeExceptionally(connected.cause());
            }
            else
            {
                reconnectLater();
            }
        });
    }

    private void reconnectLater()
    {
        if (!closed && !group.isShuttingDown())
        {
            group.schedule(this::connectOnce, RECONNECT_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs on the I/O thread, which owns {@link #lastSeqNo}. */
    private ByteBuf establish(final Channel channel)
    {
        final long timestampMs = System.currentTimeMillis();
        final String nonce = "mm-" + Long.toHexString(timestampMs) + "-" + (++nonceCounter);
        final ByteBuf frame = channel.alloc().heapBuffer(SOFH_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            EstablishEncoder.BLOCK_LENGTH);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame.array(), frame.arrayOffset(), frame.capacity());
        final int length = SOFH_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + new EstablishEncoder()
            .wrapAndApplyHeader(buffer, SOFH_LENGTH, new MessageHeaderEncoder())
            .apiKey(apiKey)
            .timestampMs(timestampMs)
            .nonce(nonce)
            .signature(LoginVerifier.signRequest(secret, apiKey, timestampMs, nonce, SbeServer.SIGNED_CONTEXT))
            .keepAliveIntervalMs(KEEPALIVE_MS)
            .nextExpectedSeqNo(reconnecting ? lastSeqNo + 1 : 0)
            .encodedLength();
        putFramingHeader(buffer, length);
        return frame.writerIndex(length);
    }

    private static void putFramingHeader(final UnsafeBuffer buffer, final int length)
    {
        buffer.putInt(0, length, ByteOrder.BIG_ENDIAN);
        buffer.putShort(4, (short)ENCODING_TYPE, ByteOrder.BIG_ENDIAN);
    }

    /** A GTC limit order. */
    void newOrder(final int marketId, final long clientOrderId, final Side side, final long price, final long size)
    {
        newOrder.wrapAndApplyHeader(request, SOFH_LENGTH, requestHeader).flags().clear(); // the buffer holds the last request's bytes
        final int length = newOrder
            .clientOrderId(clientOrderId)
            .marketId(marketId)
            .side(side)
            .orderType(OrderType.LIMIT)
            .timeInForce(TimeInForce.GTC)
            .selfTradePrevention(SelfTradePrevention.CANCEL_MAKER)
            .price(price)
            .size(size)
            .expiryNs(0)
            .encodedLength();
        send(length, true);
    }

    /** Cancels the open order with this client order id. */
    void cancel(final int marketId, final long clientOrderId)
    {
        send(cancelOrder.wrapAndApplyHeader(request, SOFH_LENGTH, requestHeader)
            .marketId(marketId).orderId(0).clientOrderId(clientOrderId).encodedLength(), true);
    }

    /** Moves the open order with this client order id to {@code newPrice}, keeping its size. */
    void cancelReplace(final int marketId, final long clientOrderId, final long newPrice)
    {
        send(cancelReplace.wrapAndApplyHeader(request, SOFH_LENGTH, requestHeader)
            .marketId(marketId).orderId(0).clientOrderId(clientOrderId).newPrice(newPrice).newSize(0).encodedLength(), true);
    }

    /** Cancels every open order of the account in the market (0: every market). */
    void massCancel(final int marketId)
    {
        send(massCancel.wrapAndApplyHeader(request, SOFH_LENGTH, requestHeader).marketId(marketId).encodedLength(), false);
    }

    private void send(final int messageLength, final boolean answered)
    {
        final Channel channel = established;
        if (channel == null || !channel.isActive())
        {
            error(NOT_CONNECTED);
            return;
        }
        final int length = SOFH_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + messageLength;
        putFramingHeader(request, length);
        if (answered)
        {
            outstanding.incrementAndGet();
            inFlight.incrementAndGet();
        }
        channel.writeAndFlush(channel.alloc().buffer(length).writeBytes(request.byteArray(), 0, length)).addListener(written ->
        {
            if (!written.isSuccess() && answered)
            {
                answered(); // the connection closed under it: it never reached the gateway
            }
        });
    }

    /** Execution reports received so far with this type (replays after a reconnect included, duplicates not). */
    long reports(final ExecType type)
    {
        return reports.get(type).sum();
    }

    /** Execution reports received so far, all types. */
    long reports()
    {
        long total = 0;
        for (final LongAdder count : reports.values())
        {
            total += count.sum();
        }
        return total;
    }

    /** Sessions established so far (1 + reconnections). */
    long sessions()
    {
        return sessions.get();
    }

    /** Requests of this client sent in the current session and not answered yet. */
    long outstanding()
    {
        return outstanding.get();
    }

    /** Closes the current connection without a Terminate, as a network failure would; the client reconnects. */
    void dropConnection()
    {
        final Channel channel = established;
        if (channel != null)
        {
            channel.close();
        }
    }

    private void error(final String code)
    {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** Counts one answer, unless the session it belonged to dropped (its count was forgotten then). */
    private void answered()
    {
        if (outstanding.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0)
        {
            inFlight.decrementAndGet();
        }
    }

    /** Terminates the session (waiting up to 30 s for the gateway to close it) and stops the I/O thread. */
    @Override
    public void close()
    {
        closed = true;
        final Channel channel = established;
        if (channel != null && channel.isActive())
        {
            final int length = SOFH_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + TerminateEncoder.BLOCK_LENGTH +
                TerminateEncoder.reasonHeaderLength();
            final ByteBuf frame = channel.alloc().heapBuffer(length);
            final UnsafeBuffer buffer = new UnsafeBuffer(frame.array(), frame.arrayOffset(), frame.capacity());
            new TerminateEncoder().wrapAndApplyHeader(buffer, SOFH_LENGTH, new MessageHeaderEncoder())
                .code(SessionRejectCode.CLIENT_TERMINATED)
                .putReason(new byte[0], 0, 0);
            putFramingHeader(buffer, length);
            channel.writeAndFlush(frame.writerIndex(length));
            channel.closeFuture().awaitUninterruptibly(TIMEOUT_S, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, TIMEOUT_S, TimeUnit.SECONDS).awaitUninterruptibly(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** One connection's session, on the I/O thread. */
    private final class Session extends SimpleChannelInboundHandler<ByteBuf>
    {
        private final UnsafeBuffer frame = new UnsafeBuffer(new byte[MAX_INBOUND_FRAME]);
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final EstablishAckDecoder ack = new EstablishAckDecoder();
        private final ExecutionReportDecoder report = new ExecutionReportDecoder();
        private final BusinessRejectDecoder businessReject = new BusinessRejectDecoder();
        private final TerminateDecoder terminate = new TerminateDecoder();

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf in)
        {
            final int length = in.readableBytes();
            if (length < SOFH_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH ||
                in.getUnsignedShort(in.readerIndex() + 4) != ENCODING_TYPE)
            {
                error("SBE_BAD_FRAME");
                ctx.close();
                return;
            }
            in.getBytes(in.readerIndex(), frame.byteArray(), 0, length);
            header.wrap(frame, SOFH_LENGTH);
            final int body = SOFH_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (header.templateId())
            {
                case ExecutionReportDecoder.TEMPLATE_ID ->
                    onReport(report.wrap(frame, body, header.blockLength(), header.version()));
                case BusinessRejectDecoder.TEMPLATE_ID ->
                    onBusinessReject(businessReject.wrap(frame, body, header.blockLength(), header.version()));
                case EstablishAckDecoder.TEMPLATE_ID ->
                    onEstablished(ctx.channel(), ack.wrap(frame, body, header.blockLength(), header.version()));
                case TerminateDecoder.TEMPLATE_ID ->
                {
                    terminate.wrap(frame, body, header.blockLength(), header.version());
                    final SessionRejectCode code = terminate.code();
                    final String reason = terminate.reason();
                    if (!closed)
                    {
                        error("SBE_TERMINATED_" + code);
                    }
                    if (!firstSession.isDone())
                    {
                        firstSession.completeExceptionally(new IllegalStateException("terminated: " + code + " " + reason));
                    }
                    ctx.close();
                }
                default ->
                {
                    // Heartbeats and Retransmission headers need no answer: the reports themselves carry their numbers.
                }
            }
        }

        private void onEstablished(final Channel channel, final EstablishAckDecoder established)
        {
            replayEndSeqNo = established.nextSeqNo();
            if (!reconnecting)
            {
                // First session: the account's earlier reports (a continued journal) are not this client's business.
                lastSeqNo = replayEndSeqNo - 1;
                reconnecting = true;
            }
            sessions.incrementAndGet();
            SbeTradingClient.this.established = channel;
            firstSession.complete(null);
        }

        private void onReport(final ExecutionReportDecoder report)
        {
            final long seqNo = report.seqNo();
            if (seqNo <= lastSeqNo)
            {
                return; // already processed before a reconnect
            }
            lastSeqNo = seqNo;
            final ExecType type = report.execType();
            reports.get(type).increment();
            if (type == ExecType.REJECTED)
            {
                error(rejectName(report.rejectReason()));
            }
            if (seqNo >= replayEndSeqNo && (type == ExecType.NEW || type == ExecType.REJECTED || type == ExecType.REPLACED ||
                type == ExecType.CANCELLED && report.rejectReason() == CANCEL_REASON_USER))
            {
                answered();
            }
        }

        private void onBusinessReject(final BusinessRejectDecoder reject)
        {
            error(reject.code().name());
            if (reject.refTemplateId() != MassCancelEncoder.TEMPLATE_ID)
            {
                answered();
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
        {
            if (event instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE)
            {
                final int length = SOFH_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH;
                final ByteBuf heartbeat = ctx.alloc().heapBuffer(length);
                final UnsafeBuffer buffer = new UnsafeBuffer(heartbeat.array(), heartbeat.arrayOffset(), heartbeat.capacity());
                new HeartbeatEncoder().wrapAndApplyHeader(buffer, SOFH_LENGTH, new MessageHeaderEncoder()).nextSeqNo(0);
                putFramingHeader(buffer, length);
                ctx.writeAndFlush(heartbeat.writerIndex(length));
            }
            else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE)
            {
                error("SBE_GATEWAY_SILENT"); // no heartbeat from the gateway for twice the interval
                ctx.close();
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (established == ctx.channel())
            {
                established = null;
                inFlight.addAndGet(-outstanding.getAndSet(0));
            }
            if (!firstSession.isDone())
            {
                firstSession.completeExceptionally(new IllegalStateException("the gateway closed the connection"));
            }
            reconnectLater();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            error("SBE_IO_ERROR");
            ctx.close();
        }
    }

    /** The engine's reject reason's name, for the error counters. */
    private static String rejectName(final int code)
    {
        for (final RejectReason reason : RejectReason.values())
        {
            if (reason.value() == code)
            {
                return reason.name();
            }
        }
        return "REJECT_" + code;
    }
}
