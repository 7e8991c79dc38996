package io.perpetua.gateway.marketdata;

import io.perpetua.core.sbe.MarketStatus;

/**
 * A market's spec as the last {@code MarketConfigured} event stated it, with the decimal units the
 * gateway presents it in.
 */
public record MarketInfo(
    int marketId,
    String symbol,
    long tickSize,
    long lotSize,
    int quoteScaleExponent,
    long minSize,
    long maxSize,
    long maxNotional,
    int priceBandPpm,
    int makerFeePpm,
    int takerFeePpm,
    long referencePrice,
    boolean selfTradeAllowed,
    MarketStatus status,
    MarketUnits units)
{
}
