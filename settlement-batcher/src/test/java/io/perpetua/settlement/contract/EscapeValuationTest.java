package io.perpetua.settlement.contract;

import java.util.List;
import java.util.Map;

import io.perpetua.risk.ledger.Funding;
import io.perpetua.settlement.batch.BatchBlob;
import io.perpetua.settlement.tree.Leaf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The escape payout in exact integers: funding rounds against the account, anything out of range is refused. */
class EscapeValuationTest
{
    private static final byte[] KEY = new byte[Leaf.KEY_LENGTH];

    private static Map<Integer, BatchBlob.MarketPrice> market(final long markTicks, final long fundingIndex)
    {
        return Map.of(1, new BatchBlob.MarketPrice(1, markTicks, 1_000, fundingIndex));
    }

    private static Leaf leaf(final long balance, final long sizeLots, final long cachedIndex)
    {
        return new Leaf(KEY, balance, List.of(new Leaf.Position(1, sizeLots, cachedIndex)));
    }

    @Test
    void pendingFundingRoundsInTheExchangesFavourBothWays() throws ContractException
    {
        // Index moved by 3 x INDEX_SCALE + 1 since the cache: 3 lots owe 9 and a bit, so 10; a short of 3 lots is owed 9.
        final long index = 3 * Funding.INDEX_SCALE + 1;
        assertEquals(1_000 + 3 * 50 * 1_000 - 10, EscapeValuation.value(leaf(1_000, 3, 0), market(50, index)));
        assertEquals(1_000 - 3 * 50 * 1_000 + 9, EscapeValuation.value(leaf(1_000, -3, 0), market(50, index)));
        // A falling index pays longs: the long is owed 9 (rounded down), the short owes 10 (rounded up).
        assertEquals(1_000 + 3 * 50 * 1_000 + 9, EscapeValuation.value(leaf(1_000, 3, index), market(50, 0)));
        assertEquals(1_000 - 3 * 50 * 1_000 - 10, EscapeValuation.value(leaf(1_000, -3, index), market(50, 0)));
        assertEquals(7, EscapeValuation.value(new Leaf(KEY, 7, List.of()), Map.of()), "no positions: the balance");
    }

    @Test
    void outOfRangeArithmeticAndUnpricedPositionsAreRefused()
    {
        assertEquals(ContractException.Reason.OVERFLOW, assertThrows(ContractException.class,
            () -> EscapeValuation.value(leaf(0, Long.MAX_VALUE / 1_000, 0), market(2, 0))).reason(), "notional");
        assertEquals(ContractException.Reason.OVERFLOW, assertThrows(ContractException.class,
            () -> EscapeValuation.value(leaf(0, 1, Long.MIN_VALUE), market(1, Long.MAX_VALUE))).reason(), "index difference");
        assertEquals(ContractException.Reason.OVERFLOW, assertThrows(ContractException.class,
            () -> EscapeValuation.value(leaf(0, Long.MAX_VALUE / 1_000, 0), market(0, Long.MAX_VALUE))).reason(), "payment");
        assertEquals(ContractException.Reason.OVERFLOW, assertThrows(ContractException.class,
            () -> EscapeValuation.value(leaf(Long.MAX_VALUE, 1, 0), market(1, 0))).reason(), "sum");
        assertEquals(ContractException.Reason.UNPRICED_POSITION, assertThrows(ContractException.class,
            () -> EscapeValuation.value(leaf(1_000, 1, 0), Map.of())).reason());
    }
}
