package io.perpetua.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;

/** Control frames and dispatch of complete data messages to a {@link WebSocketEndpoint}. */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame>
{
    private final WebSocketServerHandshaker handshaker;
    private final WebSocketEndpoint endpoint;

    WebSocketFrameHandler(final WebSocketServerHandshaker handshaker, final WebSocketEndpoint endpoint)
    {
        this.handshaker = handshaker;
        this.endpoint = endpoint;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
    {
        if (frame instanceof TextWebSocketFrame text)
        {
            endpoint.onText(ctx.channel(), text.text());
        }
        else if (frame instanceof PingWebSocketFrame)
        {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
        else if (frame instanceof CloseWebSocketFrame)
        {
            handshaker.close(ctx.channel(), (CloseWebSocketFrame)frame.retain());
        }
        else if (frame instanceof BinaryWebSocketFrame)
        {
            endpoint.onBinary(ctx.channel());
        }
        // Pong frames need no answer.
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        endpoint.onClose(ctx.channel());
        super.channelInactive(ctx);
    }
}
