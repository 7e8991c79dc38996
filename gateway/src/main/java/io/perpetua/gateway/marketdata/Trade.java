package io.perpetua.gateway.marketdata;

import io.perpetua.core.sbe.OrderType;
import io.perpetua.core.sbe.Side;

/**
 * One fill as public market data.
 *
 * @param takerSide  the aggressor's side
 * @param takerType  the taker order's type (an amended order re-entering the book is a limit order)
 * @param sequence   the command that caused it (the indexer's "height")
 */
public record Trade(
    long tradeId,
    long sequence,
    long timestampNs,
    Side takerSide,
    OrderType takerType,
    long price,
    long size,
    long quote)
{
}
