package io.perpetua.settlement.contract;

import java.util.Map;

import io.perpetua.core.units.FixedPoint;
import io.perpetua.risk.ledger.Funding;
import io.perpetua.settlement.batch.BatchBlob;
import io.perpetua.settlement.tree.Leaf;

import static io.perpetua.settlement.contract.ContractException.Reason.OVERFLOW;
import static io.perpetua.settlement.contract.ContractException.Reason.UNPRICED_POSITION;

/**
 * What an escape pays (MECHANICS §7): {@code quoteBalance + sum(size x lastMark) - pendingFunding},
 * valued at the marks and funding indexes of the last accepted batch, exactly in 64-bit integers
 * (anything that does not fit is refused, never wrapped or rounded).
 *
 * <p>A position's pending funding is what the core would charge it on its next touch
 * ({@link Funding#payment}): {@code ceil((marketIndex - cachedIndex) x size / INDEX_SCALE)}, so a
 * payer is charged up and a receiver credited down, as on L2.
 */
public final class EscapeValuation
{
    private EscapeValuation()
    {
    }

    /** One position's part of the payout. */
    public record PositionValue(int marketId, long sizeLots, long notional, long pendingFunding)
    {
    }

    /** {@code size x mark x quantumsPerTickLot}: what the position is worth at the last mark, in quote quantums. */
    public static long notional(final Leaf.Position position, final BatchBlob.MarketPrice market) throws ContractException
    {
        try
        {
            return Math.multiplyExact(Math.multiplyExact(position.sizeLots(), market.markTicks()), market.quantumsPerTickLot());
        }
        catch (final ArithmeticException ex)
        {
            throw new ContractException(OVERFLOW, "notional of " + position + " at " + market + " overflows");
        }
    }

    /** What the position owes (positive) or is owed (negative) for funding since its cached index. */
    public static long pendingFunding(final Leaf.Position position, final BatchBlob.MarketPrice market) throws ContractException
    {
        final long payment;
        try
        {
            payment = Funding.payment(Math.subtractExact(market.fundingIndex(), position.fundingIndex()), position.sizeLots());
        }
        catch (final ArithmeticException ex)
        {
            throw new ContractException(OVERFLOW, "funding index move of " + position + " to " + market + " overflows");
        }
        if (payment == FixedPoint.OVERFLOW)
        {
            throw new ContractException(OVERFLOW, "pending funding of " + position + " at " + market + " overflows");
        }
        return payment;
    }

    /** The position's notional and pending funding, or a refusal if the last batch did not price its market. */
    public static PositionValue position(final Leaf.Position position, final Map<Integer, BatchBlob.MarketPrice> markets)
        throws ContractException
    {
        final BatchBlob.MarketPrice market = markets.get(position.marketId());
        if (market == null)
        {
            throw new ContractException(UNPRICED_POSITION, "the last batch has no mark for market " + position.marketId());
        }
        return new PositionValue(position.marketId(), position.sizeLots(), notional(position, market), pendingFunding(position, market));
    }

    /** The escape value of {@code leaf}: balance plus notionals minus pending funding (may be zero or negative). */
    public static long value(final Leaf leaf, final Map<Integer, BatchBlob.MarketPrice> markets) throws ContractException
    {
        long value = leaf.balance();
        for (final Leaf.Position p : leaf.positions())
        {
            final PositionValue v = position(p, markets);
            try
            {
                value = Math.subtractExact(Math.addExact(value, v.notional()), v.pendingFunding());
            }
            catch (final ArithmeticException ex)
            {
                throw new ContractException(OVERFLOW, "escape value of a leaf with " + leaf.positions() + " overflows");
            }
        }
        return value;
    }
}
