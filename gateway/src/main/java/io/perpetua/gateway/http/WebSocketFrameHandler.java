package io.perpetua.gateway.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
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

    /**
     * A message over the size limit (the aggregator's check across fragments) closes the connection
     * with 1009; any other fault closes it with 1011. Other connections are unaffected.
     */
    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        final CloseWebSocketFrame close = cause instanceof TooLongFrameException ?
            new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too big: more than " +
                GatewayServer.MAX_MESSAGE_BYTES + " bytes") :
            new CloseWebSocketFrame(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "internal error");
        ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        endpoint.onClose(ctx.channel());
        super.channelInactive(ctx);
    }
}
