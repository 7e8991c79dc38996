package io.perpetua.node;

/**
 * A market of the demo session, with the decimal places of its price and size units so the
 * summary can print human prices without floating point.
 *
 * @param priceDecimals decimal places of one price unit in USD (2: a price unit is one cent)
 */
record DemoMarket(
    int marketId,
    String symbol,
    long tickSize,
    long lotSize,
    int quoteScaleExponent,
    long minSize,
    long maxSize,
    int priceBandPpm,
    int makerFeePpm,
    int takerFeePpm,
    long referencePrice,
    int priceDecimals)
{
    /**
     * BTC-USD: prices in cents, sizes in satoshis (1e-8 BTC); tick $0.50, lot 0.001 BTC. A fill's
     * quote in USDC quantums (1e-6) is cents * satoshis / 10^4.
     * ETH-USD: prices in cents, sizes in 1e-6 ETH; tick $0.05, lot 0.01 ETH; quote = / 10^2.
     */
    static final DemoMarket[] MARKETS = {
        new DemoMarket(1, "BTC-USD", 50, 100_000, 4, 100_000, 1_000_000_000, 50_000, -100, 500, 6_000_000, 2),
        new DemoMarket(2, "ETH-USD", 5, 10_000, 2, 10_000, 10_000_000_000L, 50_000, -100, 500, 300_000, 2),
    };

    /** A price in price units as a decimal string, e.g. 6000050 cents as "60000.50". */
    String formatPrice(final long price)
    {
        if (price <= 0)
        {
            return "-";
        }
        long unit = 1;
        for (int i = 0; i < priceDecimals; i++)
        {
            unit *= 10;
        }
        final String fraction = Long.toString(price % unit);
        return (price / unit) + "." + "0".repeat(priceDecimals - fraction.length()) + fraction;
    }
}
