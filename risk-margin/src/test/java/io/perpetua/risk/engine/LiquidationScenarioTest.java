package io.perpetua.risk.engine;

import io.perpetua.core.sbe.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.perpetua.risk.engine.RiskHarness.COIN;
import static io.perpetua.risk.engine.RiskHarness.USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Liquidation worked by hand: every figure below is computed in the comments from MECHANICS §3 and §5. */
class LiquidationScenarioTest
{
    @Test
    void aLongAt15xIsLiquidatedInASliceAtTheFillablePriceAndTheFundKeepsTheCappedFee()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(1, 100 * USD);
        h.deposit(2, 10_000 * USD);
        RiskHarness.expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 15 * COIN));
        // A buys 15 coins at $100: notional $1,500, IMR 5% = $75 <= NC $100.
        RiskHarness.expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 15 * COIN));
        assertEquals(15 * COIN, h.size(1, 1));
        assertEquals(-1_400 * USD, h.balance(1));

        // At $96: NC = -1,400 + 15 x 96 = $40; MMR = 3% x 1,440 = $43.20 -> liquidatable.
        h.oracle(1, 96 * USD);
        RiskHarness.expectNoReject(h.limit(2, 1, Side.BUY, 95 * USD, 20 * COIN));
        final List<String> events = h.liquidate(1);

        // Slice: max(10% x $1,440, $1,000) = $1,000 -> ceil(1,000 / 0.096) = 10,417 lots.
        // Bankruptcy quote: 10,417 x 96,000 - ceil(40e6 x 10,417 / 15,000) = 1,000,032,000 - 27,778,667.
        // Fillable: 1.5 x (43.2 - 40) / 15 = $0.32 per coin -> 1 tick below the mark: $95.
        assertTrue(events.contains("LiquidationStep account=1 nc=40000000 mmr=43200000 SELL size=10417 limit=95000000 " +
            "bankruptcy=972253333 filled=10417 received=989615000 adl=0"), events.toString());
        // Surplus 989,615,000 - 972,253,333 = 17,361,667; fee cap 1.5% x 989,615,000 = 14,844,225.
        assertTrue(events.contains("Insurance account=1 LIQUIDATION_FEE 14844225 fund=14844225"), events.toString());
        assertEquals(4_583, h.size(1, 1));
        assertEquals(100 * USD - 1_500 * USD + 989_615_000L - 14_844_225L, h.balance(1));
        // Then NC = -425,229,225 + 4,583 x 96,000 = 14,738,775 >= MMR 13,199,040: the command stops there.
        assertEquals("Rejected NOT_LIQUIDATABLE", h.liquidate(1).get(0));
    }
}
