package io.perpetua.core.book;

import io.perpetua.core.sbe.Side;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The price-indexed side against a TreeMap: random adds and removes over price ranges that force
 * the window to grow and re-centre, for both sides, checking order, lookup and counts each step.
 */
class BookSideTest
{
    @Test
    void levelsStayInPriorityOrderWhileTheWindowMoves()
    {
        final String fixed = System.getenv("PERPETUA_SEED");
        final long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
        for (final Side sideKind : new Side[]{Side.BUY, Side.SELL})
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final BookSide side = new BookSide(sideKind, new LevelPool());
            final TreeMap<Long, List<Order>> reference = new TreeMap<>(
                sideKind == Side.BUY ? Comparator.<Long>reverseOrder() : Comparator.<Long>naturalOrder());
            final List<Order> live = new ArrayList<>();
            long centre = 1_000_000;
            for (int step = 0; step < 50_000; step++)
            {
                if (random.nextInt(1000) == 0)
                {
                    centre += random.nextLong(-200_000, 200_001);
                }
                final boolean add = live.isEmpty() || random.nextInt(100) < 52;
                if (add)
                {
                    final int spread = random.nextInt(10) == 0 ? 100_000 : 300;
                    final long price = Math.max(1, centre + random.nextLong(-spread, spread + 1));
                    if (!side.canHold(price))
                    {
                        continue;
                    }
                    final Order order = new Order();
                    order.priceTicks = price;
                    order.sizeLots = 1 + random.nextInt(5);
                    order.side = sideKind;
                    side.add(order);
                    live.add(order);
                    reference.computeIfAbsent(price, p -> new ArrayList<>()).add(order);
                }
                else
                {
                    final Order order = live.remove(random.nextInt(live.size()));
                    final long price = order.priceTicks;
                    side.remove(order);
                    final List<Order> queue = reference.get(price);
                    queue.remove(order);
                    if (queue.isEmpty())
                    {
                        reference.remove(price);
                    }
                }
                final String context = "seed " + seed + " " + sideKind + " step " + step;
                assertEquals(reference.size(), side.levelCount(), context);
                PriceLevel level = side.best();
                for (final var entry : reference.entrySet())
                {
                    assertEquals(entry.getKey(), level.priceTicks(), context);
                    assertEquals(entry.getValue().size(), level.orderCount(), context);
                    assertSame(level, side.find(entry.getKey()), context);
                    assertSame(entry.getValue().get(0), level.head(), context);
                    level = level.worse();
                }
                assertTrue(level == null, context);
            }
        }
    }

    @Test
    void canHoldAgreesWithTheSpanRuleNearTheLimit()
    {
        final String fixed = System.getenv("PERPETUA_SEED");
        final long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
        final long limit = BookSide.MAX_SPAN_TICKS;
        for (final Side sideKind : new Side[]{Side.BUY, Side.SELL})
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final BookSide side = new BookSide(sideKind, new LevelPool());
            final TreeMap<Long, Integer> prices = new TreeMap<>();
            final List<Order> live = new ArrayList<>();
            final long centre = 10 * limit;
            int refused = 0;
            for (int step = 0; step < 4_000; step++)
            {
                if (live.isEmpty() || random.nextInt(100) < 60)
                {
                    // Mostly near the centre (a narrow window), sometimes out to three quarters of the limit each way.
                    final long reach = random.nextInt(4) == 0 ? limit * 3 / 4 : 2_000;
                    final long price = centre + random.nextLong(-reach, reach + 1);
                    final boolean expected = prices.isEmpty() ||
                        Math.max(prices.lastKey(), price) - Math.min(prices.firstKey(), price) < limit;
                    assertEquals(expected, side.canHold(price), "seed " + seed + " " + sideKind + " step " + step + " price " + price);
                    refused += expected ? 0 : 1;
                    if (expected)
                    {
                        final Order order = new Order();
                        order.priceTicks = price;
                        order.sizeLots = 1;
                        order.side = sideKind;
                        side.add(order);
                        live.add(order);
                        prices.merge(price, 1, Integer::sum);
                    }
                }
                else
                {
                    final Order order = live.remove(random.nextInt(live.size()));
                    side.remove(order);
                    prices.merge(order.priceTicks, -1, (a, b) -> a + b == 0 ? null : a + b);
                }
            }
            assertTrue(refused > 0, "seed " + seed + " " + sideKind + ": no price beyond the limit was tried");
        }
    }
}
