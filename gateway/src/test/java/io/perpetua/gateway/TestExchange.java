package io.perpetua.gateway;

import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.core.journal.Replayer;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.core.pipeline.PublishResult;
import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.RejectedDecoder;
import io.perpetua.gateway.trading.ApiKeyStore;
import io.perpetua.risk.engine.RiskEngine;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An in-process exchange for tests: a journaling pipeline in a temporary directory with the demo's
 * two markets, and a gateway on a loopback ephemeral port tailing its events.
 */
final class TestExchange implements AutoCloseable
{
    static final int BTC = 1;
    static final int ETH = 2;

    final Pipeline pipeline;
    /** The running gateway; null between {@link #stopGateway} and {@link #restartGateway}. */
    volatile Gateway gateway;
    final Path journal;
    private final Gateway.Config config;
    private final CommandEncoder encoder = new CommandEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final AtomicLong correlation = new AtomicLong();
    private final ConcurrentHashMap<Long, CompletableFuture<Result>> waiting = new ConcurrentHashMap<>();

    /** A command's outcome: its sequence and a copy of its events. */
    record Result(long sequence, byte[] events)
    {
        /** The reject reason if the first event is a Rejected, else null. */
        String rejectReason()
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(events);
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
            if (events.length == 0 || header.templateId() != RejectedDecoder.TEMPLATE_ID)
            {
                return null;
            }
            return new RejectedDecoder().wrapAndApplyHeader(buffer, 0, header).reason().name();
        }
    }

    /** @param keys API keys for the trading endpoint, or null to serve market data only */
    TestExchange(final Path journal, final ApiKeyStore keys) throws Exception
    {
        this(journal, keys, new Pipeline.Context().ringSize());
    }

    TestExchange(final Path journal, final ApiKeyStore keys, final int ringSize) throws Exception
    {
        this(journal, keys, ringSize, UnaryOperator.identity());
    }

    /**
     * @param ringSize  slots of the pipeline's ring (small to test a full ring)
     * @param configure further gateway settings
     */
    TestExchange(final Path journal, final ApiKeyStore keys, final int ringSize, final UnaryOperator<Gateway.Config> configure)
        throws Exception
    {
        this(journal, keys, ringSize, configure, Replayer::standardEngine);
    }

    /** @param engines the core's engine: {@link #withRisk} for risk-margin's accounts, oracle and margin */
    TestExchange(final Path journal, final ApiKeyStore keys, final int ringSize, final UnaryOperator<Gateway.Config> configure,
        final Supplier<MatchingEngine> engines) throws Exception
    {
        this.journal = journal;
        pipeline = Pipeline.start(new Pipeline.Context().journalDir(journal).ringSize(ringSize).engineFactory(engines));
        config = configure.apply(new Gateway.Config().address(new InetSocketAddress("127.0.0.1", 0)));
        if (keys != null)
        {
            config.trading(pipeline, keys);
        }
        gateway = Gateway.start(journal, config);
        submit(encoder.addMarket(buffer, 0, BTC, "BTC-USD", 50, 100_000, 4, 100_000, 1_000_000_000, 0, 50_000,
            -100, 500, 6_000_000, false, MarketStatus.ACTIVE));
        submit(encoder.addMarket(buffer, 0, ETH, "ETH-USD", 5, 10_000, 2, 10_000, 10_000_000_000L, 0, 50_000,
            -100, 500, 300_000, false, MarketStatus.ACTIVE));
    }

    /** The node's engine: order limits and risk-margin. */
    static MatchingEngine withRisk()
    {
        return new MatchingEngine(EngineConfig.DEFAULT, new OrderLimitsGate(), new RiskEngine(), new EventPublisher());
    }

    TestExchange(final Path journal) throws Exception
    {
        this(journal, null);
    }

    CommandEncoder encoder()
    {
        return encoder;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Publishes the command of {@code length} bytes in {@link #buffer()} and waits for its result. */
    synchronized Result submit(final int length) throws Exception
    {
        final long id = correlation.incrementAndGet();
        final CompletableFuture<Result> result = new CompletableFuture<>();
        waiting.put(id, result);
        PublishResult published;
        while ((published = pipeline.tryPublish(buffer, 0, length, this::onResult, id)) == PublishResult.BUSY)
        {
            Thread.onSpinWait();
        }
        if (published != PublishResult.PUBLISHED && published != PublishResult.MALFORMED)
        {
            throw new IllegalStateException("not published: " + published);
        }
        return result.get(30, TimeUnit.SECONDS);
    }

    private void onResult(final long id, final long sequence, final DirectBuffer events, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        events.getBytes(offset, copy);
        waiting.remove(id).complete(new Result(sequence, copy));
    }

    /** Waits until the gateway's market data reflects {@code sequence}. */
    void awaitMarketData(final long sequence) throws InterruptedException
    {
        if (!gateway.marketData().awaitSequence(sequence, 30, TimeUnit.SECONDS))
        {
            throw new AssertionError("market data did not reach sequence " + sequence + " within 30 s (at " +
                gateway.marketData().sequence() + ", tailer failure: " + gateway.tailer().failure() + ")");
        }
    }

    String baseUrl()
    {
        return "http://127.0.0.1:" + gateway.port();
    }

    /** Closes the gateway (its connections drop); the pipeline keeps running. */
    void stopGateway()
    {
        final Gateway stopped = gateway;
        gateway = null;
        stopped.close();
    }

    /** A new gateway on the port of the stopped one, tailing the journal from its start. */
    void restartGateway(final int port) throws InterruptedException
    {
        config.address(new InetSocketAddress("127.0.0.1", port));
        gateway = Gateway.start(journal, config);
    }

    @Override
    public void close()
    {
        if (gateway != null)
        {
            gateway.close();
        }
        pipeline.close();
    }
}
