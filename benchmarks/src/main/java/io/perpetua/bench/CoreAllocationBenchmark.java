package io.perpetua.bench;

import io.perpetua.risk.auth.Ed25519Keys;
import io.perpetua.risk.auth.Ed25519PublicKey;
import io.perpetua.risk.ledger.WideInteger;
import io.perpetua.risk.oracle.OracleMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The core's allocating paths of the perpetuals workload before and after issue 8's change, one
 * operation each (run with {@code -prof gc} for the bytes per operation): checking the Ed25519 key of
 * a new account (a Deposit) and verifying one signed oracle price, each with the JDK's Ed25519 (as
 * before) and with BouncyCastle's (what {@link Ed25519Keys} does now), and the liquidator's bankruptcy
 * share {@code ceil(NC * MMR_p * lots / (|size| * MMR))} with BigInteger and with {@link WideInteger}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CoreAllocationBenchmark
{
    private static final byte[] X509_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };

    private final byte[] message = new byte[OracleMessage.LENGTH];
    private byte[] signature;
    private PublicKey jdkKey;
    private byte[] rawKey;
    private Ed25519PublicKey key;

    private final WideInteger numerator = new WideInteger();
    private final WideInteger denominator = new WideInteger();
    private long netCollateral = -20_000_000L;
    private final long positionMaintenance = 27_600_000_000L;
    private final long lots = 4_000_000L;
    private final long absSize = 10_000_000L;
    private final long maintenance = 27_600_000_001L;

    @Setup
    public void setUp()
    {
        final KeyPair source = Ed25519Keys.keyPairFromSeed(Ed25519Keys.deriveSeed("bench/oracle", 0));
        OracleMessage.encode(message, 0, 1, 100_000, 1_000_000_000L);
        signature = Ed25519Keys.sign(source.getPrivate(), message);
        jdkKey = source.getPublic();
        key = Ed25519Keys.publicKey(source.getPublic());
        rawKey = Ed25519Keys.rawPublicKey(jdkKey);
    }

    /** The former Ed25519Keys.isValidPublicKey: an X.509 key from the factory, decoded by initVerify. */
    @Benchmark
    public boolean keyCheckJdk() throws GeneralSecurityException
    {
        final byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + rawKey.length);
        System.arraycopy(rawKey, 0, encoded, X509_PREFIX.length, rawKey.length);
        final PublicKey parsed = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        Signature.getInstance("Ed25519").initVerify(parsed);
        return true;
    }

    @Benchmark
    public boolean keyCheckBouncyCastle()
    {
        return Ed25519Keys.isValidPublicKey(rawKey);
    }

    @Benchmark
    public boolean verifyJdk() throws GeneralSecurityException
    {
        final Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(jdkKey);
        verifier.update(message);
        return verifier.verify(signature);
    }

    @Benchmark
    public boolean verifyBouncyCastle()
    {
        return Ed25519Keys.verify(key, message, 0, message.length, signature);
    }

    @Benchmark
    public long bankruptcyShareBigInteger()
    {
        final BigInteger[] qr = BigInteger.valueOf(netCollateral).multiply(BigInteger.valueOf(positionMaintenance))
            .multiply(BigInteger.valueOf(lots))
            .divideAndRemainder(BigInteger.valueOf(absSize).multiply(BigInteger.valueOf(maintenance)));
        netCollateral--; // a different operand each call, so nothing is folded
        return (qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0]).longValueExact();
    }

    @Benchmark
    public long bankruptcyShareWideInteger()
    {
        final long share = numerator.set(netCollateral).multiply(positionMaintenance).multiply(lots)
            .ceilDivide(denominator.set(absSize).multiply(maintenance));
        netCollateral--;
        return share;
    }
}
