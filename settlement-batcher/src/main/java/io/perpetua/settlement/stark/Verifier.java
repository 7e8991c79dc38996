package io.perpetua.settlement.stark;

import java.util.Arrays;
import java.util.List;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.Assertion;
import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.field.PrimeField;
import io.perpetua.settlement.stark.merkle.BatchOpening;
import io.perpetua.settlement.stark.merkle.Sha256;
import io.perpetua.settlement.stark.poly.Ntt;
import io.perpetua.settlement.stark.poly.Polynomials;

import static io.perpetua.settlement.stark.VerificationException.Reason.COMPOSITION_OPENING_INVALID;
import static io.perpetua.settlement.stark.VerificationException.Reason.FRI_FOLDING_MISMATCH;
import static io.perpetua.settlement.stark.VerificationException.Reason.FRI_OPENING_INVALID;
import static io.perpetua.settlement.stark.VerificationException.Reason.FRI_REMAINDER_MISMATCH;
import static io.perpetua.settlement.stark.VerificationException.Reason.INSUFFICIENT_PROOF_OF_WORK;
import static io.perpetua.settlement.stark.VerificationException.Reason.MALFORMED_PROOF;
import static io.perpetua.settlement.stark.VerificationException.Reason.OOD_CONSTRAINT_MISMATCH;
import static io.perpetua.settlement.stark.VerificationException.Reason.TRACE_OPENING_INVALID;

/**
 * The STARK verifier. It replays the transcript from the statement (AIR and its public inputs) and
 * the options it was configured with, and checks the out-of-domain constraint equation, the proof
 * of work, every Merkle opening, the DEEP values and each FRI fold down to the remainder.
 *
 * <p>Why options are an argument and not read from the proof: the proof's own header is compared
 * against them and any difference is a rejection, so a prover cannot weaken soundness by choosing
 * fewer queries or a smaller blowup. The verifier never runs the prover or sees the trace.
 */
public final class Verifier
{
    private static final PrimeField F = PrimeField.GOLDILOCKS;

    private Verifier()
    {
    }

    /** Verifies {@code proofBytes} for the statement {@code air} under the pinned {@code options}. */
    public static void verify(final Air air, final byte[] proofBytes, final ProofOptions options) throws VerificationException
    {
        try
        {
            verifyChecked(air, proofBytes, options);
        }
        catch (final ArithmeticException ex)
        {
            // a challenge landed on a pole (x = z): probability ~ 2^-64 per query, reject rather than crash
            throw new VerificationException(OOD_CONSTRAINT_MISMATCH, "degenerate out-of-domain point: " + ex.getMessage());
        }
    }

    private static void verifyChecked(final Air air, final byte[] proofBytes, final ProofOptions options)
        throws VerificationException
    {
        final ProofLayout layout;
        try
        {
            layout = ProofLayout.of(air, options);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new VerificationException(VerificationException.Reason.OPTIONS_MISMATCH, ex.getMessage());
        }
        final StarkProof proof = StarkProof.parse(proofBytes, layout);
        final Extension e = options.extension();
        final int d = e.degree();
        final int n = layout.traceLength;
        final int bigN = layout.ldeSize;
        final int w = layout.width;
        final int k = layout.compositionColumns;
        final int fold = options.foldingFactor();

        final Transcript t = ProofLayout.startTranscript(air, options);
        t.absorb("trace-root", proof.traceRoot);
        final int m = air.transitionCount();
        final List<Assertion> assertions = air.assertions();
        final long[] alphas = drawMany(t, e, m);
        final long[] betas = drawMany(t, e, assertions.size());
        t.absorb("composition-root", proof.compositionRoot);
        final long[] z = t.drawExt(e);
        final long omegaTrace = Goldilocks.twoAdicRoot(Ntt.log2(n));
        final long[] zNext = e.mulBase(z, omegaTrace);
        t.absorbLongs("ood-frame", proof.ood);

        checkOodConstraints(air, e, layout, proof.ood, alphas, betas, assertions, z);

        final long[] gammas = drawMany(t, e, 2 * w + k);
        final long[][] friAlphas = new long[layout.friLayers][];
        for (int l = 0; l < layout.friLayers; l++)
        {
            t.absorb("fri-root", proof.friRoots[l]);
            friAlphas[l] = t.drawExt(e);
        }
        t.absorbLongs("fri-remainder", proof.remainder);
        if (!t.powValid(proof.nonce, options.grindingBits()))
        {
            throw new VerificationException(INSUFFICIENT_PROOF_OF_WORK, "nonce " + proof.nonce);
        }
        t.absorbLongs("pow-nonce", new long[] {proof.nonce});
        final int[] positions = Prover.uniqueSorted(t.drawPositions(options.numQueries(), bigN), bigN);
        if (positions.length != proof.traceRows.length || positions.length != proof.compositionRows.length)
        {
            throw new VerificationException(MALFORMED_PROOF, "opening count differs from the query count");
        }

        checkOpening(proof.traceOpening, positions, proof.traceRows, bigN, proof.traceRoot, TRACE_OPENING_INVALID);
        checkOpening(proof.compositionOpening, positions, proof.compositionRows, bigN, proof.compositionRoot,
            COMPOSITION_OPENING_INVALID);

        // DEEP values at the query positions
        final long omegaN = Goldilocks.twoAdicRoot(Ntt.log2(bigN));
        final long[][] values = new long[positions.length][];
        for (int q = 0; q < positions.length; q++)
        {
            final long x = Goldilocks.mul(ProofLayout.SHIFT, Goldilocks.pow(omegaN, positions[q]));
            values[q] = deepValue(e, layout, proof.traceRows[q], proof.compositionRows[q], proof.ood, gammas, z, zNext, x);
        }

        // FRI: each layer's opened coset must contain the running value, then fold it
        final long[] invRoots = Fri.inverseRoots(fold);
        final long[] scratch = new long[5 * d];
        for (int l = 0; l < layout.friLayers; l++)
        {
            final int size = layout.layerSize(l);
            final int leaves = size / fold;
            final int[] lp = Prover.layerPositions(positions, leaves);
            if (lp.length != proof.friRows[l].length)
            {
                throw new VerificationException(MALFORMED_PROOF, "FRI layer " + l + " opening count");
            }
            checkOpening(proof.friOpenings[l], lp, proof.friRows[l], leaves, proof.friRoots[l], FRI_OPENING_INVALID);
            final long layerShift = layout.layerShift(l);
            final long omega = Goldilocks.twoAdicRoot(Ntt.log2(size));
            for (int q = 0; q < positions.length; q++)
            {
                final int p = positions[q] & (size - 1);
                final int leafIndex = p & (leaves - 1);
                final int slot = p / leaves;
                final long[] leaf = proof.friRows[l][Arrays.binarySearch(lp, leafIndex)];
                for (int c = 0; c < d; c++)
                {
                    if (leaf[slot * d + c] != values[q][c])
                    {
                        throw new VerificationException(FRI_FOLDING_MISMATCH, "layer " + l + " query " + q);
                    }
                }
                final long xInv = Goldilocks.inv(Goldilocks.mul(layerShift, Goldilocks.pow(omega, leafIndex)));
                final long[] folded = new long[d];
                Fri.foldLeaf(e, fold, invRoots, leaf, xInv, friAlphas[l], folded, 0, scratch);
                values[q] = folded;
            }
        }
        final int lastSize = layout.layerSize(layout.friLayers);
        final long lastShift = layout.layerShift(layout.friLayers);
        final long lastOmega = Goldilocks.twoAdicRoot(Ntt.log2(lastSize));
        final long[][] remainderCoordinates = new long[d][layout.remainderCoefficients];
        for (int i = 0; i < layout.remainderCoefficients; i++)
        {
            for (int c = 0; c < d; c++)
            {
                remainderCoordinates[c][i] = proof.remainder[i * d + c];
            }
        }
        for (int q = 0; q < positions.length; q++)
        {
            final long x = Goldilocks.mul(lastShift, Goldilocks.pow(lastOmega, positions[q] & (lastSize - 1)));
            final long[] expected = Polynomials.evaluateAt(e, remainderCoordinates, 0, layout.remainderCoefficients, e.fromBase(x));
            if (!Arrays.equals(expected, values[q]))
            {
                throw new VerificationException(FRI_REMAINDER_MISMATCH, "query " + q);
            }
        }
    }

    private static long[] drawMany(final Transcript t, final Extension e, final int count)
    {
        final long[] r = new long[count * e.degree()];
        for (int i = 0; i < count; i++)
        {
            e.copy(t.drawExt(e), 0, r, i);
        }
        return r;
    }

    /** sum_j z^(jn) H_j(z) must equal the random combination of constraint quotients at z. */
    private static void checkOodConstraints(final Air air, final Extension e, final ProofLayout layout, final long[] ood,
        final long[] alphas, final long[] betas, final List<Assertion> assertions, final long[] z) throws VerificationException
    {
        final int d = e.degree();
        final int n = layout.traceLength;
        final int w = layout.width;
        final int k = layout.compositionColumns;
        final long[] zn = e.pow(z, n);
        final long[] vanishing = e.sub(zn, e.one());
        if (e.isZero(vanishing))
        {
            throw new VerificationException(OOD_CONSTRAINT_MISMATCH, "out-of-domain point in the trace domain");
        }
        final long omegaTrace = Goldilocks.twoAdicRoot(Ntt.log2(n));
        final long lastRow = Goldilocks.pow(omegaTrace, n - 1);

        final List<long[]> periodic = air.periodicColumns();
        final long[] per = new long[periodic.size() * d];
        for (int j = 0; j < periodic.size(); j++)
        {
            final long[] q = periodic.get(j).clone();
            Ntt.inverse(F, q);
            e.copy(Polynomials.evaluateAt(e, q, e.pow(z, n / q.length)), 0, per, j);
        }
        final long[] cur = Arrays.copyOfRange(ood, 0, w * d);
        final long[] next = Arrays.copyOfRange(ood, w * d, 2 * w * d);
        final long[] res = new long[air.transitionCount() * d];
        air.evaluateTransition(e, cur, next, per, res);
        long[] transition = e.zero();
        final long[] tmp = e.zero();
        for (int j = 0; j < air.transitionCount(); j++)
        {
            e.mul(alphas, j, res, j, tmp, 0);
            e.add(transition, 0, tmp, 0, transition, 0);
        }
        // divide by (z^n - 1) / (z - w^(n-1))
        final long[] zMinusLast = e.sub(z, e.fromBase(lastRow));
        transition = e.mul(transition, e.mul(zMinusLast, e.inv(vanishing)));
        long[] expected = transition;
        for (int a = 0; a < assertions.size(); a++)
        {
            final Assertion as = assertions.get(a);
            final long[] numerator = e.sub(Arrays.copyOfRange(cur, as.column() * d, as.column() * d + d), e.fromBase(as.value()));
            final long[] denominator = e.sub(z, e.fromBase(Goldilocks.pow(omegaTrace, as.row())));
            final long[] beta = Arrays.copyOfRange(betas, a * d, a * d + d);
            expected = e.add(expected, e.mul(beta, e.mul(numerator, e.inv(denominator))));
        }
        long[] actual = e.zero();
        long[] zPower = e.one();
        for (int j = 0; j < k; j++)
        {
            actual = e.add(actual, e.mul(zPower, Arrays.copyOfRange(ood, (2 * w + j) * d, (2 * w + j + 1) * d)));
            zPower = e.mul(zPower, zn);
        }
        if (!Arrays.equals(expected, actual))
        {
            throw new VerificationException(OOD_CONSTRAINT_MISMATCH, "composition polynomial disagrees with the constraints");
        }
    }

    private static long[] deepValue(final Extension e, final ProofLayout layout, final long[] traceRow, final long[] compositionRow,
        final long[] ood, final long[] gammas, final long[] z, final long[] zNext, final long x)
    {
        final int d = e.degree();
        final int w = layout.width;
        final int k = layout.compositionColumns;
        long[] s1 = e.zero();
        long[] s2 = e.zero();
        for (int c = 0; c < w; c++)
        {
            final long[] tx = e.fromBase(traceRow[c]);
            final long[] g1 = Arrays.copyOfRange(gammas, c * d, c * d + d);
            final long[] g2 = Arrays.copyOfRange(gammas, (w + c) * d, (w + c) * d + d);
            s1 = e.add(s1, e.mul(g1, e.sub(tx, Arrays.copyOfRange(ood, c * d, c * d + d))));
            s2 = e.add(s2, e.mul(g2, e.sub(tx, Arrays.copyOfRange(ood, (w + c) * d, (w + c) * d + d))));
        }
        for (int j = 0; j < k; j++)
        {
            final long[] hx = Arrays.copyOfRange(compositionRow, j * d, j * d + d);
            final long[] hz = Arrays.copyOfRange(ood, (2 * w + j) * d, (2 * w + j + 1) * d);
            final long[] g = Arrays.copyOfRange(gammas, (2 * w + j) * d, (2 * w + j + 1) * d);
            s1 = e.add(s1, e.mul(g, e.sub(hx, hz)));
        }
        final long[] xe = e.fromBase(x);
        return e.add(e.mul(s1, e.inv(e.sub(xe, z))), e.mul(s2, e.inv(e.sub(xe, zNext))));
    }

    private static void checkOpening(final BatchOpening opening, final int[] indices, final long[][] rows, final int leafCount,
        final byte[] root, final VerificationException.Reason reason) throws VerificationException
    {
        final byte[][] leaves = new byte[rows.length][];
        final java.security.MessageDigest md = Sha256.newDigest();
        for (int i = 0; i < rows.length; i++)
        {
            leaves[i] = Sha256.hashLeaf(md, rows[i], 0, rows[i].length);
        }
        final byte[] computed = opening.computeRoot(indices, leaves, leafCount);
        if (computed == null || !Arrays.equals(computed, root))
        {
            throw new VerificationException(reason, "Merkle opening does not match the commitment");
        }
    }
}
