package io.perpetua.settlement.stark.rescue;

import io.perpetua.settlement.stark.field.Goldilocks;

/**
 * Rescue-Prime over Goldilocks with Winterfell's Rp64_256 parameters: state width 12 (capacity
 * 0..3, rate 4..11), 7 rounds, S-box x^7 and its inverse, digest = state[4..8].
 *
 * <p>Why Rescue inside the statement: SHA-256 costs thousands of constraints per call, Rescue costs
 * one 8-row, 12-column block of degree-7 constraints per permutation, or 4 rows of 24 columns with
 * two rounds per row ({@link RescueConstraints}), so the records-to-commitment hash and the
 * position tree can be proven.
 *
 * <p>The round constants ARK1/ARK2 and the MDS matrix are copied from Winterfell
 * (facebook/winterfell, crypto/src/hash/rescue/rp64_256/mod.rs), Copyright (c) Facebook, Inc. and
 * its affiliates, used under the MIT licence. The inverse MDS matrix is computed here and checked
 * against MDS by a test.
 */
public final class RescuePrime
{
    /** State width. */
    public static final int WIDTH = 12;
    /** Rounds per permutation. */
    public static final int ROUNDS = 7;
    /** First rate (and digest) element. */
    public static final int RATE_START = 4;
    /** Digest size in field elements. */
    public static final int DIGEST_SIZE = 4;
    /** 1/7 mod (p - 1): the inverse S-box exponent. */
    static final long INV_ALPHA = Long.parseUnsignedLong("10540996611094048183");

    private static final long[] MDS_FIRST_ROW = {7, 23, 8, 26, 13, 10, 9, 7, 6, 22, 21, 8};

    /** The MDS matrix (circulant: row i is the first row rotated right by i). */
    static final long[][] MDS = circulant(MDS_FIRST_ROW);
    /** Its inverse. */
    static final long[][] INV_MDS = invert(MDS);

    // Winterfell Rp64_256 round constants (MIT licence, see class comment).
    static final long[][] ARK1 = {
        u("13917550007135091859", "16002276252647722320", "4729924423368391595", "10059693067827680263",
            "9804807372516189948", "15666751576116384237", "10150587679474953119", "13627942357577414247",
            "2323786301545403792", "615170742765998613", "8870655212817778103", "10534167191270683080"),
        u("14572151513649018290", "9445470642301863087", "6565801926598404534", "12667566692985038975",
            "7193782419267459720", "11874811971940314298", "17906868010477466257", "1237247437760523561",
            "6829882458376718831", "2140011966759485221", "1624379354686052121", "50954653459374206"),
        u("16288075653722020941", "13294924199301620952", "13370596140726871456", "611533288599636281",
            "12865221627554828747", "12269498015480242943", "8230863118714645896", "13466591048726906480",
            "10176988631229240256", "14951460136371189405", "5882405912332577353", "18125144098115032453"),
        u("6076976409066920174", "7466617867456719866", "5509452692963105675", "14692460717212261752",
            "12980373618703329746", "1361187191725412610", "6093955025012408881", "5110883082899748359",
            "8578179704817414083", "9311749071195681469", "16965242536774914613", "5747454353875601040"),
        u("13684212076160345083", "19445754899749561", "16618768069125744845", "278225951958825090",
            "4997246680116830377", "782614868534172852", "16423767594935000044", "9990984633405879434",
            "16757120847103156641", "2103861168279461168", "16018697163142305052", "6479823382130993799"),
        u("13957683526597936825", "9702819874074407511", "18357323897135139931", "3029452444431245019",
            "1809322684009991117", "12459356450895788575", "11985094908667810946", "12868806590346066108",
            "7872185587893926881", "10694372443883124306", "8644995046789277522", "1422920069067375692"),
        u("17619517835351328008", "6173683530634627901", "15061027706054897896", "4503753322633415655",
            "11538516425871008333", "12777459872202073891", "17842814708228807409", "13441695826912633916",
            "5950710620243434509", "17040450522225825296", "8787650312632423701", "7431110942091427450"),
    };

    static final long[][] ARK2 = {
        u("7989257206380839449", "8639509123020237648", "6488561830509603695", "5519169995467998761",
            "2972173318556248829", "14899875358187389787", "14160104549881494022", "5969738169680657501",
            "5116050734813646528", "12120002089437618419", "17404470791907152876", "2718166276419445724"),
        u("2485377440770793394", "14358936485713564605", "3327012975585973824", "6001912612374303716",
            "17419159457659073951", "11810720562576658327", "14802512641816370470", "751963320628219432",
            "9410455736958787393", "16405548341306967018", "6867376949398252373", "13982182448213113532"),
        u("10436926105997283389", "13237521312283579132", "668335841375552722", "2385521647573044240",
            "3874694023045931809", "12952434030222726182", "1972984540857058687", "14000313505684510403",
            "976377933822676506", "8407002393718726702", "338785660775650958", "4208211193539481671"),
        u("2284392243703840734", "4500504737691218932", "3976085877224857941", "2603294837319327956",
            "5760259105023371034", "2911579958858769248", "18415938932239013434", "7063156700464743997",
            "16626114991069403630", "163485390956217960", "11596043559919659130", "2976841507452846995"),
        u("15090073748392700862", "3496786927732034743", "8646735362535504000", "2460088694130347125",
            "3944675034557577794", "14781700518249159275", "2857749437648203959", "8505429584078195973",
            "18008150643764164736", "720176627102578275", "7038653538629322181", "8849746187975356582"),
        u("17427790390280348710", "1159544160012040055", "17946663256456930598", "6338793524502945410",
            "17715539080731926288", "4208940652334891422", "12386490721239135719", "10010817080957769535",
            "5566101162185411405", "12520146553271266365", "4972547404153988943", "5597076522138709717"),
        u("18338863478027005376", "115128380230345639", "4427489889653730058", "10890727269603281956",
            "7094492770210294530", "7345573238864544283", "6834103517673002336", "14002814950696095900",
            "15939230865809555943", "12717309295554119359", "4130723396860574906", "7706153020203677238"),
    };

    private RescuePrime()
    {
    }

    private static long[] u(final String... values)
    {
        final long[] r = new long[values.length];
        for (int i = 0; i < r.length; i++)
        {
            r[i] = Long.parseUnsignedLong(values[i]);
        }
        return r;
    }

    private static long[][] circulant(final long[] firstRow)
    {
        final int n = firstRow.length;
        final long[][] m = new long[n][n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                m[i][j] = firstRow[Math.floorMod(j - i, n)];
            }
        }
        return m;
    }

    /** Gauss–Jordan inversion over Goldilocks. */
    static long[][] invert(final long[][] matrix)
    {
        final int n = matrix.length;
        final long[][] a = new long[n][2 * n];
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(matrix[i], 0, a[i], 0, n);
            a[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            while (a[pivot][col] == 0)
            {
                pivot++;
            }
            final long[] tmp = a[pivot];
            a[pivot] = a[col];
            a[col] = tmp;
            final long inv = Goldilocks.inv(a[col][col]);
            for (int j = 0; j < 2 * n; j++)
            {
                a[col][j] = Goldilocks.mul(a[col][j], inv);
            }
            for (int i = 0; i < n; i++)
            {
                if (i != col && a[i][col] != 0)
                {
                    final long f = a[i][col];
                    for (int j = 0; j < 2 * n; j++)
                    {
                        a[i][j] = Goldilocks.sub(a[i][j], Goldilocks.mul(f, a[col][j]));
                    }
                }
            }
        }
        final long[][] r = new long[n][n];
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(a[i], n, r[i], 0, n);
        }
        return r;
    }

    /** Applies the 7-round Rescue-XLIX permutation in place. */
    public static void permute(final long[] state)
    {
        for (int r = 0; r < ROUNDS; r++)
        {
            applyRound(state, r);
        }
    }

    /** One round: S-box, MDS, ARK1, inverse S-box, MDS, ARK2. */
    public static void applyRound(final long[] state, final int round)
    {
        final long[] tmp = new long[WIDTH];
        for (int i = 0; i < WIDTH; i++)
        {
            state[i] = Goldilocks.exp7(state[i]);
        }
        mds(state, tmp);
        for (int i = 0; i < WIDTH; i++)
        {
            state[i] = Goldilocks.add(tmp[i], ARK1[round][i]);
        }
        invSbox(state);
        mds(state, tmp);
        for (int i = 0; i < WIDTH; i++)
        {
            state[i] = Goldilocks.add(tmp[i], ARK2[round][i]);
        }
    }

    /**
     * x^(1/7) = x^10540996611094048183 for every state element, by a 72-multiplication addition
     * chain (the exponent is 1001001001001001001001001001000110110110110110110110110110110111 in
     * binary). The same chain runs on all lanes step by step:
     * one lane's chain is 72 dependent multiplications, twelve lanes side by side keep the
     * multiplier busy instead of waiting on each result.
     */
    static void invSbox(final long[] x)
    {
        final long[] t1 = new long[WIDTH];
        final long[] t2 = new long[WIDTH];
        for (int i = 0; i < WIDTH; i++)
        {
            t1[i] = Goldilocks.square(x[i]);
            t2[i] = Goldilocks.square(t1[i]);
        }
        final long[] t3 = squareThenMul(t2, 3, t2);
        final long[] t4 = squareThenMul(t3, 6, t3);
        final long[] t5 = squareThenMul(t4, 12, t4);
        final long[] t6 = squareThenMul(t5, 6, t3);
        final long[] t7 = squareThenMul(t6, 31, t6);
        for (int i = 0; i < WIDTH; i++)
        {
            final long a = Goldilocks.square(Goldilocks.square(Goldilocks.mul(Goldilocks.square(t7[i]), t6[i])));
            final long b = Goldilocks.mul(Goldilocks.mul(t1[i], t2[i]), x[i]);
            x[i] = Goldilocks.mul(a, b);
        }
    }

    /** base^(2^squarings) * tail, lane by lane. */
    private static long[] squareThenMul(final long[] base, final int squarings, final long[] tail)
    {
        final long[] r = base.clone();
        for (int k = 0; k < squarings; k++)
        {
            for (int i = 0; i < WIDTH; i++)
            {
                r[i] = Goldilocks.square(r[i]);
            }
        }
        for (int i = 0; i < WIDTH; i++)
        {
            r[i] = Goldilocks.mul(r[i], tail[i]);
        }
        return r;
    }

    /** The MDS linear layer applied to a copy of {@code state}. */
    public static long[] applyMds(final long[] state)
    {
        final long[] out = new long[WIDTH];
        mds(state, out);
        return out;
    }

    private static void mds(final long[] in, final long[] out)
    {
        mds(in, 0, out, 0);
    }

    /**
     * MDS multiplication exploiting small entries (all below 32): the low and high 32-bit halves of
     * the inputs are multiplied separately, the sums stay below 2^41, and one 128-bit reduction
     * finishes each output.
     */
    static void mds(final long[] in, final int inAt, final long[] out, final int outAt)
    {
        for (int i = 0; i < WIDTH; i++)
        {
            long lo = 0;
            long hi = 0;
            final long[] row = MDS[i];
            for (int j = 0; j < WIDTH; j++)
            {
                lo += row[j] * (in[inAt + j] & 0xFFFF_FFFFL);
                hi += row[j] * (in[inAt + j] >>> 32);
            }
            // value = lo + hi * 2^32, as a 128-bit number (hi * 2^32 < 2^73)
            final long hiShifted = hi << 32;
            final long low = lo + hiShifted;
            final long high = (hi >>> 32) + ((low ^ Long.MIN_VALUE) < (lo ^ Long.MIN_VALUE) ? 1 : 0);
            out[outAt + i] = Goldilocks.reduce(high, low);
        }
    }

    /**
     * Hash of a list of field elements, as Winterfell's {@code hash_elements}: state[0] = length,
     * elements added into the rate 8 at a time with a permutation after each full rate and after a
     * partial last one.
     */
    public static long[] hashElements(final long[] elements)
    {
        final long[] state = new long[WIDTH];
        state[0] = Goldilocks.fromUnsigned(elements.length);
        int i = 0;
        for (final long el : elements)
        {
            state[RATE_START + i] = Goldilocks.add(state[RATE_START + i], el);
            i++;
            if (i == 8)
            {
                permute(state);
                i = 0;
            }
        }
        if (i > 0)
        {
            permute(state);
        }
        return digest(state);
    }

    /** 2-to-1 compression of two digests (Winterfell's {@code merge}); equals hashElements(left || right). */
    public static long[] merge(final long[] left, final long[] right)
    {
        final long[] state = new long[WIDTH];
        state[0] = 8;
        System.arraycopy(left, 0, state, RATE_START, DIGEST_SIZE);
        System.arraycopy(right, 0, state, RATE_START + DIGEST_SIZE, DIGEST_SIZE);
        permute(state);
        return digest(state);
    }

    /** The digest of a permuted state: elements 4..8. */
    public static long[] digest(final long[] state)
    {
        final long[] d = new long[DIGEST_SIZE];
        System.arraycopy(state, RATE_START, d, 0, DIGEST_SIZE);
        return d;
    }
}
