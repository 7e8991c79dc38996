// Fetches a market's funding history through the unmodified ccxt dydx class from a Perpetua
// gateway and prints what ccxt understood, one JSON object per line, for FundingHistoryTest.
//
// usage: node ccxt-dydx-funding.mjs <http base url> <unified symbol> <until, ms since the epoch>
import ccxt from 'ccxt';

const [restBase, symbol, untilArg] = process.argv.slice(2);
const print = (object) => process.stdout.write(JSON.stringify(object) + '\n');
const rates = (history) => history.map((r) => ({
    symbol: r.symbol, fundingRate: r.fundingRate, timestamp: r.timestamp, height: r.info.effectiveAtHeight }));

const exchange = new ccxt.dydx({ urls: { api: { indexer: restBase + '/v4' } } });
await exchange.loadMarkets();
print({ kind: 'all', rates: rates(await exchange.fetchFundingRateHistory(symbol)) });
print({ kind: 'limit', rates: rates(await exchange.fetchFundingRateHistory(symbol, undefined, 2)) });
print({ kind: 'until', rates: rates(await exchange.fetchFundingRateHistory(symbol, undefined, undefined,
    { until: Number.parseInt(untilArg, 10) })) });
