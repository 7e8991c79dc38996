package io.perpetua.core.market;

import io.perpetua.core.sbe.MarketStatus;
import io.perpetua.core.sbe.RejectReason;
import io.perpetua.core.units.FixedPoint;

/**
 * One market's parameters, owned by the core thread.
 *
 * <p>Wire prices are in price units and wire sizes in size units (base quantums); a valid price is a
 * positive multiple of {@link #tickSize()} and a valid size a positive multiple of {@link #lotSize()}.
 * Inside the book prices are whole ticks and sizes whole lots, and the quote value of a fill is
 * {@code priceTicks * sizeLots * quantumsPerTickLot}: exact, because creation requires
 * {@code tickSize * lotSize} to be divisible by {@code 10^quoteScaleExponent}.
 *
 * <p>Tick, lot and scale are fixed for the market's life (resting orders depend on them); limits,
 * fees, band and status may change through {@code UpdateMarket}.
 */
public final class MarketSpec
{
    /** Largest size in lots one order may have: keeps level totals far from overflow. */
    public static final long MAX_SIZE_LOTS = 1L << 38;
    /** Fees above 10% are taken to be a configuration mistake. */
    public static final int MAX_FEE_PPM = 100_000;
    /** Longest symbol, in ASCII characters. */
    public static final int MAX_SYMBOL_LENGTH = 32;

    private final int marketId;
    private final String symbol;
    private final long tickSize;
    private final long lotSize;
    private final int quoteScaleExponent;
    private final long quantumsPerTickLot;
    private long minSizeLots;
    private long maxSizeLots;
    private long maxNotional;
    private int priceBandPpm;
    private int makerFeePpm;
    private int takerFeePpm;
    private final long initialReferencePriceTicks;
    private boolean selfTradeAllowed;
    private MarketStatus status;

    private MarketSpec(
        final int marketId,
        final String symbol,
        final long tickSize,
        final long lotSize,
        final int quoteScaleExponent,
        final long quantumsPerTickLot,
        final long initialReferencePriceTicks)
    {
        this.marketId = marketId;
        this.symbol = symbol;
        this.tickSize = tickSize;
        this.lotSize = lotSize;
        this.quoteScaleExponent = quoteScaleExponent;
        this.quantumsPerTickLot = quantumsPerTickLot;
        this.initialReferencePriceTicks = initialReferencePriceTicks;
    }

    /**
     * Validates and builds a spec.
     *
     * @return the spec, or throws {@link InvalidSpecException} naming the reason code and the field.
     */
    public static MarketSpec create(
        final int marketId,
        final String symbol,
        final long tickSize,
        final long lotSize,
        final int quoteScaleExponent,
        final long minSize,
        final long maxSize,
        final long maxNotional,
        final int priceBandPpm,
        final int makerFeePpm,
        final int takerFeePpm,
        final long referencePrice,
        final boolean selfTradeAllowed,
        final MarketStatus status)
    {
        require(marketId >= 1, "marketId must be >= 1");
        require(symbol != null && !symbol.isEmpty() && symbol.length() <= MAX_SYMBOL_LENGTH, "symbol must have 1.." + MAX_SYMBOL_LENGTH + " characters");
        for (int i = 0; i < symbol.length(); i++)
        {
            final char c = symbol.charAt(i);
            require(c > ' ' && c < 127, "symbol must be printable ASCII without spaces");
        }
        require(tickSize >= 1 && lotSize >= 1, "tickSize and lotSize must be >= 1");
        require(quoteScaleExponent >= 0 && quoteScaleExponent <= 18, "quoteScaleExponent must be 0..18");
        final long tickLot = FixedPoint.multiply(tickSize, lotSize);
        require(tickLot != FixedPoint.OVERFLOW, "tickSize * lotSize overflows");
        final long divisor = FixedPoint.powerOfTen(quoteScaleExponent);
        require(tickLot % divisor == 0, "tickSize * lotSize must be divisible by 10^quoteScaleExponent");
        require(referencePrice >= 0 && referencePrice % tickSize == 0, "referencePrice must be 0 or a positive multiple of tickSize");

        final MarketSpec spec = new MarketSpec(
            marketId, symbol, tickSize, lotSize, quoteScaleExponent, tickLot / divisor, referencePrice / tickSize);
        spec.update(minSize, maxSize, maxNotional, priceBandPpm, makerFeePpm, takerFeePpm, selfTradeAllowed, status);
        return spec;
    }

    /** Validates and applies the mutable parameters; on failure nothing changes. */
    public void update(
        final long minSize,
        final long maxSize,
        final long maxNotional,
        final int priceBandPpm,
        final int makerFeePpm,
        final int takerFeePpm,
        final boolean selfTradeAllowed,
        final MarketStatus status)
    {
        require(minSize >= lotSize && minSize % lotSize == 0, "minSize must be a positive multiple of lotSize");
        require(maxSize >= minSize && maxSize % lotSize == 0, "maxSize must be a multiple of lotSize and >= minSize");
        require(maxSize / lotSize <= MAX_SIZE_LOTS, "maxSize must be at most 2^38 lots");
        require(maxNotional >= 0, "maxNotional must be >= 0 (0 = no limit)");
        require(priceBandPpm >= 0 && priceBandPpm < FixedPoint.PPM, "priceBandPpm must be 0..999999");
        require(Math.abs(makerFeePpm) <= MAX_FEE_PPM && takerFeePpm >= 0 && takerFeePpm <= MAX_FEE_PPM,
            "fees must be within 10%, taker fee >= 0");
        require((long)makerFeePpm + takerFeePpm >= 0, "maker rebate may not exceed the taker fee");
        require(status == MarketStatus.ACTIVE || status == MarketStatus.HALTED, "status must be ACTIVE or HALTED");

        this.minSizeLots = minSize / lotSize;
        this.maxSizeLots = maxSize / lotSize;
        this.maxNotional = maxNotional;
        this.priceBandPpm = priceBandPpm;
        this.makerFeePpm = makerFeePpm;
        this.takerFeePpm = takerFeePpm;
        this.selfTradeAllowed = selfTradeAllowed;
        this.status = status;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new InvalidSpecException(RejectReason.INVALID_MARKET_SPEC, message);
        }
    }

    /**
     * Quote quantums of {@code priceTicks * sizeLots}, or {@link FixedPoint#OVERFLOW}.
     */
    public long quote(final long priceTicks, final long sizeLots)
    {
        return FixedPoint.multiply(priceTicks, sizeLots, quantumsPerTickLot);
    }

    public int marketId()
    {
        return marketId;
    }

    public String symbol()
    {
        return symbol;
    }

    public long tickSize()
    {
        return tickSize;
    }

    public long lotSize()
    {
        return lotSize;
    }

    public int quoteScaleExponent()
    {
        return quoteScaleExponent;
    }

    public long quantumsPerTickLot()
    {
        return quantumsPerTickLot;
    }

    public long minSizeLots()
    {
        return minSizeLots;
    }

    public long maxSizeLots()
    {
        return maxSizeLots;
    }

    /** Max quote quantums of one order; 0 = unlimited. */
    public long maxNotional()
    {
        return maxNotional;
    }

    public int priceBandPpm()
    {
        return priceBandPpm;
    }

    public int makerFeePpm()
    {
        return makerFeePpm;
    }

    public int takerFeePpm()
    {
        return takerFeePpm;
    }

    /** The reference price given at creation, in ticks; 0 if none. */
    public long initialReferencePriceTicks()
    {
        return initialReferencePriceTicks;
    }

    public boolean selfTradeAllowed()
    {
        return selfTradeAllowed;
    }

    public MarketStatus status()
    {
        return status;
    }

    /** Price units of a tick count (never overflows for prices that entered as price units). */
    public long toPrice(final long priceTicks)
    {
        return priceTicks * tickSize;
    }

    /** Size units of a lot count. */
    public long toSize(final long sizeLots)
    {
        return sizeLots * lotSize;
    }
}
