package io.perpetua.core.book;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The (account, client id) index against a HashMap, through growth and heavy deletion. */
class ClientOrderIndexTest
{
    @Test
    void behavesLikeAMapUnderRandomInsertsAndRemoves()
    {
        final String fixed = System.getenv("PERPETUA_SEED");
        final long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final ClientOrderIndex index = new ClientOrderIndex(4);
        final Map<String, Order> reference = new HashMap<>();
        final List<Order> live = new ArrayList<>();

        for (int step = 0; step < 200_000; step++)
        {
            // Few accounts and client ids, so collisions and long probe runs are common.
            final long account = 1 + random.nextInt(40);
            final long clientId = random.nextInt(3) == 0 ? -random.nextInt(50) - 1 : 1 + random.nextInt(50);
            final String key = account + "/" + clientId;
            if (random.nextInt(100) < 55 && !reference.containsKey(key))
            {
                final Order order = new Order();
                order.accountId = account;
                order.clientOrderId = clientId;
                index.put(order);
                reference.put(key, order);
                live.add(order);
            }
            else if (!live.isEmpty())
            {
                final Order victim = live.remove(random.nextInt(live.size()));
                index.remove(victim);
                reference.remove(victim.accountId + "/" + victim.clientOrderId);
            }
            assertSame(reference.get(key), index.get(account, clientId), "seed " + seed + " step " + step + " key " + key);
            assertEquals(reference.size(), index.size(), "seed " + seed + " step " + step);
        }
        for (final Map.Entry<String, Order> entry : reference.entrySet())
        {
            final Order order = entry.getValue();
            assertSame(order, index.get(order.accountId, order.clientOrderId), "seed " + seed);
        }
    }
}
