package io.perpetua.settlement.stark.rescue;

import io.perpetua.settlement.stark.field.Goldilocks;

/**
 * A streaming Rescue sponge that absorbs 4-element blocks, laid out so an AIR can follow it one
 * permutation (8 trace rows) per block.
 *
 * <p>Construction: the state starts as (tag0, tag1, 0, ..., 0) and is permuted once (so the first
 * absorbed block meets a state no one chose); each block is added into state[4..8] and the state is
 * permuted; the digest is state[4..8]. Absorbing into half the rate keeps the capacity at 8
 * elements. Binding the block count into the tag makes the sponge injective on whole messages of
 * that length, which is how it is used (the count is a public input).
 */
public final class RescueSponge
{
    /** Elements absorbed per permutation. */
    public static final int BLOCK = 4;

    private final long[] state = new long[RescuePrime.WIDTH];

    public RescueSponge(final long tag0, final long tag1)
    {
        state[0] = tag0;
        state[1] = tag1;
        RescuePrime.permute(state);
    }

    /** Adds a 4-element block into the rate and permutes. */
    public void absorb(final long[] block)
    {
        for (int i = 0; i < BLOCK; i++)
        {
            state[RescuePrime.RATE_START + i] = Goldilocks.add(state[RescuePrime.RATE_START + i], block[i]);
        }
        RescuePrime.permute(state);
    }

    /** The current digest state[4..8]. */
    public long[] digest()
    {
        return RescuePrime.digest(state);
    }

    /** A copy of the full state, for trace builders. */
    public long[] state()
    {
        return state.clone();
    }
}
