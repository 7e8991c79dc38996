package io.perpetua.core.engine;

import io.perpetua.core.sbe.FundingTickEncoder;
import io.perpetua.core.sbe.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the funding processor's command (schema version 2) for submission; sequence and
 * timestamp are left 0 for the sequencer. One instance per thread; nothing is allocated.
 */
public final class FundingCommandEncoder
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FundingTickEncoder fundingTick = new FundingTickEncoder();

    /**
     * @param rate8hPpb     the 8-hour rate in parts per billion (positive: longs pay shorts)
     * @param fundingTimeNs end of the funding period the tick is for (command time, not wall clock)
     */
    public int fundingTick(
        final MutableDirectBuffer buffer, final int offset, final int marketId, final long rate8hPpb, final long fundingTimeNs)
    {
        fundingTick.wrapAndApplyHeader(buffer, offset, header)
            .sequence(0)
            .timestampNs(0)
            .marketId(marketId)
            .rate8hPpb(rate8hPpb)
            .fundingTimeNs(fundingTimeNs);
        return MessageHeaderEncoder.ENCODED_LENGTH + fundingTick.encodedLength();
    }
}
