package io.perpetua.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.gateway.indexer.IndexerJson;
import io.perpetua.gateway.indexer.IndexerRest;
import io.perpetua.gateway.marketdata.MarketDataState;

import java.util.List;

/**
 * {@code GET /health}, for an operator's probes: whether the engine is running, the last command it
 * answered with events, how far the gateway's market data is behind it, and the state of the node's
 * other parts (the processors that tail the events journal, the settlement batcher). 200 while all
 * run (or when the gateway serves market data only), 503 once the engine halted on a fault or
 * closed, or a component failed.
 */
public final class Health
{
    public static final String PATH = "/health";

    /** A part of the node beside the engine that reports on {@code /health}. */
    public interface Component
    {
        /** Its key in the report. */
        String name();

        /** The fault that stopped it, or null while it works. */
        Throwable failure();

        /** Writes its figures into its object of the report (nothing by default). */
        default void describe(final ObjectNode into)
        {
        }
    }

    private final Pipeline pipeline;
    private final MarketDataState marketData;
    private final List<Component> components;

    /**
     * @param pipeline   the engine's pipeline, or null for a gateway that only serves market data
     * @param components the node's other parts
     */
    public Health(final Pipeline pipeline, final MarketDataState marketData, final List<Component> components)
    {
        this.pipeline = pipeline;
        this.marketData = marketData;
        this.components = List.copyOf(components);
    }

    public IndexerRest.Response get()
    {
        final ObjectNode body = IndexerJson.object();
        final long marketDataSequence = marketData.sequence();
        HttpResponseStatus status = HttpResponseStatus.OK;
        if (pipeline == null)
        {
            body.put("status", "ok");
        }
        else
        {
            final Throwable failure = pipeline.failure();
            final long engineSequence = pipeline.lastSequenceWithEvents();
            if (failure != null || pipeline.isClosed())
            {
                status = HttpResponseStatus.SERVICE_UNAVAILABLE;
                body.put("status", failure != null ? "halted" : "closed");
                if (failure != null)
                {
                    body.put("error", String.valueOf(failure));
                }
            }
            else
            {
                body.put("status", "ok");
            }
            body.put("engineSequence", engineSequence);
            body.put("marketDataLag", Math.max(0, engineSequence - marketDataSequence));
        }
        body.put("marketDataSequence", marketDataSequence);
        if (!components.isEmpty())
        {
            final ObjectNode parts = body.putObject("components");
            for (final Component component : components)
            {
                final ObjectNode part = parts.putObject(component.name());
                final Throwable failure = component.failure();
                part.put("status", failure == null ? "ok" : "failed");
                if (failure != null)
                {
                    part.put("error", String.valueOf(failure));
                    status = HttpResponseStatus.SERVICE_UNAVAILABLE;
                    if ("ok".equals(body.path("status").asText()))
                    {
                        // The engine runs, but a part of the node does not.
                        body.put("status", "degraded");
                    }
                }
                component.describe(part);
            }
        }
        return new IndexerRest.Response(status, body);
    }
}
