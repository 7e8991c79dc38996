package io.perpetua.settlement.stark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.merkle.Sha256;

/**
 * The Fiat–Shamir transcript: a SHA-256 chain that every prover message is absorbed into and every
 * verifier challenge is squeezed from.
 *
 * <p>Why it is shaped this way: a challenge may only depend on what came before it, and it must
 * depend on <em>all</em> of it. In particular the statement (AIR id, options, trace length and every
 * public input) is absorbed before the first challenge; omitting any of it lets a prover pick the
 * statement after seeing the challenges (the "Frozen Heart" class of bugs). Each absorb is
 * length-prefixed and labelled so two different message sequences never hash alike. Field
 * challenges use rejection sampling, so they are uniform.
 */
public final class Transcript
{
    private final MessageDigest md = Sha256.newDigest();
    private byte[] state;
    private long counter;

    public Transcript(final String domainSeparator)
    {
        md.reset();
        state = md.digest(domainSeparator.getBytes(StandardCharsets.UTF_8));
    }

    /** Absorbs a labelled message. */
    public void absorb(final String label, final byte[] data)
    {
        final byte[] l = label.getBytes(StandardCharsets.UTF_8);
        md.reset();
        md.update(state);
        md.update(intBytes(l.length));
        md.update(l);
        md.update(intBytes(data.length));
        md.update(data);
        state = md.digest();
        counter = 0;
    }

    /** Absorbs field elements (or any longs) as 8 little-endian bytes each. */
    public void absorbLongs(final String label, final long[] values)
    {
        final byte[] buf = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++)
        {
            Sha256.putLong(buf, 8 * i, values[i]);
        }
        absorb(label, buf);
    }

    private byte[] squeeze()
    {
        md.reset();
        md.update(state);
        md.update((byte)'c');
        final byte[] c = new byte[8];
        Sha256.putLong(c, 0, counter++);
        md.update(c);
        return md.digest();
    }

    /** A uniform base-field challenge. */
    public long drawBase()
    {
        while (true)
        {
            final long v = Sha256.getLong(squeeze(), 0);
            if (Goldilocks.isCanonical(v))
            {
                return v;
            }
        }
    }

    /** A uniform extension-field challenge. */
    public long[] drawExt(final Extension e)
    {
        final long[] r = new long[e.degree()];
        for (int i = 0; i < r.length; i++)
        {
            r[i] = drawBase();
        }
        return r;
    }

    /** {@code count} uniform positions in [0, domainSize) for a power-of-two size (duplicates possible). */
    public int[] drawPositions(final int count, final int domainSize)
    {
        if (Integer.bitCount(domainSize) != 1)
        {
            throw new IllegalArgumentException("domain size must be a power of two");
        }
        final int[] r = new int[count];
        for (int i = 0; i < count; i++)
        {
            r[i] = (int)(Sha256.getLong(squeeze(), 0) & (domainSize - 1));
        }
        return r;
    }

    /** True if SHA-256(state || 'w' || nonce) starts with at least {@code bits} zero bits. */
    public boolean powValid(final long nonce, final int bits)
    {
        final byte[] n = new byte[8];
        Sha256.putLong(n, 0, nonce);
        md.reset();
        md.update(state);
        md.update((byte)'w');
        md.update(n);
        final byte[] h = md.digest();
        return leadingZeroBits(h) >= bits;
    }

    /** Searches for the smallest nonce satisfying {@link #powValid}. */
    public long grind(final int bits)
    {
        long nonce = 0;
        while (!powValid(nonce, bits))
        {
            nonce++;
        }
        return nonce;
    }

    private static int leadingZeroBits(final byte[] h)
    {
        int z = 0;
        for (final byte b : h)
        {
            if (b == 0)
            {
                z += 8;
                continue;
            }
            return z + Integer.numberOfLeadingZeros(b & 0xFF) - 24;
        }
        return z;
    }

    private static byte[] intBytes(final int v)
    {
        return new byte[] {(byte)(v >>> 24), (byte)(v >>> 16), (byte)(v >>> 8), (byte)v};
    }
}
