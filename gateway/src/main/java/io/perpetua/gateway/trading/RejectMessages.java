package io.perpetua.gateway.trading;

import io.perpetua.core.sbe.RejectReason;

/** A sentence for each of the engine's reject codes, for the {@code message} of an error. */
public final class RejectMessages
{
    private RejectMessages()
    {
    }

    public static String of(final RejectReason reason)
    {
        return switch (reason)
        {
            case MALFORMED_COMMAND -> "the command was not well-formed";
            case UNKNOWN_MARKET -> "no such market";
            case BAD_TICK -> "price is not a positive multiple of the market's tick size";
            case BAD_LOT -> "size is not a positive multiple of the market's step size";
            case SIZE_OUT_OF_RANGE -> "size is zero, negative, below the market's minimum or above its maximum";
            case PRICE_BAND -> "price is too far from the market's reference price";
            case INSUFFICIENT_MARGIN -> "not enough margin for this order";
            case REDUCE_ONLY_WOULD_INCREASE -> "a reduce-only order would increase the position";
            case POST_ONLY_WOULD_CROSS -> "a post-only order would trade immediately";
            case FOK_NOT_FILLABLE -> "a fill-or-kill order cannot be filled completely";
            case DUPLICATE_CLIENT_ID -> "an open order of this account already has this client order id";
            case UNKNOWN_ORDER -> "no open order with this id for this account and market";
            case RATE_LIMITED -> "too many requests";
            case MARKET_HALTED -> "the market is halted: only cancels are accepted";
            case NOTIONAL_TOO_LARGE -> "order value is above the market's maximum notional";
            case OVERFLOW -> "the order's value would overflow";
            case INVALID_ORDER -> "contradictory order fields (for example post-only with IOC, FOK or market)";
            case EXPIRED_ON_ARRIVAL -> "the expiry is not after the exchange's time";
            case NO_REFERENCE_PRICE -> "market orders need a reference price, and this market has none yet";
            case INVALID_AMEND -> "the amend changes nothing or combines size with reduceBy";
            case MARKET_EXISTS -> "the market exists";
            case INVALID_MARKET_SPEC -> "invalid market parameters";
            case BOOK_FULL -> "the exchange's order capacity is exhausted";
            case TOO_MANY_OPEN_ORDERS -> "the account holds the most open orders allowed: cancel some first";
            case UNKNOWN_ACCOUNT -> "no such account";
            case PRICE_OUT_OF_RANGE -> "price is too far from the other resting prices of its side";
            // Codes added by later schema versions read as their names until they get a sentence here.
            default -> reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }
}
