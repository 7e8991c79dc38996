package io.perpetua.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of one mapping of the configuration tree: each accessor checks presence, type and
 * range and throws a {@link ConfigException} naming the field's full path. Constructing one refuses
 * fields it does not define, so a misspelt setting is an error instead of a silent default.
 */
final class ConfigNode
{
    private final JsonNode node;
    private final String path;

    private ConfigNode(final JsonNode node, final String path, final Set<String> allowed)
    {
        if (node == null || !node.isObject())
        {
            throw new ConfigException(path, "must be a mapping of fields");
        }
        this.node = node;
        this.path = path;
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            if (!allowed.contains(name))
            {
                throw new ConfigException(child(name), "unknown field (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    static ConfigNode root(final JsonNode document, final Set<String> allowed)
    {
        return new ConfigNode(document, "", allowed);
    }

    String path()
    {
        return path;
    }

    String child(final String name)
    {
        return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(final String name)
    {
        return node.hasNonNull(name);
    }

    private JsonNode required(final String name)
    {
        final JsonNode value = node.get(name);
        if (value == null || value.isNull())
        {
            throw new ConfigException(child(name), "required");
        }
        return value;
    }

    /** A nested mapping; absent gives an empty one (all its fields default). */
    ConfigNode object(final String name, final Set<String> allowed)
    {
        final JsonNode value = node.get(name);
        return new ConfigNode(value == null || value.isNull() ? JsonNodeFactory.instance.objectNode() : value, child(name), allowed);
    }

    /** The mappings of a list field, each read with {@code allowed}. */
    List<ConfigNode> objects(final String name, final Set<String> allowed, final boolean required)
    {
        final JsonNode value = node.get(name);
        if (value == null || value.isNull())
        {
            if (required)
            {
                throw new ConfigException(child(name), "required");
            }
            return List.of();
        }
        if (!value.isArray())
        {
            throw new ConfigException(child(name), "must be a list");
        }
        final List<ConfigNode> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++)
        {
            items.add(new ConfigNode(value.get(i), child(name) + "[" + i + "]", allowed));
        }
        return items;
    }

    /** The strings of a list field. */
    List<String> strings(final String name)
    {
        final JsonNode value = required(name);
        if (!value.isArray())
        {
            throw new ConfigException(child(name), "must be a list");
        }
        final List<String> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++)
        {
            if (!value.get(i).isTextual())
            {
                throw new ConfigException(child(name) + "[" + i + "]", "must be a string");
            }
            items.add(value.get(i).asText());
        }
        return items;
    }

    long integer(final String name, final long min, final long max)
    {
        final JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw new ConfigException(child(name), "must be an integer" + (value.isTextual() ? ", not a string" : ": " + value));
        }
        final long result = value.asLong();
        if (result < min || result > max)
        {
            throw new ConfigException(child(name), range(min, max) + ": " + result);
        }
        return result;
    }

    long integer(final String name, final long min, final long max, final long absent)
    {
        return has(name) ? integer(name, min, max) : absent;
    }

    int intValue(final String name, final int min, final int max)
    {
        return (int)integer(name, min, max);
    }

    int intValue(final String name, final int min, final int max, final int absent)
    {
        return (int)integer(name, min, max, absent);
    }

    private static String range(final long min, final long max)
    {
        if (max == Long.MAX_VALUE)
        {
            return min == 1 ? "must be > 0" : min == 0 ? "must be >= 0" : "must be >= " + min;
        }
        return "must be from " + min + " to " + max;
    }

    String string(final String name)
    {
        final JsonNode value = required(name);
        if (!value.isTextual())
        {
            throw new ConfigException(child(name), "must be a string");
        }
        return value.asText();
    }

    String string(final String name, final String absent)
    {
        return has(name) ? string(name) : absent;
    }

    boolean bool(final String name, final boolean absent)
    {
        if (!has(name))
        {
            return absent;
        }
        final JsonNode value = node.get(name);
        if (!value.isBoolean())
        {
            throw new ConfigException(child(name), "must be true or false");
        }
        return value.asBoolean();
    }

    <E extends Enum<E>> E choice(final String name, final Class<E> type, final E absent)
    {
        if (!has(name))
        {
            return absent;
        }
        final String text = string(name);
        for (final E value : type.getEnumConstants())
        {
            if (value.name().equals(text))
            {
                return value;
            }
        }
        final List<String> names = new ArrayList<>();
        for (final E value : type.getEnumConstants())
        {
            names.add(value.name());
        }
        throw new ConfigException(child(name), "must be one of " + String.join(", ", names) + ": " + text);
    }

    /** Exactly {@code bytes} bytes as hex digits. */
    byte[] hex(final String name, final int bytes)
    {
        return hexValue(child(name), string(name), bytes);
    }

    static byte[] hexValue(final String path, final String text, final int bytes)
    {
        if (text.length() != 2 * bytes || !text.matches("[0-9a-fA-F]*"))
        {
            throw new ConfigException(path, "must be " + 2 * bytes + " hex digits (" + bytes + " bytes)");
        }
        return HexFormat.of().parseHex(text);
    }

    /**
     * A decimal amount as a string with at most {@code decimals} places (e.g. USDC "2500.5"), in
     * integer units of 10^-decimals; at least {@code min} units.
     */
    long decimal(final String name, final int decimals, final long min)
    {
        final JsonNode value = required(name);
        if (!value.isTextual())
        {
            throw new ConfigException(child(name), "must be a decimal string, e.g. \"2500.50\" (quoted: no floating point)");
        }
        final String text = value.asText();
        if (!text.matches("-?[0-9]+(\\.[0-9]+)?"))
        {
            throw new ConfigException(child(name), "must be a decimal number: " + text);
        }
        final BigDecimal amount = new BigDecimal(text);
        if (amount.scale() > decimals)
        {
            throw new ConfigException(child(name), "has more than " + decimals + " decimal places: " + text);
        }
        final BigDecimal units = amount.movePointRight(decimals);
        if (units.compareTo(BigDecimal.valueOf(min)) < 0 || units.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0)
        {
            throw new ConfigException(child(name), "must be from " + BigDecimal.valueOf(min).movePointLeft(decimals).toPlainString() +
                " to " + BigDecimal.valueOf(Long.MAX_VALUE).movePointLeft(decimals).toPlainString() + ": " + text);
        }
        return units.longValueExact();
    }
}
