package io.perpetua.gateway.sbe;

import io.perpetua.core.journal.Journal;
import io.perpetua.core.journal.JournalReader;
import io.perpetua.gateway.marketdata.JournalConsumer;
import io.perpetua.gateway.marketdata.JournalSchema;
import io.perpetua.gateway.sbe.codec.EstablishDecoder;
import io.perpetua.gateway.sbe.codec.MessageHeaderEncoder;
import io.perpetua.gateway.sbe.codec.RetransmissionEncoder;
import io.perpetua.gateway.sbe.codec.RetransmitRejectCode;
import io.perpetua.gateway.sbe.codec.RetransmitRejectEncoder;
import io.perpetua.gateway.sbe.codec.RetransmitRequestDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Turns the events journal into each account's execution reports, numbered per account from 1
 * without gaps. The numbering depends only on the journal, so it is the same for every session and
 * after a gateway restart (the tailer reads the journal from its start).
 *
 * <p>Memory is bounded per account: the last {@code window} framed reports are kept in a ring of
 * fixed-size frames (grown by doubling up to the window, then overwritten in place), and a sparse
 * index records, for every {@code indexInterval}-th report, the events journal entry it came from
 * and how far back a replay must read. A session asking for reports older than the ring gets them
 * re-derived from the events journal, which is the durable store, by a separate reader on the replay
 * thread (never the tailer's), through the same {@link ReportDeriver}, so they are byte-identical to
 * the ones sent live. Without a journal such a request gets a {@code RetransmitReject}.
 *
 * <p>Threads: the events tailer derives reports and keeps and publishes each under this object's
 * lock; sessions subscribe and ask for retransmissions from their I/O threads under the same lock,
 * so a session gets its replay and then every new report exactly once. Journal replays run on the
 * replay thread, outside the lock, with their own reader, deriver and schema.
 */
final class ExecutionReports implements JournalConsumer, ReportDeriver.Sink, AutoCloseable
{
    /** Frame of one report: SOFH, SBE header, body. */
    static final int FRAME_LENGTH = ReportDeriver.FRAME_LENGTH;
    /** Reports kept in memory per account by default: 4,096 frames of 121 bytes, about 484 KiB. */
    static final int DEFAULT_WINDOW = 4_096;
    /** Every this many reports an account's sparse index gains an entry (24 bytes). */
    static final int DEFAULT_INDEX_INTERVAL = 1_024;
    /** Frames of an account's first ring; it doubles as the account's reports grow, up to the window. */
    private static final int FIRST_RING_FRAMES = 16;
    private static final int CHECKPOINT_LONGS = 3;

    /** One account's recent reports (framed, ready to send), its sparse index and its established sessions. */
    private static final class Account
    {
        byte[] ring;
        int capacity;
        long nextSeqNo = 1;
        /** Entry of the last report, and the account's first report in it. */
        long entrySequence = -1;
        long entryFirstSeqNo;
        /**
         * For reports 1, 1 + K, 1 + 2K...: the entry it came from, the account's first report in that
         * entry and the entry a replay must start reading at.
         */
        long[] checkpoints = new long[CHECKPOINT_LONGS * 4];
        int checkpointCount;
        final Set<SbeSession> sessions = new HashSet<>();

        Account(final int window)
        {
            capacity = Math.min(FIRST_RING_FRAMES, window);
            ring = new byte[capacity * FRAME_LENGTH];
        }

        long earliestSeqNo()
        {
            return Math.max(1, nextSeqNo - capacity);
        }

        int offset(final long seqNo)
        {
            return (int)((seqNo - 1) % capacity) * FRAME_LENGTH;
        }

        /** A copy of a retained report's frame, for sending. */
        byte[] copy(final long seqNo)
        {
            final int offset = offset(seqNo);
            return Arrays.copyOfRange(ring, offset, offset + FRAME_LENGTH);
        }
    }

    /** Where a replay starts: an entry of the sparse index. */
    private record Checkpoint(long entrySequence, long entryFirstSeqNo, long rewindSequence)
    {
    }

    private final int window;
    private final int indexInterval;
    private final Path eventsDir;
    private final ErrorHandler errorHandler;
    private final ReportDeriver deriver = new ReportDeriver(new JournalSchema(), this);
    private final Long2ObjectHashMap<Account> accounts = new Long2ObjectHashMap<>();
    /** Re-derives reports from the journal; null without a journal. */
    private final ExecutorService replayThread;
    private final JournalReplay replay;
    private volatile boolean closed;

    /**
     * @param window        reports kept in memory per account
     * @param indexInterval reports between two entries of an account's sparse index
     * @param eventsDir     the events journal to replay older reports from; null: such requests are rejected
     */
    ExecutionReports(final int window, final int indexInterval, final Path eventsDir, final ErrorHandler errorHandler)
    {
        this.window = window;
        this.indexInterval = indexInterval;
        this.eventsDir = eventsDir;
        this.errorHandler = errorHandler;
        if (eventsDir == null)
        {
            replayThread = null;
            replay = null;
        }
        else
        {
            replayThread = Executors.newSingleThreadExecutor(task ->
            {
                final Thread thread = new Thread(task, "perpetua-sbe-replay");
                thread.setDaemon(true);
                return thread;
            });
            replay = new JournalReplay();
        }
    }

    @Override
    public void onDocument(final DirectBuffer buffer, final int offset, final int length)
    {
        deriver.onEntry(buffer, offset, length);
    }

    @Override
    public synchronized long nextSeqNo(final long accountId)
    {
        final Account account = accounts.get(accountId);
        return account == null ? 1 : account.nextSeqNo;
    }

    @Override
    public synchronized void onReport(final long accountId, final long entrySequence, final DirectBuffer frame)
    {
        final Account account = account(accountId);
        final long seqNo = account.nextSeqNo;
        if (entrySequence != account.entrySequence)
        {
            account.entrySequence = entrySequence;
            account.entryFirstSeqNo = seqNo;
        }
        if ((seqNo - 1) % indexInterval == 0)
        {
            addCheckpoint(account, entrySequence, account.entryFirstSeqNo, deriver.rewindSequence(accountId));
        }
        if (seqNo - 1 == account.capacity && account.capacity < window)
        {
            account.capacity = (int)Math.min(2L * account.capacity, window);
            account.ring = Arrays.copyOf(account.ring, account.capacity * FRAME_LENGTH);
        }
        frame.getBytes(0, account.ring, account.offset(seqNo), FRAME_LENGTH);
        account.nextSeqNo = seqNo + 1;
        if (!account.sessions.isEmpty())
        {
            final byte[] sent = account.copy(seqNo);
            for (final SbeSession session : account.sessions)
            {
                session.sendFrame(sent);
            }
        }
    }

    private static void addCheckpoint(
        final Account account, final long entrySequence, final long entryFirstSeqNo, final long rewindSequence)
    {
        final int at = account.checkpointCount * CHECKPOINT_LONGS;
        if (at == account.checkpoints.length)
        {
            account.checkpoints = Arrays.copyOf(account.checkpoints, 2 * account.checkpoints.length);
        }
        account.checkpoints[at] = entrySequence;
        account.checkpoints[at + 1] = entryFirstSeqNo;
        account.checkpoints[at + 2] = rewindSequence;
        account.checkpointCount++;
    }

    private Account account(final long accountId)
    {
        Account account = accounts.get(accountId);
        if (account == null)
        {
            account = new Account(window);
            accounts.put(accountId, account);
        }
        return account;
    }

    /**
     * Registers an established session: first hands {@code beforeReplay} the sequence number of the
     * account's next new report, then sends the session the reports from {@code nextExpectedSeqNo}
     * on (0: none), then every new one. Reports older than the window come from the journal on the
     * replay thread, and the session joins the live reports once it has caught up.
     */
    synchronized void subscribe(final SbeSession session, final long nextExpectedSeqNo, final LongConsumer beforeReplay)
    {
        final Account account = account(session.accountId());
        beforeReplay.accept(account.nextSeqNo);
        if (nextExpectedSeqNo == 0 || nextExpectedSeqNo >= account.earliestSeqNo())
        {
            join(session, account, nextExpectedSeqNo == 0 ? account.nextSeqNo : nextExpectedSeqNo);
        }
        else if (replay == null)
        {
            session.sendFrame(reject(EstablishDecoder.TEMPLATE_ID, nextExpectedSeqNo, RetransmitRejectCode.OUTSIDE_WINDOW,
                account, "reports before " + account.earliestSeqNo() + " are no longer kept and this gateway does not " +
                "replay from the events journal; the kept ones follow"));
            join(session, account, account.earliestSeqNo());
        }
        else
        {
            onReplayThread(session, EstablishDecoder.TEMPLATE_ID, nextExpectedSeqNo, () -> catchUp(session, nextExpectedSeqNo));
        }
    }

    /** Sends the retained reports from {@code fromSeqNo} on and adds the session to the live ones (under the lock). */
    private void join(final SbeSession session, final Account account, final long fromSeqNo)
    {
        for (long seqNo = Math.max(fromSeqNo, account.earliestSeqNo()); seqNo < account.nextSeqNo; seqNo++)
        {
            session.sendFrame(account.copy(seqNo));
        }
        if (session.channel().isActive())
        {
            account.sessions.add(session); // an inactive one was unsubscribed already, or never will be
        }
    }

    synchronized void unsubscribe(final SbeSession session)
    {
        final Account account = accounts.get(session.accountId());
        if (account != null)
        {
            account.sessions.remove(session);
        }
    }

    /**
     * Answers a RetransmitRequest: a Retransmission followed by the account's reports
     * {@code fromSeqNo .. fromSeqNo + count - 1} that exist (none for the future), from memory or
     * re-derived from the journal, or a RetransmitReject if they are neither.
     */
    synchronized void retransmit(final SbeSession session, final long fromSeqNo, final int count)
    {
        final Account account = account(session.accountId());
        final long toSeqNo = Math.min(fromSeqNo + count, account.nextSeqNo);
        if (fromSeqNo >= toSeqNo || fromSeqNo >= account.earliestSeqNo())
        {
            final List<byte[]> frames = new ArrayList<>();
            frames.add(retransmission(fromSeqNo, Math.max(0, toSeqNo - fromSeqNo)));
            for (long seqNo = fromSeqNo; seqNo < toSeqNo; seqNo++)
            {
                frames.add(account.copy(seqNo));
            }
            session.sendQueued(frames);
        }
        else if (replay == null)
        {
            session.sendFrame(reject(RetransmitRequestDecoder.TEMPLATE_ID, fromSeqNo, RetransmitRejectCode.OUTSIDE_WINDOW,
                account, "reports before " + account.earliestSeqNo() + " are no longer kept and this gateway does not " +
                "replay from the events journal"));
        }
        else
        {
            onReplayThread(session, RetransmitRequestDecoder.TEMPLATE_ID, fromSeqNo, () ->
            {
                final List<byte[]> frames = new ArrayList<>();
                frames.add(retransmission(fromSeqNo, toSeqNo - fromSeqNo));
                if (replay.derive(session, fromSeqNo, toSeqNo, frames::add) == toSeqNo)
                {
                    session.sendQueued(frames);
                }
            });
        }
    }

    /**
     * Replays the session's missed reports from the journal until it reaches the ring, then joins it
     * live. The journal is read outside the lock; while it is, the ring moves on, so this repeats
     * until what was replayed meets what the ring still holds.
     */
    private void catchUp(final SbeSession session, final long fromSeqNo)
    {
        long next = fromSeqNo;
        while (true)
        {
            final long earliest;
            synchronized (this)
            {
                final Account account = account(session.accountId());
                earliest = account.earliestSeqNo();
                if (next >= earliest)
                {
                    join(session, account, next);
                    return;
                }
            }
            final long reached = replay.derive(session, next, earliest, session::sendFrame);
            if (reached < earliest)
            {
                return; // the session ended or the gateway is closing
            }
            next = reached;
        }
    }

    /** Runs a journal replay for the session, answering a failure with a RetransmitReject. */
    private void onReplayThread(final SbeSession session, final int refTemplateId, final long fromSeqNo, final Runnable task)
    {
        final Runnable guarded = () ->
        {
            try
            {
                task.run();
            }
            catch (final RuntimeException ex)
            {
                if (!closed)
                {
                    errorHandler.onError(ex);
                }
                replayFailed(session, refTemplateId, fromSeqNo, ex);
            }
        };
        try
        {
            replayThread.execute(guarded);
        }
        catch (final RejectedExecutionException ex)
        {
            replayFailed(session, refTemplateId, fromSeqNo, ex);
        }
    }

    private synchronized void replayFailed(final SbeSession session, final int refTemplateId, final long fromSeqNo,
        final Exception ex)
    {
        final Account account = account(session.accountId());
        session.sendFrame(reject(refTemplateId, fromSeqNo, RetransmitRejectCode.JOURNAL_UNREADABLE, account,
            "the events journal could not be read: " + ex.getMessage()));
        if (refTemplateId == EstablishDecoder.TEMPLATE_ID && !account.sessions.contains(session))
        {
            join(session, account, account.earliestSeqNo());
        }
    }

    private static byte[] retransmission(final long fromSeqNo, final long count)
    {
        final int length = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + RetransmissionEncoder.BLOCK_LENGTH;
        final byte[] frame = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        SbeSession.putFramingHeader(buffer, 0, length);
        new RetransmissionEncoder().wrapAndApplyHeader(buffer, SofhFrameDecoder.HEADER_LENGTH, new MessageHeaderEncoder())
            .fromSeqNo(fromSeqNo)
            .count(count);
        return frame;
    }

    private static byte[] reject(final int refTemplateId, final long fromSeqNo, final RetransmitRejectCode code,
        final Account account, final String reason)
    {
        final byte[] text = SbeSession.printableAscii(reason).getBytes(StandardCharsets.US_ASCII);
        final int length = SofhFrameDecoder.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            RetransmitRejectEncoder.BLOCK_LENGTH + RetransmitRejectEncoder.reasonHeaderLength() + text.length;
        final byte[] frame = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        SbeSession.putFramingHeader(buffer, 0, length);
        new RetransmitRejectEncoder().wrapAndApplyHeader(buffer, SofhFrameDecoder.HEADER_LENGTH, new MessageHeaderEncoder())
            .refTemplateId(refTemplateId)
            .fromSeqNo(fromSeqNo)
            .code(code)
            .earliestSeqNo(account.earliestSeqNo())
            .nextSeqNo(account.nextSeqNo)
            .putReason(text, 0, text.length);
        return frame;
    }

    /** Reports of the account kept in memory now (at most the window). */
    synchronized int retainedReports(final long accountId)
    {
        final Account account = accounts.get(accountId);
        return account == null ? 0 : (int)Math.min(account.nextSeqNo - 1, account.capacity);
    }

    /** Frames the account's ring has room for (at most the window). */
    synchronized int ringFrames(final long accountId)
    {
        final Account account = accounts.get(accountId);
        return account == null ? 0 : account.capacity;
    }

    /** Orders the live deriver holds: the open ones. */
    synchronized int openOrders()
    {
        return deriver.openOrders();
    }

    /** The checkpoint of the sparse index at or before report {@code seqNo} (which must exist). */
    private synchronized Checkpoint checkpoint(final long accountId, final long seqNo)
    {
        final Account account = accounts.get(accountId);
        final int index = (int)((seqNo - 1) / indexInterval);
        if (account == null || seqNo < 1 || seqNo >= account.nextSeqNo || index >= account.checkpointCount)
        {
            throw new IllegalStateException("account " + accountId + " has no report " + seqNo + " to replay");
        }
        final int at = index * CHECKPOINT_LONGS;
        return new Checkpoint(account.checkpoints[at], account.checkpoints[at + 1], account.checkpoints[at + 2]);
    }

    @Override
    public void close()
    {
        closed = true;
        if (replayThread != null)
        {
            try
            {
                replayThread.execute(replay::close);
            }
            catch (final RejectedExecutionException ex)
            {
                return; // closed already
            }
            replayThread.shutdown();
            try
            {
                replayThread.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Re-derives one account's reports from the events journal with its own reader and deriver, on
     * the replay thread: from the sparse index's checkpoint at or before the first report asked for,
     * reading from the checkpoint's rewind entry (to learn the orders its reports name) without
     * emitting, then numbering from the checkpoint's entry on.
     */
    private final class JournalReplay implements ReportDeriver.Sink
    {
        private final ReportDeriver replayDeriver = new ReportDeriver(new JournalSchema(), this);
        private Journal journal;
        private JournalReader reader;
        private long startEntry;
        private long nextSeqNo;
        private long fromSeqNo;
        private long toSeqNo;
        private Consumer<byte[]> out;

        /**
         * Re-derives the session's account's reports {@code from .. to - 1} into {@code out}.
         *
         * @return {@code to}, or where it stopped if the session ended or the gateway closes
         */
        long derive(final SbeSession session, final long from, final long to, final Consumer<byte[]> out)
        {
            if (journal == null)
            {
                journal = Journal.open(eventsDir);
                reader = journal.reader();
            }
            final long accountId = session.accountId();
            final Checkpoint checkpoint = checkpoint(accountId, from);
            replayDeriver.reset(accountId);
            startEntry = checkpoint.entrySequence();
            nextSeqNo = -1;
            fromSeqNo = from;
            toSeqNo = to;
            this.out = out;
            reader.seekAfter(checkpoint.rewindSequence() - 1);
            while (nextSeqNo < toSeqNo)
            {
                if (closed || session.terminated() || !session.channel().isActive())
                {
                    return Math.max(from, nextSeqNo);
                }
                if (!reader.next())
                {
                    throw new IllegalStateException("the events journal " + eventsDir + " ends before report " +
                        Math.max(from, nextSeqNo) + " of account " + accountId);
                }
                final long sequence = reader.sequence();
                if (nextSeqNo < 0 && sequence >= startEntry)
                {
                    if (sequence != startEntry)
                    {
                        throw new IllegalStateException("the events journal " + eventsDir + " has no entry " + startEntry +
                            " (report " + checkpoint.entryFirstSeqNo() + " of account " + accountId + ")");
                    }
                    nextSeqNo = checkpoint.entryFirstSeqNo();
                }
                replayDeriver.onEntry(reader.buffer(), 0, reader.length());
            }
            return toSeqNo;
        }

        @Override
        public long nextSeqNo(final long accountId)
        {
            return nextSeqNo;
        }

        @Override
        public void onReport(final long accountId, final long entrySequence, final DirectBuffer frame)
        {
            if (nextSeqNo < 0)
            {
                return; // before the checkpoint's entry: only learning the open orders
            }
            if (nextSeqNo >= fromSeqNo && nextSeqNo < toSeqNo)
            {
                final byte[] copy = new byte[FRAME_LENGTH];
                frame.getBytes(0, copy);
                out.accept(copy);
            }
            nextSeqNo++;
        }

        void close()
        {
            if (journal != null)
            {
                reader.close();
                journal.close();
            }
        }
    }
}
