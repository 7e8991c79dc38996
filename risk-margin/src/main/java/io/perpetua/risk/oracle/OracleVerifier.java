package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.Ed25519PublicKey;

import java.util.Arrays;

/**
 * Decides whether an oracle price command is accepted, and at which price, as the core applies it.
 * Pure with respect to the market: {@link #verify} reads the config and the state and changes neither;
 * the caller records an accepted price with {@link OracleState#accept}. Deterministic (time is the
 * command's timestamp, integers only), so replaying the journal re-derives every decision.
 *
 * <p>Checks, in this order; the first failure is the verdict:
 * <ol>
 *   <li>per observation, in command order: source index known ({@code UNKNOWN_SOURCE}), not already
 *       seen in this command ({@code DUPLICATE_SOURCE}), price positive ({@code NON_POSITIVE_PRICE}),
 *       timestamp within [command time - validity window, command time + max future skew]
 *       ({@code OUT_OF_WINDOW}), timestamp newer than that source's last accepted observation
 *       ({@code REPLAYED});</li>
 *   <li>at least {@code quorum} observations ({@code NO_QUORUM});</li>
 *   <li>every signature, in command order ({@code BAD_SIGNATURE}) — last, being the expensive check;</li>
 *   <li>the median against the last accepted price ({@code MAX_MOVE}): rejected if it differs by more
 *       than {@code maxMovePpm} of that price and that price was accepted less than
 *       {@code moveWindowNs} before this command. Exactly {@code maxMovePpm} is accepted.</li>
 * </ol>
 *
 * <p>The median of an even number of prices is the lower of the two middle ones: always a price some
 * source signed, so a journaled mark price can be traced to a signature, and no rounding is involved.
 *
 * <p>One instance per core thread: it keeps scratch buffers, so a verification does not allocate
 * beyond what the JDK's signature check does. Not thread-safe.
 */
public final class OracleVerifier
{
    private static final long PPM = 1_000_000L;

    private final long[] prices = new long[OracleConfig.MAX_SOURCES];
    private final long[] seenSources = new long[(OracleConfig.MAX_SOURCES + Long.SIZE - 1) / Long.SIZE];
    private final byte[] message = new byte[OracleMessage.LENGTH];
    private final byte[] signature = new byte[Ed25519Keys.SIGNATURE_LENGTH];
    private long medianPriceTicks;
    private int offendingObservation = -1;

    /**
     * Verifies an oracle price command for the market of {@code config} against its {@code state} at
     * the command's timestamp. Changes neither the config nor the state.
     *
     * @return {@link OracleVerdict#ACCEPTED}, after which {@link #medianPriceTicks()} is the new price, or
     *         the reason to reject the command, after which {@link #offendingObservation()} says which
     *         observation caused it
     */
    public OracleVerdict verify(
        final OracleConfig config,
        final OracleState state,
        final long commandTimeNs,
        final OracleObservations observations)
    {
        medianPriceTicks = 0;
        offendingObservation = -1;
        if (state.sourceCount() != config.sourceCount())
        {
            throw new IllegalArgumentException("oracle state has " + state.sourceCount() + " sources, config " +
                config.sourceCount());
        }

        final int count = Math.max(0, observations.count());
        final OracleVerdict observationVerdict = checkObservations(config, state, commandTimeNs, observations, count);
        if (observationVerdict != OracleVerdict.ACCEPTED)
        {
            return observationVerdict;
        }
        if (count < config.quorum())
        {
            return OracleVerdict.NO_QUORUM;
        }
        final OracleVerdict signatureVerdict = checkSignatures(config, observations, count);
        if (signatureVerdict != OracleVerdict.ACCEPTED)
        {
            return signatureVerdict;
        }

        final long median = median(count);
        if (movesTooFast(config, state, commandTimeNs, median))
        {
            return OracleVerdict.MAX_MOVE;
        }
        medianPriceTicks = median;
        return OracleVerdict.ACCEPTED;
    }

    /** The accepted price after {@link OracleVerdict#ACCEPTED}; 0 after a reject. */
    public long medianPriceTicks()
    {
        return medianPriceTicks;
    }

    /**
     * Index (in the command) of the observation that caused the last reject; -1 after an accept and for
     * verdicts about the whole set ({@code NO_QUORUM}, {@code MAX_MOVE}).
     */
    public int offendingObservation()
    {
        return offendingObservation;
    }

    /**
     * True iff the market has no fresh price at {@code nowNs}: none was ever accepted, or the last was
     * accepted {@code staleAfterNs} or longer ago. A stale market halts new liquidations and allows only
     * risk-reducing trading (MECHANICS section 6).
     */
    public static boolean isStale(final OracleConfig config, final OracleState state, final long nowNs)
    {
        return !state.hasPrice() || Saturating.subtract(nowNs, state.lastAcceptedNs()) >= config.staleAfterNs();
    }

    private OracleVerdict checkObservations(
        final OracleConfig config,
        final OracleState state,
        final long commandTimeNs,
        final OracleObservations observations,
        final int count)
    {
        final long oldestNs = Saturating.subtract(commandTimeNs, config.validityWindowNs());
        final long newestNs = Saturating.add(commandTimeNs, config.maxFutureSkewNs());
        Arrays.fill(seenSources, 0L);
        for (int i = 0; i < count; i++)
        {
            final int source = observations.sourceIndex(i);
            final OracleVerdict verdict;
            if (source < 0 || source >= config.sourceCount())
            {
                verdict = OracleVerdict.UNKNOWN_SOURCE;
            }
            else if (!markSeen(source))
            {
                verdict = OracleVerdict.DUPLICATE_SOURCE;
            }
            else if (observations.priceTicks(i) <= 0)
            {
                verdict = OracleVerdict.NON_POSITIVE_PRICE;
            }
            else if (observations.timestampNs(i) < oldestNs || observations.timestampNs(i) > newestNs)
            {
                verdict = OracleVerdict.OUT_OF_WINDOW;
            }
            else if (observations.timestampNs(i) <= state.lastObservationNs(source))
            {
                verdict = OracleVerdict.REPLAYED;
            }
            else
            {
                // At most MAX_SOURCES observations get here: one more would be unknown or a duplicate.
                prices[i] = observations.priceTicks(i);
                continue;
            }
            offendingObservation = i;
            return verdict;
        }
        return OracleVerdict.ACCEPTED;
    }

    private OracleVerdict checkSignatures(
        final OracleConfig config, final OracleObservations observations, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int length = observations.signature(i, signature);
            OracleMessage.encode(
                message, 0, config.marketId(), observations.priceTicks(i), observations.timestampNs(i));
            final Ed25519PublicKey sourceKey = config.sourcePublicKey(observations.sourceIndex(i));
            if (length != Ed25519Keys.SIGNATURE_LENGTH ||
                !Ed25519Keys.verify(sourceKey, message, 0, message.length, signature))
            {
                offendingObservation = i;
                return OracleVerdict.BAD_SIGNATURE;
            }
        }
        return OracleVerdict.ACCEPTED;
    }

    private boolean markSeen(final int source)
    {
        final long bit = 1L << source;
        final int word = source >>> 6;
        if ((seenSources[word] & bit) != 0)
        {
            return false;
        }
        seenSources[word] |= bit;
        return true;
    }

    /** Lower median of prices[0, count), count >= 1; sorts that prefix in place (count is small). */
    private long median(final int count)
    {
        for (int i = 1; i < count; i++)
        {
            final long price = prices[i];
            int j = i - 1;
            while (j >= 0 && prices[j] > price)
            {
                prices[j + 1] = prices[j];
                j--;
            }
            prices[j + 1] = price;
        }
        return prices[(count - 1) / 2];
    }

    private static boolean movesTooFast(
        final OracleConfig config, final OracleState state, final long commandTimeNs, final long median)
    {
        if (!state.hasPrice() || Saturating.subtract(commandTimeNs, state.lastAcceptedNs()) >= config.moveWindowNs())
        {
            return false;
        }
        final long last = state.lastPriceTicks();
        // Both prices are positive, so the distance fits in a long; compare distance * 1e6 with
        // maxMovePpm * last exactly, in 128 bits.
        final long distance = Math.abs(median - last);
        return compareProducts(distance, PPM, config.maxMovePpm(), last) > 0;
    }

    /** Compares a * b with c * d exactly, for non-negative operands. */
    static int compareProducts(final long a, final long b, final long c, final long d)
    {
        final int high = Long.compare(Math.multiplyHigh(a, b), Math.multiplyHigh(c, d));
        return high != 0 ? high : Long.compareUnsigned(a * b, c * d);
    }
}
