package io.perpetua.node.config;

/**
 * A configuration file the node refuses, with the path of the offending field in its message
 * (e.g. {@code markets[1].tickSize: must be > 0}). The CLI reports it as a usage error (exit 2).
 */
public final class ConfigException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String path, final String problem)
    {
        super((path.isEmpty() ? "(top level)" : path) + ": " + problem);
    }
}
