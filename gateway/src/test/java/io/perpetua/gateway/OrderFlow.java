package io.perpetua.gateway;

import io.perpetua.core.engine.CommandEncoder;
import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.SelfTradePrevention;
import io.perpetua.core.sbe.Side;
import io.perpetua.core.sbe.TimeInForce;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random order flow on BTC-USD (prices in cents, tick 50, lot 100,000 satoshi): resting
 * limit orders around a mid, crossing IOC orders, market orders, cancels and amends by the order's
 * own account, so the book gains, loses, shrinks and trades at many levels.
 */
final class OrderFlow
{
    private static final long MID = 6_000_000;
    private static final long TICK = 50;
    private static final long LOT = 100_000;

    private final Random random;
    private final CommandEncoder encoder;
    private final List<long[]> open = new ArrayList<>();
    private long clientId;

    OrderFlow(final long seed, final CommandEncoder encoder)
    {
        this.random = new Random(seed);
        this.encoder = encoder;
    }

    /** Encodes the next command into {@code buffer}; returns its length. */
    int next(final MutableDirectBuffer buffer)
    {
        final int kind = random.nextInt(10);
        final long account = 1 + random.nextInt(6);
        if (kind < 5 || open.isEmpty())
        {
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long offset = (1 + random.nextInt(12)) * TICK;
            final long price = side == Side.BUY ? MID - offset : MID + offset;
            final long id = ++clientId;
            open.add(new long[] {account, id});
            return encoder.placeOrder(buffer, 0, account, TestExchange.BTC, id, side, OrderType.LIMIT, TimeInForce.GTC,
                (byte)0, SelfTradePrevention.CANCEL_MAKER, price, (1 + random.nextInt(20)) * LOT, 0);
        }
        if (kind < 7)
        {
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long through = random.nextInt(8) * TICK;
            final long price = side == Side.BUY ? MID + through : MID - through;
            final boolean market = random.nextInt(4) == 0;
            return encoder.placeOrder(buffer, 0, account, TestExchange.BTC, 0, side,
                market ? OrderType.MARKET : OrderType.LIMIT, TimeInForce.IOC, (byte)0, SelfTradePrevention.CANCEL_MAKER,
                market ? 0 : price, (1 + random.nextInt(30)) * LOT, 0);
        }
        final long[] order = open.remove(random.nextInt(open.size()));
        if (kind < 9)
        {
            return encoder.cancelOrder(buffer, 0, order[0], TestExchange.BTC, 0, order[1]);
        }
        open.add(order);
        return encoder.amendOrder(buffer, 0, order[0], TestExchange.BTC, 0, order[1], 0, 0, LOT);
    }
}
