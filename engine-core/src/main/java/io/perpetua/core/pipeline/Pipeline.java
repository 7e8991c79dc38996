package io.perpetua.core.pipeline;

import com.lmax.disruptor.EventFactory;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.MatchingEngine;
import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalLayout;
import io.perpetua.core.journal.Recovery;
import io.perpetua.core.journal.Replayer;
import io.perpetua.core.journal.SnapshotStore;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The sequenced core: gateway threads publish commands into a multi-producer Disruptor ring; the
 * sequencer stage stamps each one and journals the ring batch as one document; the core stage
 * applies each command to the engine, journals its events (one document per batch) and answers the
 * submitter. A result therefore always follows the commit of its command's document, and the engine
 * is owned by the core thread alone.
 *
 * <p>With a journal directory the pipeline first recovers (snapshot plus replay, see
 * {@link Recovery}) and continues the sequence where the journal ends. Without one (benchmarks)
 * nothing is written and the engine starts empty.
 *
 * <p>{@link #close()} stops accepting commands, drains the ring, stops both threads and closes the
 * journals. Commands published concurrently with {@code close} may not be answered; gateways stop
 * publishing first.
 */
public final class Pipeline implements AutoCloseable
{
    private static final long DRAIN_TIMEOUT_SECONDS = 30;

    private final Context context;
    private final Journal commandsJournal;
    private final Journal eventsJournal;
    private final Disruptor<CommandSlot> disruptor;
    private final RingBuffer<CommandSlot> ringBuffer;
    private final CountDownLatch exited = new CountDownLatch(2);
    private final long startSequence;
    private final long eventsAppendedOnRecovery;
    private volatile boolean closed;
    private boolean stopped;
    private volatile Throwable failure;
    private volatile long finalStateHash;
    private volatile long finalSequence = -1;
    /** Written by the core thread alone; see {@link #lastSequenceWithEvents()}. */
    private final AtomicLong lastSequenceWithEvents = new AtomicLong();

    /**
     * Settings of a pipeline. Defaults: no journal, a ring of 2^14 slots, blocking waits, the wall
     * clock read once per ring batch and the standard engine.
     */
    public static final class Context
    {
        private Path journalDir;
        private int ringSize = 1 << 14;
        private WaitMode waitMode = WaitMode.BLOCKING;
        private EpochNanoClock clock = new OffsetEpochNanoClock();
        private Stamping stamping = Stamping.EACH_BATCH;
        private Supplier<MatchingEngine> engineFactory = Replayer::standardEngine;
        private ErrorHandler errorHandler = Throwable::printStackTrace;
        private boolean singleStage = defaultSingleStage();

        /** Root of the journals and snapshots; null runs without a journal. */
        public Context journalDir(final Path journalDir)
        {
            this.journalDir = journalDir;
            return this;
        }

        public Path journalDir()
        {
            return journalDir;
        }

        /** Number of ring slots, a power of two. */
        public Context ringSize(final int ringSize)
        {
            this.ringSize = ringSize;
            return this;
        }

        public int ringSize()
        {
            return ringSize;
        }

        public Context waitMode(final WaitMode waitMode)
        {
            this.waitMode = Objects.requireNonNull(waitMode);
            return this;
        }

        public WaitMode waitMode()
        {
            return waitMode;
        }

        /**
         * The sequencer's clock; tests pass a controlled one. The default reads the wall clock once and
         * then advances with {@link System#nanoTime()}, which, unlike {@code Instant.now()}, allocates
         * nothing per command.
         */
        public Context clock(final EpochNanoClock clock)
        {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public EpochNanoClock clock()
        {
            return clock;
        }

        /** How often the sequencer reads its clock: once per ring batch (the default) or once per command. */
        public Context stamping(final Stamping stamping)
        {
            this.stamping = Objects.requireNonNull(stamping);
            return this;
        }

        public Stamping stamping()
        {
            return stamping;
        }

        /** Makes the fresh engines recovery and the core run (the node composes the risk gates here). */
        public Context engineFactory(final Supplier<MatchingEngine> engineFactory)
        {
            this.engineFactory = Objects.requireNonNull(engineFactory);
            return this;
        }

        public Supplier<MatchingEngine> engineFactory()
        {
            return engineFactory;
        }

        /**
         * Run the sequencer (stamp, journal) and the core (apply, journal events, reply) on one thread
         * instead of two. Default: {@link #defaultSingleStage()}.
         */
        public Context singleStage(final boolean singleStage)
        {
            this.singleStage = singleStage;
            return this;
        }

        public boolean singleStage()
        {
            return singleStage;
        }

        /**
         * One stage on a machine with two processors or fewer, two stages otherwise. Two stages overlap
         * journaling with matching when there are cores for it; on two cores the publisher and two
         * busy stages take turns on them, and a command waits for its turn: on the peer stream at
         * 250k commands/s offered, p50 latency 1.9 ms with two stages against 1.2 µs with one, at
         * about the same throughput (docs/benchmarks.md).
         */
        public static boolean defaultSingleStage()
        {
            return Runtime.getRuntime().availableProcessors() <= 2;
        }

        /** Receives faults that do not stop the pipeline (a failing listener or snapshot write). */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = Objects.requireNonNull(errorHandler);
            return this;
        }

        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }
    }

    private Pipeline(final Context context)
    {
        if (Integer.bitCount(context.ringSize) != 1)
        {
            throw new IllegalArgumentException("ringSize must be a power of two: " + context.ringSize);
        }
        // The slots' memory first: a ring too large for it is refused before the journals are opened.
        final EventFactory<CommandSlot> slots = CommandSlot.factory(context.ringSize);
        this.context = context;
        final MatchingEngine engine;
        final long lastTimestampNs;
        if (context.journalDir != null)
        {
            final JournalLayout layout = new JournalLayout(context.journalDir);
            commandsJournal = Journal.open(layout.commandsDir());
            eventsJournal = Journal.open(layout.eventsDir());
            final Recovery.Result recovered;
            try
            {
                recovered = Recovery.recover(
                    layout, commandsJournal, eventsJournal, context.engineFactory, context.errorHandler);
            }
            catch (final RuntimeException ex)
            {
                commandsJournal.close();
                eventsJournal.close();
                throw ex;
            }
            engine = recovered.engine();
            startSequence = recovered.lastSequence();
            lastTimestampNs = recovered.lastTimestampNs();
            eventsAppendedOnRecovery = recovered.eventsAppended();
            lastSequenceWithEvents.set(recovered.lastSequenceWithEvents());
            engine.snapshotListener(new SnapshotStore(layout, context.errorHandler));
        }
        else
        {
            commandsJournal = null;
            eventsJournal = null;
            engine = context.engineFactory.get();
            startSequence = engine.lastSequence();
            lastTimestampNs = engine.nowNs();
            eventsAppendedOnRecovery = 0;
            lastSequenceWithEvents.set(startSequence);
        }

        disruptor = new Disruptor<>(
            slots, context.ringSize, new NamedThreadFactory(), ProducerType.MULTI,
            context.waitMode.newStrategy());
        disruptor.setDefaultExceptionHandler(new HaltOnFault());
        final SequencerHandler sequencer = new SequencerHandler(
            commandsJournal, context.clock, context.stamping, startSequence, lastTimestampNs, exited::countDown);
        final BusinessHandler business = new BusinessHandler(engine, eventsJournal, context.errorHandler, this);
        if (context.singleStage)
        {
            disruptor.handleEventsWith(new SingleStageHandler(sequencer, business, disruptor.getRingBuffer()));
        }
        else
        {
            disruptor.handleEventsWith(sequencer).then(business);
        }
        ringBuffer = disruptor.start();
    }

    /** Recovers (if journaling) and starts the sequencer and core threads. */
    public static Pipeline start(final Context context)
    {
        return new Pipeline(context);
    }

    /**
     * Copies a command into the ring if it is well-formed and there is room. Never blocks.
     *
     * @param buffer        holds the command (unstamped: the sequencer writes sequence and time)
     * @param correlationId handed back to {@code listener} with the result
     * @return {@link PublishResult#PUBLISHED}, or why not
     */
    public PublishResult tryPublish(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResultListener listener,
        final long correlationId)
    {
        Objects.requireNonNull(listener, "listener");
        if (!CommandAdapter.isWellFormed(buffer, offset, length))
        {
            MalformedReply.send(buffer, offset, length, listener, correlationId);
            return PublishResult.MALFORMED;
        }
        if (closed)
        {
            return PublishResult.CLOSED;
        }
        final long ringSequence;
        try
        {
            ringSequence = ringBuffer.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return PublishResult.BUSY;
        }
        try
        {
            final CommandSlot slot = ringBuffer.get(ringSequence);
            final UnsafeBuffer copy = slot.bufferFor(length);
            copy.putBytes(0, buffer, offset, length);
            // Checked again on the copy: a caller changing its buffer meanwhile must not reach the core.
            slot.length = CommandAdapter.isWellFormed(copy, 0, length) ? length : CommandSlot.MALFORMED;
            slot.listener = listener;
            slot.correlationId = correlationId;
        }
        finally
        {
            ringBuffer.publish(ringSequence);
        }
        return PublishResult.PUBLISHED;
    }

    /** Last sequence number before this pipeline started (what recovery restored), 0 if empty. */
    public long startSequence()
    {
        return startSequence;
    }

    /**
     * The sequence number of the last command with events that the core has applied, set before the
     * command is answered. A reader of the events journal that has reached it has every event any
     * reply so far has reported (replies may precede the commit of their events), which is what a
     * query without a connection of its own waits for to read its own writes. After recovery it
     * starts at the last command the events journal holds events of, which is not the last command
     * if that one had none (a reader could never reach a sequence with no entry).
     */
    public long lastSequenceWithEvents()
    {
        return lastSequenceWithEvents.get();
    }

    void onEventsApplied(final long sequence)
    {
        // An ordered store suffices: one writer, and readers only need to see it before the reply.
        lastSequenceWithEvents.lazySet(sequence);
    }

    /** Commands whose missing events recovery appended to the events journal. */
    public long eventsAppendedOnRecovery()
    {
        return eventsAppendedOnRecovery;
    }

    /** Free slots in the ring now: how much a burst of commands can still be taken before publishers see BUSY. */
    public long ringFreeSlots()
    {
        return ringBuffer.remainingCapacity();
    }

    /** Slots of the ring. */
    public int ringSize()
    {
        return ringBuffer.getBufferSize();
    }

    /** True once the pipeline was closed or halted by a fault: it accepts nothing more. */
    public boolean isClosed()
    {
        return closed;
    }

    /** The fault that halted the pipeline, or null. */
    public Throwable failure()
    {
        return failure;
    }

    public Context context()
    {
        return context;
    }

    /** The engine's state hash when the core thread stopped; only after {@link #close()}. */
    public long finalStateHash()
    {
        requireExited();
        return finalStateHash;
    }

    /** The last sequence number applied when the core thread stopped; only after {@link #close()}. */
    public long finalSequence()
    {
        requireExited();
        return finalSequence;
    }

    private void requireExited()
    {
        if (finalSequence < 0)
        {
            throw new IllegalStateException("the pipeline is still running: close it first");
        }
    }

    void onCoreExit(final long stateHash, final long lastSequence)
    {
        finalStateHash = stateHash;
        finalSequence = lastSequence;
        exited.countDown();
    }

    /** Drains the ring, stops both threads and closes the journals. Idempotent. */
    @Override
    public synchronized void close()
    {
        if (stopped)
        {
            return;
        }
        closed = true;
        if (failure == null)
        {
            try
            {
                disruptor.shutdown(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final TimeoutException ex)
            {
                context.errorHandler.onError(new IllegalStateException("ring not drained within " +
                    DRAIN_TIMEOUT_SECONDS + "s; halting", ex));
            }
        }
        disruptor.halt();
        try
        {
            if (!exited.await(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("pipeline threads did not stop");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the pipeline", ex);
        }
        finally
        {
            stopped = true;
            if (commandsJournal != null)
            {
                commandsJournal.close();
                eventsJournal.close();
            }
        }
    }

    /** A fault in a stage halts that stage: nothing unjournaled is applied, nothing unapplied answered. */
    private final class HaltOnFault implements ExceptionHandler<CommandSlot>
    {
        @Override
        public void handleEventException(final Throwable ex, final long ringSequence, final CommandSlot slot)
        {
            fail(ex);
            throw new HaltedException(ringSequence, ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            fail(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            context.errorHandler.onError(ex);
        }

        private void fail(final Throwable ex)
        {
            if (failure == null)
            {
                failure = ex;
            }
            closed = true;
            context.errorHandler.onError(ex);
        }
    }

    /** Unwinds a stage's thread after {@link HaltOnFault} has recorded and reported the fault. */
    private static final class HaltedException extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        HaltedException(final long ringSequence, final Throwable cause)
        {
            super("pipeline halted by a fault at ring sequence " + ringSequence, cause);
        }
    }

    private final class NamedThreadFactory implements ThreadFactory
    {
        private static final String[] NAMES = {"perpetua-sequencer", "perpetua-core"};
        /** With one stage its single thread is the core thread. */
        private final AtomicInteger count = new AtomicInteger(context.singleStage ? 1 : 0);

        @Override
        public Thread newThread(final Runnable runnable)
        {
            final int index = count.getAndIncrement();
            final Thread thread = new Thread(runnable, index < NAMES.length ? NAMES[index] : "perpetua-pipeline-" + index);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, ex) ->
            {
                if (!(ex instanceof HaltedException))
                {
                    context.errorHandler.onError(ex);
                }
            });
            return thread;
        }
    }
}
