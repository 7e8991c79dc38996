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
 * Checks a login: {@code signature = hex(HMAC-SHA256(secret, key + "\n" + timestamp + "\n" + nonce))}
 * (an HTTP request also signs {@code "\n" + hex(SHA-256(body))}),
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

    /** The hex signature of a WebSocket login. */
    public static String sign(final byte[] secret, final String key, final long timestampMs, final String nonce)
    {
        return hmac(secret, key + "\n" + timestampMs + "\n" + nonce);
    }

    /** The hex signature of an HTTP request: the login's payload plus the SHA-256 of the body. */
    public static String signRequest(
        final byte[] secret, final String key, final long timestampMs, final String nonce, final String body)
    {
        return hmac(secret, key + "\n" + timestampMs + "\n" + nonce + "\n" + sha256(body));
    }

    static String sha256(final String body)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    private static String hmac(final byte[] secret, final String payload)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    /**
     * Verifies a login.
     *
     * @return the key, whatever its role
     * @throws TradingException with UNKNOWN_API_KEY, INVALID_FIELD, STALE_TIMESTAMP, BAD_SIGNATURE or REPLAYED_NONCE
     */
    public ApiKeyStore.ApiKey authenticate(final String key, final long timestampMs, final String nonce, final String signature)
    {
        return authenticate(key, timestampMs, nonce, signature, null);
    }

    /**
     * Verifies the login of a session that trades (SBE order entry): as {@link #authenticate}, and
     * the key must be a trader key.
     *
     * @param signedContext what the signature covers after the nonce, or null (see {@link #authenticate(String, long, String, String, String)})
     * @return the key's account id
     * @throws TradingException as {@link #authenticate}, or NOT_PERMITTED for a key of another role
     */
    public long verify(
        final String key, final long timestampMs, final String nonce, final String signature, final String signedContext)
    {
        final ApiKeyStore.ApiKey apiKey = authenticate(key, timestampMs, nonce, signature, signedContext);
        if (apiKey.role() != ApiKeyStore.Role.TRADER)
        {
            throw new TradingException(ErrorCode.NOT_PERMITTED, "key " + key + " is an " + apiKey.role() +
                " key: only TRADER keys trade");
        }
        return apiKey.accountId();
    }

    /**
     * Verifies a signed HTTP request the same way, with the body's digest in the signed payload.
     *
     * @param body the request body, or null for a WebSocket login
     * @return the key, whatever its role
     */
    public synchronized ApiKeyStore.ApiKey authenticate(
        final String key, final long timestampMs, final String nonce, final String signature, final String body)
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
        final String expectedHex = body == null ? sign(apiKey.secret(), key, timestampMs, nonce) :
            signRequest(apiKey.secret(), key, timestampMs, nonce, body);
        final byte[] expected = expectedHex.getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII)))
        {
            throw new TradingException(ErrorCode.BAD_SIGNATURE, body == null ?
                "signature does not match HMAC-SHA256(secret, key \\n timestamp \\n nonce)" :
                "signature does not match HMAC-SHA256(secret, key \\n timestamp \\n nonce \\n sha256(body))");
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
        return apiKey;
    }
}
