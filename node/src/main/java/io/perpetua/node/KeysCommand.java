package io.perpetua.node;

import io.perpetua.gateway.trading.ApiKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;

/**
 * {@code perpetua keys}: API keys for a node's configuration. Keys live in the YAML file (the
 * node reads them at start), so creating one prints the entry to paste under {@code apiKeys:}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "API keys for the node's configuration.",
    subcommands = KeysCommand.New.class)
final class KeysCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        return PerpetuaCli.usage(spec);
    }

    /** {@code perpetua keys new}. */
    @Command(name = "new", mixinStandardHelpOptions = true,
        description = "Create an API key and a random secret (256 bits, base64url) and print its apiKeys entry in YAML.")
    static final class New implements Callable<Integer>
    {
        /** Random bytes of a secret: 256 bits, twice the minimum the node accepts. */
        static final int SECRET_BYTES = 32;

        @Spec
        CommandSpec spec;

        @Option(names = "--account", paramLabel = "N", description = "The account a TRADER key trades for (>= 1).")
        long account;

        @Option(names = "--role", defaultValue = "TRADER", paramLabel = "ROLE",
            description = "TRADER (default: trades for --account) or ORACLE (submits signed source prices, no account).")
        ApiKeyStore.Role role;

        @Option(names = "--name", paramLabel = "KEY",
            description = "The key's name (8-64 of [A-Za-z0-9_-]); default: the role and account with a random suffix.")
        String name;

        @Override
        public Integer call()
        {
            if (role == ApiKeyStore.Role.TRADER && account < 1)
            {
                throw new IllegalArgumentException("a TRADER key needs --account N with N >= 1");
            }
            if (role != ApiKeyStore.Role.TRADER && account != 0)
            {
                throw new IllegalArgumentException("--account is only for TRADER keys");
            }
            final SecureRandom random = new SecureRandom();
            final Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
            final String key;
            if (name == null)
            {
                final byte[] suffix = new byte[6];
                random.nextBytes(suffix);
                key = role.name().toLowerCase() + (role == ApiKeyStore.Role.TRADER ? "-" + account : "") + "-" +
                    base64url.encodeToString(suffix);
            }
            else
            {
                key = name;
            }
            if (!ApiKeyStore.KEY_PATTERN.matcher(key).matches())
            {
                throw new IllegalArgumentException("the key must be 8-64 of [A-Za-z0-9_-]: " + key);
            }
            final byte[] secret = new byte[SECRET_BYTES];
            random.nextBytes(secret);
            final PrintWriter out = spec.commandLine().getOut();
            out.println("  - key: " + key);
            out.println("    secret: " + base64url.encodeToString(secret));
            out.println("    role: " + role.name());
            if (role == ApiKeyStore.Role.TRADER)
            {
                out.println("    account: " + account);
            }
            out.flush();
            return 0;
        }
    }
}
