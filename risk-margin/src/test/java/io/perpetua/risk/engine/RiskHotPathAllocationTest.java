package io.perpetua.risk.engine;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import io.perpetua.core.testing.SteadyStateAllocation;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static io.perpetua.risk.engine.RiskHarness.COIN;
import static io.perpetua.risk.engine.RiskHarness.USD;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trading with margin allocates nothing once warm: placement and fill checks, fees, positions
 * opened, flipped and closed, reduce-only orders and margin rejects, measured with the JVM's
 * per-thread allocation counter. (Oracle prices are not on this path: BouncyCastle's Ed25519
 * verification allocates, see Ed25519VerificationTest; liquidations are measured by
 * LiquidationAllocationTest.)
 */
class RiskHotPathAllocationTest
{
    private static final int ACCOUNTS = 20;

    private final RiskHarness h = new RiskHarness();
    private long fills;
    private long rejects;

    @Test
    void marginTradingAllocatesNothingAfterWarmUp()
    {
        for (int m = 1; m <= 2; m++)
        {
            h.market(m, -100, 500, 50_000, 30_000);
            RiskHarness.expectNoReject(h.oracle(m, 100 * USD));
        }
        for (long a = 1; a <= ACCOUNTS; a++)
        {
            RiskHarness.expectNoReject(h.deposit(a, (a % 4 == 0 ? 200 : 20_000) * USD));
        }
        run(new SplittableRandom(42), 200_000);
        final SplittableRandom[] randoms = new SplittableRandom[SteadyStateAllocation.MAX_PHASES];
        Arrays.setAll(randoms, phase -> new SplittableRandom(43 + phase));

        final SteadyStateAllocation allocation = SteadyStateAllocation.measure(phase -> run(randoms[phase], 100_000));
        System.out.println("risk hot path, 100,000 commands a phase: " + allocation + "; last phase fills " + fills +
            ", rejects " + rejects);
        assertTrue(fills > 10_000, "the measured phase must trade: " + fills);
        assertTrue(rejects > 100, "and hit the checks: " + rejects);
        h.checkInvariants();
        assertTrue(allocation.reachedZero(), "the core thread allocates in steady state: " + allocation);
    }

    /** Runs the mix; counts the fills and rejects of the run in {@link #fills} and {@link #rejects}. */
    private void run(final SplittableRandom random, final int commands)
    {
        fills = 0;
        rejects = 0;
        for (int i = 0; i < commands; i++)
        {
            final long account = 1 + random.nextInt(ACCOUNTS);
            final int market = 1 + random.nextInt(2);
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long price = (95 + random.nextInt(11)) * USD;
            final long size = COIN / 10 * (1 + random.nextInt(50));
            final int roll = random.nextInt(100);
            final int length;
            if (roll < 50)
            {
                length = h.orders.limitOrder(h.buffer, 0, account, market, 0, side, price, size);
            }
            else if (roll < 70)
            {
                length = h.orders.placeOrder(h.buffer, 0, account, market, 0, side, OrderType.LIMIT, TimeInForce.IOC,
                    (byte)0, SelfTradePrevention.CANCEL_TAKER, price, size, 0);
            }
            else if (roll < 80)
            {
                length = h.orders.placeOrder(h.buffer, 0, account, market, 0, side, OrderType.LIMIT, TimeInForce.GTC,
                    (byte)2, SelfTradePrevention.CANCEL_MAKER, price, size, 0);
            }
            else
            {
                length = h.orders.cancelAll(h.buffer, 0, account, market);
            }
            h.nowNs += 1_000_000;
            CommandAdapter.stamp(h.buffer, 0, ++h.sequence, h.nowNs);
            h.adapter.apply(h.buffer, 0, length);
            fills += count(103);
            rejects += count(102);
        }
    }

    /** Events of a template in the last command's events, read from the headers. */
    private long count(final int templateId)
    {
        final org.agrona.DirectBuffer events = h.engine.events().buffer();
        final int length = h.engine.events().length();
        long count = 0;
        int offset = 0;
        while (offset < length)
        {
            final int block = events.getShort(offset, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int template = events.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (template == templateId)
            {
                count++;
            }
            offset += 8 + block;
        }
        return count;
    }
}
