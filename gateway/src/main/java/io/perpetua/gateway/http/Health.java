package io.perpetua.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.perpetua.core.pipeline.Pipeline;
import io.perpetua.gateway.indexer.IndexerJson;
import io.perpetua.gateway.indexer.IndexerRest;
import io.perpetua.gateway.marketdata.MarketDataState;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code GET /health}, for an operator's probes: whether the engine is running, the last command it
 * answered with events, how full its ring is, how far the gateway's market data is behind it, and the state of the node's
 * other parts (the processors that tail the events journal, the settlement batcher). 200 while all
 * run (or when the gateway serves market data only), 503 once the engine halted on a fault or
 * closed, or a component failed.
 */
public final class Health
{
    public static final String PATH = "/health";
    /** The same figures in Prometheus's text exposition format. */
    public static final String METRICS_PATH = "/metrics";

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

    /** A component from its name, its fault (null while it works) and what writes its figures. */
    public static Component component(final String name, final Supplier<Throwable> failure, final Consumer<ObjectNode> describe)
    {
        return new Component()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public Throwable failure()
            {
                return failure.get();
            }

            @Override
            public void describe(final ObjectNode into)
            {
                describe.accept(into);
            }
        };
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
            body.put("ringSize", pipeline.ringSize());
            body.put("ringFreeSlots", pipeline.ringFreeSlots());
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

    /**
     * The report as Prometheus gauges: {@code perpetua_up} (1 while the report's status is ok), the
     * sequences and the lag, and per component {@code perpetua_component_up{component="..."}} and each
     * numeric or boolean figure as {@code perpetua_<component>_<figure>}.
     */
    public String metrics()
    {
        final JsonNode report = get().body();
        final StringBuilder out = new StringBuilder(512);
        gauge(out, "perpetua_up", "", "ok".equals(report.path("status").asText()) ? 1 : 0);
        for (final String field : new String[] {"engineSequence", "marketDataSequence", "marketDataLag", "ringSize", "ringFreeSlots"})
        {
            if (report.has(field))
            {
                gauge(out, "perpetua_" + snake(field), "", report.get(field).asLong());
            }
        }
        final JsonNode parts = report.path("components");
        // A metric's samples stay together, as the format requires: every component's up first.
        parts.fieldNames().forEachRemaining(name ->
            gauge(out, "perpetua_component_up", "{component=\"" + name + "\"}", "ok".equals(parts.get(name).path("status").asText()) ? 1 : 0));
        parts.fieldNames().forEachRemaining(name ->
        {
            final JsonNode part = parts.get(name);
            part.fieldNames().forEachRemaining(field ->
            {
                final JsonNode value = part.get(field);
                if (value.isNumber() || value.isBoolean())
                {
                    gauge(out, "perpetua_" + snake(name) + "_" + snake(field), "", value.isBoolean() ? (value.asBoolean() ? 1 : 0) :
                        value.asLong());
                }
            });
        });
        return out.toString();
    }

    private static void gauge(final StringBuilder out, final String name, final String labels, final long value)
    {
        if (out.indexOf("# TYPE " + name + " ") < 0)
        {
            out.append("# TYPE ").append(name).append(" gauge\n");
        }
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }

    /** {@code marketDataLag} to {@code market_data_lag}. */
    private static String snake(final String camel)
    {
        final StringBuilder out = new StringBuilder(camel.length() + 8);
        for (int i = 0; i < camel.length(); i++)
        {
            final char c = camel.charAt(i);
            if (Character.isUpperCase(c))
            {
                out.append('_').append(Character.toLowerCase(c));
            }
            else
            {
                out.append(c == '-' ? '_' : c);
            }
        }
        return out.toString();
    }
}
