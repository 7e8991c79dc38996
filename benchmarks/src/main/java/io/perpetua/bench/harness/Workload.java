package io.perpetua.bench.harness;

import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.node.bench.EncodedStream;
import org.agrona.concurrent.EpochNanoClock;

import java.util.function.Supplier;

/**
 * A stream to measure and the engine it runs on.
 *
 * @param name              shown in the tables and RESULT lines
 * @param stream            pre-fill and timed commands, unstamped
 * @param engineFactory     the engine the pipeline (and a replay of its journal) runs
 * @param clockFactory      the sequencer's clock for a run, read once per command (the stamps of a deterministic
 *                          workload follow the command count), or null for the pipeline's default: the
 *                          wall clock, read once per ring batch
 * @param expectedStateHash the state hash every run must end in, or null if only runs must agree
 */
public record Workload(
    String name,
    EncodedStream stream,
    Supplier<MatchingEngine> engineFactory,
    Supplier<EpochNanoClock> clockFactory,
    Long expectedStateHash)
{
}
