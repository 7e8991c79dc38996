package io.perpetua.risk.engine;

import io.perpetua.core.sbe.Side;
import io.perpetua.risk.view.MarginViews;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.perpetua.risk.engine.RiskHarness.COIN;
import static io.perpetua.risk.engine.RiskHarness.USD;
import static io.perpetua.risk.engine.RiskHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The liquidation monitor in a closed loop with the core, as the node runs it and the perpetuals
 * workload generator simulates it: each command's events go to {@link MarginViews}, and the
 * Liquidate commands its monitor asks for are applied before the next command. The book is
 * CascadeTest's: at $96 account 43's second slice finds no bid within its $94 limit while 43 is
 * solvent and the fund can pay, so nothing is deleveraged and 43 stays liquidatable. Before the
 * monitor parked such accounts it asked again after every result and the loop never ended (issue
 * 8: the generator's "liquidation monitor did not settle"). Now it waits for a bid the slice could
 * take, or for a new mark.
 */
class StalledLiquidationTest
{
    /** Far more Liquidate commands than any command here can legitimately cause. */
    private static final int MAX_LIQUIDATIONS_PER_COMMAND = 50;

    private final RiskHarness h = new RiskHarness();
    private final ArrayDeque<Long> asked = new ArrayDeque<>();
    private final MarginViews views = new MarginViews(accountId -> asked.add(accountId));
    private final List<Long> submitted = new ArrayList<>();
    private int fed;

    @Test
    void aLiquidationThatClosesNothingWaitsForLiquidityOrANewMark()
    {
        h.market(1, 0, 0, 50_000, 30_000);
        feedNewEvents();
        run(() -> h.oracle(1, 100 * USD));
        run(() -> h.deposit(41, 100 * USD));
        run(() -> h.deposit(42, 25 * USD));
        run(() -> h.deposit(43, 60 * USD));
        run(() -> h.deposit(48, 10_000 * USD));
        run(() -> h.deposit(49, 100_000 * USD));
        expectNoReject(run(() -> h.limit(49, 1, Side.SELL, 100 * USD, 30 * COIN)));
        expectNoReject(run(() -> h.limit(41, 1, Side.BUY, 100 * USD, 15 * COIN)));
        expectNoReject(run(() -> h.limit(42, 1, Side.BUY, 100 * USD, 5 * COIN)));
        expectNoReject(run(() -> h.limit(43, 1, Side.BUY, 100 * USD, 10 * COIN)));
        expectNoReject(run(() -> h.limit(48, 1, Side.BUY, 95 * USD, 12 * COIN)));
        expectNoReject(run(() -> h.limit(48, 1, Side.BUY, 94 * USD, 5 * COIN)));
        assertEquals(List.of(), submitted);

        // $96: the monitor liquidates 41, 42 and 43 in turn. 43's command closes 1,583 lots, then its second
        // slice finds no bid at $94 or better; it is asked again once (its last command closed something),
        // closes nothing, and is parked.
        run(() -> h.oracle(1, 96 * USD));
        assertEquals(List.of(41L, 42L, 43L, 43L), submitted);
        assertEquals(List.of("LiquidationStep account=43 nc=16834000 mmr=24240960 SELL size=8417 limit=94000000 " +
            "bankruptcy=791198000 filled=0 received=0 adl=0"), RiskHarness.liquidationSteps(h.lastEvents));
        assertEquals(List.of(43L), h.liquidatable());

        // A bid below the limit, and an ask, cannot fill the slice: 43 is not asked again.
        expectNoReject(run(() -> h.limit(48, 1, Side.BUY, 93 * USD, 1 * COIN)));
        expectNoReject(run(() -> h.limit(49, 1, Side.SELL, 97 * USD, 1 * COIN)));
        assertEquals(4, submitted.size());

        // A bid at the limit: 43 is asked again, sells 2 coins into it, is asked once more and parks again.
        expectNoReject(run(() -> h.limit(48, 1, Side.BUY, 94 * USD, 2 * COIN)));
        assertEquals(List.of(41L, 42L, 43L, 43L, 43L, 43L), submitted);
        assertEquals(6_417, h.size(43, 1));
        assertEquals(List.of(43L), h.liquidatable());

        // $93: the new mark wakes the parked account; the monitor liquidates until nobody is liquidatable.
        run(() -> h.oracle(1, 93 * USD));
        assertTrue(submitted.size() > 6, submitted.toString());
        assertEquals(List.of(), h.liquidatable());
    }

    /** Applies a command, then the Liquidate commands the monitor asks for, as the node's loop would. */
    private List<String> run(final Supplier<List<String>> command)
    {
        final List<String> events = command.get();
        feedNewEvents();
        int liquidations = 0;
        while (!asked.isEmpty())
        {
            assertTrue(++liquidations <= MAX_LIQUIDATIONS_PER_COMMAND,
                "the monitor keeps asking: " + submitted.subList(Math.max(0, submitted.size() - 10), submitted.size()));
            final long accountId = asked.poll();
            submitted.add(accountId);
            h.liquidate(accountId);
            feedNewEvents();
        }
        return events;
    }

    /** Gives the views every command's events they have not seen yet. */
    private void feedNewEvents()
    {
        while (fed < h.eventLog.size())
        {
            final byte[] events = h.eventLog.get(fed++);
            views.onDocument(new UnsafeBuffer(events), 0, events.length);
        }
    }
}
