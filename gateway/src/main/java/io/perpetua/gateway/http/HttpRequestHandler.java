package io.perpetua.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.perpetua.gateway.indexer.IndexerJson;
import io.perpetua.gateway.indexer.IndexerRest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Routes one HTTP request: a WebSocket upgrade on a known path replaces this handler with that
 * endpoint's frame handler; POSTs on a known path go to that endpoint; GETs under {@code /v4/} go
 * to the indexer REST endpoints (a JSON 404 for an unknown one, 405 for other methods); GETs and
 * HEADs of any other path are the trading page's {@link StaticFiles}.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final String REST_PREFIX = "/v4/";

    private final IndexerRest rest;
    private final Health health;
    private final StaticFiles page;
    private final Map<String, WebSocketEndpoint> webSockets;
    private final Map<String, PostEndpoint> posts;
    private final int maxFrameBytes;

    HttpRequestHandler(
        final IndexerRest rest,
        final Health health,
        final StaticFiles page,
        final Map<String, WebSocketEndpoint> webSockets,
        final Map<String, PostEndpoint> posts,
        final int maxFrameBytes)
    {
        this.rest = rest;
        this.health = health;
        this.page = page;
        this.webSockets = webSockets;
        this.posts = posts;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        if (!request.decoderResult().isSuccess())
        {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, IndexerJson.errors("malformed HTTP request"));
            return;
        }
        final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        final WebSocketEndpoint endpoint = webSockets.get(uri.path());
        if (endpoint != null && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true))
        {
            upgrade(ctx, request, uri.path(), endpoint);
            return;
        }
        final PostEndpoint post = posts.get(uri.path());
        if (post != null && request.method() == HttpMethod.POST)
        {
            post(ctx, request, post);
            return;
        }
        if (uri.path().equals(Health.METRICS_PATH) && request.method() == HttpMethod.GET)
        {
            final byte[] text = health.metrics().getBytes(StandardCharsets.UTF_8);
            final FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(text));
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
            send(ctx, response, HttpUtil.isKeepAlive(request));
            return;
        }
        if (uri.path().equals(Health.PATH) && request.method() == HttpMethod.GET)
        {
            final IndexerRest.Response response = health.get();
            respond(ctx, request, response.status(), response.body());
            return;
        }
        if (!uri.path().startsWith(REST_PREFIX) && !posts.containsKey(uri.path()))
        {
            staticFile(ctx, request, uri.path());
            return;
        }
        if (request.method() != HttpMethod.GET)
        {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED,
                IndexerJson.errors("method " + request.method() + " not allowed on " + uri.path()));
            return;
        }
        final IndexerRest.Response response = rest.get(uri);
        if (response == null)
        {
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, IndexerJson.errors("no such endpoint: " + uri.path()));
            return;
        }
        respond(ctx, request, response.status(), response.body());
    }

    private void staticFile(final ChannelHandlerContext ctx, final FullHttpRequest request, final String path)
    {
        final boolean head = request.method() == HttpMethod.HEAD;
        if (!head && request.method() != HttpMethod.GET)
        {
            final FullHttpResponse response = json(request.protocolVersion(), HttpResponseStatus.METHOD_NOT_ALLOWED,
                IndexerJson.errors("method " + request.method() + " not allowed on " + path));
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, response, HttpUtil.isKeepAlive(request));
            return;
        }
        final StaticFiles.Lookup lookup = page.lookup(path);
        if (lookup.file() == null)
        {
            respond(ctx, request, lookup.status(), IndexerJson.errors(lookup.message()));
            return;
        }
        final StaticFiles.File file = lookup.file();
        final boolean unchanged = file.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        final FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
            unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
            head || unchanged ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(file.body()));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, file.contentType())
            .set(HttpHeaderNames.ETAG, file.etag())
            .set(HttpHeaderNames.CACHE_CONTROL, StaticFiles.CACHE_CONTROL)
            .set("X-Content-Type-Options", "nosniff")
            .set("Referrer-Policy", "no-referrer")
            .set("Content-Security-Policy", StaticFiles.CONTENT_SECURITY_POLICY);
        if (!unchanged)
        {
            // A HEAD is told the length its GET would have.
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, file.body().length);
        }
        send(ctx, response, HttpUtil.isKeepAlive(request));
    }

    /** A broken request or connection: nothing useful can be answered, so the connection closes. */
    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    private static void post(final ChannelHandlerContext ctx, final FullHttpRequest request, final PostEndpoint endpoint)
    {
        // No further request is read until this one is answered, so responses stay in request order.
        ctx.channel().config().setAutoRead(false);
        final HttpVersion version = request.protocolVersion();
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        final String body = request.content().toString(StandardCharsets.UTF_8);
        final AtomicBoolean answered = new AtomicBoolean();
        endpoint.onPost(request.headers(), body, (status, json) ->
        {
            if (!answered.compareAndSet(false, true))
            {
                throw new IllegalStateException("a request was answered twice");
            }
            ctx.executor().execute(() ->
            {
                respond(ctx, version, keepAlive, status, json);
                ctx.channel().config().setAutoRead(true);
            });
        });
    }

    private void upgrade(
        final ChannelHandlerContext ctx, final FullHttpRequest request, final String path, final WebSocketEndpoint endpoint)
    {
        final WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
            "ws://" + request.headers().get(HttpHeaderNames.HOST) + path, null,
            WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(maxFrameBytes).allowExtensions(true).build());
        final WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null)
        {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener)future ->
        {
            if (future.isSuccess())
            {
                endpoint.onOpen(future.channel());
            }
            else
            {
                future.channel().close();
            }
        });
        ctx.pipeline().replace(this, "ws-aggregator", new WebSocketFrameAggregator(maxFrameBytes));
        ctx.pipeline().addLast("ws-frames", new WebSocketFrameHandler(handshaker, endpoint));
    }

    private static void respond(
        final ChannelHandlerContext ctx, final FullHttpRequest request, final HttpResponseStatus status, final JsonNode body)
    {
        respond(ctx, request.protocolVersion(), HttpUtil.isKeepAlive(request), status, body);
    }

    private static void respond(
        final ChannelHandlerContext ctx,
        final HttpVersion version,
        final boolean keepAlive,
        final HttpResponseStatus status,
        final JsonNode body)
    {
        send(ctx, json(version, status, body), keepAlive);
    }

    private static FullHttpResponse json(final HttpVersion version, final HttpResponseStatus status, final JsonNode body)
    {
        final byte[] bytes;
        try
        {
            bytes = IndexerJson.MAPPER.writeValueAsBytes(body);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot serialise a response", ex);
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(version, status,
            Unpooled.wrappedBuffer(bytes));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
            .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    private static void send(final ChannelHandlerContext ctx, final FullHttpResponse response, final boolean keepAlive)
    {
        HttpUtil.setKeepAlive(response, keepAlive);
        final var written = ctx.writeAndFlush(response);
        if (!keepAlive)
        {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
