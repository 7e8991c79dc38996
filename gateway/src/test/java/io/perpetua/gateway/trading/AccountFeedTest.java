package io.perpetua.gateway.trading;

import io.perpetua.risk.view.MarginViews;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Queries waiting for the account feed: answered at once when it is there, timed out when it never gets there. */
class AccountFeedTest
{
    private final AccountFeed feed = new AccountFeed(marketId -> null, new MarginViews());
    private final List<String> answers = new ArrayList<>();

    @Test
    void aQueryForWhatTheFeedHasIsAnsweredAtOnce()
    {
        feed.whenAt(0, sequence -> answers.add("answered at " + sequence), 1_000, () -> answers.add("timed out"));
        assertEquals(List.of("answered at 0"), answers);
        assertEquals(0, feed.expireWaiting(Long.MAX_VALUE));
    }

    @Test
    void aQueryTheFeedNeverReachesTimesOutOnceAtItsDeadlineAndNotBefore()
    {
        feed.whenAt(7, sequence -> answers.add("answered at " + sequence), 1_000, () -> answers.add("first timed out"));
        feed.whenAt(9, sequence -> answers.add("answered at " + sequence), 5_000, () -> answers.add("second timed out"));
        assertEquals(0, feed.expireWaiting(999));
        assertEquals(List.of(), answers);
        assertEquals(1, feed.expireWaiting(1_000));
        assertEquals(List.of("first timed out"), answers);
        assertEquals(0, feed.expireWaiting(4_999));
        assertEquals(1, feed.expireWaiting(Long.MAX_VALUE / 2));
        assertEquals(List.of("first timed out", "second timed out"), answers);
        assertEquals(0, feed.expireWaiting(Long.MAX_VALUE / 2), "each query ends once");
    }

    @Test
    void deadlinesCompareAcrossTheNanoTimeWrap()
    {
        final long nearWrap = Long.MAX_VALUE - 10;
        feed.whenAt(3, sequence -> answers.add("answered"), nearWrap + 20, () -> answers.add("timed out"));
        assertEquals(0, feed.expireWaiting(nearWrap), "the deadline, past the wrap, is still ahead");
        assertEquals(1, feed.expireWaiting(nearWrap + 20));
        assertEquals(List.of("timed out"), answers);
    }

    @Test
    void tooManyWaitingQueriesAreRefusedAsBusy()
    {
        for (int i = 0; i < AccountFeed.MAX_WAITING_QUERIES; i++)
        {
            feed.whenAt(1, sequence -> answers.add("answered"), Long.MAX_VALUE, () -> answers.add("timed out"));
        }
        final TradingException busy = assertThrows(TradingException.class,
            () -> feed.whenAt(1, sequence -> answers.add("answered"), Long.MAX_VALUE, () -> answers.add("timed out")));
        assertEquals(ErrorCode.BUSY, busy.code());
        assertEquals(List.of(), answers);
    }
}
