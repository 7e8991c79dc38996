package io.perpetua.settlement.stark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.IntStream;

import io.perpetua.settlement.stark.air.Air;
import io.perpetua.settlement.stark.air.Assertion;
import io.perpetua.settlement.stark.air.TraceTable;
import io.perpetua.settlement.stark.field.Accumulator;
import io.perpetua.settlement.stark.field.Extension;
import io.perpetua.settlement.stark.field.Goldilocks;
import io.perpetua.settlement.stark.field.PrimeField;
import io.perpetua.settlement.stark.merkle.MerkleTree;
import io.perpetua.settlement.stark.poly.Ntt;
import io.perpetua.settlement.stark.poly.Polynomials;

/**
 * The STARK prover: trace -&gt; low-degree extension -&gt; commitment -&gt; constraint composition -&gt;
 * out-of-domain frame -&gt; DEEP composition -&gt; FRI -&gt; proof-of-work -&gt; query openings.
 *
 * <p>Why it checks the composition degree: if the trace violates a constraint, the composition
 * quotient is not a polynomial and its interpolant spills past the declared degree; an honest
 * prover stops there with an {@link IllegalStateException} instead of emitting a proof that the
 * verifier would reject anyway. Tests switch that check off ({@link Cheats}) to play a cheating
 * prover that carries on regardless, and show the verifier still rejects.
 */
public final class Prover
{
    private static final PrimeField F = PrimeField.GOLDILOCKS;
    /** Points per parallel task: each task writes only its own slice, so scheduling cannot change a byte. */
    private static final int PARALLEL_CHUNK = 1 << 12;
    /** Rows per task where a task reads whole rows of the LDE (a tile of 45 columns is ~370 KB). */
    private static final int TILE_ROWS = 1 << 10;

    private Prover()
    {
    }

    /** Proves that {@code trace} satisfies {@code air}; returns the serialized proof. */
    public static byte[] prove(final Air air, final TraceTable trace, final ProofOptions options)
    {
        return prove(air, trace, options, Cheats.NONE).toBytes();
    }

    /** Deviations from the honest protocol, for soundness tests only. */
    interface Cheats
    {
        Cheats NONE = new Cheats()
        {
        };

        /** When true the prover keeps going although the trace violates the constraints. */
        default boolean ignoreDegreeChecks()
        {
            return false;
        }

        /** Called with the trace LDE before it is committed. */
        default void tamperTraceLde(final long[][] lde)
        {
        }

        /**
         * Called with FRI layer {@code layer}'s leaf columns before they are committed; returns the
         * columns to commit and open. Folding continues from the original columns.
         */
        default long[][] tamperFriLeaves(final int layer, final long[][] leafColumns)
        {
            return leafColumns;
        }

        /** Called with the proof-of-work nonce found; returns the nonce to use. */
        default long tamperNonce(final long nonce)
        {
            return nonce;
        }
    }

    static StarkProof prove(final Air air, final TraceTable trace, final ProofOptions options, final Cheats cheats)
    {
        if (trace.width() != air.traceWidth() || trace.length() != air.traceLength())
        {
            throw new IllegalArgumentException("trace shape does not match the AIR");
        }
        final ProofLayout layout = ProofLayout.of(air, options);
        final Extension e = options.extension();
        final int d = e.degree();
        final int n = layout.traceLength;
        final int bigN = layout.ldeSize;
        final int w = layout.width;
        final int k = layout.compositionColumns;
        final long shift = ProofLayout.SHIFT;
        final Transcript t = ProofLayout.startTranscript(air, options);

        // 1. trace: interpolate, extend, commit
        final long[][] traceCoefficients = new long[w][];
        IntStream.range(0, w).parallel().forEach(c ->
        {
            final long[] coefficients = trace.column(c).clone();
            Ntt.inverse(F, coefficients);
            traceCoefficients[c] = coefficients;
        });
        final long[][] traceLde = Ntt.extendColumns(traceCoefficients, shift, bigN);
        // the out-of-domain frame is computed from the trace itself, so the coefficients can go now
        Arrays.fill(traceCoefficients, null);
        cheats.tamperTraceLde(traceLde);
        final MerkleTree traceTree = MerkleTree.commitColumns(traceLde, bigN);
        t.absorb("trace-root", traceTree.root());

        // 2. constraint composition over the LDE domain
        final int m = air.transitionCount();
        final List<Assertion> assertions = air.assertions();
        final long[] alphas = drawMany(t, e, m);
        final long[] betas = drawMany(t, e, assertions.size());
        final long[][] composition = composeConstraints(air, layout, traceLde, alphas, betas, assertions);
        final int ceSize = composition[0].length;

        // 3. split the composition polynomial into k columns of degree < n and commit their LDEs
        IntStream.range(0, d).parallel().forEach(c -> Ntt.interpolateCoset(F, composition[c], shift));
        for (int c = 0; c < d; c++)
        {
            if (!cheats.ignoreDegreeChecks())
            {
                for (int i = k * n; i < ceSize; i++)
                {
                    if (composition[c][i] != 0)
                    {
                        throw new IllegalStateException("the trace does not satisfy the AIR constraints: "
                            + air.violations(trace, 3));
                    }
                }
            }
        }
        // column j * d + c holds coordinate c of H_j, the j-th slice of n coefficients
        final long[][] compositionColumns = new long[k * d][];
        final long[][][] compositionCoefficients = new long[k][d][];
        for (int jc = 0; jc < k * d; jc++)
        {
            final int j = jc / d;
            final int c = jc % d;
            compositionCoefficients[j][c] = Arrays.copyOfRange(composition[c], j * n, (j + 1) * n);
            compositionColumns[jc] = compositionCoefficients[j][c];
        }
        Arrays.fill(composition, null); // the evaluation buffer is as large as the LDE of a column pair
        final long[][] compositionLde = Ntt.extendColumns(compositionColumns, shift, bigN);
        final MerkleTree compositionTree = MerkleTree.commitColumns(compositionLde, bigN);
        t.absorb("composition-root", compositionTree.root());

        // 4. out-of-domain frame
        final long[] z = t.drawExt(e);
        if (e.isZero(e.sub(e.pow(z, n), e.one())))
        {
            throw new IllegalStateException("out-of-domain point fell in the trace domain");
        }
        final long[] zNext = e.mulBase(z, Goldilocks.twoAdicRoot(Ntt.log2(n)));
        final long[] ood = new long[(2 * w + k) * d];
        traceFrame(e, trace, z, ood);
        IntStream.range(0, k).parallel().forEach(j ->
            e.copy(Polynomials.evaluateAt(e, compositionCoefficients[j], 0, n, z), 0, ood, 2 * w + j));
        t.absorbLongs("ood-frame", ood);
        // coefficients are only needed for the frame; drop them before the DEEP and FRI buffers exist
        Arrays.fill(compositionColumns, null);
        for (final long[][] slice : compositionCoefficients)
        {
            Arrays.fill(slice, null);
        }

        // 5. DEEP composition
        final long[] gammas = drawMany(t, e, 2 * w + k);
        final long[][] deep = deepComposition(e, layout, traceLde, compositionLde, ood, gammas, z, zNext);

        // 6. FRI commit phase
        final int fold = options.foldingFactor();
        final long[] invRoots = Fri.inverseRoots(fold);
        final List<MerkleTree> layerTrees = new ArrayList<>();
        final List<long[][]> layerValues = new ArrayList<>();
        long[][] current = deep;
        for (int l = 0; l < layout.friLayers; l++)
        {
            final int size = layout.layerSize(l);
            final int leaves = size / fold;
            // leaf j holds the points j + i * leaves, i < fold: column i * d + c is a slice of coordinate c
            final long[][] leafColumns = new long[fold * d][];
            for (int i = 0; i < fold; i++)
            {
                for (int c = 0; c < d; c++)
                {
                    leafColumns[i * d + c] = Arrays.copyOfRange(current[c], i * leaves, (i + 1) * leaves);
                }
            }
            Arrays.fill(current, null); // folding reads the leaf columns from here on
            final long[][] committed = cheats.tamperFriLeaves(l, leafColumns);
            final MerkleTree tree = MerkleTree.commitColumns(committed, leaves);
            layerTrees.add(tree);
            layerValues.add(committed);
            t.absorb("fri-root", tree.root());
            final long[] alpha = t.drawExt(e);
            final long[][] next = new long[d][leaves];
            final long layerShiftInv = Goldilocks.inv(layout.layerShift(l));
            final long rootInv = Goldilocks.inv(Goldilocks.twoAdicRoot(Ntt.log2(size)));
            final int chunk = Math.min(leaves, PARALLEL_CHUNK);
            IntStream.range(0, leaves / chunk).parallel().forEach(ch ->
            {
                final long[] scratch = new long[5 * d];
                final long[] leaf = new long[fold * d];
                final long[] folded = new long[d];
                final long[] tile = new long[chunk * fold * d];
                gatherRows(leafColumns, ch * chunk, 1, chunk, leaves - 1, tile);
                long xInv = Goldilocks.mul(layerShiftInv, Goldilocks.pow(rootInv, ch * (long)chunk));
                for (int j = ch * chunk; j < (ch + 1) * chunk; j++)
                {
                    System.arraycopy(tile, (j - ch * chunk) * fold * d, leaf, 0, fold * d);
                    Fri.foldLeaf(e, fold, invRoots, leaf, xInv, alpha, folded, 0, scratch);
                    for (int c = 0; c < d; c++)
                    {
                        next[c][j] = folded[c];
                    }
                    xInv = Goldilocks.mul(xInv, rootInv);
                }
            });
            current = next;
        }
        final int lastSize = layout.layerSize(layout.friLayers);
        final long lastShift = layout.layerShift(layout.friLayers);
        final long[] remainder = new long[layout.remainderCoefficients * d];
        for (int c = 0; c < d; c++)
        {
            final long[] coefficients = current[c].clone();
            Ntt.interpolateCoset(F, coefficients, lastShift);
            for (int i = 0; i < lastSize; i++)
            {
                if (i < layout.remainderCoefficients)
                {
                    remainder[i * d + c] = coefficients[i];
                }
                else if (coefficients[i] != 0 && !cheats.ignoreDegreeChecks())
                {
                    throw new IllegalStateException("FRI remainder exceeds its degree bound");
                }
            }
        }
        t.absorbLongs("fri-remainder", remainder);

        // 7. proof of work, then query positions
        final long nonce = cheats.tamperNonce(t.grind(options.grindingBits()));
        t.absorbLongs("pow-nonce", new long[] {nonce});
        final int[] positions = uniqueSorted(t.drawPositions(options.numQueries(), bigN), bigN);

        final StarkProof proof = new StarkProof();
        proof.options = options.encode();
        proof.traceLength = n;
        proof.traceRoot = traceTree.root();
        proof.compositionRoot = compositionTree.root();
        proof.ood = ood;
        proof.friRoots = new byte[layout.friLayers][];
        proof.remainder = remainder;
        proof.nonce = nonce;
        proof.traceRows = rows(traceLde, positions);
        proof.traceOpening = traceTree.open(positions);
        proof.compositionRows = rows(compositionLde, positions);
        proof.compositionOpening = compositionTree.open(positions);
        proof.friRows = new long[layout.friLayers][][];
        proof.friOpenings = new io.perpetua.settlement.stark.merkle.BatchOpening[layout.friLayers];
        for (int l = 0; l < layout.friLayers; l++)
        {
            proof.friRoots[l] = layerTrees.get(l).root();
            final int[] lp = layerPositions(positions, layout.layerSize(l) / fold);
            proof.friRows[l] = rows(layerValues.get(l), lp);
            proof.friOpenings[l] = layerTrees.get(l).open(lp);
        }
        return proof;
    }

    /**
     * T_c(z) and T_c(z w) for every trace column c into elements c and w + c of {@code ood}, by the
     * barycentric formula on the trace domain &lt;w&gt; of size n:
     * T(z) = (z^n - 1) / n * sum_i T(w^i) W_i with W_i = w^i / (z - w^i). Since
     * w^i / (z w - w^i) = W_(i-1), T(z w) uses the same weights against the trace shifted by one row.
     * Why not Horner on the coefficients: this needs only the trace, which the caller holds anyway,
     * so the prover need not keep the trace's coefficients; and it is a dot product instead of a
     * chain of dependent extension multiplications.
     */
    private static void traceFrame(final Extension e, final TraceTable trace, final long[] z, final long[] ood)
    {
        final int d = e.degree();
        final int n = trace.length();
        final int w = trace.width();
        final long omega = Goldilocks.twoAdicRoot(Ntt.log2(n));
        final long[] weights = new long[n * d];
        long x = 1;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < d; c++)
            {
                weights[i * d + c] = z[c];
            }
            weights[i * d] = Goldilocks.sub(z[0], x);
            x = Goldilocks.mul(x, omega);
        }
        e.batchInverse(weights, n);
        x = 1;
        for (int i = 0; i < n; i++)
        {
            e.mulBase(weights, i, x, weights, i);
            x = Goldilocks.mul(x, omega);
        }
        final long[] factor = e.mulBase(e.sub(e.pow(z, n), e.one()), Goldilocks.inv(n));
        IntStream.range(0, w).parallel().forEach(col ->
        {
            final long[] values = trace.column(col);
            final Accumulator atZ = new Accumulator();
            final Accumulator atZNext = new Accumulator();
            final long[] sumZ = new long[d];
            final long[] sumZNext = new long[d];
            for (int c = 0; c < d; c++)
            {
                for (int i = 0; i < n; i++)
                {
                    final long weight = weights[i * d + c];
                    atZ.addProduct(values[i], weight);
                    atZNext.addProduct(values[(i + 1) & (n - 1)], weight);
                }
                sumZ[c] = atZ.reduceAndReset();
                sumZNext[c] = atZNext.reduceAndReset();
            }
            e.mul(factor, 0, sumZ, 0, ood, col);
            e.mul(factor, 0, sumZNext, 0, ood, w + col);
        });
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

    /**
     * Composition evaluations as d coordinate arrays over the constraint evaluation domain: a coset
     * of size n * 2^j &gt; k n (capped at the LDE size), enough for a polynomial of degree &lt; k n,
     * and a strided subset of the LDE domain (same shift), so trace values are read from the LDE.
     */
    private static long[][] composeConstraints(final Air air, final ProofLayout layout, final long[][] traceLde,
        final long[] alphas, final long[] betas, final List<Assertion> assertions)
    {
        final int d = layout.extDegree;
        final int n = layout.traceLength;
        final int ldeSize = layout.ldeSize;
        // room for degree < k n plus slack so the honest prover's degree check can see violations
        final int bigN = Math.min(ldeSize, n * Integer.highestOneBit(2 * layout.compositionColumns + 1));
        final int stride = ldeSize / bigN;
        final int blowup = bigN / n;
        final int w = layout.width;
        final int m = air.transitionCount();
        final long shift = ProofLayout.SHIFT;
        final long omegaN = Goldilocks.twoAdicRoot(Ntt.log2(bigN));
        final long omegaTrace = Goldilocks.twoAdicRoot(Ntt.log2(n));
        final long lastRow = Goldilocks.pow(omegaTrace, n - 1);

        // periodic columns evaluated on the LDE domain: p(x) = q(x^(n/m)), period m * blowup
        final List<long[]> periodic = air.periodicColumns();
        final long[][] periodicLde = new long[periodic.size()][];
        for (int j = 0; j < periodic.size(); j++)
        {
            final long[] values = periodic.get(j).clone();
            final int cycle = values.length;
            Ntt.inverse(F, values);
            periodicLde[j] = Ntt.evaluateOnCoset(F, values, Goldilocks.pow(shift, n / cycle), cycle * blowup);
        }

        // 1 / (x^n - 1) takes only `blowup` distinct values on the coset
        final long[] invVanishing = new long[blowup];
        final long shiftN = Goldilocks.pow(shift, n);
        final long omegaB = Goldilocks.twoAdicRoot(Ntt.log2(blowup));
        long v = shiftN;
        for (int i = 0; i < blowup; i++)
        {
            invVanishing[i] = Goldilocks.sub(v, 1);
            v = Goldilocks.mul(v, omegaB);
        }
        Goldilocks.batchInverse(invVanishing);

        // assertions grouped by row: sum_a beta_a (T_a(x) - v_a) / (x - w^row) needs one
        // division per distinct row, not per assertion
        final TreeMap<Integer, List<Integer>> byRow = new TreeMap<>();
        for (int a = 0; a < assertions.size(); a++)
        {
            byRow.computeIfAbsent(assertions.get(a).row(), row -> new ArrayList<>()).add(a);
        }
        final int groups = byRow.size();
        final long[] rowPoints = new long[groups];
        final int[][] groupAssertions = new int[groups][];
        int g = 0;
        for (final var entry : byRow.entrySet())
        {
            rowPoints[g] = Goldilocks.pow(omegaTrace, entry.getKey());
            groupAssertions[g] = entry.getValue().stream().mapToInt(Integer::intValue).toArray();
            g++;
        }
        final int[] assertionColumns = assertions.stream().mapToInt(Assertion::column).toArray();
        final long[] assertionValues = assertions.stream().mapToLong(Assertion::value).toArray();

        final long[][] out = new long[d][bigN];
        final int chunk = Math.min(bigN, TILE_ROWS);
        IntStream.range(0, bigN / chunk).parallel().forEach(ch ->
        {
            final long[] curTile = new long[chunk * w];
            final long[] nextTile = new long[chunk * w];
            gatherRows(traceLde, ch * chunk * stride, stride, chunk, ldeSize - 1, curTile);
            gatherRows(traceLde, ch * chunk * stride + layout.options.blowup(), stride, chunk, ldeSize - 1, nextTile);
            final long[] cur = new long[w];
            final long[] next = new long[w];
            final long[] per = new long[periodic.size()];
            final long[] res = new long[m];
            final long[] acc = new long[d];
            final Accumulator sum = new Accumulator();
            final int start = ch * chunk;
            final long x0 = Goldilocks.mul(shift, Goldilocks.pow(omegaN, start));
            // 1 / (x - w^row) of each assertion row over this chunk, with one inversion per row and chunk
            final long[][] rowInverses = new long[groups][chunk];
            long x = x0;
            for (int i = 0; i < chunk; i++)
            {
                for (int gr = 0; gr < groups; gr++)
                {
                    rowInverses[gr][i] = Goldilocks.sub(x, rowPoints[gr]);
                }
                x = Goldilocks.mul(x, omegaN);
            }
            for (final long[] inverses : rowInverses)
            {
                Goldilocks.batchInverse(inverses);
            }
            x = x0;
            for (int i = start; i < start + chunk; i++)
            {
                System.arraycopy(curTile, (i - start) * w, cur, 0, w);
                System.arraycopy(nextTile, (i - start) * w, next, 0, w);
                for (int j = 0; j < per.length; j++)
                {
                    final long[] col = periodicLde[j];
                    per[j] = col[i & (col.length - 1)];
                }
                air.evaluateTransition(Extension.BASE, cur, next, per, res);
                final long zInv = Goldilocks.mul(Goldilocks.sub(x, lastRow), invVanishing[i & (blowup - 1)]);
                for (int c = 0; c < d; c++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        sum.addProduct(alphas[j * d + c], res[j]);
                    }
                    acc[c] = Goldilocks.mul(sum.reduceAndReset(), zInv);
                }
                for (int gr = 0; gr < groups; gr++)
                {
                    final int[] members = groupAssertions[gr];
                    final long inv = rowInverses[gr][i - start];
                    for (int c = 0; c < d; c++)
                    {
                        for (final int a : members)
                        {
                            sum.addProduct(betas[a * d + c], Goldilocks.sub(cur[assertionColumns[a]], assertionValues[a]));
                        }
                        acc[c] = Goldilocks.add(acc[c], Goldilocks.mul(sum.reduceAndReset(), inv));
                    }
                }
                for (int c = 0; c < d; c++)
                {
                    out[c][i] = acc[c];
                }
                x = Goldilocks.mul(x, omegaN);
            }
        });
        return out;
    }

    /**
     * DEEP composition: sum_c g_c (T_c(x) - T_c(z)) / (x - z) + g'_c (T_c(x) - T_c(z w)) / (x - z w)
     * + sum_j h_j (H_j(x) - H_j(z)) / (x - z), as d coordinate arrays.
     */
    private static long[][] deepComposition(final Extension e, final ProofLayout layout, final long[][] traceLde,
        final long[][] compositionLde, final long[] ood, final long[] gammas, final long[] z, final long[] zNext)
    {
        final int d = e.degree();
        final int w = layout.width;
        final int k = layout.compositionColumns;
        final int bigN = layout.ldeSize;
        final long omegaN = Goldilocks.twoAdicRoot(Ntt.log2(bigN));
        // constants c1 = sum g_c T_c(z) + sum h_j H_j(z), c2 = sum g'_c T_c(z w)
        final long[] c1 = e.zero();
        final long[] c2 = e.zero();
        final long[] tmp = e.zero();
        for (int c = 0; c < w; c++)
        {
            e.mul(gammas, c, ood, c, tmp, 0);
            e.add(c1, 0, tmp, 0, c1, 0);
            e.mul(gammas, w + c, ood, w + c, tmp, 0);
            e.add(c2, 0, tmp, 0, c2, 0);
        }
        for (int j = 0; j < k; j++)
        {
            e.mul(gammas, 2 * w + j, ood, 2 * w + j, tmp, 0);
            e.add(c1, 0, tmp, 0, c1, 0);
        }
        final long[][] out = new long[d][bigN];
        final int chunk = Math.min(bigN, TILE_ROWS);
        IntStream.range(0, bigN / chunk).parallel().forEach(ch ->
        {
            final int start = ch * chunk;
            final long[] traceTile = new long[chunk * w];
            final long[] compositionTile = new long[chunk * k * d];
            gatherRows(traceLde, start, 1, chunk, bigN - 1, traceTile);
            gatherRows(compositionLde, start, 1, chunk, bigN - 1, compositionTile);
            // denominators (x - z) and (x - z w) for this chunk, inverted with one inversion each
            final long[] den1 = new long[chunk * d];
            final long[] den2 = new long[chunk * d];
            long x = Goldilocks.mul(ProofLayout.SHIFT, Goldilocks.pow(omegaN, start));
            for (int i = 0; i < chunk; i++)
            {
                for (int c = 0; c < d; c++)
                {
                    den1[i * d + c] = Goldilocks.neg(z[c]);
                    den2[i * d + c] = Goldilocks.neg(zNext[c]);
                }
                den1[i * d] = Goldilocks.add(den1[i * d], x);
                den2[i * d] = Goldilocks.add(den2[i * d], x);
                x = Goldilocks.mul(x, omegaN);
            }
            e.batchInverse(den1, chunk);
            e.batchInverse(den2, chunk);
            final Accumulator sum1 = new Accumulator();
            final Accumulator sum2 = new Accumulator();
            final long[] a1 = e.zero();
            final long[] a2 = e.zero();
            final long[] h = e.zero();
            final long[] t2 = e.zero();
            for (int i = start; i < start + chunk; i++)
            {
                final int row = (i - start) * w;
                for (int c = 0; c < d; c++)
                {
                    for (int col = 0; col < w; col++)
                    {
                        final long tv = traceTile[row + col];
                        sum1.addProduct(gammas[col * d + c], tv);
                        sum2.addProduct(gammas[(w + col) * d + c], tv);
                    }
                    a1[c] = Goldilocks.sub(sum1.reduceAndReset(), c1[c]);
                    a2[c] = Goldilocks.sub(sum2.reduceAndReset(), c2[c]);
                }
                for (int j = 0; j < k; j++)
                {
                    System.arraycopy(compositionTile, ((i - start) * k + j) * d, h, 0, d);
                    e.mul(gammas, 2 * w + j, h, 0, t2, 0);
                    e.add(a1, 0, t2, 0, a1, 0);
                }
                e.mul(a1, 0, den1, i - start, a1, 0);
                e.mul(a2, 0, den2, i - start, a2, 0);
                e.add(a1, 0, a2, 0, a1, 0);
                for (int c = 0; c < d; c++)
                {
                    out[c][i] = a1[c];
                }
            }
        });
        return out;
    }

    /**
     * Copies rows first, first + stride, ... ({@code count} of them, indices taken modulo mask + 1)
     * of a column table into {@code tile}, row-major. Why: the columns are equal power-of-two-sized
     * arrays, so the elements of one row all fall into the same cache set; reading a row straight
     * across the columns misses the cache on nearly every element, while this reads each column
     * sequentially.
     */
    static void gatherRows(final long[][] columns, final int first, final int stride, final int count, final int mask,
        final long[] tile)
    {
        final int w = columns.length;
        for (int c = 0; c < w; c++)
        {
            final long[] column = columns[c];
            for (int r = 0, at = c; r < count; r++, at += w)
            {
                tile[at] = column[(first + r * stride) & mask];
            }
        }
    }

    private static long[][] rows(final long[][] columns, final int[] positions)
    {
        final long[][] r = new long[positions.length][columns.length];
        for (int q = 0; q < positions.length; q++)
        {
            for (int c = 0; c < columns.length; c++)
            {
                r[q][c] = columns[c][positions[q]];
            }
        }
        return r;
    }

    /** Sorted distinct positions. */
    static int[] uniqueSorted(final int[] positions, final int domain)
    {
        return Arrays.stream(positions).map(p -> p & (domain - 1)).sorted().distinct().toArray();
    }

    /** Leaf indices of a FRI layer with {@code leaves} leaves touched by the query positions. */
    static int[] layerPositions(final int[] positions, final int leaves)
    {
        return Arrays.stream(positions).map(p -> p & (leaves - 1)).sorted().distinct().toArray();
    }
}
