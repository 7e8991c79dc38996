package io.perpetua.settlement.stark.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.settlement.stark.Prover;
import io.perpetua.settlement.stark.ProofOptions;
import io.perpetua.settlement.stark.Verifier;
import io.perpetua.settlement.stark.rescue.RescuePrime;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StateUpdateAirTest
{
    /** Records consistent with a tree: each pre-balance is the account's current balance. */
    static List<BatchRecord> updates(final RescueMerkleTree tree, final int count, final SplittableRandom rnd)
    {
        final java.util.Map<Long, Long> balances = new java.util.HashMap<>();
        final List<BatchRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final long account = rnd.nextLong(1L << tree.depth());
            final long pre = balances.getOrDefault(account, tree.balance(account));
            final long delta = rnd.nextLong(-(1L << 40), 1L << 40);
            records.add(new BatchRecord(account, pre, delta, pre + delta));
            balances.put(account, pre + delta);
        }
        return records;
    }

    @Test
    void sparseTreeMatchesMergesOfLeaves()
    {
        final RescueMerkleTree tree = new RescueMerkleTree(3);
        tree.set(5, 42);
        long[][] level = new long[8][];
        for (int i = 0; i < 8; i++)
        {
            level[i] = RescueMerkleTree.leaf(i == 5 ? 42 : 0);
        }
        while (level.length > 1)
        {
            final long[][] up = new long[level.length / 2][];
            for (int i = 0; i < up.length; i++)
            {
                up[i] = RescuePrime.merge(level[2 * i], level[2 * i + 1]);
            }
            level = up;
        }
        assertArrayEquals(level[0], tree.root());
    }

    @Test
    void referenceTraceSatisfiesTheAirAndProves()
    {
        final long seed = 41;
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (final int depth : new int[] {2, 3, 8})
        {
            final RescueMerkleTree tree = new RescueMerkleTree(depth);
            for (final BatchRecord r : updates(tree, 3, rnd))
            {
                tree.set(r.accountId(), r.postBalance());
            }
            final List<BatchRecord> records = updates(tree, 1 + rnd.nextInt(5), rnd);
            final long[] daIn = StateUpdateExecutor.initialSpongeState(records.size());
            final StateUpdateExecutor.Result result = StateUpdateExecutor.execute(tree, records, daIn);
            final StateUpdateAir air = new StateUpdateAir(result.inputs());
            assertEquals(List.of(), air.violations(result.trace(), 5), "depth=" + depth + " seed=" + seed);
            assertArrayEquals(BatchExecutor.commitment(records), RescuePrime.digest(result.inputs().daStateOut()),
                "the sponge lane computes the batch commitment D");
            final byte[] proof = Prover.prove(air, result.trace(), ProofOptions.P100);
            assertDoesNotThrow(() -> Verifier.verify(air, proof, ProofOptions.P100));
        }
    }
}
