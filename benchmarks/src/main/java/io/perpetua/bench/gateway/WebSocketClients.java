package io.perpetua.bench.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

import java.net.URI;
import java.util.function.Supplier;

/** Netty WebSocket client connections to the gateway, all on one shared event-loop group. */
final class WebSocketClients
{
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private WebSocketClients()
    {
    }

    /**
     * Opens a connection; {@code handler} sees {@code HANDSHAKE_COMPLETE} as a user event, then the
     * server's frames (text, and close frames, which are passed on rather than handled).
     */
    static ChannelFuture connect(final EventLoopGroup group, final URI uri, final Supplier<ChannelHandler> handler)
    {
        final WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .maxFramePayloadLength(MAX_MESSAGE)
            .handleCloseFrames(false)
            .build();
        return new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                        new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_MESSAGE), handler.get());
                }
            })
            .connect(uri.getHost(), uri.getPort());
    }

    /** The value of {@code "name":"value"} in a JSON text, or null; enough for the gateway's flat answers. */
    static String stringField(final String json, final String name)
    {
        final String key = "\"" + name + "\":\"";
        final int start = json.indexOf(key);
        if (start < 0)
        {
            return null;
        }
        final int from = start + key.length();
        final int end = json.indexOf('"', from);
        return end < 0 ? null : json.substring(from, end);
    }
}
