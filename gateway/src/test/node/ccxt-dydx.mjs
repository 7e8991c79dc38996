// Drives the unmodified ccxt dydx exchange class against a Perpetua gateway and prints what ccxt
// understood, one JSON object per line, for CcxtDydxTest to check against the engine.
//
// usage: node ccxt-dydx.mjs <http base url> <ws url> <unified symbol> <order-book updates to collect>
import ccxt from 'ccxt';

const [restBase, wsUrl, symbol, updatesArg] = process.argv.slice(2);
const updates = Number.parseInt(updatesArg, 10);
const print = (object) => process.stdout.write(JSON.stringify(object) + '\n');

const exchange = new ccxt.pro.dydx({
    urls: { api: { indexer: restBase + '/v4', ws: wsUrl } },
});
// ccxt opens plain ws:// URLs only through an explicit http agent.
await exchange.loadHttpProxyAgent();

const markets = await exchange.loadMarkets();
print({ kind: 'markets', markets: Object.values(markets).map((m) => ({
    symbol: m.symbol, id: m.id, active: m.active, precision: m.precision, type: m.type })) });

const trades = await exchange.fetchTrades(symbol);
print({ kind: 'trades', trades: trades.map((t) => ({
    id: t.id, side: t.side, price: t.price, amount: t.amount, timestamp: t.timestamp })) });

const ohlcv = await exchange.fetchOHLCV(symbol, '1m');
print({ kind: 'ohlcv', candles: ohlcv });

// The gateway tags every feed message with the journal sequence it reflects (a Perpetua extension
// ccxt ignores); record it per message_id, which ccxt keeps as the order book's nonce. The socket
// exists as soon as connect() returns, so no message is missed.
const sequenceOfMessage = new Map();
const client = exchange.client(wsUrl);
const connected = client.connect();
client.connection.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.sequence !== undefined) {
        sequenceOfMessage.set(message.message_id, message.sequence);
    }
});
await connected;

for (let i = 0; i < updates; i++) {
    const book = await exchange.watchOrderBook(symbol);
    // Read nonce and levels in the same synchronous step: together they are one consistent state.
    print({ kind: 'book', nonce: book.nonce, sequence: sequenceOfMessage.get(book.nonce),
        bids: book.bids, asks: book.asks });
}
await exchange.close();
print({ kind: 'done' });
