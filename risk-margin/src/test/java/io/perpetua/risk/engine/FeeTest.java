package io.perpetua.risk.engine;

import io.perpetua.core.sbe.Side;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.perpetua.risk.engine.RiskHarness.USD;
import static io.perpetua.risk.engine.RiskHarness.expectNoReject;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Maker and taker fees on fills (MECHANICS §3), by hand: fee = quote x ppm / 10^6, a fee rounded up and
 * a rebate (negative maker fee) rounded toward zero, both in the exchange's favour; each side's fee
 * goes to the fee account through its PositionChanged event, and the Fill carries both.
 */
class FeeTest
{
    @ParameterizedTest(name = "maker {0} taker {1} ppm, {3} lots at ${2}")
    @CsvSource({
        // quote = 97 x 1,003 x 1,000 = 97,291,000; taker 0.05%: 48,645.5 -> 48,646; rebate 0.01%: 9,729.1 -> 9,729.
        "-100, 500, 97, 1003, -9729, 48646",
        // both pay: 0.02% = 19,458.2 -> 19,459; 0.07% = 68,103.7 -> 68,104.
        "200, 700, 97, 1003, 19459, 68104",
        // exact: 100,000,000 x 0.025% = 25,000 either way.
        "-250, 250, 100, 1000, -25000, 25000",
        // one lot at $1: quote 1,000; taker 0.5 -> 1, rebate 0.1 -> 0.
        "-100, 500, 1, 1, 0, 1",
        "0, 0, 97, 1003, 0, 0",
    })
    void feesOnAFill(
        final int makerPpm, final int takerPpm, final long priceUsd, final long sizeLots, final long makerFee,
        final long takerFee)
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, makerPpm, takerPpm, 50_000, 30_000);
        h.oracle(1, priceUsd * USD);
        h.deposit(1, 1_000 * USD);
        h.deposit(2, 1_000 * USD);
        expectNoReject(h.limit(1, 1, Side.SELL, priceUsd * USD, sizeLots));
        final long quote = priceUsd * sizeLots * 1_000;
        final List<String> events = h.limit(2, 1, Side.BUY, priceUsd * USD, sizeLots);
        assertEquals(List.of(
            "Accepted account=2 order=2 BUY size=" + sizeLots + " price=" + priceUsd * USD,
            "Fill maker=1 taker=2 BUY size=" + sizeLots + " price=" + priceUsd * USD + " quote=" + quote + " fees=" +
                makerFee + "/" + takerFee,
            "Position account=1 TRADE delta=" + -sizeLots + " size=" + -sizeLots + " quote=" + quote + " fee=" + makerFee +
                " balance=" + (1_000 * USD + quote - makerFee),
            "Position account=2 TRADE delta=" + sizeLots + " size=" + sizeLots + " quote=" + -quote + " fee=" + takerFee +
                " balance=" + (1_000 * USD - quote - takerFee)), events);
        assertEquals(makerFee + takerFee, h.risk.ledger().feeBalance());
    }

    /**
     * The placement check counts the fee: buying 10 coins at $100 (IMR $50) with a 0.05% taker fee
     * ($0.50) needs NC $50.50 before the trade.
     */
    @ParameterizedTest(name = "deposit {0}")
    @CsvSource({"50500000, true", "50499999, false"})
    void thePlacementCheckIncludesTheFee(final long deposit, final boolean accepted)
    {
        final RiskHarness h = new RiskHarness();
        h.market(1, 0, 500, 50_000, 30_000);
        h.oracle(1, 100 * USD);
        h.deposit(1, deposit);
        h.deposit(2, 10_000 * USD);
        expectNoReject(h.limit(2, 1, Side.SELL, 100 * USD, 10_000));
        final List<String> events = h.limit(1, 1, Side.BUY, 100 * USD, 10_000);
        assertEquals(accepted ? "Accepted account=1 order=2 BUY size=10000 price=100000000" : "Rejected INSUFFICIENT_MARGIN",
            events.get(0));
        assertEquals(accepted ? deposit - 1_000 * USD - 500_000 : deposit, h.balance(1));
    }
}
