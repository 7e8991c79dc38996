package io.perpetua.gateway.trading;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Set;

/**
 * Strict reading of one request's fields: unknown fields, wrong types and out-of-range values each
 * raise a {@link TradingException} naming the field.
 */
final class RequestFields
{
    private final JsonNode request;

    RequestFields(final JsonNode request, final Set<String> allowed)
    {
        this.request = request;
        for (final Iterator<String> names = request.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            if (!allowed.contains(name))
            {
                throw new TradingException(ErrorCode.UNKNOWN_FIELD, name.equals("accountId") ?
                    "accountId is not accepted: requests act for the logged-in account" :
                    "unknown field: " + name);
            }
        }
    }

    boolean has(final String name)
    {
        return request.has(name);
    }

    String string(final String name)
    {
        final JsonNode value = request.get(name);
        if (value == null)
        {
            throw new TradingException(ErrorCode.MISSING_FIELD, name + " is required");
        }
        if (!value.isTextual())
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, name + " must be a string");
        }
        return value.asText();
    }

    String optionalString(final String name)
    {
        return request.has(name) ? string(name) : null;
    }

    <E extends Enum<E>> E choice(final String name, final Class<E> type, final E absent, final Set<E> allowed)
    {
        if (!request.has(name))
        {
            if (absent == null)
            {
                throw new TradingException(ErrorCode.MISSING_FIELD, name + " is required (one of " + allowed + ")");
            }
            return absent;
        }
        final String text = string(name);
        for (final E value : allowed)
        {
            if (value.name().equals(text))
            {
                return value;
            }
        }
        throw new TradingException(ErrorCode.INVALID_FIELD, name + " must be one of " + allowed + ": " + text);
    }

    boolean bool(final String name, final boolean absent)
    {
        final JsonNode value = request.get(name);
        if (value == null)
        {
            return absent;
        }
        if (!value.isBoolean())
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, name + " must be true or false");
        }
        return value.asBoolean();
    }

    /** A JSON integer from {@code min} to {@code Long.MAX_VALUE}, or {@code absent} if missing. */
    long integer(final String name, final long min, final long absent)
    {
        final JsonNode value = request.get(name);
        if (value == null)
        {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min)
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, name + " must be an integer from " + min + " to " +
                Long.MAX_VALUE + ": " + value);
        }
        return value.asLong();
    }

    long requiredInteger(final String name, final long min)
    {
        if (!request.has(name))
        {
            throw new TradingException(ErrorCode.MISSING_FIELD, name + " is required");
        }
        return integer(name, min, 0);
    }

    /** An order id: a decimal string (ids are 64-bit, beyond JavaScript's exact integers) or an integer. */
    long orderId(final String name)
    {
        final JsonNode value = request.get(name);
        if (value.isIntegralNumber())
        {
            return integer(name, 1, 0);
        }
        final String text = string(name);
        try
        {
            final long id = Long.parseLong(text);
            if (id >= 1 && text.matches("[0-9]+"))
            {
                return id;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new TradingException(ErrorCode.INVALID_FIELD, name + " must be a positive 64-bit integer: " + text);
    }

    /** A decimal string converted by {@code parser} into integer units. */
    long decimal(final String name, final java.util.function.ToLongFunction<String> parser)
    {
        final String text = string(name);
        try
        {
            return parser.applyAsLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new TradingException(ErrorCode.INVALID_FIELD, name + ": " + ex.getMessage());
        }
    }
}
