package io.perpetua.gateway.trading;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Checks a login: {@code signature = hex(HMAC-SHA256(secret, key + "\n" + timestamp + "\n" + nonce))},
 * a timestamp within {@link #WINDOW_MS} of the server's clock, and a nonce the key has not used
 * within the window. Nonces are remembered for as long as their timestamp is acceptable, so a
 * captured login can be replayed neither within the window (same nonce) nor after it (stale).
 */
public final class LoginVerifier
{
    /** How far a login's timestamp may be from the server's clock, either way. */
    public static final long WINDOW_MS = 30_000;
    /** Nonces: 8 to 64 characters of [A-Za-z0-9_-]. */
    public static final Pattern NONCE_PATTERN = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    private final ApiKeyStore keys;
    private final LongSupplier clockMs;
    /** Per key: nonce to its timestamp, oldest insertion first. */
    private final Map<String, LinkedHashMap<String, Long>> seen = new LinkedHashMap<>();

    /** @param clockMs the server's wall clock in epoch milliseconds (authentication only, never business logic) */
    public LoginVerifier(final ApiKeyStore keys, final LongSupplier clockMs)
    {
        this.keys = keys;
        this.clockMs = clockMs;
    }

    /** The hex signature a client computes. */
    public static String sign(final byte[] secret, final String key, final long timestampMs, final String nonce)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload(key, timestampMs, nonce)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    private static byte[] payload(final String key, final long timestampMs, final String nonce)
    {
        return (key + "\n" + timestampMs + "\n" + nonce).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Verifies a login.
     *
     * @return the key's account id
     * @throws TradingException with UNKNOWN_API_KEY, INVALID_FIELD, STALE_TIMESTAMP, BAD_SIGNATURE or REPLAYED_NONCE
     */
    public synchronized long verify(final String key, final long timestampMs, final String nonce, final String signature)
    {
        final ApiKeyStore.ApiKey apiKey = keys.find(key);
        if (apiKey == null)
        {
            throw new TradingException(ErrorCode.UNKNOWN_API_KEY, "no such API key: " + key);
        }
        if (!NONCE_PATTERN.matcher(nonce).matches())
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, "nonce must be 8-64 characters of [A-Za-z0-9_-]");
        }
        final long now = clockMs.getAsLong();
        if (Math.abs(now - timestampMs) > WINDOW_MS)
        {
            throw new TradingException(ErrorCode.STALE_TIMESTAMP, "timestamp " + timestampMs + " is more than " +
                WINDOW_MS + " ms from the server's time " + now);
        }
        final byte[] expected = sign(apiKey.secret(), key, timestampMs, nonce).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII)))
        {
            throw new TradingException(ErrorCode.BAD_SIGNATURE,
                "signature does not match HMAC-SHA256(secret, key \\n timestamp \\n nonce)");
        }
        final LinkedHashMap<String, Long> nonces = seen.computeIfAbsent(key, k -> new LinkedHashMap<>());
        for (final Iterator<Long> it = nonces.values().iterator(); it.hasNext(); )
        {
            if (Math.abs(now - it.next()) > WINDOW_MS)
            {
                it.remove();
            }
        }
        if (nonces.putIfAbsent(nonce, timestampMs) != null)
        {
            throw new TradingException(ErrorCode.REPLAYED_NONCE, "nonce already used: " + nonce);
        }
        return apiKey.accountId();
    }
}
