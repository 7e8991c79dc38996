package io.perpetua.bench.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.perpetua.gateway.trading.LoginVerifier;
import io.perpetua.gateway.trading.TradingEndpoint;
import org.agrona.concurrent.EpochNanoClock;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JSON trading connection ({@code /v1/trade}) logged in as one account. Each order's
 * {@code requestId} is its due time on the shared clock, so the answer, which echoes it, says what to
 * time it from without any per-request state on the client. An acknowledgement is the {@code result}
 * of the {@code place}, which the gateway sends after the command's journal append.
 */
final class WsTrader extends Trader
{
    private final int account;
    private final EpochNanoClock clock;
    private final CompletableFuture<Void> loggedIn = new CompletableFuture<>();
    private final Channel channel;

    private WsTrader(final EventLoopGroup group, final int port, final int account, final EpochNanoClock clock)
        throws InterruptedException
    {
        super(account);
        this.account = account;
        this.clock = clock;
        channel = WebSocketClients.connect(group, URI.create("ws://127.0.0.1:" + port + TradingEndpoint.PATH),
            Handler::new).sync().channel();
    }

    /** Connects and logs in as {@code account}. */
    static WsTrader open(final EventLoopGroup group, final int port, final int account, final EpochNanoClock clock)
        throws Exception
    {
        final WsTrader trader = new WsTrader(group, port, account, clock);
        trader.loggedIn.get(30, TimeUnit.SECONDS);
        return trader;
    }

    @Override
    void place(final long dueNs, final boolean buy, final long price)
    {
        channel.writeAndFlush(new TextWebSocketFrame("{\"op\":\"place\",\"requestId\":\"" + dueNs +
            "\",\"market\":\"" + BenchExchange.SYMBOL + "\",\"side\":\"" + (buy ? "BUY" : "SELL") + "\",\"price\":\"" +
            price / 100 + "." + (price % 100 < 10 ? "0" : "") + price % 100 + "\",\"size\":\"0.001\",\"timeInForce\":\"GTT\"," +
            "\"expiresAt\":" + (dueNs + LIFETIME_NS) / 1_000_000 + "}"));
    }

    @Override
    void close()
    {
        channel.close().syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame>
    {
        @Override
        public void userEventTriggered(final ChannelHandlerContext context, final Object event)
        {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
            {
                final String key = BenchExchange.apiKey(account);
                final long timestamp = System.currentTimeMillis();
                final String nonce = "bench-login-" + account + "-" + timestamp;
                context.writeAndFlush(new TextWebSocketFrame("{\"op\":\"login\",\"requestId\":\"login\",\"apiKey\":\"" + key +
                    "\",\"timestamp\":" + timestamp + ",\"nonce\":\"" + nonce + "\",\"signature\":\"" +
                    LoginVerifier.sign(BenchExchange.secret(account), key, timestamp, nonce) + "\"}"));
            }
            context.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext context, final WebSocketFrame frame)
        {
            if (frame instanceof CloseWebSocketFrame close)
            {
                loggedIn.completeExceptionally(new IllegalStateException("closed: " + close.statusCode() + " " + close.reasonText()));
                System.err.println("trading connection of account " + account + " closed by the server: " +
                    close.statusCode() + " " + close.reasonText());
                return;
            }
            if (!(frame instanceof TextWebSocketFrame text))
            {
                return;
            }
            final String json = text.text();
            if (!loggedIn.isDone())
            {
                if (json.startsWith("{\"type\":\"result\"") && "login".equals(WebSocketClients.stringField(json, "requestId")))
                {
                    loggedIn.complete(null);
                }
                else
                {
                    loggedIn.completeExceptionally(new IllegalStateException("login of account " + account + ": " + json));
                }
                return;
            }
            final long now = clock.nanoTime();
            final String requestId = WebSocketClients.stringField(json, "requestId");
            if (requestId == null)
            {
                return;
            }
            final RunOutcome run = outcome;
            if (json.startsWith("{\"type\":\"result\""))
            {
                run.acknowledged(now - Long.parseLong(requestId), now);
            }
            else
            {
                run.refused(String.valueOf(WebSocketClients.stringField(json, "code")), now);
            }
            answered(now);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext context)
        {
            loggedIn.completeExceptionally(new IllegalStateException("connection closed before login"));
            context.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
        {
            loggedIn.completeExceptionally(cause);
            cause.printStackTrace();
            context.close();
        }
    }
}
