package io.perpetua.settlement.stark.batch;

import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The prover evaluates the transition constraints through base-field fast paths, the verifier
 * through the generic extension code: on arbitrary rows (not only valid ones, which give zeros
 * everywhere) both must give the same value for every constraint, or honest proofs would fail and
 * the ablation tests would test a different AIR than the verifier checks. The fast path runs on
 * every point of the extended domain, so it must not allocate.
 */
class BaseFieldPathTest
{
    private static void assertPathsAgree(final Air air, final long seed)
    {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int w = air.traceWidth();
        final int p = air.periodicColumns().size();
        final int m = air.transitionCount();
        final Extension e = Extension.QUADRATIC;
        for (int trial = 0; trial < 200; trial++)
        {
            final long[] cur = random(rnd, w);
            final long[] next = random(rnd, w);
            final long[] per = random(rnd, p);
            final long[] base = new long[m];
            air.evaluateTransition(Extension.BASE, cur, next, per, base);
            final long[] ext = new long[m * e.degree()];
            air.evaluateTransition(e, embed(e, cur), embed(e, next), embed(e, per), ext);
            for (int j = 0; j < m; j++)
            {
                assertEquals(base[j], ext[j * e.degree()], "constraint " + j + " trial " + trial + " seed " + seed);
                assertEquals(0, ext[j * e.degree() + 1], "constraint " + j + " left the base field, seed " + seed);
            }
        }
    }

    private static long[] random(final SplittableRandom rnd, final int n)
    {
        final long[] v = new long[n];
        for (int i = 0; i < n; i++)
        {
            // mostly arbitrary field elements, sometimes the small values the selectors and limbs take
            v[i] = rnd.nextInt(4) == 0 ? rnd.nextLong(4) : Goldilocks.fromUnsigned(rnd.nextLong());
        }
        return v;
    }

    private static long[] embed(final Extension e, final long[] base)
    {
        final long[] r = new long[base.length * e.degree()];
        for (int i = 0; i < base.length; i++)
        {
            r[i * e.degree()] = base[i];
        }
        return r;
    }

    @Test
    void batchAirBaseFieldPathEqualsTheGenericPath()
    {
        final List<BatchRecord> records = BatchFixtures.randomRecords(3, new SplittableRandom(71));
        assertPathsAgree(new BatchAir(BatchFixtures.inputsFor(records)), 72);
    }

    @Test
    void stateUpdateAirBaseFieldPathEqualsTheGenericPath()
    {
        final RescueMerkleTree tree = new RescueMerkleTree(4);
        final List<BatchRecord> records = StateUpdateAirTest.updates(tree, 2, new SplittableRandom(73));
        final StateUpdateExecutor.Result r = StateUpdateExecutor.execute(tree, records,
            StateUpdateExecutor.initialSpongeState(records.size()));
        assertPathsAgree(new StateUpdateAir(r.inputs()), 74);
    }

    @Test
    void batchAirBaseFieldPathAllocatesNothing()
    {
        assertAllocatesNothing(new BatchAir(BatchFixtures.inputsFor(BatchFixtures.randomRecords(3, new SplittableRandom(75)))), 76);
    }

    @Test
    void stateUpdateAirBaseFieldPathAllocatesNothing()
    {
        final RescueMerkleTree tree = new RescueMerkleTree(4);
        final List<BatchRecord> records = StateUpdateAirTest.updates(tree, 2, new SplittableRandom(77));
        final StateUpdateExecutor.Result r = StateUpdateExecutor.execute(tree, records,
            StateUpdateExecutor.initialSpongeState(records.size()));
        assertAllocatesNothing(new StateUpdateAir(r.inputs()), 78);
    }

    private static void assertAllocatesNothing(final Air air, final long seed)
    {
        assumeTrue(java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
            "this JVM does not count allocated bytes");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final SplittableRandom rnd = new SplittableRandom(seed);
        final long[] cur = random(rnd, air.traceWidth());
        final long[] next = random(rnd, air.traceWidth());
        final long[] per = random(rnd, air.periodicColumns().size());
        final long[] out = new long[air.transitionCount()];
        final int evaluations = 20_000;
        for (int i = 0; i < evaluations; i++)
        {
            air.evaluateTransition(Extension.BASE, cur, next, per, out); // warm-up: the per-thread scratch exists after this
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < evaluations; i++)
        {
            air.evaluateTransition(Extension.BASE, cur, next, per, out);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // one scratch array per evaluation would already be 20,000 x 112 bytes
        assertTrue(allocated < 1_024, air.id() + ": " + allocated + " bytes allocated by " + evaluations
            + " evaluations, seed " + seed);
    }
}
