package io.perpetua.funding;

import io.perpetua.core.sbe.FundingPaymentDecoder;
import io.perpetua.core.sbe.FundingTickAppliedDecoder;
import io.perpetua.core.sbe.InsuranceCause;
import io.perpetua.core.sbe.InsuranceFundChangedDecoder;
import io.perpetua.core.sbe.MarketConfiguredDecoder;
import io.perpetua.core.sbe.MessageHeaderDecoder;
import io.perpetua.core.sbe.Side;
import io.perpetua.risk.ledger.Account;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.risk.ledger.Ledger;
import io.perpetua.risk.ledger.MarketFunding;
import io.perpetua.risk.ledger.Position;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static io.perpetua.funding.FundingHarness.QUANTUMS_PER_TICK_LOT;
import static io.perpetua.funding.FundingHarness.USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random runs of trades, mark moves, funding ticks and touches that settle positions in random
 * order, checked after every command against an independent model of MECHANICS §4: every payment is
 * {@code ceil((index - cached) * size / 8e9)} of the model's own index, a position opened after a tick
 * starts at the index (pays nothing for it), each dust sweep is non-negative and smaller than the
 * number of settlements it collects, and conservation holds exactly (the harness checks it).
 */
class FundingPropertyTest
{
    private static final int SEEDS = 8;
    private static final int STEPS = 350;
    private static final int ACCOUNTS = 6;
    private static final int MARKETS = 2;

    @Test
    void fundingConservesMoneyAndMatchesTheModelUnderRandomSettlementOrders()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            try
            {
                run(seed);
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("seed " + seed + ": " + ex.getMessage(), ex);
            }
        }
    }

    private static void run(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final FundingHarness h = new FundingHarness();
        final Model model = new Model();
        for (int m = 1; m <= MARKETS; m++)
        {
            h.market(m, 100_000, 50_000);
            FundingHarness.expectNoReject(h.oracle(m, 100 * USD));
            model.markTicks[m] = 100;
        }
        for (long a = 1; a <= ACCOUNTS; a++)
        {
            FundingHarness.expectNoReject(h.deposit(a, 100_000 * USD));
        }
        for (int step = 0; step < STEPS; step++)
        {
            final int market = 1 + random.nextInt(MARKETS);
            final long account = 1 + random.nextInt(ACCOUNTS);
            final int action = random.nextInt(10);
            if (action < 4)
            {
                final long other = 1 + (account + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                final long size = (1 + random.nextInt(40)) * (random.nextBoolean() ? 1 : -1);
                model.check(h, h.limit(other, market, size > 0 ? Side.SELL : Side.BUY, model.markTicks[market] * USD,
                    Math.abs(size)));
                model.check(h, h.ioc(account, market, size > 0 ? Side.BUY : Side.SELL, model.markTicks[market] * USD,
                    Math.abs(size)));
            }
            else if (action < 5)
            {
                final long price = 90 + random.nextInt(21);
                model.check(h, h.oracle(market, price * USD));
            }
            else if (action < 7)
            {
                model.check(h, h.fundingTick(market, random.nextLong(-5_000_000L, 5_000_001L), h.nowNs + h.stepNs));
            }
            else if (action < 9)
            {
                model.check(h, h.setLeverage(account, market, 5 + random.nextInt(5)));
            }
            else
            {
                model.check(h, h.withdraw(account, 1 + random.nextInt(1_000)));
            }
        }
        // Settle everyone, in a random order: every market's share of the funding account is swept.
        for (int round = 0; round < 3 * ACCOUNTS; round++)
        {
            model.check(h, h.setLeverage(1 + random.nextInt(ACCOUNTS), 1, 5));
        }
        for (long a = 1; a <= ACCOUNTS; a++)
        {
            model.check(h, h.setLeverage(a, 1, 6));
        }
        final Ledger ledger = h.risk.ledger();
        for (int m = 1; m <= MARKETS; m++)
        {
            final MarketFunding funding = ledger.funding(m);
            if (funding != null)
            {
                assertEquals(0, funding.unsettledPositions(), "market " + m + " settled");
                assertEquals(0, funding.balance(), "market " + m + " dust swept");
            }
        }
        assertEquals(0, ledger.fundingBalance());
        assertTrue(model.payments > 0 && model.ticks > 0, "the run exercised funding");
    }

    /** The model's funding index per market and cached index per position, fed by the events of each command. */
    private static final class Model
    {
        final long[] markTicks = new long[MARKETS + 1];
        final long[] index = new long[MARKETS + 1];
        final long[] settlementsSinceSweep = new long[MARKETS + 1];
        final Map<Long, Long> cached = new HashMap<>();
        long payments;
        long ticks;
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final FundingTickAppliedDecoder tick = new FundingTickAppliedDecoder();
        private final FundingPaymentDecoder payment = new FundingPaymentDecoder();
        private final InsuranceFundChangedDecoder insurance = new InsuranceFundChangedDecoder();

        private static long key(final long account, final int market)
        {
            return account * 16 + market;
        }

        void check(final FundingHarness h, final java.util.List<String> ignored)
        {
            final byte[] document = h.documents.get(h.documents.size() - 1);
            final UnsafeBuffer buffer = new UnsafeBuffer(document);
            int offset = 0;
            while (offset < document.length)
            {
                header.wrap(buffer, offset);
                final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
                final int block = header.blockLength();
                int length = MessageHeaderDecoder.ENCODED_LENGTH + block;
                switch (header.templateId())
                {
                    case FundingTickAppliedDecoder.TEMPLATE_ID:
                    {
                        tick.wrap(buffer, body, block, header.version());
                        final int m = tick.marketId();
                        index[m] += tick.rate8hPpb() * (tick.markPrice() / USD) * QUANTUMS_PER_TICK_LOT;
                        assertEquals(index[m], tick.fundingIndex(), "index of market " + m);
                        ticks++;
                        break;
                    }
                    case FundingPaymentDecoder.TEMPLATE_ID:
                    {
                        payment.wrap(buffer, body, block, header.version());
                        final int m = payment.marketId();
                        final long k = key(payment.accountId(), m);
                        final Long before = cached.get(k);
                        assertTrue(before != null && before != index[m], "payment of an unsettled position");
                        final BigInteger[] qr = BigInteger.valueOf(index[m] - before)
                            .multiply(BigInteger.valueOf(payment.size())).divideAndRemainder(BigInteger.valueOf(Funding.INDEX_SCALE));
                        final long owed = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
                        assertEquals(-owed, payment.amount(), "payment of " + payment.accountId() + " in " + m);
                        assertEquals(index[m], payment.fundingIndex());
                        cached.put(k, index[m]);
                        settlementsSinceSweep[m]++;
                        payments++;
                        break;
                    }
                    case InsuranceFundChangedDecoder.TEMPLATE_ID:
                    {
                        insurance.wrap(buffer, body, block, header.version());
                        if (insurance.cause() == InsuranceCause.FUNDING_DUST)
                        {
                            final int m = insurance.marketId();
                            assertTrue(insurance.amount() > 0 && insurance.amount() < settlementsSinceSweep[m],
                                "dust " + insurance.amount() + " after " + settlementsSinceSweep[m] + " settlements");
                            settlementsSinceSweep[m] = 0;
                        }
                        break;
                    }
                    case MarketConfiguredDecoder.TEMPLATE_ID:
                        length += MarketConfiguredDecoder.symbolHeaderLength() +
                            buffer.getInt(body + block, ByteOrder.LITTLE_ENDIAN);
                        break;
                    default:
                        break;
                }
                offset += length;
            }
            // Positions that appeared start at the index (they owe nothing for earlier ticks); others keep their cache.
            final Ledger ledger = h.risk.ledger();
            final Map<Long, Long> open = new HashMap<>();
            for (int i = 0; i < ledger.accountCount(); i++)
            {
                final Account account = ledger.account(ledger.accountIdAt(i));
                for (int p = 0; p < account.positionCount(); p++)
                {
                    final Position position = account.positionAt(p);
                    final long k = key(account.accountId(), position.marketId());
                    final Long known = cached.get(k);
                    if (known == null)
                    {
                        assertEquals(index[position.marketId()], position.fundingIndex(), "opened at the index");
                        open.put(k, position.fundingIndex());
                    }
                    else
                    {
                        assertEquals(known.longValue(), position.fundingIndex(), "cached index");
                        open.put(k, known);
                    }
                }
            }
            cached.clear();
            cached.putAll(open);
            for (int m = 1; m <= MARKETS; m++)
            {
                assertEquals(index[m], ledger.fundingIndex(m));
                final MarketFunding funding = ledger.funding(m);
                if (funding != null && funding.unsettledPositions() == 0)
                {
                    assertEquals(0, funding.balance(), "everyone settled: no dust left unswept in market " + m);
                }
            }
        }
    }
}
