package io.perpetua.bench.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.perpetua.gateway.sbe.SbeServer;
import io.perpetua.gateway.sbe.codec.BusinessRejectDecoder;
import io.perpetua.gateway.sbe.codec.EstablishAckDecoder;
import io.perpetua.gateway.sbe.codec.EstablishEncoder;
import io.perpetua.gateway.sbe.codec.ExecType;
import io.perpetua.gateway.sbe.codec.ExecutionReportDecoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderDecoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.sbe.codec.NewOrderEncoder;
import io.perpetua.gateway.sbe.codec.OrderType;
import io.perpetua.gateway.sbe.codec.SelfTradePrevention;
import io.perpetua.gateway.sbe.codec.Side;
import io.perpetua.gateway.sbe.codec.TerminateDecoder;
import io.perpetua.gateway.sbe.codec.TimeInForce;
import io.perpetua.gateway.trading.LoginVerifier;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An SBE order-entry session (SOFH framing, Establish with the account's key) built on Netty and the
 * gateway's generated codecs. Orders carry increasing client order ids; the due time of each is kept
 * in a ring indexed by that id, and the acknowledgement is the order's {@code ExecutionReport(NEW)},
 * which the gateway builds from the events journal.
 */
final class SbeTrader extends Trader
{
    private static final int SOFH_LENGTH = 6;
    private static final short SBE_ENCODING = (short)0xEB50;
    /** Orders in flight per session the due-time ring can tell apart; far above any run's backlog. */
    private static final int DUE_RING = 1 << 20;

    private final int account;
    private final EpochNanoClock clock;
    private final Channel channel;
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    private final AtomicLongArray dueTimes = new AtomicLongArray(DUE_RING);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final NewOrderEncoder newOrder = new NewOrderEncoder();
    private final UnsafeBuffer orderBuffer = new UnsafeBuffer(new byte[128]);
    private long nextClientOrderId = 1;

    private SbeTrader(final EventLoopGroup group, final int port, final int account, final EpochNanoClock clock)
        throws InterruptedException
    {
        super(account);
        this.account = account;
        this.clock = clock;
        channel = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    // SOFH: a big-endian uint32 length that counts the 6 header bytes too.
                    channel.pipeline().addLast(
                        new LengthFieldBasedFrameDecoder(ByteOrder.BIG_ENDIAN, 1 << 16, 0, 4, -4, 0, true), new Handler());
                }
            })
            .connect("127.0.0.1", port).sync().channel();
    }

    /** Connects and establishes a session for {@code account}. */
    static SbeTrader open(final EventLoopGroup group, final int port, final int account, final EpochNanoClock clock)
        throws Exception
    {
        final SbeTrader trader = new SbeTrader(group, port, account, clock);
        final String key = BenchExchange.apiKey(account);
        final long timestamp = System.currentTimeMillis();
        final String nonce = "bench-sbe-" + account + "-" + timestamp;
        final String signature = LoginVerifier.signRequest(BenchExchange.secret(account), key, timestamp, nonce,
            SbeServer.SIGNED_CONTEXT);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final EstablishEncoder establish = new EstablishEncoder().wrapAndApplyHeader(buffer, SOFH_LENGTH, trader.headerEncoder)
            .apiKey(key).timestampMs(timestamp).nonce(nonce).signature(signature).keepAliveIntervalMs(60_000)
            .nextExpectedSeqNo(0);
        trader.channel.writeAndFlush(frame(buffer, establish.encodedLength()));
        trader.established.get(30, TimeUnit.SECONDS);
        return trader;
    }

    private static ByteBuf frame(final UnsafeBuffer buffer, final int messageLength)
    {
        final int length = SOFH_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + messageLength;
        buffer.putInt(0, length, ByteOrder.BIG_ENDIAN);
        buffer.putShort(4, SBE_ENCODING, ByteOrder.BIG_ENDIAN);
        return Unpooled.copiedBuffer(buffer.byteArray(), 0, length);
    }

    /** Called by one thread at a time: the open loop's sender, or this session's event loop in the closed loop. */
    @Override
    synchronized void place(final long dueNs, final boolean buy, final long price)
    {
        final long clientOrderId = nextClientOrderId++;
        dueTimes.set((int)(clientOrderId & (DUE_RING - 1)), dueNs);
        newOrder.wrapAndApplyHeader(orderBuffer, SOFH_LENGTH, headerEncoder)
            .clientOrderId(clientOrderId).marketId(BenchExchange.MARKET_ID).side(buy ? Side.BUY : Side.SELL)
            .orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTT).selfTradePrevention(SelfTradePrevention.CANCEL_MAKER)
            .price(price).size(BenchExchange.LOT).expiryNs(dueNs + LIFETIME_NS);
        newOrder.flags().clear();
        channel.writeAndFlush(frame(orderBuffer, newOrder.encodedLength()));
    }

    @Override
    void close()
    {
        channel.close().syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf>
    {
        private final UnsafeBuffer message = new UnsafeBuffer(0, 0);
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final ExecutionReportDecoder report = new ExecutionReportDecoder();
        private final BusinessRejectDecoder businessReject = new BusinessRejectDecoder();
        private final EstablishAckDecoder establishAck = new EstablishAckDecoder();
        private final TerminateDecoder terminate = new TerminateDecoder();
        private byte[] bytes = new byte[256];

        @Override
        protected void channelRead0(final ChannelHandlerContext context, final ByteBuf frame)
        {
            final long now = clock.nanoTime();
            final int length = frame.readableBytes();
            if (bytes.length < length)
            {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            frame.getBytes(frame.readerIndex(), bytes, 0, length);
            message.wrap(bytes, 0, length);
            header.wrap(message, SOFH_LENGTH);
            final RunOutcome run = outcome;
            switch (header.templateId())
            {
                case ExecutionReportDecoder.TEMPLATE_ID -> onReport(run, now);
                case BusinessRejectDecoder.TEMPLATE_ID ->
                {
                    businessReject.wrapAndApplyHeader(message, SOFH_LENGTH, header);
                    run.refused(businessReject.code().name(), now);
                    answered(now);
                }
                case EstablishAckDecoder.TEMPLATE_ID ->
                {
                    establishAck.wrapAndApplyHeader(message, SOFH_LENGTH, header);
                    if (establishAck.accountId() == account)
                    {
                        established.complete(null);
                    }
                    else
                    {
                        established.completeExceptionally(new IllegalStateException("established as account " +
                            establishAck.accountId() + ", not " + account));
                    }
                }
                case TerminateDecoder.TEMPLATE_ID ->
                {
                    terminate.wrapAndApplyHeader(message, SOFH_LENGTH, header);
                    final String why = "SBE session of account " + account + " terminated: " + terminate.code();
                    established.completeExceptionally(new IllegalStateException(why));
                    System.err.println(why);
                }
                default ->
                {
                    // Heartbeats and anything else need no answer.
                }
            }
        }

        /** The first report of each order (NEW, or REJECTED) answers it; fills and rests come later. */
        private void onReport(final RunOutcome run, final long now)
        {
            report.wrapAndApplyHeader(message, SOFH_LENGTH, header);
            final ExecType type = report.execType();
            if (type != ExecType.NEW && type != ExecType.REJECTED)
            {
                return;
            }
            final long due = dueTimes.get((int)(report.clientOrderId() & (DUE_RING - 1)));
            if (type == ExecType.NEW)
            {
                run.acknowledged(now - due, now);
            }
            else
            {
                run.refused("REJECTED(" + report.rejectReason() + ")", now);
            }
            answered(now);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext context)
        {
            established.completeExceptionally(new IllegalStateException("connection closed before EstablishAck"));
            context.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
        {
            established.completeExceptionally(cause);
            cause.printStackTrace();
            context.close();
        }
    }
}
