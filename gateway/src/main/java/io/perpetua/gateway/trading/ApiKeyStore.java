package io.perpetua.gateway.trading;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * API keys and the account each one trades for. The node (or the CLI) fills it from configuration;
 * a key can act only for its own account, whatever a request says.
 */
public final class ApiKeyStore
{
    /** Key names: 8 to 64 characters of [A-Za-z0-9_-]. */
    public static final Pattern KEY_PATTERN = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    /** Shortest secret accepted: 128 bits. */
    public static final int MIN_SECRET_BYTES = 16;

    /** One key: its HMAC secret and its account. */
    public record ApiKey(String key, byte[] secret, long accountId)
    {
        public ApiKey
        {
            secret = secret.clone();
        }

        @Override
        public byte[] secret()
        {
            return secret.clone();
        }

        @Override
        public boolean equals(final Object other)
        {
            return other instanceof ApiKey that && key.equals(that.key) && accountId == that.accountId &&
                Arrays.equals(secret, that.secret);
        }

        @Override
        public int hashCode()
        {
            return key.hashCode();
        }

        @Override
        public String toString()
        {
            return "ApiKey(" + key + ", account " + accountId + ")";
        }
    }

    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();

    /**
     * Adds a key.
     *
     * @throws IllegalArgumentException for a malformed key, a short secret, an account id below 1 or
     *                                  a key that exists
     */
    public void add(final String key, final byte[] secret, final long accountId)
    {
        if (key == null || !KEY_PATTERN.matcher(key).matches())
        {
            throw new IllegalArgumentException("API key must be 8-64 characters of [A-Za-z0-9_-]: " + key);
        }
        if (secret == null || secret.length < MIN_SECRET_BYTES)
        {
            throw new IllegalArgumentException("API secret of " + key + " must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (accountId < 1)
        {
            throw new IllegalArgumentException("account id of " + key + " must be >= 1: " + accountId);
        }
        if (keys.putIfAbsent(key, new ApiKey(key, secret, accountId)) != null)
        {
            throw new IllegalArgumentException("API key already exists: " + key);
        }
    }

    /** @return the key, or null */
    public ApiKey find(final String key)
    {
        return key == null ? null : keys.get(key);
    }

    public boolean remove(final String key)
    {
        return keys.remove(key) != null;
    }
}
