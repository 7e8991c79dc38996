package io.perpetua.funding;

import io.perpetua.core.engine.CommandAdapter;
import io.perpetua.core.engine.FundingCommandEncoder;
import io.perpetua.core.sbe.FundingTickDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.perpetua.funding.FundingHarness.USD;
import static io.perpetua.funding.FundingHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FundingTick command's encoding and structural check, and the history a processor reads back. */
class FundingCommandTest
{
    private static final long HOUR = 3_600_000_000_000L;

    @Test
    void aFundingTickIsWellFormedAndATruncatedOneIsNot()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128);
        final int length = new FundingCommandEncoder().fundingTick(buffer, 0, 3, -42, HOUR);
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + FundingTickDecoder.BLOCK_LENGTH, length);
        assertTrue(CommandAdapter.isWellFormed(buffer, 0, length));
        assertFalse(CommandAdapter.isWellFormed(buffer, 0, length - 1), "truncated body");
        // A block shorter than the template's.
        buffer.putShort(0, (short)(FundingTickDecoder.BLOCK_LENGTH - 8));
        assertFalse(CommandAdapter.isWellFormed(buffer, 0, length));
        buffer.putShort(0, (short)FundingTickDecoder.BLOCK_LENGTH);
        final FundingTickDecoder decoder = new FundingTickDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, FundingTickDecoder.BLOCK_LENGTH, FundingTickDecoder.SCHEMA_VERSION);
        assertEquals(3, decoder.marketId());
        assertEquals(-42, decoder.rate8hPpb());
        assertEquals(HOUR, decoder.fundingTimeNs());
    }

    @Test
    void theHistoryHoldsEveryTickPerMarketAndEveryPaymentPerAccount()
    {
        final FundingHarness h = new FundingHarness();
        h.market(1, 100_000, 50_000);
        expectNoReject(h.oracle(1, 100 * USD));
        expectNoReject(h.deposit(1, 1_000 * USD));
        expectNoReject(h.deposit(2, 1_000 * USD));
        h.trade(2, 1, 1, 100 * USD, 3);
        expectNoReject(h.fundingTick(1, 100_000, HOUR));
        expectNoReject(h.fundingTick(1, -300_000, 2 * HOUR));
        // Index 1e10 then 1e10 - 3e10 = -2e10: the long of 3 lots receives floor(3 x 2.5) = 7, the short pays 8.
        expectNoReject(h.setLeverage(1, 1, 5));
        expectNoReject(h.setLeverage(2, 1, 5));
        final FundingProcessor processor = new FundingProcessor(market -> FundingConfig.defaults(), (m, r, t) -> true);
        for (final byte[] document : h.documents)
        {
            processor.onDocument(new UnsafeBuffer(document), 0, document.length);
        }
        final FundingHistory history = processor.history();
        final List<FundingHistory.Tick> ticks = history.ticks(1);
        assertEquals(2, ticks.size());
        assertEquals(new FundingHistory.Tick(ticks.get(0).sequence(), 1, HOUR, 100_000, 100 * USD, 10_000_000_000L),
            ticks.get(0));
        assertEquals(-20_000_000_000L, ticks.get(1).fundingIndex());
        assertEquals(-300_000, ticks.get(1).rate8hPpb());
        assertEquals(1, history.payments(1).size());
        assertEquals(7, history.payments(1).get(0).amount());
        assertEquals(3, history.payments(1).get(0).size());
        assertEquals(-8, history.total(2, 1));
        assertEquals(2, history.tickCount());
        assertEquals(List.of(), history.payments(3));
        // One quantum of dust went to the fund once both settled.
        assertEquals(1, h.risk.ledger().insuranceBalance());
    }
}
