package io.perpetua.node;

import io.perpetua.core.engine.EngineConfig;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.engine.OrderLimitsGate;
import io.perpetua.core.event.EventPublisher;
import io.perpetua.risk.engine.RiskEngine;

/**
 * The engine the node runs, in one place so that the live pipeline, recovery and {@code perpetua
 * replay} build the same state machine: order limits, then risk-margin's accounts, oracle and
 * margin checks.
 */
public final class Engines
{
    private Engines()
    {
    }

    public static MatchingEngine standard()
    {
        return standard(EngineConfig.DEFAULT);
    }

    /** The same engine with other sizing and per-account limits (benchmarks that offer more than one account may hold). */
    public static MatchingEngine standard(final EngineConfig config)
    {
        return new MatchingEngine(config, new OrderLimitsGate(), new RiskEngine(), new EventPublisher());
    }
}
