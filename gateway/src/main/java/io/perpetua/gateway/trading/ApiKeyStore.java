package io.perpetua.gateway.trading;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * API keys, their role and the account each trader key trades for. The node fills it from its
 * configuration; a key can act only for its own account, whatever a request says, and only within
 * its role.
 */
public final class ApiKeyStore
{
    /** Key names: 8 to 64 characters of [A-Za-z0-9_-]. */
    public static final Pattern KEY_PATTERN = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    /** Shortest secret accepted: 128 bits. */
    public static final int MIN_SECRET_BYTES = 16;

    /** What a key may do. */
    public enum Role
    {
        /** Trades for its account: orders, leverage, the account channel (JSON and SBE). */
        TRADER,
        /** An oracle source's operator: submits signed source prices ({@code oraclePrice}), nothing else; no account. */
        ORACLE
    }

    /** One key: its HMAC secret, its role and its account (0 for an oracle key). */
    public record ApiKey(String key, byte[] secret, long accountId, Role role)
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
                role == that.role && Arrays.equals(secret, that.secret);
        }

        @Override
        public int hashCode()
        {
            return key.hashCode();
        }

        @Override
        public String toString()
        {
            return role == Role.TRADER ? "ApiKey(" + key + ", account " + accountId + ")" : "ApiKey(" + key + ", " + role + ")";
        }
    }

    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();

    /** Adds a trader key for {@code accountId}; see {@link #add(String, byte[], long, Role)}. */
    public void add(final String key, final byte[] secret, final long accountId)
    {
        add(key, secret, accountId, Role.TRADER);
    }

    /**
     * Adds a key.
     *
     * @param accountId the account of a trader key (>= 1); 0 for an oracle key
     * @throws IllegalArgumentException for a malformed key, a short secret, a trader key's account id
     *                                  below 1, an oracle key with an account or a key that exists
     */
    public void add(final String key, final byte[] secret, final long accountId, final Role role)
    {
        if (key == null || !KEY_PATTERN.matcher(key).matches())
        {
            throw new IllegalArgumentException("API key must be 8-64 characters of [A-Za-z0-9_-]: " + key);
        }
        if (secret == null || secret.length < MIN_SECRET_BYTES)
        {
            throw new IllegalArgumentException("API secret of " + key + " must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (role == Role.TRADER && accountId < 1)
        {
            throw new IllegalArgumentException("account id of " + key + " must be >= 1: " + accountId);
        }
        if (role == Role.ORACLE && accountId != 0)
        {
            throw new IllegalArgumentException("oracle key " + key + " has no account: " + accountId);
        }
        if (keys.putIfAbsent(key, new ApiKey(key, secret, accountId, role)) != null)
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
