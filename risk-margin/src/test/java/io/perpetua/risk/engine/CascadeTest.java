package io.perpetua.risk.engine;

import io.perpetua.core.sbe.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.perpetua.risk.engine.RiskHarness.COIN;
import static io.perpetua.risk.engine.RiskHarness.USD;
import static io.perpetua.risk.engine.RiskHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A liquidation cascade worked by hand (MECHANICS §5). Three longs bought from account 49 at $100
 * (IMF 5%, MMF 3%, no fees): 41 holds 15 coins on $100, 42 holds 5 on $25, 43 holds 10 on $60.
 * Account 48 bids 12 coins at $95 and 5 at $94. The mark drops to $96, then to $93; after each drop
 * the test submits Liquidate for every liquidatable account in ascending id, as the monitor does.
 * The fund first earns a fee, then pays a shortfall, and when it can no longer cover the worst case
 * the rest is deleveraged against 49. The harness checks conservation and longs = shorts after
 * every command.
 */
class CascadeTest
{
    @Test
    void aSharpDropLiquidatesSeveralAccountsInTurn()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(41, 100 * USD);
        h.deposit(42, 25 * USD);
        h.deposit(43, 60 * USD);
        h.deposit(48, 10_000 * USD);
        h.deposit(49, 100_000 * USD);
        expectNoReject(h.limit(49, 1, Side.SELL, 100 * USD, 30 * COIN));
        expectNoReject(h.limit(41, 1, Side.BUY, 100 * USD, 15 * COIN));
        expectNoReject(h.limit(42, 1, Side.BUY, 100 * USD, 5 * COIN));
        expectNoReject(h.limit(43, 1, Side.BUY, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(48, 1, Side.BUY, 95 * USD, 12 * COIN));
        expectNoReject(h.limit(48, 1, Side.BUY, 94 * USD, 5 * COIN));

        // ---- $96: NC 40 / MMR 43.20, NC 5 / MMR 14.40, NC 20 / MMR 28.80: all three are liquidatable.
        h.oracle(1, 96 * USD);
        assertEquals(List.of(41L, 42L, 43L), h.liquidatable());

        // 41 as in LiquidationScenarioTest: 10,417 lots at $95, the fund keeps its capped fee, 14,844,225.
        final List<String> first = h.liquidate(41);
        assertTrue(first.contains("Insurance account=41 LIQUIDATION_FEE 14844225 fund=14844225"), first.toString());

        // 42: whole (5 coins, $480 < $1,000). Bankruptcy 480,000,000 - 5,000,000 = 475,000,000 ($95). Fillable:
        // 1.5 x 9,400,000 / 5,000 = 2,820 a lot -> $93; worst shortfall 475,000,000 - 465,000,000 = 10,000,000
        // <= fund, so the limit is $93. Fills: 1,583 lots at $95 (150,385,000) and 3,417 at $94 (321,198,000):
        // received 471,583,000, 3,417,000 short of bankruptcy, which the fund pays. 42 ends at exactly 0.
        final List<String> second = h.liquidate(42);
        assertTrue(second.contains("LiquidationStep account=42 nc=5000000 mmr=14400000 SELL size=5000 limit=93000000 " +
            "bankruptcy=475000000 filled=5000 received=471583000 adl=0"), second.toString());
        assertTrue(second.contains("Insurance account=42 SHORTFALL -3417000 fund=11427225"), second.toString());
        assertEquals(0, h.balance(42));

        // 43: whole. Bankruptcy 960,000,000 - 20,000,000 = 940,000,000 ($94); fillable 1.5 x 8,800,000 / 10,000
        // = 1,320 a lot -> $94 too. The last 1,583 lots bid at $94 fill at bankruptcy: no fee, no shortfall.
        // Then NC = -940,000,000 + 148,802,000 + 8,417 x 96,000 = 16,834,000: not bankrupt, and the fund could
        // pay the worst case, so nothing is deleveraged; a second slice of the 8,417 lots (MMR 24,240,960,
        // bankruptcy 808,032,000 - 16,834,000 = 791,198,000, limit $94) finds no bid and the command stops.
        final List<String> third = h.liquidate(43);
        assertEquals(List.of(
            "LiquidationStep account=43 nc=20000000 mmr=28800000 SELL size=10000 limit=94000000 bankruptcy=940000000 " +
                "filled=1583 received=148802000 adl=0",
            "LiquidationStep account=43 nc=16834000 mmr=24240960 SELL size=8417 limit=94000000 bankruptcy=791198000 " +
                "filled=0 received=0 adl=0"), RiskHarness.liquidationSteps(third));
        assertEquals(11_427_225L, h.risk.ledger().insuranceBalance());
        assertEquals(List.of(43L), h.liquidatable());

        // ---- $93, an empty book.
        h.oracle(1, 93 * USD);
        assertEquals(List.of(41L, 43L), h.liquidatable());
        // 41: 4,583 lots, balance -425,229,225: NC = -425,229,225 + 426,219,000 = 989,775; MMR 12,786,570.
        // Bankruptcy 426,219,000 - 989,775 = 425,229,225. Fillable: 1.5 x 11,796,795 / 4,583 = 3,861.05 -> 3,862 a
        // lot -> $89, where the shortfall could reach 425,229,225 - 407,887,000 = 17,342,225 > fund 11,427,225:
        // the limit becomes the bankruptcy price, ceil(425,229,225 / 4,583,000) = $93. No bid: the fund cannot pay,
        // so 49, the only short, takes all 4,583 lots at the bankruptcy quote.
        final List<String> fourth = h.liquidate(41);
        assertEquals(List.of("LiquidationStep account=41 nc=989775 mmr=12786570 SELL size=4583 limit=93000000 " +
            "bankruptcy=425229225 filled=0 received=0 adl=4583"), RiskHarness.liquidationSteps(fourth));
        assertTrue(fourth.contains("Deleveraged 41 against 49 size=4583 quote=425229225"), fourth.toString());
        // 43: NC = -791,198,000 + 782,781,000 = -8,417,000 (bankrupt); MMR 23,483,430; bankruptcy 791,198,000 ($94).
        final List<String> fifth = h.liquidate(43);
        assertEquals(List.of("LiquidationStep account=43 nc=-8417000 mmr=23483430 SELL size=8417 limit=94000000 " +
            "bankruptcy=791198000 filled=0 received=0 adl=8417"), RiskHarness.liquidationSteps(fifth));
        assertTrue(fifth.contains("Deleveraged 43 against 49 size=8417 quote=791198000"), fifth.toString());

        // Every long is closed at exactly zero; 48 holds the 17 coins it bought, 49 the 17 it is still short.
        assertEquals(List.of(), h.liquidatable());
        for (final long id : new long[] {41, 42, 43})
        {
            assertEquals(0, h.balance(id));
            assertEquals(0, h.size(id, 1));
        }
        assertEquals(17 * COIN, h.size(48, 1));
        assertEquals(-17 * COIN, h.size(49, 1));
        assertEquals(11_427_225L, h.risk.ledger().insuranceBalance());
        // 49 received 3,000 for 30 coins and paid the two bankruptcy quotes.
        assertEquals(100_000 * USD + 3_000 * USD - 425_229_225L - 791_198_000L, h.balance(49));
    }
}
