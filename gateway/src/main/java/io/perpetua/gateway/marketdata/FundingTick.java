package io.perpetua.gateway.marketdata;

/**
 * One applied funding tick of a market, from its {@code FundingTickApplied} event.
 *
 * @param sequence      the command that applied it (the indexer's "height")
 * @param timestampNs   that command's time
 * @param fundingTimeNs end of the funding period the tick is for (command time)
 * @param rate8hPpb     the 8-hour rate in parts per billion; the tick moves the index by one eighth of it
 * @param markPrice     the mark price (price units) the index increment used
 */
public record FundingTick(long sequence, long timestampNs, long fundingTimeNs, long rate8hPpb, long markPrice)
{
}
