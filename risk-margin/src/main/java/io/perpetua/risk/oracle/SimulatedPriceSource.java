package io.perpetua.risk.oracle;

import io.perpetua.risk.auth.Ed25519Keys;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A simulated oracle source for the demo and tests: it observes a {@link SimulatedPricePath}, adds its
 * own noise and signs with its own key. Deterministic: the key comes from a seed, and the observation at
 * a given time depends only on the path, the noise seed and that time, so runs are reproducible.
 *
 * <p>The noise at time t is a uniform integer in [-{@code noisePpm}, +{@code noisePpm}] ppm of the path's
 * price, drawn from a SplitMix64 hash of (noise seed, t); the noisy price is rounded down and at least
 * one tick.
 *
 * <p>{@link #observe(long)} is called by whoever drives the simulation (the demo's feed thread, a test);
 * {@link #latest()} may be read from the aggregator's thread.
 */
public final class SimulatedPriceSource implements PriceSource
{
    private static final long PPM = 1_000_000L;

    private final SimulatedPricePath path;
    private final KeyPair keyPair;
    private final long noiseSeed;
    private final int noisePpm;
    private volatile SignedPrice latest;

    /**
     * @param keySeed   the 32-byte Ed25519 seed of the source's key
     * @param noiseSeed seeds the source's own noise
     * @param noisePpm  largest noise, in ppm of the path's price
     */
    public SimulatedPriceSource(
        final SimulatedPricePath path, final byte[] keySeed, final long noiseSeed, final int noisePpm)
    {
        if (noisePpm < 0 || noisePpm >= PPM)
        {
            throw new IllegalArgumentException("noisePpm must be in [0, 1,000,000), not " + noisePpm);
        }
        this.path = path;
        this.keyPair = Ed25519Keys.keyPairFromSeed(keySeed);
        this.noiseSeed = noiseSeed;
        this.noisePpm = noisePpm;
    }

    /**
     * {@code count} sources on {@code path}, their keys and noise derived from {@code seed}: source i
     * has the key seed {@code Ed25519Keys.deriveSeed("perpetua/sim-oracle/<market>/<seed>", i)}.
     */
    public static List<SimulatedPriceSource> forPath(
        final SimulatedPricePath path, final int count, final long seed, final int noisePpm)
    {
        final String label = "perpetua/sim-oracle/" + path.marketId() + "/" + seed;
        final List<SimulatedPriceSource> sources = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            sources.add(new SimulatedPriceSource(path, Ed25519Keys.deriveSeed(label, i), mix(seed + i), noisePpm));
        }
        return sources;
    }

    /** The raw 32-byte public key to configure for this source. */
    public byte[] publicKey()
    {
        return Ed25519Keys.rawPublicKey(keyPair.getPublic());
    }

    /** Observes the path at {@code timestampNs}, signs the noisy price, and makes it the latest. */
    public SignedPrice observe(final long timestampNs)
    {
        final long pathPrice = path.priceAt(timestampNs);
        final long noise = Math.floorMod(mix(noiseSeed ^ mix(timestampNs)), 2L * noisePpm + 1) - noisePpm;
        final long priceTicks = Math.max(1, pathPrice + Math.floorDiv(Math.multiplyExact(pathPrice, noise), PPM));
        final int marketId = path.marketId();
        final byte[] signature = OracleMessage.sign(keyPair.getPrivate(), marketId, priceTicks, timestampNs);
        final SignedPrice observation = new SignedPrice(marketId, priceTicks, timestampNs, signature);
        latest = observation;
        return observation;
    }

    @Override
    public Optional<SignedPrice> latest()
    {
        return Optional.ofNullable(latest);
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit hash of {@code z}. */
    private static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
