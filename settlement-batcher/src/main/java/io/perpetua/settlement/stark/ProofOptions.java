package io.perpetua.settlement.stark;

import io.perpetua.settlement.stark.field.Extension;

/**
 * The security parameters of a proof: LDE blowup, number of FRI queries, proof-of-work bits, the
 * extension field of challenges, the FRI folding factor and the largest FRI remainder.
 *
 * <p>Why a value type with presets: soundness depends entirely on these numbers, so a verifier is
 * configured with one preset and rejects any proof made under anything else; the proof never gets
 * to choose its own parameters. Conjectured security (ethSTARK) is
 * {@code min(queries * log2(blowup) + grinding, field bits) - 1}.
 *
 * @param blowup                 LDE domain size / trace length; a power of two in [2, 64]
 * @param numQueries             FRI query repetitions, in [1, 128]
 * @param grindingBits           leading zero bits of proof-of-work, in [0, 32]
 * @param extension              field the verifier's challenges are drawn from
 * @param foldingFactor          FRI folding factor: 2, 4 or 8
 * @param maxRemainderCoefficients FRI stops folding once the degree bound is at most this (power of two)
 */
public record ProofOptions(int blowup, int numQueries, int grindingBits, Extension extension, int foldingFactor,
    int maxRemainderCoefficients)
{
    /** The default preset: blowup 8, 28 queries, 16 bits of grinding, quadratic extension (~99 bits conjectured). */
    public static final ProofOptions P100 = new ProofOptions(8, 28, 16, Extension.QUADRATIC, 4, 16);
    /** Miden's 128-bit preset: blowup 16, 27 queries, 21 bits of grinding, cubic extension (~128 bits conjectured). */
    public static final ProofOptions P128 = new ProofOptions(16, 27, 21, Extension.CUBIC, 4, 16);

    public ProofOptions
    {
        if (blowup < 2 || blowup > 64 || Integer.bitCount(blowup) != 1)
        {
            throw new IllegalArgumentException("blowup must be a power of two in [2, 64]: " + blowup);
        }
        if (numQueries < 1 || numQueries > 128)
        {
            throw new IllegalArgumentException("queries must be in [1, 128]: " + numQueries);
        }
        if (grindingBits < 0 || grindingBits > 32)
        {
            throw new IllegalArgumentException("grinding bits must be in [0, 32]: " + grindingBits);
        }
        if (extension == null)
        {
            throw new IllegalArgumentException("extension is required");
        }
        if (foldingFactor != 2 && foldingFactor != 4 && foldingFactor != 8)
        {
            throw new IllegalArgumentException("folding factor must be 2, 4 or 8: " + foldingFactor);
        }
        if (maxRemainderCoefficients < 1 || maxRemainderCoefficients > 256 || Integer.bitCount(maxRemainderCoefficients) != 1)
        {
            throw new IllegalArgumentException("max remainder must be a power of two in [1, 256]");
        }
    }

    /** Looks a preset up by name ("P100" or "P128"). */
    public static ProofOptions preset(final String name)
    {
        switch (name)
        {
            case "P100":
                return P100;
            case "P128":
                return P128;
            default:
                throw new IllegalArgumentException("unknown preset " + name + " (expected P100 or P128)");
        }
    }

    /** Conjectured bits of security: min(queries * log2(blowup) + grinding, field bits) - 1. */
    public int conjecturedSecurityBits()
    {
        final int logBlowup = Integer.numberOfTrailingZeros(blowup);
        return Math.min(numQueries * logBlowup + grindingBits, extension.fieldBits()) - 1;
    }

    /** The 7-byte encoding that is both absorbed into the transcript and written into the proof header. */
    byte[] encode()
    {
        return new byte[] {
            (byte)blowup, (byte)numQueries, (byte)grindingBits, (byte)extension.degree(), (byte)foldingFactor,
            (byte)(maxRemainderCoefficients >>> 8), (byte)maxRemainderCoefficients};
    }

    static final int ENCODED_BYTES = 7;
}
