package io.perpetua.settlement.stark.batch;

import java.util.Arrays;

import io.perpetua.settlement.stark.field.Goldilocks;

/**
 * The public statement of a settlement batch proof.
 *
 * <p>Why every field is here: these are exactly the values the settlement contract checks the
 * proof against; all of them are absorbed into the Fiat–Shamir transcript before the first
 * challenge, so a proof is bound to one batch id, both roots, the data-availability commitment, the
 * record count and the three money totals.
 *
 * @param batchId            batch sequence number, non-negative
 * @param prevRoot           position-tree root before the batch (4 field elements)
 * @param newRoot            position-tree root after the batch (4 field elements)
 * @param daCommitment       Rescue sponge digest D of the records (4 field elements)
 * @param recordCount        number of records n
 * @param netDeposits        E: deposits minus withdrawals, in quote quantums; equals the sum of the
 *                           record deltas plus fee and insurance deltas
 * @param feeDelta           change of the fee account
 * @param insuranceDelta     change of the insurance fund
 */
public record BatchPublicInputs(long batchId, long[] prevRoot, long[] newRoot, long[] daCommitment, int recordCount,
    long netDeposits, long feeDelta, long insuranceDelta)
{
    /** Largest batch the AIR accepts. */
    public static final int MAX_RECORDS = 1 << 20;
    /** Exclusive bound on |E|. */
    public static final long NET_BOUND = 1L << 62;

    public BatchPublicInputs
    {
        prevRoot = prevRoot.clone();
        newRoot = newRoot.clone();
        daCommitment = daCommitment.clone();
    }

    /** Null if the values are in their documented ranges, otherwise what is wrong. */
    public String rangeProblem()
    {
        if (batchId < 0)
        {
            return "negative batch id";
        }
        if (recordCount < 0 || recordCount > MAX_RECORDS)
        {
            return "record count out of range";
        }
        if (prevRoot.length != 4 || newRoot.length != 4 || daCommitment.length != 4)
        {
            return "digests must have 4 elements";
        }
        for (int i = 0; i < 4; i++)
        {
            if (!Goldilocks.isCanonical(prevRoot[i]) || !Goldilocks.isCanonical(newRoot[i]) || !Goldilocks.isCanonical(daCommitment[i]))
            {
                return "non-canonical digest element";
            }
        }
        if (Math.abs(feeDelta) >= BatchRecord.DELTA_BOUND || Math.abs(insuranceDelta) >= BatchRecord.DELTA_BOUND)
        {
            return "fee or insurance delta out of range";
        }
        if (netDeposits <= -NET_BOUND || netDeposits >= NET_BOUND)
        {
            return "net deposits out of range";
        }
        return null;
    }

    /** All inputs as field elements, in a fixed order, for the transcript. */
    public long[] toElements()
    {
        final long[] r = new long[1 + 12 + 4];
        r[0] = batchId;
        System.arraycopy(prevRoot, 0, r, 1, 4);
        System.arraycopy(newRoot, 0, r, 5, 4);
        System.arraycopy(daCommitment, 0, r, 9, 4);
        r[13] = recordCount;
        r[14] = Goldilocks.fromSigned(netDeposits);
        r[15] = Goldilocks.fromSigned(feeDelta);
        r[16] = Goldilocks.fromSigned(insuranceDelta);
        return r;
    }

    /** A copy with a different commitment D, for callers building variants. */
    public BatchPublicInputs withDaCommitment(final long[] d)
    {
        return new BatchPublicInputs(batchId, prevRoot, newRoot, d, recordCount, netDeposits, feeDelta, insuranceDelta);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof BatchPublicInputs b && batchId == b.batchId && Arrays.equals(prevRoot, b.prevRoot)
            && Arrays.equals(newRoot, b.newRoot) && Arrays.equals(daCommitment, b.daCommitment)
            && recordCount == b.recordCount && netDeposits == b.netDeposits && feeDelta == b.feeDelta
            && insuranceDelta == b.insuranceDelta;
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(toElements());
    }

    @Override
    public String toString()
    {
        return "BatchPublicInputs[batchId=" + batchId + ", n=" + recordCount + ", E=" + netDeposits + ", fee=" + feeDelta
            + ", insurance=" + insuranceDelta + ", D=" + Arrays.toString(daCommitment) + ", prevRoot="
            + Arrays.toString(prevRoot) + ", newRoot=" + Arrays.toString(newRoot) + "]";
    }
}
