package io.perpetua.settlement.batch;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.perpetua.settlement.stark.batch.RescueMerkleTree;
import io.perpetua.settlement.tree.Leaf;
import io.perpetua.settlement.tree.SparseRescueTree;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blob and batch formats round-trip and refuse malformed bytes; the trees agree with the STARK package's. */
class FormatsTest
{
    private static Leaf leaf(final SplittableRandom random)
    {
        final byte[] key = new byte[Leaf.KEY_LENGTH];
        random.nextBytes(key);
        return new Leaf(key, random.nextLong(-1L << 40, 1L << 40), List.of(new Leaf.Position(1, random.nextLong(1, 1_000), 0),
            new Leaf.Position(7, -random.nextLong(1, 1_000), 0)));
    }

    private static BatchBlob blob(final SplittableRandom random)
    {
        return new BatchBlob(3, 10, 20, 1_000, 2_000, 8, List.of(new BatchBlob.MarketPrice(1, 60_000, 10, -123_456_789_000L)),
            List.of(new BatchBlob.Entry(5, Leaf.EMPTY, leaf(random)), new BatchBlob.Entry(9, leaf(random), leaf(random))),
            List.of(new BatchBlob.Deposit(4, 5, 100)), List.of(new BatchBlob.Withdrawal(9, 2, 30)));
    }

    @Test
    void blobsRoundTripAndRefuseMalformedBytes()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final BatchBlob blob = blob(random);
        final byte[] bytes = blob.encode();
        assertEquals(blob, BatchBlob.decode(bytes), "seed " + seed);
        assertEquals(70, blob.netDeposits());
        for (int cut = 0; cut < bytes.length; cut += 7)
        {
            final byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThrows(IllegalArgumentException.class, () -> BatchBlob.decode(truncated), "cut at " + cut);
        }
        final byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchBlob.decode(trailing)).getMessage().contains("trailing"));
        assertEquals(2, bytes[4], "the version follows the magic");
        final byte[] version = bytes.clone();
        version[4] = 3;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchBlob.decode(version)).getMessage().contains("version 3"));
        // Version 1 had no funding indexes: refused with a message that says so rather than misread.
        final byte[] first = bytes.clone();
        first[4] = 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchBlob.decode(first)).getMessage()
            .contains("version 1 carries no funding indexes"));
        final byte[] hugeCount = bytes.clone();
        hugeCount[47] = (byte)0xFF; // the market count's low byte
        hugeCount[50] = (byte)0x7F;
        assertThrows(IllegalArgumentException.class, () -> BatchBlob.decode(hugeCount));
        assertThrows(IllegalArgumentException.class, () -> new BatchBlob(1, 1, 1, 1, 1, 8, List.of(),
            List.of(new BatchBlob.Entry(9, Leaf.EMPTY, Leaf.EMPTY), new BatchBlob.Entry(5, Leaf.EMPTY, Leaf.EMPTY)), List.of(), List.of()),
            "entries out of order");
    }

    @Test
    void batchFilesRefuseTruncation()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] blob = blob(random).encode();
        final long[][][] paths = new long[2][8][];
        for (final long[][] path : paths)
        {
            Arrays.setAll(path, l -> new long[] {l, 1, 2, 3});
        }
        final SettlementBatch batch = new SettlementBatch(blob, BatchBlob.sha256(blob), new long[4], new long[] {1, 2, 3, 4},
            new io.perpetua.settlement.stark.batch.BatchPublicInputs(3, new long[4], new long[4], new long[4], 1, 70, 0, 0), paths,
            paths, new byte[] {9, 8, 7});
        final byte[] bytes = batch.encode();
        final SettlementBatch back = SettlementBatch.decode(bytes);
        assertArrayEquals(bytes, back.encode());
        assertEquals(batch.inputs(), back.inputs());
        for (int cut = 0; cut < bytes.length; cut += 13)
        {
            final byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThrows(IllegalArgumentException.class, () -> SettlementBatch.decode(truncated), "cut at " + cut);
        }
    }

    @Test
    void leavesAndTreesMatchTheStarkPackagesConventions()
    {
        assertArrayEquals(new long[4], Leaf.EMPTY.digest());
        assertArrayEquals(new RescueMerkleTree(8).root(), SparseRescueTree.emptyRoot(8));
        final SplittableRandom random = new SplittableRandom(11);
        final Leaf a = leaf(random);
        assertNotEquals(Arrays.toString(a.digest()), Arrays.toString(a.withBalance(a.balance() + 1).digest()));
        final SparseRescueTree tree = new SparseRescueTree(8);
        final RescueMerkleTree balances = new RescueMerkleTree(8);
        for (int i = 0; i < 20; i++)
        {
            final long index = random.nextLong(256);
            final long balance = random.nextLong(-1L << 50, 1L << 50);
            tree.set(index, io.perpetua.settlement.contract.BatchVerifier.balanceLeaf(balance));
            balances.set(index, balance);
            assertArrayEquals(balances.root(), tree.root());
            assertTrue(SparseRescueTree.verify(tree.root(), index, tree.leaf(index), tree.path(index)));
            if (!Arrays.equals(tree.leaf(index), tree.leaf(index ^ 1)))
            {
                assertFalse(SparseRescueTree.verify(tree.root(), index ^ 1, tree.leaf(index), tree.path(index)), "wrong index");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> tree.set(256, new long[4]));
    }
}
