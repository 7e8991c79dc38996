package io.perpetua.gateway.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.perpetua.gateway.indexer.IndexerRest;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's one HTTP port: REST under {@code /v4}, WebSocket and POST endpoints by path, and the
 * browser trading page ({@link StaticFiles}) at {@code /}. I/O threads
 * only translate; market data comes from the events tailer and orders go to the pipeline's ring.
 */
public final class GatewayServer implements AutoCloseable
{
    public static final int DEFAULT_PORT = 8080;
    /** Largest HTTP request body and WebSocket message accepted. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /**
     * Default bound of the outbound bytes queued for one connection: beyond it the connection counts
     * as slow, and market-data pushes close it instead of buffering without bound.
     */
    public static final int DEFAULT_OUTBOUND_LIMIT_BYTES = 4 * 1024 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;

    private GatewayServer(final EventLoopGroup boss, final EventLoopGroup workers, final Channel serverChannel)
    {
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds and starts serving.
     *
     * @param address    where to listen (tests bind loopback port 0)
     * @param ioThreads          Netty worker threads
     * @param outboundLimitBytes queued outbound bytes that make a connection unwritable (slow)
     * @param webSockets         WebSocket endpoints by path
     * @param posts              JSON POST endpoints by path
     */
    public static GatewayServer start(
        final InetSocketAddress address,
        final int ioThreads,
        final int outboundLimitBytes,
        final IndexerRest rest,
        final Health health,
        final Map<String, WebSocketEndpoint> webSockets,
        final Map<String, PostEndpoint> posts) throws InterruptedException
    {
        Objects.requireNonNull(rest);
        Objects.requireNonNull(health);
        final Map<String, WebSocketEndpoint> endpoints = Map.copyOf(webSockets);
        final Map<String, PostEndpoint> postEndpoints = Map.copyOf(posts);
        final StaticFiles page = StaticFiles.page();
        final EventLoopGroup boss = new NioEventLoopGroup(1);
        final EventLoopGroup workers = new NioEventLoopGroup(ioThreads);
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(outboundLimitBytes / 2, outboundLimitBytes))
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline()
                            .addLast("http", new HttpServerCodec())
                            .addLast("aggregator", new HttpObjectAggregator(MAX_MESSAGE_BYTES))
                            .addLast("router", new HttpRequestHandler(rest, health, page, endpoints, postEndpoints, MAX_MESSAGE_BYTES));
                    }
                })
                .bind(address).sync().channel();
            return new GatewayServer(boss, workers, channel);
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw ex;
        }
    }

    /** The bound port (useful after binding port 0). */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
