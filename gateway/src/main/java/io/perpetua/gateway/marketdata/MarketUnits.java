package io.perpetua.gateway.marketdata;

import java.math.BigDecimal;

/**
 * The decimal meaning of a market's integer price and size units. The engine only fixes their
 * product: {@code quote quantums = price * size / 10^quoteScaleExponent} with USDC quantums of
 * 10^-6, so {@code priceDecimals + sizeDecimals = 6 + quoteScaleExponent}. How that sum splits is a
 * presentation choice the journal does not record; the gateway takes {@code priceDecimals} from
 * its configuration ({@link PriceDecimals}). Formatting is exact: integers in, decimal strings out.
 */
public final class MarketUnits
{
    /** Decimal places of a USDC quote quantum. */
    public static final int QUOTE_DECIMALS = 6;

    private final int priceDecimals;
    private final int sizeDecimals;

    public MarketUnits(final int priceDecimals, final int quoteScaleExponent)
    {
        final int total = QUOTE_DECIMALS + quoteScaleExponent;
        if (priceDecimals < 0 || priceDecimals > total)
        {
            throw new IllegalArgumentException("priceDecimals must be 0.." + total + " for quoteScaleExponent " +
                quoteScaleExponent + ": " + priceDecimals);
        }
        this.priceDecimals = priceDecimals;
        this.sizeDecimals = total - priceDecimals;
    }

    /** Chooses the decimal places of one price unit for a market. */
    @FunctionalInterface
    public interface PriceDecimals
    {
        /** Cents when the market allows it: what the demo and the usual USD markets use. */
        PriceDecimals CENTS = (symbol, quoteScaleExponent) -> Math.min(2, QUOTE_DECIMALS + quoteScaleExponent);

        int priceDecimals(String symbol, int quoteScaleExponent);
    }

    public int priceDecimals()
    {
        return priceDecimals;
    }

    public int sizeDecimals()
    {
        return sizeDecimals;
    }

    public String price(final long priceUnits)
    {
        return decimal(priceUnits, priceDecimals);
    }

    public String size(final long sizeUnits)
    {
        return decimal(sizeUnits, sizeDecimals);
    }

    /** The mid of two prices: one more decimal place may be needed for the half unit. */
    public String mid(final long bidUnits, final long askUnits)
    {
        final BigDecimal sum = BigDecimal.valueOf(bidUnits).add(BigDecimal.valueOf(askUnits));
        return plain(sum.scaleByPowerOfTen(-priceDecimals).divide(BigDecimal.valueOf(2)));
    }

    public static String quote(final long quoteQuantums)
    {
        return decimal(quoteQuantums, QUOTE_DECIMALS);
    }

    /**
     * Parses a decimal price into price units.
     *
     * @throws NumberFormatException if it is not a plain decimal, has more places than a price unit,
     *                               or does not fit a long
     */
    public long parsePrice(final String text)
    {
        return parse(text, priceDecimals);
    }

    /** Parses a decimal size into size units; see {@link #parsePrice}. */
    public long parseSize(final String text)
    {
        return parse(text, sizeDecimals);
    }

    static String decimal(final long units, final int decimals)
    {
        return plain(BigDecimal.valueOf(units, decimals));
    }

    private static String plain(final BigDecimal value)
    {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static long parse(final String text, final int decimals)
    {
        if (text == null || text.isEmpty() || text.length() > 40 || !text.matches("-?[0-9]+(\\.[0-9]+)?"))
        {
            throw new NumberFormatException("not a plain decimal number: " + text);
        }
        final BigDecimal units = new BigDecimal(text).scaleByPowerOfTen(decimals);
        try
        {
            return units.stripTrailingZeros().longValueExact();
        }
        catch (final ArithmeticException ex)
        {
            throw new NumberFormatException(units.stripTrailingZeros().scale() > 0 ?
                "more than " + decimals + " decimal places: " + text : "out of range: " + text);
        }
    }
}
