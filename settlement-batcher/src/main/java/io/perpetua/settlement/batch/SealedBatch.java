package io.perpetua.settlement.batch;

import java.util.List;

import io.perpetua.settlement.stark.batch.BatchRecord;

/**
 * A batch the event thread has closed, before its proof: the blob, the position-tree update with
 * its witness, and the balance-tree roots and witness the proof must reproduce.
 */
record SealedBatch(BatchBlob blob, byte[] blobBytes, long[] prevPositionRoot, long[] newPositionRoot, long[][][] positionPaths,
    long[] prevBalanceRoot, long[] newBalanceRoot, long[][][] balancePaths, List<BatchRecord> records)
{
}
