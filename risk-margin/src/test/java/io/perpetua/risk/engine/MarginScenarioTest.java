package io.perpetua.risk.engine;

import io.perpetua.core.sbe.Side;
import io.perpetua.risk.liquidation.Deleverager;
import io.perpetua.risk.margin.LiquidationPrice;
import io.perpetua.risk.margin.MarginCalculator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.perpetua.risk.engine.RiskHarness.COIN;
import static io.perpetua.risk.engine.RiskHarness.USD;
import static io.perpetua.risk.engine.RiskHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Worked margin scenarios (MECHANICS §3 and §5), every figure computed by hand in the comments and
 * the rows, then asserted exactly. Units as in {@link RiskHarness}: one tick-lot is 1,000 quantums,
 * so a notional is lots x price-in-dollars x 1,000.
 */
class MarginScenarioTest
{
    /**
     * Account 1 deposits $1,000 and opens, against account 9: long 5 coins of M1 at $100, short 20
     * coins of M2 at $20, long 4.001 coins of M3 at $50. Balance: 1,000 - 500 + 400 - 200.05 =
     * $699.95. M1: IMF 5%, MMF 3%; M2: IMF 10%, MMF 5%; M3: IMF 6.6667%, MMF 3.3333% (so rounding
     * shows). NC = balance + sum(size x mark); IMR and MMR sum each position's requirement rounded
     * up; free collateral = NC - IMR.
     */
    @ParameterizedTest(name = "marks {0}/{1}/{2} leverage M2 {3}")
    @CsvSource({
        // m1, m2, m3, lev2, NC, IMR, MMR, free
        // NC = 699,950,000 + 500,000,000 - 400,000,000 + 200,050,000 = 1,000,000,000.
        // IMR = 25,000,000 + 40,000,000 + ceil(13,336,733.35) = 78,336,734.
        // MMR = 15,000,000 + 20,000,000 + ceil(6,668,266.65) = 41,668,267.
        "100, 20, 50, 0, 1000000000, 78336734, 41668267, 921663266",
        // NC = 699,950,000 + 520,000,000 - 420,000,000 + 188,047,000 = 987,997,000.
        // IMR = 26,000,000 + 42,000,000 + ceil(12,536,529.349) = 80,536,530.
        // MMR = 15,600,000 + 21,000,000 + ceil(6,268,170.651) = 42,868,171.
        "104, 21, 47, 0, 987997000, 80536530, 42868171, 907460470",
        // Leverage 4 in M2: IMF = max(10%, 1/4) = 25% -> 105,000,000 instead of 42,000,000; MMR unchanged.
        "104, 21, 47, 4, 987997000, 143536530, 42868171, 844460470",
        // NC = 699,950,000 + 450,000,000 - 500,000,000 + 160,040,000 = 809,990,000.
        // IMR = 22,500,000 + 50,000,000 + ceil(10,669,386.68) = 83,169,387.
        // MMR = 13,500,000 + 25,000,000 + ceil(5,334,613.32) = 43,834,614.
        "90, 25, 40, 0, 809990000, 83169387, 43834614, 726820613",
    })
    void crossAccountWithThreePositions(
        final long m1, final long m2, final long m3, final int leverage2, final long nc, final long imr, final long mmr,
        final long free)
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.market(2, 0, 0, 100_000, 50_000);
        h.market(3, 0, 0, 66_667, 33_333);
        h.oracle(1, 100 * USD);
        h.oracle(2, 20 * USD);
        h.oracle(3, 50 * USD);
        h.deposit(1, 1_000 * USD);
        h.deposit(9, 100_000 * USD);
        expectNoReject(h.limit(9, 1, Side.SELL, 100 * USD, 5 * COIN));
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 5 * COIN));
        expectNoReject(h.limit(9, 2, Side.BUY, 20 * USD, 20 * COIN));
        expectNoReject(h.limit(1, 2, Side.SELL, 20 * USD, 20 * COIN));
        expectNoReject(h.limit(9, 3, Side.SELL, 50 * USD, 4_001));
        expectNoReject(h.limit(1, 3, Side.BUY, 50 * USD, 4_001));
        assertEquals(699_950_000L, h.balance(1));

        expectNoReject(h.oracle(1, m1 * USD));
        expectNoReject(h.oracle(2, m2 * USD));
        expectNoReject(h.oracle(3, m3 * USD));
        if (leverage2 != 0)
        {
            assertEquals(List.of("Leverage account=1 market=2 " + leverage2), h.setLeverage(1, 2, leverage2));
        }
        final MarginCalculator calculator = h.risk.newCalculator();
        assertTrue(calculator.evaluate(h.account(1)));
        assertEquals(nc, calculator.netCollateral);
        assertEquals(imr, calculator.initialMargin);
        assertEquals(mmr, calculator.maintenanceMargin);
        assertEquals(free, calculator.freeCollateral());

        // Free collateral is exactly what may leave: one quantum more is refused, all of it is paid out.
        h.expectReject("INSUFFICIENT_COLLATERAL", () -> h.withdraw(1, free + 1, 1));
        assertEquals(List.of("Collateral account=1 WITHDRAWAL " + -free + " balance=" + (699_950_000L - free)),
            h.withdraw(1, free, 2));
        assertTrue(calculator.evaluate(h.account(1)));
        assertEquals(0, calculator.freeCollateral());
    }

    /**
     * Open-interest scaling (MECHANICS §3): above the lower cap (10 coins) the IMF rises linearly from 5% to
     * 100% at the upper cap (20 coins). The placement check charges the IMF at the open interest the
     * order could reach (today's plus its size), so an order cannot pass at today's IMF and leave its
     * account below the IMF its own trade brings about.
     */
    @Test
    void openInterestScalingCountsTheOrdersOwnOpenInterest()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        expectNoReject(h.submit(h.accounts.configureRisk(h.buffer, 0, 1, 50_000, 30_000, 10 * COIN, 20 * COIN, 15_000,
            100_000, 1_000 * USD, 100_000 * USD, 1_500_000)));
        h.oracle(1, 100 * USD);
        h.deposit(1, 100 * USD);
        h.deposit(2, 10_000 * USD);
        h.deposit(9, 100_000 * USD);
        expectNoReject(h.limit(9, 1, Side.SELL, 100 * USD, 20 * COIN));
        // 5 coins: open interest at most 5 -> IMF 5%, IMR $25.
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 5 * COIN));
        assertEquals(5 * COIN, h.risk.ledger().openInterestLots(1));
        // 10 more: open interest up to 15 -> IMF 5% + ceil(95% x 5 / 10) = 52.5%, IMR $787.50 > NC $100.
        h.expectReject("INSUFFICIENT_MARGIN", () -> h.limit(1, 1, Side.BUY, 100 * USD, 10 * COIN));
        // 5 more: up to 10, the lower cap itself -> still 5%: IMR $50.
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 5 * COIN));
        // Account 2 buys 1: open interest 11 -> IMF 5% + 95% x 1 / 10 = 14.5%; its IMR $14.50.
        expectNoReject(h.limit(2, 1, Side.BUY, 100 * USD, 1 * COIN));
        final MarginCalculator calculator = h.risk.newCalculator();
        assertTrue(calculator.evaluate(h.account(2)));
        assertEquals(14_500_000L, calculator.initialMargin);
        // The scaled IMF applies to everyone's position: account 1 now needs $145 (but only MMR $30 to stay).
        assertTrue(calculator.evaluate(h.account(1)));
        assertEquals(145 * USD, calculator.initialMargin);
        assertEquals(30 * USD, calculator.maintenanceMargin);
    }

    @ParameterizedTest(name = "size {0} f {2} C {3} M {4} -> {5}")
    @CsvSource({
        // Long 10 coins, MMF 3%, rest of the account C = -$900, M = $10:
        // p >= (10 + 900) x 10^6 x 10^6 / (1,000 x 10,000 x 970,000) = 93.81 -> 94 (up, against a long).
        "10000, 1000, 30000, -900000000, 10000000, 94",
        // Short 10 coins, MMF 5%, C = $300, M = $30: p <= 270 x 10^12 / (10^7 x 1,050,000) = 25.71 -> 25 (down).
        "-10000, 1000, 50000, 300000000, 30000000, 25",
        // Long 1 coin bought at $100 with $3: p >= 97 x 10^12 / (10^6 x 970,000) = 100 exactly.
        "1000, 1000, 30000, -97000000, 0, 100",
        // A long whose rest covers its requirement cannot be liquidated by any fall.
        "1000, 1000, 30000, 1000000, 0, 0",
        // A short whose rest is already short of its requirement is liquidatable at any price.
        "-1000, 1000, 30000, -1000000, 0, 0",
        // MMF 100%: a long's NC - MMR no longer depends on its price.
        "1000, 1000, 1000000, -97000000, 0, 0",
        "0, 1000, 30000, -97000000, 0, 0",
    })
    void liquidationPriceByHand(
        final long sizeLots, final long quantumsPerTickLot, final long mmfPpm, final long others, final long othersMaintenance,
        final long expectedTicks)
    {
        assertEquals(expectedTicks, new LiquidationPrice().ticks(sizeLots, quantumsPerTickLot, mmfPpm, others, othersMaintenance));
    }

    /**
     * Account 1: $100, long 10 coins of M1 at $100 (MMF 3%) and short 10 coins of M2 at $20 (MMF 5%);
     * balance 100 - 1,000 + 200 = -$700. The liquidation prices of the first two rows above, checked
     * against the engine: at the price the account is not liquidatable, one tick beyond it is.
     */
    @Test
    void liquidationPricesAreTheEngineBoundary()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.market(2, 0, 0, 100_000, 50_000);
        h.oracle(1, 100 * USD);
        h.oracle(2, 20 * USD);
        h.deposit(1, 100 * USD);
        h.deposit(9, 100_000 * USD);
        expectNoReject(h.limit(9, 1, Side.SELL, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(9, 2, Side.BUY, 20 * USD, 10 * COIN));
        // IMR after: 5% x 1,000 + 10% x 200 = $70 <= NC $100.
        expectNoReject(h.limit(1, 2, Side.SELL, 20 * USD, 10 * COIN));
        assertEquals(-700 * USD, h.balance(1));

        final MarginCalculator calculator = h.risk.newCalculator();
        // The rest of the account seen from M1: evaluate without the M1 position.
        assertTrue(calculator.evaluate(h.account(1), 1, -10 * COIN, 0));
        assertEquals(-900 * USD, calculator.netCollateral);
        assertEquals(10 * USD, calculator.maintenanceMargin);
        assertEquals(94, new LiquidationPrice().ticks(10 * COIN, 1_000, 30_000, calculator.netCollateral,
            calculator.maintenanceMargin));
        // At $94: NC = -700 + 940 - 200 = $40 >= MMR 28.20 + 10 = $38.20. At $93: NC $30 < MMR $37.90.
        h.oracle(1, 94 * USD);
        assertLiquidatable(h, 1, false);
        h.oracle(1, 93 * USD);
        assertLiquidatable(h, 1, true);
        h.oracle(1, 100 * USD);

        // From M2: C = -700 + 1,000 = $300, M = $30.
        assertTrue(calculator.evaluate(h.account(1), 2, 10 * COIN, 0));
        assertEquals(300 * USD, calculator.netCollateral);
        assertEquals(30 * USD, calculator.maintenanceMargin);
        assertEquals(25, new LiquidationPrice().ticks(-10 * COIN, 1_000, 50_000, calculator.netCollateral,
            calculator.maintenanceMargin));
        // At $25: NC = -700 + 1,000 - 250 = $50 >= MMR 30 + 12.50. At $26: NC $40 < MMR 30 + 13.
        h.oracle(2, 25 * USD);
        assertLiquidatable(h, 1, false);
        h.oracle(2, 26 * USD);
        assertLiquidatable(h, 1, true);
    }

    private static void assertLiquidatable(final RiskHarness h, final long accountId, final boolean expected)
    {
        final MarginCalculator calculator = h.risk.newCalculator();
        assertTrue(calculator.evaluate(h.account(accountId)));
        assertEquals(expected, calculator.liquidatable(), "NC " + calculator.netCollateral + " MMR " +
            calculator.maintenanceMargin);
    }

    /**
     * Insurance-fund gain, then loss. Account 1 is the existing worked case: long 15 at $100 with
     * $100, liquidated at $96 into a bid at $95, the fund keeps its capped fee of 14,844,225.
     * Account 3: $25, long 5 coins at $100 (IMR 5% x 500 = $25, exactly enough); balance -$475.
     */
    @Test
    void insuranceFundPaysASliceFilledBelowTheBankruptcyPrice()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(1, 100 * USD);
        h.deposit(2, 10_000 * USD);
        h.deposit(3, 25 * USD);
        h.deposit(4, 10_000 * USD);
        expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 20 * COIN));
        expectNoReject(h.limit(1, 1, Side.BUY, 100 * USD, 15 * COIN));
        expectNoReject(h.limit(3, 1, Side.BUY, 100 * USD, 5 * COIN));
        assertEquals(-475 * USD, h.balance(3));

        h.oracle(1, 96 * USD);
        expectNoReject(h.limit(2, 1, Side.BUY, 95 * USD, 20 * COIN));
        expectNoReject(h.liquidate(1));
        assertEquals(14_844_225L, h.risk.ledger().insuranceBalance());
        // The rest of account 2's bid goes, so only account 4's lower bid is left.
        h.cancelAll(2, 1);
        expectNoReject(h.limit(4, 1, Side.BUY, 94 * USD, 5 * COIN));

        // Account 3 at $96: NC = -475 + 480 = $5; MMR = 3% x 480 = $14.40 -> liquidatable.
        // The position ($480) is below the $1,000 minimum slice: it closes whole, 5,000 lots.
        // Bankruptcy quote = 5,000 x 96,000 - 5,000,000 x (14,400,000 x 5,000) / (5,000 x 14,400,000)
        //                  = 480,000,000 - 5,000,000 = 475,000,000 ($95 a coin: NC = 0 after).
        // Fillable: ABR = 1 - 5/14.4; 1.5 x ABR x MMR / size = 1.5 x 9,400,000 / 5,000 = 2,820 quantums a lot
        // = $2.82 a coin -> 3 ticks below the mark: $93. Worst shortfall at $93: 475,000,000 - 465,000,000
        // = 10,000,000 <= fund 14,844,225, so the slice goes at $93 and fills on account 4's bid at $94.
        final List<String> events = h.liquidate(3);
        assertTrue(events.contains("LiquidationStep account=3 nc=5000000 mmr=14400000 SELL size=5000 limit=93000000 " +
            "bankruptcy=475000000 filled=5000 received=470000000 adl=0"), events.toString());
        // Received 470,000,000 < bankruptcy 475,000,000: the fund pays 5,000,000.
        assertTrue(events.contains("Insurance account=3 SHORTFALL -5000000 fund=9844225"), events.toString());
        assertEquals(0, h.balance(3));
        assertEquals(0, h.size(3, 1));
        assertEquals(14_844_225L - 5_000_000L, h.risk.ledger().insuranceBalance());
    }

    /**
     * A short squeezed by a rising mark is bought back in slices, above the mark. Account 5: $100, sells
     * 15 coins at $100 to account 2; balance $1,600. The mark rises to $104; account 2 offers 20 at $105.
     */
    @Test
    void aShortIsBoughtBackAboveTheMarkInTwoSlices()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(2, 10_000 * USD);
        h.deposit(5, 100 * USD);
        expectNoReject(h.limit(2, 1, Side.BUY, 100 * USD, 15 * COIN));
        expectNoReject(h.limit(5, 1, Side.SELL, 100 * USD, 15 * COIN));
        h.oracle(1, 104 * USD);
        expectNoReject(h.limit(2, 1, Side.SELL, 105 * USD, 20 * COIN));

        // NC = 1,600 - 1,560 = $40 < MMR 3% x 1,560 = $46.80.
        // Slice 1: $1,000 at $104 -> ceil(10^9 / 104,000) = 9,616 lots. Bankruptcy quote (signed as received):
        // -9,616 x 104,000 - ceil(40,000,000 x 9,616 / 15,000) = -1,000,064,000 - 25,642,667 = -1,025,706,667.
        // Fillable: 1.5 x 6,800,000 / 15,000 = 680 quantums a lot -> 1 tick above the mark: $105.
        // Paid 9,616 x 105,000 = 1,009,680,000: surplus 16,026,667, fee cap 1.5% = 15,145,200.
        // Slice 2: balance 1,600,000,000 - 1,009,680,000 - 15,145,200 = 575,174,800, 5,384 lots short:
        // NC = 575,174,800 - 559,936,000 = 15,238,800 < MMR 16,798,080: the rest ($559.94 < $1,000) whole;
        // bankruptcy -559,936,000 - 15,238,800 = -575,174,800; fillable 1.5 x 1,559,280 / 5,384 = 434.4 -> 435
        // -> $105; paid 565,320,000: surplus 9,854,800, fee cap 8,479,800.
        final List<String> events = h.liquidate(5);
        // Each slice's fund change is booked (and published) before the step that sums the slice up.
        assertEquals(List.of(
            "Insurance account=5 LIQUIDATION_FEE 15145200 fund=15145200",
            "LiquidationStep account=5 nc=40000000 mmr=46800000 BUY size=9616 limit=105000000 bankruptcy=-1025706667 " +
                "filled=9616 received=-1009680000 adl=0",
            "Insurance account=5 LIQUIDATION_FEE 8479800 fund=23625000",
            "LiquidationStep account=5 nc=15238800 mmr=16798080 BUY size=5384 limit=105000000 bankruptcy=-575174800 " +
                "filled=5384 received=-565320000 adl=0"),
            events.stream().filter(e -> e.startsWith("LiquidationStep") || e.startsWith("Insurance")).toList());
        assertEquals(0, h.size(5, 1));
        assertEquals(575_174_800L - 565_320_000L - 8_479_800L, h.balance(5));
    }

    /**
     * Two positions: the larger closes first, its bankruptcy quote taking its pro-rata share of NC by
     * maintenance margin. Account 6: $100, long 10 coins of M1 at $100 (MMF 3%) and 20 of M2 at $20
     * (IMF 10%, MMF 5%): IMR 50 + 40 = $90; balance -$1,300. Marks fall to $96 and $18: NC = -1,300 + 960
     * + 360 = $20 < MMR 28.80 + 18 = $46.80. Account 2 bids 10 coins of M1 at $95; M2 has no bids.
     */
    @Test
    void theLargestPositionClosesFirstWithItsProRataShareOfCollateral()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.market(2, 0, 0, 100_000, 50_000);
        h.oracle(1, 100 * USD);
        h.oracle(2, 20 * USD);
        h.deposit(2, 10_000 * USD);
        h.deposit(6, 100 * USD);
        h.deposit(9, 10_000 * USD);
        expectNoReject(h.limit(9, 1, Side.SELL, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(6, 1, Side.BUY, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(9, 2, Side.SELL, 20 * USD, 20 * COIN));
        expectNoReject(h.limit(6, 2, Side.BUY, 20 * USD, 20 * COIN));
        h.oracle(1, 96 * USD);
        h.oracle(2, 18 * USD);
        expectNoReject(h.limit(2, 1, Side.BUY, 95 * USD, 10 * COIN));

        // M1 ($960) before M2 ($360), whole. Its share of NC: ceil(20,000,000 x 28,800,000 / 46,800,000) =
        // ceil(12,307,692.3) = 12,307,693, so bankruptcy = 960,000,000 - 12,307,693 = 947,692,307 ($94.77).
        // Fillable: 1.5 x 26,800,000 x 28,800,000 / (46,800,000 x 10,000) = 2,473.8 -> 2,474 a lot -> $93; the empty
        // fund cannot cover 947,692,307 - 930,000,000, so the limit is ceil($94.77) = $95. Filled there:
        // received 950,000,000, surplus 2,307,693 (under the 1.5% cap): all of it to the fund.
        // Then balance -352,307,693, NC = 7,692,307 < MMR 18,000,000: M2 whole, bankruptcy 360,000,000 -
        // 7,692,307 = 352,307,693; fillable 1.5 x 10,307,693 / 20,000 = 773.1 -> 774 -> $17, where the fund
        // (2,307,693) cannot cover 352,307,693 - 340,000,000: limit ceil($17.62) = $18; no bid, so the 20 coins
        // are deleveraged against account 9, the only M2 short, at the bankruptcy quote.
        final List<String> events = h.liquidate(6);
        assertEquals(List.of(
            "Insurance account=6 LIQUIDATION_FEE 2307693 fund=2307693",
            "LiquidationStep account=6 nc=20000000 mmr=46800000 SELL size=10000 limit=95000000 bankruptcy=947692307 " +
                "filled=10000 received=950000000 adl=0",
            "Deleveraged 6 against 9 size=20000 quote=352307693",
            "LiquidationStep account=6 nc=7692307 mmr=18000000 SELL size=20000 limit=18000000 bankruptcy=352307693 " +
                "filled=0 received=0 adl=20000"),
            events.stream().filter(e -> e.startsWith("LiquidationStep") || e.startsWith("Insurance") ||
                e.startsWith("Deleveraged")).toList());
        assertEquals(0, h.balance(6));
        assertEquals(0, h.account(6).positionCount());
        assertEquals(10_000 * USD + 1_000 * USD + 400 * USD - 352_307_693L, h.balance(9));
    }

    /**
     * A bankrupt long offset against three shorts ranked by profit x leverage (MECHANICS §5). Account 20
     * buys 4 coins at $120 from 11 ($50), 3 at $110 from 12 ($100), 3 at $100 from 13 ($20), and sells the
     * 10 to account 10 at $100 ($60; IMR $50). Then the mark falls to $92 and the book is empty.
     */
    @Test
    void deleveragingRanksThreeCounterpartiesByProfitTimesLeverage()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(10, 60 * USD);
        h.deposit(11, 50 * USD);
        h.deposit(12, 100 * USD);
        h.deposit(13, 20 * USD);
        h.deposit(20, 10_000 * USD);
        expectNoReject(h.limit(11, 1, Side.SELL, 120 * USD, 4 * COIN));
        expectNoReject(h.limit(20, 1, Side.BUY, 120 * USD, 4 * COIN));
        expectNoReject(h.limit(12, 1, Side.SELL, 110 * USD, 3 * COIN));
        expectNoReject(h.limit(20, 1, Side.BUY, 110 * USD, 3 * COIN));
        expectNoReject(h.limit(13, 1, Side.SELL, 100 * USD, 3 * COIN));
        expectNoReject(h.limit(20, 1, Side.BUY, 100 * USD, 3 * COIN));
        expectNoReject(h.limit(20, 1, Side.SELL, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(10, 1, Side.BUY, 100 * USD, 10 * COIN));
        assertEquals(0, h.size(20, 1));
        h.oracle(1, 92 * USD);

        // At $92, with pnl = N - basis, leverage = |N| / NC, rank = pnl / |basis| x leverage:
        //   11: balance 530, N -368, NC 162, pnl -368 + 480 = 112: 112/480 x 368/162 = 0.5300
        //   12: balance 430, N -276, NC 154, pnl -276 + 330 =  54:  54/330 x 276/154 = 0.2933
        //   13: balance 320, N -276, NC  44, pnl -276 + 300 =  24:  24/300 x 276/44  = 0.5018
        // so the order is 11, 13, 12: 13's leverage lifts it above 12 despite its smaller profit.
        final List<Deleverager.Candidate> ranked = List.of(
            new Deleverager.Candidate(12, -3 * COIN, -330 * USD, -276 * USD, 154 * USD),
            new Deleverager.Candidate(13, -3 * COIN, -300 * USD, -276 * USD, 44 * USD),
            new Deleverager.Candidate(11, -4 * COIN, -480 * USD, -368 * USD, 162 * USD)).stream()
            .sorted(new Deleverager.Ranking()).toList();
        assertEquals(List.of(11L, 13L, 12L), ranked.stream().map(Deleverager.Candidate::accountId).toList());

        // Account 10: balance -940, NC = -940 + 920 = -$20 (bankrupt), MMR = 3% x 920 = $27.60.
        // Whole position (920 < 1,000): bankruptcy quote = 920,000,000 - (-20,000,000) = 940,000,000 ($94).
        // Fillable: ABR = 1 -> 1.5 x 27,600,000 / 10,000 = 4,140 a lot -> 5 ticks: $87. The fund (0) cannot
        // pay the worst shortfall, so the slice is offered at the bankruptcy price, $94; no bids: nothing fills,
        // and all 10,000 lots are deleveraged at $94, pro rata: 11 takes 4,000 lots for 940M x 4/10 = 376M,
        // 13 takes 3,000 for 564M x 3/6 = 282M, 12 the last 3,000 for 282M.
        final List<String> events = h.liquidate(10);
        final List<String> adl = events.stream().filter(e -> e.startsWith("Deleveraged")).toList();
        assertEquals(List.of(
            "Deleveraged 10 against 11 size=4000 quote=376000000",
            "Deleveraged 10 against 13 size=3000 quote=282000000",
            "Deleveraged 10 against 12 size=3000 quote=282000000"), adl);
        assertTrue(events.contains("LiquidationStep account=10 nc=-20000000 mmr=27600000 SELL size=10000 limit=94000000 " +
            "bankruptcy=940000000 filled=0 received=0 adl=10000"), events.toString());
        // Everyone flat; the counterparties paid the bankruptcy price: 530 - 376, 430 - 282, 320 - 282.
        assertEquals(0, h.balance(10));
        assertEquals(154 * USD, h.balance(11));
        assertEquals(148 * USD, h.balance(12));
        assertEquals(38 * USD, h.balance(13));
        for (final long id : new long[] {10, 11, 12, 13})
        {
            assertEquals(0, h.size(id, 1));
        }
        assertEquals(0, h.risk.ledger().insuranceBalance());
    }

    /**
     * The ranking at scale: thirty shorts of random size, entry price and collateral are the
     * counterparties of one bankrupt long exactly as large as all of them together, small enough to
     * be liquidated in one slice, so every one is deleveraged in one pass; the order must be exactly
     * the ranking's order of their figures at the mark.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void deleveragingTakesManyCounterpartiesInExactlyTheRankingsOrder(final long seed)
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(20, 1_000_000 * USD);
        final int shorts = 30;
        long totalLots = 0;
        for (int k = 1; k <= shorts; k++)
        {
            final long id = 100 + k;
            final long lots = random.nextLong(10, 34);
            final long price = random.nextLong(96, 126) * USD;
            h.deposit(id, random.nextLong(USD, 20 * USD));
            expectNoReject(h.limit(id, 1, Side.SELL, price, lots));
            expectNoReject(h.limit(20, 1, Side.BUY, price, lots));
            totalLots += lots;
        }
        // Long all of it at $100 on 6% of its notional: bankrupt at $92.
        h.deposit(10, totalLots * 100 * USD * 6 / 100 / COIN);
        expectNoReject(h.limit(20, 1, Side.SELL, 100 * USD, totalLots));
        expectNoReject(h.limit(10, 1, Side.BUY, 100 * USD, totalLots));
        h.oracle(1, 92 * USD);

        final List<Deleverager.Candidate> candidates = new java.util.ArrayList<>();
        for (int k = 1; k <= shorts; k++)
        {
            final long id = 100 + k;
            final long notional = h.size(id, 1) * 92 * USD / COIN;
            candidates.add(new Deleverager.Candidate(id, h.size(id, 1),
                h.risk.ledger().account(id).position(1).costBasis(), notional, h.balance(id) + notional));
        }
        final List<Long> expected = candidates.stream().sorted(new Deleverager.Ranking())
            .map(Deleverager.Candidate::accountId).toList();
        final List<String> events = h.liquidate(10);
        assertEquals(1, events.stream().filter(e -> e.startsWith("LiquidationStep")).count(), "seed " + seed + ": " + events);
        final List<Long> deleveraged = events.stream().filter(e -> e.startsWith("Deleveraged 10 against "))
            .map(e -> Long.parseLong(e.split(" ")[3])).toList();
        assertEquals(expected, deleveraged, "seed " + seed);
        for (int k = 1; k <= shorts; k++)
        {
            assertEquals(0, h.size(100 + k, 1), "seed " + seed + ": account " + (100 + k) + " closed");
        }
    }

    /**
     * Isolated vs cross in a price shock. Account 30 deposits $1,000 and funds isolated subaccount 31
     * with $60; 31 buys 10 coins at $100 (IMR $50). Account 32 holds the same position cross-margined
     * on $1,000. The mark falls to $95.
     */
    @Test
    void anIsolatedLossStaysInItsSubaccount()
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 0, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(30, 1_000 * USD);
        h.deposit(32, 1_000 * USD);
        h.deposit(39, 10_000 * USD);
        final List<String> transfer = h.transfer(30, 31, 60 * USD, 1);
        assertEquals(List.of("Event 110", "Collateral account=30 TRANSFER_OUT -60000000 balance=940000000",
            "Collateral account=31 TRANSFER_IN 60000000 balance=60000000"), transfer);
        assertEquals(30, h.account(31).parentAccountId());
        expectNoReject(h.limit(39, 1, Side.SELL, 100 * USD, 20 * COIN));
        expectNoReject(h.limit(31, 1, Side.BUY, 100 * USD, 10 * COIN));
        expectNoReject(h.limit(32, 1, Side.BUY, 100 * USD, 10 * COIN));

        h.oracle(1, 95 * USD);
        expectNoReject(h.limit(39, 1, Side.BUY, 94 * USD, 20 * COIN));
        // 31: NC = 60 - 1,000 + 950 = $10 < MMR $28.50. 32: NC = 0 + 950 = $950. 30: no position, NC $940.
        h.expectReject("NOT_LIQUIDATABLE", () -> h.liquidate(32));
        h.expectReject("NOT_LIQUIDATABLE", () -> h.liquidate(30));
        // 31 closes whole: bankruptcy 950,000,000 - 10,000,000 = 940,000,000 ($94); fillable 1.5 x 18,500,000
        // / 10,000 = 2,775 a lot -> $92, but the empty fund cannot pay a shortfall, so the limit is $94, where
        // account 39's bid fills it at exactly the bankruptcy quote: no fee, no shortfall, balance 0.
        final List<String> events = h.liquidate(31);
        assertTrue(events.contains("LiquidationStep account=31 nc=10000000 mmr=28500000 SELL size=10000 limit=94000000 " +
            "bankruptcy=940000000 filled=10000 received=940000000 adl=0"), events.toString());
        assertEquals(0, h.balance(31));
        assertEquals(0, h.size(31, 1));
        // The parent's collateral is untouched, and the cross-margined twin keeps its position.
        assertEquals(940 * USD, h.balance(30));
        assertEquals(10 * COIN, h.size(32, 1));
        assertEquals(0, h.balance(32));
        assertFalse(events.stream().anyMatch(e -> e.contains("account=30") || e.contains("account=32")), events.toString());
    }
}
