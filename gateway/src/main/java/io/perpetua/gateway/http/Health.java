package io.perpetua.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.gateway.indexer.IndexerJson;
import io.perpetua.gateway.indexer.IndexerRest;
import io.perpetua.gateway.marketdata.MarketDataState;

/**
 * {@code GET /health}, for an operator's probes: whether the engine is running, the last command it
 * answered with events, and how far the gateway's market data is behind it. 200 while the engine
 * runs (or when the gateway serves market data only), 503 once it halted on a fault or closed.
 */
public final class Health
{
    public static final String PATH = "/health";

    private final Pipeline pipeline;
    private final MarketDataState marketData;

    /** @param pipeline the engine's pipeline, or null for a gateway that only serves market data */
    public Health(final Pipeline pipeline, final MarketDataState marketData)
    {
        this.pipeline = pipeline;
        this.marketData = marketData;
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
        return new IndexerRest.Response(status, body);
    }
}
