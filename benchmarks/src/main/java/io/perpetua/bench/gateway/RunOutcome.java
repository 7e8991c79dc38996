package io.perpetua.bench.gateway;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one measured run of order entry saw: the latency of every acknowledgement (written by the
 * clients' event-loop threads into an HdrHistogram {@link Recorder}), and the answers that were not
 * acknowledgements, counted by code.
 */
final class RunOutcome
{
    private final Recorder latency = new Recorder(3);
    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private volatile long lastAnswerNs;

    void sent()
    {
        sent.increment();
    }

    /**
     * An order the exchange accepted (JSON {@code result}, SBE {@code ExecutionReport(NEW)}) at
     * {@code nowNs}, {@code latencyNs} after it was due.
     */
    void acknowledged(final long latencyNs, final long nowNs)
    {
        latency.recordValue(Math.max(0, latencyNs));
        acknowledged.increment();
        answered(nowNs);
    }

    /** Any other answer to an order: a gateway refusal ({@code BUSY}, ...) or an engine reject. */
    void refused(final String code, final long nowNs)
    {
        refusals.computeIfAbsent(code, c -> new LongAdder()).increment();
        answered(nowNs);
    }

    private void answered(final long nowNs)
    {
        // Answers arrive on several threads; a slightly older time winning the race is harmless here.
        lastAnswerNs = nowNs;
        answered.increment();
    }

    /** Clock time of the latest answer (0 before the first). */
    long lastAnswerNs()
    {
        return lastAnswerNs;
    }

    long sentCount()
    {
        return sent.sum();
    }

    long answeredCount()
    {
        return answered.sum();
    }

    long acknowledgedCount()
    {
        return acknowledged.sum();
    }

    /** Refusals by code, sorted. */
    Map<String, Long> refusals()
    {
        final Map<String, Long> counts = new TreeMap<>();
        refusals.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    /** The acknowledgement latencies recorded so far (call once, at the end of the run). */
    Histogram latency()
    {
        return latency.getIntervalHistogram();
    }
}
