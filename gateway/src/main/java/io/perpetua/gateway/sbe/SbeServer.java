package io.perpetua.gateway.sbe;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.gateway.marketdata.JournalConsumer;
import io.perpetua.gateway.trading.LoginVerifier;
import org.agrona.ErrorHandler;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The market makers' binary order entry and order-by-order market data: SBE over TCP with Simple
 * Open Framing, specified in {@code docs/api/sbe-v1.md} and
 * {@code gateway/src/main/resources/sbe/perpetua-mm.xml}. Create it before the events tailer (its
 * {@link #executionReports()} and {@link #marketData()} consumers must be registered with the
 * tailer), then {@link #start} it.
 */
public final class SbeServer implements AutoCloseable
{
    public static final int DEFAULT_PORT = 9090;
    /** Largest frame a client may send; every client message is far smaller. */
    public static final int MAX_FRAME_LENGTH = 1024;
    /** Time a new connection has to establish its session. */
    public static final long ESTABLISH_TIMEOUT_MS = 10_000;
    static final String IDLE_HANDLER = "idle";
    /**
     * Signed in place of an HTTP body, so that an Establish signature differs from a WebSocket login's
     * or an HTTP request's with the same key, timestamp and nonce and cannot be replayed across them.
     */
    public static final String SIGNED_CONTEXT = "perpetua-sbe-v1";

    private final ExecutionReports reports;
    private final MarketDataFeed marketData = new MarketDataFeed();
    private final AtomicLong slowConsumers = new AtomicLong();
    private final Pipeline pipeline;
    private final LoginVerifier verifier;
    private final int outboundLimitBytes;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    /**
     * @param verifier           checks Establish credentials (the trading API's keys, HMAC and nonces)
     * @param outboundLimitBytes unsent bytes after which a client that does not read is terminated
     * @param replay             how many execution reports are kept in memory and where older ones come from
     */
    public SbeServer(final Pipeline pipeline, final LoginVerifier verifier, final int outboundLimitBytes,
        final ReportReplay replay)
    {
        this.pipeline = pipeline;
        this.verifier = verifier;
        this.outboundLimitBytes = outboundLimitBytes;
        this.reports = new ExecutionReports(replay.window(), replay.indexInterval(), replay.eventsDir(), replay.errorHandler());
    }

    /**
     * Execution report retention: each account's last {@code window} reports are kept in memory (121
     * bytes each); older ones are re-derived from the events journal, read from the nearest entry of a
     * sparse index kept every {@code indexInterval} reports (24 bytes each). Without an events journal
     * a request older than the window gets a {@code RetransmitReject}.
     *
     * @param eventsDir the events journal the tailer reads, or null to keep replays off the journal
     */
    public record ReportReplay(int window, int indexInterval, Path eventsDir, ErrorHandler errorHandler)
    {
        public static final int DEFAULT_WINDOW = ExecutionReports.DEFAULT_WINDOW;
        public static final int DEFAULT_INDEX_INTERVAL = ExecutionReports.DEFAULT_INDEX_INTERVAL;

        public ReportReplay
        {
            if (window < 1 || indexInterval < 1)
            {
                throw new IllegalArgumentException("window and indexInterval must be >= 1: " + window + ", " + indexInterval);
            }
            Objects.requireNonNull(errorHandler);
        }
    }

    /** Builds execution reports from the events journal: register it with the events tailer. */
    public JournalConsumer executionReports()
    {
        return reports;
    }

    /** Builds the order-by-order market data from the events journal: register it with the events tailer. */
    public JournalConsumer marketData()
    {
        return marketData;
    }

    static IdleStateHandler idleHandler(final long keepAliveMs)
    {
        return new IdleStateHandler(2 * keepAliveMs, keepAliveMs, 0, TimeUnit.MILLISECONDS);
    }

    /** Binds and serves on {@code address} with {@code ioThreads} I/O threads. */
    public SbeServer start(final InetSocketAddress address, final int ioThreads) throws InterruptedException
    {
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(ioThreads);
        try
        {
            serverChannel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(outboundLimitBytes / 2, outboundLimitBytes))
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        channel.pipeline()
                            .addLast(IDLE_HANDLER, new IdleStateHandler(ESTABLISH_TIMEOUT_MS, 0, 0, TimeUnit.MILLISECONDS))
                            .addLast(new SofhFrameDecoder(MAX_FRAME_LENGTH))
                            .addLast(new SbeHandler(pipeline, verifier, reports, marketData, slowConsumers));
                    }
                })
                .bind(address).sync().channel();
            return this;
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /** Sessions terminated so far because their client did not read. */
    public long slowConsumersTerminated()
    {
        return slowConsumers.get();
    }

    /** Execution reports of the account kept in memory now: at most the configured window. */
    public int retainedReports(final long accountId)
    {
        return reports.retainedReports(accountId);
    }

    /** Frames the account's report ring has room for: at most the configured window. */
    public int reportRingFrames(final long accountId)
    {
        return reports.ringFrames(accountId);
    }

    /** Open orders the execution reports keep details of (orders that ended are dropped). */
    public int trackedOpenOrders()
    {
        return reports.openOrders();
    }

    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    @Override
    public void close()
    {
        reports.close();
        if (serverChannel != null)
        {
            serverChannel.close().syncUninterruptibly();
        }
        if (boss != null)
        {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
