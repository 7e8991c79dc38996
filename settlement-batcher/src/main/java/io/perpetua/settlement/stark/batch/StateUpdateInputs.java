package io.perpetua.settlement.stark.batch;

import java.util.Arrays;

/**
 * Public inputs of one {@link StateUpdateAir} chunk: the position-tree roots before and after, the
 * full data-availability sponge state before and after the chunk's records, the number of updates
 * and the tree depth.
 *
 * <p>Why whole sponge states rather than a digest: chunks of one batch continue the same sponge, so
 * consecutive chunks chain (out of one = in of the next) and the last chunk's digest is the batch's
 * commitment D, the same value {@link BatchAir} proves the records hash to.
 *
 * @param prevRoot   root before the chunk (4 elements)
 * @param newRoot    root after the chunk (4 elements)
 * @param daStateIn  sponge state before the chunk (12 elements)
 * @param daStateOut sponge state after the chunk (12 elements)
 * @param updates    number of account updates in the chunk, at least 1
 * @param depth      tree depth, in [2, 32]
 */
public record StateUpdateInputs(long[] prevRoot, long[] newRoot, long[] daStateIn, long[] daStateOut, int updates, int depth)
{
    public StateUpdateInputs
    {
        if (prevRoot.length != 4 || newRoot.length != 4 || daStateIn.length != 12 || daStateOut.length != 12)
        {
            throw new IllegalArgumentException("roots have 4 elements, sponge states 12");
        }
        if (updates < 1 || depth < 2 || depth > 32)
        {
            throw new IllegalArgumentException("need at least one update and depth in [2, 32]");
        }
        prevRoot = prevRoot.clone();
        newRoot = newRoot.clone();
        daStateIn = daStateIn.clone();
        daStateOut = daStateOut.clone();
    }

    long[] toElements()
    {
        final long[] r = new long[4 + 4 + 12 + 12 + 2];
        System.arraycopy(prevRoot, 0, r, 0, 4);
        System.arraycopy(newRoot, 0, r, 4, 4);
        System.arraycopy(daStateIn, 0, r, 8, 12);
        System.arraycopy(daStateOut, 0, r, 20, 12);
        r[32] = updates;
        r[33] = depth;
        return r;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof StateUpdateInputs s && Arrays.equals(toElements(), s.toElements());
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(toElements());
    }

    @Override
    public String toString()
    {
        return "StateUpdateInputs" + Arrays.toString(toElements());
    }
}
