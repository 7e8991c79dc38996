package io.perpetua.settlement.stark;

import java.util.List;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.TransitionDegree;
import io.perpetua.settlement.stark.field.Goldilocks;

/**
 * The shape of a proof for one AIR under one set of options, derived identically by prover and
 * verifier (never read from the proof): domain sizes, composition column count, FRI layer count.
 */
final class ProofLayout
{
    static final String DOMAIN_SEPARATOR = "perpetua-stark-v1";
    static final long SHIFT = Goldilocks.GENERATOR;

    final int traceLength;
    final int ldeSize;
    final int width;
    final int extDegree;
    final int compositionColumns;
    final int friLayers;
    final int remainderCoefficients;
    final ProofOptions options;

    private ProofLayout(final Air air, final ProofOptions options)
    {
        this.options = options;
        this.traceLength = air.traceLength();
        this.width = air.traceWidth();
        this.extDegree = options.extension().degree();
        final long ldeSizeLong = (long)traceLength * options.blowup();
        if (ldeSizeLong > (1 << 28))
        {
            throw new IllegalArgumentException("LDE domain too large: " + ldeSizeLong);
        }
        this.ldeSize = (int)ldeSizeLong;
        long maxDegree = traceLength - 2L; // boundary quotients
        final List<TransitionDegree> degrees = air.transitionDegrees();
        for (final TransitionDegree d : degrees)
        {
            maxDegree = Math.max(maxDegree, d.bound(traceLength) - (traceLength - 1));
        }
        final long columns = Math.max(1, (maxDegree + traceLength) / traceLength);
        if (columns > options.blowup())
        {
            throw new IllegalArgumentException("constraint degree needs blowup >= " + columns + " but options give "
                + options.blowup());
        }
        this.compositionColumns = (int)columns;
        int degreeBound = traceLength;
        int layers = 0;
        while (degreeBound > options.maxRemainderCoefficients() && degreeBound >= options.foldingFactor())
        {
            degreeBound /= options.foldingFactor();
            layers++;
        }
        this.friLayers = layers;
        this.remainderCoefficients = degreeBound;
    }

    static ProofLayout of(final Air air, final ProofOptions options)
    {
        return new ProofLayout(air, options);
    }

    /** Domain size of FRI layer l. */
    int layerSize(final int layer)
    {
        int s = ldeSize;
        for (int i = 0; i < layer; i++)
        {
            s /= options.foldingFactor();
        }
        return s;
    }

    /** Coset offset of FRI layer l: SHIFT^(folding^l). */
    long layerShift(final int layer)
    {
        long s = SHIFT;
        for (int i = 0; i < layer; i++)
        {
            s = Goldilocks.pow(s, options.foldingFactor());
        }
        return s;
    }

    /** The transcript after absorbing the whole statement: nothing may be drawn before this. */
    static Transcript startTranscript(final Air air, final ProofOptions options)
    {
        final Transcript t = new Transcript(DOMAIN_SEPARATOR);
        t.absorb("air-id", air.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        t.absorb("options", options.encode());
        t.absorbLongs("trace-shape", new long[] {air.traceLength(), air.traceWidth()});
        t.absorbLongs("public-inputs", air.publicInputs());
        return t;
    }
}
