package io.perpetua.bench.harness;

import org.HdrHistogram.Histogram;

import java.nio.file.Path;

/**
 * One timed pass of a workload's timed commands through a pipeline.
 *
 * @param commands       timed commands answered
 * @param elapsedNs      from the first timed publish to the last result
 * @param gcCount        collections (all collectors) during that interval
 * @param gcTimeMs       their accumulated time
 * @param allocatedBytes bytes allocated during that interval by the publisher and the stage threads
 * @param stateHash      the engine's state hash when the pipeline stopped
 * @param lastSequence   the last sequence applied
 * @param sequencerCpuNs CPU time of the sequencer thread during that interval, -1 with a single stage
 * @param coreCpuNs      CPU time of the core thread during that interval
 * @param latency        per command, result time minus intended send time (ns); null in throughput mode
 * @param journal        the journal directory if it was kept, else null
 */
public record Measurement(
    long commands,
    long elapsedNs,
    long gcCount,
    long gcTimeMs,
    long allocatedBytes,
    long stateHash,
    long lastSequence,
    long sequencerCpuNs,
    long coreCpuNs,
    Histogram latency,
    Path journal)
{
    public double commandsPerSecond()
    {
        return commands * 1e9 / elapsedNs;
    }

    /** CPU nanoseconds the core thread spent per timed command. */
    public double coreCpuNsPerCommand()
    {
        return (double)coreCpuNs / commands;
    }

    /** CPU nanoseconds the sequencer thread spent per timed command, -1 with a single stage. */
    public double sequencerCpuNsPerCommand()
    {
        return sequencerCpuNs < 0 ? -1 : (double)sequencerCpuNs / commands;
    }

    /** Allocation rate during the measured interval, MB (10^6 bytes) per second. */
    public double allocationMbPerSecond()
    {
        return allocatedBytes / 1e6 / (elapsedNs / 1e9);
    }
}
