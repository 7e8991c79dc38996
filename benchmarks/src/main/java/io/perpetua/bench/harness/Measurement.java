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
    Histogram latency,
    Path journal)
{
    public double commandsPerSecond()
    {
        return commands * 1e9 / elapsedNs;
    }

    /** Allocation rate during the measured interval, MB (10^6 bytes) per second. */
    public double allocationMbPerSecond()
    {
        return allocatedBytes / 1e6 / (elapsedNs / 1e9);
    }
}
