// The trading page: public market data from the dYdX v4 dialect (/v4/perpetualMarkets, /v4/ws),
// private trading over /v1/trade. See docs/web.md.

import { Decimal, DecimalError, placesOf, positiveInput } from './decimal.js';
import { OrderBook } from './book.js';
import { Account } from './account.js';
import { drawCandles } from './chart.js';
import { ReconnectingSocket, gatewayUrl } from './socket.js';
import { TradingError, TradingSession } from './trading.js';

const BOOK_DEPTH = 14;
const MAX_TRADES = 60;
const MAX_CANDLES = 500;
const MAX_MESSAGES = 60;

const $ = (selector) => document.querySelector(selector);
const $$ = (selector) => [...document.querySelectorAll(selector)];

/** A DOM element with attributes (`class`, `data-*`, ...) and children (strings become text). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

const state = {
  markets: new Map(),
  ticker: new URLSearchParams(location.search).get('market'),
  resolution: '1MIN',
  book: new OrderBook(),
  trades: [],
  candles: new Map(),
  account: new Account(),
  apiKey: null,
};

// ---------------------------------------------------------------- market units

function market() {
  return state.markets.get(state.ticker) ?? null;
}

/** Decimals of prices as the gateway takes them: priceDecimals + sizeDecimals = 6 + quoteScaleExponent. */
function priceDecimals(m) {
  return 6 - m.quantumConversionExponent + m.atomicResolution;
}

function sizeDecimals(m) {
  return -m.atomicResolution;
}

function tickPlaces() {
  const m = market();
  return m ? placesOf(m.tickSize) : 2;
}

function stepPlaces() {
  const m = market();
  return m ? placesOf(m.stepSize) : 0;
}

/** A decimal string padded to the market's tick or step places (exact: never rounded). */
function fmt(text, places) {
  return text === null || text === undefined ? '—' : Decimal.parse(text).format(places);
}

// ---------------------------------------------------------------- messages

function showMessage(kind, code, text) {
  const list = $('#messages');
  const time = new Date().toISOString().slice(11, 19);
  list.prepend(el('li', { class: kind, 'data-code': code }, el('span', { class: 'time' }, time), ' ',
    el('b', {}, code), ' ', text));
  while (list.children.length > MAX_MESSAGES) {
    list.lastElementChild.remove();
  }
}

function showError(error, context) {
  if (error instanceof TradingError) {
    showMessage('error', error.code, `${context}: ${error.detail}`);
  } else if (error instanceof DecimalError) {
    showMessage('error', 'INPUT', `${context}: ${error.message}`);
  } else {
    showMessage('error', 'ERROR', `${context}: ${error?.message ?? error}`);
  }
}

function setStatus(element, label, status) {
  element.dataset.state = status.state;
  element.textContent = `${label}: ${status.text ?? status.state}${status.detail ? ` (${status.detail})` : ''}`;
}

// ---------------------------------------------------------------- rendering

let renderQueued = false;
const dirty = new Set();

function render(...parts) {
  parts.forEach((part) => dirty.add(part));
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      const now = new Set(dirty);
      dirty.clear();
      if (now.has('markets')) renderMarkets();
      if (now.has('book')) renderBook();
      if (now.has('trades')) renderTrades();
      if (now.has('chart')) renderChart();
      if (now.has('account')) renderAccount();
    });
  }
}

function renderMarkets() {
  const select = $('#market');
  const tickers = [...state.markets.keys()].sort();
  if ([...select.options].map((o) => o.value).join() !== tickers.join()) {
    select.replaceChildren(...tickers.map((t) => el('option', { value: t }, t)));
  }
  select.value = state.ticker ?? '';
  $$('.current-market').forEach((node) => { node.textContent = state.ticker ?? '—'; });
  const m = market();
  const stats = $('#stats');
  if (!m) {
    stats.replaceChildren();
    return;
  }
  const change = m.priceChange24H === null || m.priceChange24H === undefined ? null : Decimal.parse(m.priceChange24H);
  const item = (label, value, cls) => [el('dt', {}, label), el('dd', { class: cls }, value)];
  stats.replaceChildren(
    ...item('Oracle', fmt(m.oraclePrice, tickPlaces())),
    ...item('24h change', change ? change.format(tickPlaces()) : '—', change ? (change.sign() >= 0 ? 'up' : 'down') : null),
    ...item('24h volume', m.volume24H ? `${fmt(m.volume24H, 2)} USDC` : '—'),
    ...item('Open interest', fmt(m.openInterest, 0)),
    ...item('Funding', m.nextFundingRate ?? '—'),
    ...item('Tick / step', `${m.tickSize} / ${m.stepSize}`),
    ...item('Status', m.status, m.status === 'ACTIVE' ? null : 'down'));
  updateOrderForm();
}

function ownPrices(side) {
  const prices = new Set();
  for (const order of state.account.orders.values()) {
    if (order.market === state.ticker && order.side === side && order.status === 'OPEN') {
      prices.add(Decimal.parse(order.price).toString());
    }
  }
  return prices;
}

function renderBook() {
  const asks = state.book.levels('asks', BOOK_DEPTH);
  const bids = state.book.levels('bids', BOOK_DEPTH);
  const deepest = [asks, bids].map((levels) => levels.length ? levels[levels.length - 1].total.approx() : 0);
  const max = Math.max(...deepest, Number.MIN_VALUE);
  const ladder = (levels, own) => levels.map((level) => {
    const key = level.price.toString();
    const row = el('div', { class: own.has(key) ? 'level mine' : 'level', 'data-price': key, title: 'click: use this price' },
      el('span', { class: 'price' }, level.price.format(tickPlaces())),
      el('span', { class: 'size' }, level.size.format(stepPlaces())),
      el('span', { class: 'total' }, level.total.format(stepPlaces())));
    row.style.setProperty('--depth', `${(level.total.approx() / max * 100).toFixed(1)}%`);
    return row;
  });
  $('#asks').replaceChildren(...ladder(asks, ownPrices('SELL')).reverse());
  $('#bids').replaceChildren(...ladder(bids, ownPrices('BUY')));
  const spread = state.book.spread();
  if (spread) {
    const bps = spread.spread.approx() / spread.mid.approx() * 10_000;
    $('#spread').textContent = `spread ${spread.spread.format(tickPlaces())} (${bps.toFixed(1)} bps) · mid ${spread.mid.format(tickPlaces())}`;
  } else {
    $('#spread').textContent = state.book.sequence === null ? 'loading…' : 'no spread (a side is empty)';
  }
  $('#spread').dataset.sequence = state.book.sequence ?? '';
}

function renderTrades() {
  $('#trades tbody').replaceChildren(...state.trades.map((trade) => el('tr', { class: trade.side === 'BUY' ? 'up' : 'down' },
    el('td', {}, trade.createdAt.slice(11, 19)),
    el('td', {}, fmt(trade.price, tickPlaces())),
    el('td', {}, fmt(trade.size, stepPlaces())))));
}

function renderChart() {
  const candles = [...state.candles.values()].sort((a, b) => a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0);
  drawCandles($('#chart'), candles, tickPlaces());
}

function renderAccount() {
  const account = state.account;
  // The credentials are kept while reconnecting: the form comes back only when they are dropped.
  const loggedIn = state.apiKey !== null;
  $('#login-form').hidden = loggedIn;
  $('#login-info').hidden = !loggedIn;
  $('#account-id').textContent = account.accountId ?? '…';
  $('#account-key').textContent = state.apiKey ?? '';

  const margin = account.margin;
  if (!margin) {
    $('#margin').replaceChildren(el('span', { class: 'muted' },
      account.accountId !== null ? 'No margin view yet (no deposit or trade of this account in the journal).' : 'Log in to see your margin and positions.'));
  } else {
    const figure = (label, value, id) => el('div', { class: 'figure', id }, el('span', { class: 'muted' }, label), el('b', {}, value ?? '—'));
    $('#margin').replaceChildren(
      figure('Balance', fmt(margin.balance, 2), 'margin-balance'),
      figure('Net collateral', fmt(margin.netCollateral, 2)),
      figure('Initial margin', fmt(margin.initialMargin, 2)),
      figure('Maintenance', fmt(margin.maintenanceMargin, 2)),
      figure('Free collateral', fmt(margin.freeCollateral, 2), 'margin-free'),
      figure('Margin ratio', margin.marginRatio),
      figure('Leverage', margin.leverage));
  }
  const positions = margin?.positions ?? [];
  $('#positions tbody').replaceChildren(...positions.map((p) => {
    const size = Decimal.parse(p.size);
    const m = state.markets.get(p.market);
    const places = m ? placesOf(m.tickSize) : 2;
    const entry = size.isZero() ? null : Decimal.parse(p.costBasis).div(size, m ? priceDecimals(m) : 6).abs();
    const pnl = Decimal.parse(p.unrealizedPnl);
    return el('tr', { 'data-market': p.market },
      el('td', {}, p.market),
      el('td', { class: size.sign() >= 0 ? 'up' : 'down' }, size.toString()),
      el('td', {}, entry ? entry.format(places) : '—'),
      el('td', {}, fmt(p.markPrice, places)),
      el('td', {}, fmt(p.notional, 2)),
      el('td', { class: pnl.sign() >= 0 ? 'up' : 'down' }, pnl.format(2)),
      el('td', {}, fmt(p.liquidationPrice, places)),
      el('td', {}, String(p.adlQuantile ?? '—')));
  }));
  const leverage = account.leverage.get(state.ticker);
  $('#leverage-current').textContent = leverage === undefined ? '' : `set: ${leverage === 0 ? 'tier maximum' : `${leverage}x`}`;

  const orders = account.openOrders();
  $('#orders-count').textContent = orders.length ? `(${orders.length})` : '';
  $('#open-orders tbody').replaceChildren(...orders.map((order) => {
    const m = state.markets.get(order.market);
    const pp = m ? placesOf(m.tickSize) : 2;
    const sp = m ? placesOf(m.stepSize) : 0;
    const flags = [order.postOnly ? 'post-only' : null, order.reduceOnly ? 'reduce-only' : null,
      order.expiresAt ? `until ${new Date(order.expiresAt).toISOString().slice(11, 19)}` : null].filter(Boolean).join(', ');
    return el('tr', { 'data-order-id': order.orderId },
      el('td', {}, order.orderId, order.clientOrderId ? el('span', { class: 'muted' }, ` #${order.clientOrderId}`) : null),
      el('td', {}, order.market),
      el('td', { class: order.side === 'BUY' ? 'up' : 'down' }, order.side),
      el('td', {}, order.type),
      el('td', { class: 'order-status' }, order.status),
      el('td', {}, fmt(order.price, pp)),
      el('td', {}, fmt(order.triggerPrice, pp)),
      el('td', {}, fmt(order.size, sp)),
      el('td', { class: 'open' }, fmt(order.open, sp)),
      el('td', {}, order.timeInForce),
      el('td', {}, flags),
      el('td', { class: 'actions' },
        el('button', { type: 'button', class: 'amend', 'data-order-id': order.orderId }, 'amend'),
        el('button', { type: 'button', class: 'cancel', 'data-order-id': order.orderId }, 'cancel')));
  }));

  $('#fills tbody').replaceChildren(...account.fills.map((fill) => {
    const m = state.markets.get(fill.market);
    const pp = m ? placesOf(m.tickSize) : 2;
    const sp = m ? placesOf(m.stepSize) : 0;
    return el('tr', { 'data-trade-id': fill.tradeId },
      el('td', {}, fill.sequence),
      el('td', {}, fill.tradeId),
      el('td', {}, fill.market),
      el('td', { class: fill.side === 'BUY' ? 'up' : 'down' }, fill.side),
      el('td', {}, fill.liquidity),
      el('td', {}, fmt(fill.price, pp)),
      el('td', {}, fmt(fill.size, sp)),
      el('td', {}, fmt(fill.quote, 2)),
      el('td', {}, fill.orderId),
      el('td', {}, fmt(fill.remaining, sp)));
  }));

  $('#activity').replaceChildren(...account.activity.map((event) => {
    const { event: kind, sequence, ...fields } = event;
    const text = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
    return el('li', { 'data-event': kind }, el('span', { class: 'time' }, `#${sequence}`), ' ', el('b', {}, kind), ' ', text);
  }));
  render('book');
}

// ---------------------------------------------------------------- market data

const feedTopics = () => state.ticker ? [
  { channel: 'v4_orderbook', id: state.ticker },
  { channel: 'v4_trades', id: state.ticker },
  { channel: 'v4_candles', id: `${state.ticker}/${state.resolution}` },
] : [];

let subscribed = [];

const feed = new ReconnectingSocket(gatewayUrl('/v4/ws'), {
  onOpen() {
    subscribed = [];
    feed.send({ type: 'subscribe', channel: 'v4_markets' });
    subscribeMarket();
  },
  onMessage: onFeedMessage,
  onStatus(status) {
    setStatus($('#feed-status'), 'market data', { ...status, text: status.state === 'open' ? 'live' : status.state });
  },
});

/** Moves the per-market subscriptions to the selected market and resolution. */
function subscribeMarket() {
  if (!feed.isOpen()) {
    return;
  }
  const wanted = feedTopics();
  const key = (topic) => `${topic.channel} ${topic.id}`;
  for (const topic of subscribed) {
    if (!wanted.some((w) => key(w) === key(topic))) {
      feed.send({ type: 'unsubscribe', channel: topic.channel, id: topic.id });
    }
  }
  for (const topic of wanted) {
    if (!subscribed.some((s) => key(s) === key(topic))) {
      feed.send({ type: 'subscribe', channel: topic.channel, id: topic.id });
    }
  }
  subscribed = wanted;
}

function onFeedMessage(message) {
  const current = message.channel === 'v4_candles' ? `${state.ticker}/${state.resolution}` : state.ticker;
  if (message.type === 'error') {
    showMessage('error', 'MARKET_DATA', message.message);
    return;
  }
  if (message.type !== 'subscribed' && message.type !== 'channel_data') {
    return;
  }
  const snapshot = message.type === 'subscribed';
  const contents = message.contents;
  switch (message.channel) {
    case 'v4_markets':
      if (snapshot) {
        state.markets.clear();
      }
      for (const [ticker, fields] of Object.entries(snapshot ? contents.markets : contents.trading ?? {})) {
        state.markets.set(ticker, { ...(state.markets.get(ticker) ?? {}), ...fields });
      }
      chooseDefaultMarket();
      render('markets');
      break;
    case 'v4_orderbook':
      if (message.id !== current) return;
      if (snapshot) state.book.reset(contents, message.sequence);
      else state.book.apply(contents, message.sequence);
      render('book');
      break;
    case 'v4_trades':
      if (message.id !== current) return;
      state.trades = snapshot ? contents.trades.slice(0, MAX_TRADES) : [...contents.trades, ...state.trades].slice(0, MAX_TRADES);
      render('trades');
      break;
    case 'v4_candles':
      if (message.id !== current) return;
      if (snapshot) {
        state.candles.clear();
        contents.candles.forEach((candle) => state.candles.set(candle.startedAt, candle));
      } else {
        state.candles.set(contents.startedAt, contents);
        if (state.candles.size > MAX_CANDLES) {
          state.candles.delete([...state.candles.keys()].sort()[0]);
        }
      }
      render('chart');
      break;
    default:
  }
}

function chooseDefaultMarket() {
  if (!state.ticker || !state.markets.has(state.ticker)) {
    const first = [...state.markets.keys()].sort()[0] ?? null;
    if (first !== state.ticker && first !== null) {
      selectMarket(first);
    }
  }
}

function selectMarket(ticker) {
  state.ticker = ticker;
  state.book = new OrderBook();
  state.trades = [];
  state.candles.clear();
  const url = new URL(location.href);
  url.searchParams.set('market', ticker);
  history.replaceState(null, '', url.pathname + url.search + url.hash);
  subscribeMarket();
  render('markets', 'book', 'trades', 'chart', 'account');
}

async function loadMarkets() {
  try {
    const response = await fetch('/v4/perpetualMarkets', { cache: 'no-store' });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.errors?.[0]?.msg ?? `HTTP ${response.status}`);
    }
    for (const [ticker, fields] of Object.entries(body.markets)) {
      state.markets.set(ticker, fields);
    }
    chooseDefaultMarket();
    render('markets');
  } catch (error) {
    showMessage('error', 'MARKET_DATA', `GET /v4/perpetualMarkets: ${error.message}`);
  }
}

// ---------------------------------------------------------------- trading

const trading = new TradingSession({
  onStatus(status) {
    if (status.state !== 'open') {
      // Logged in again (as what the gateway then says) once the connection is back.
      state.account.accountId = null;
    }
    const text = status.state === 'open' ? 'logging in' : status.state === 'offline' ? 'not logged in' : status.state;
    setStatus($('#trade-status'), 'trading', { ...status, text });
    render('account');
  },
  onLogin(result) {
    const again = state.account.sequence !== null;
    state.account.accountId = result.accountId;
    setStatus($('#trade-status'), 'trading', { state: 'open', text: `account ${result.accountId}` });
    showMessage('info', 'LOGGED_IN', again ?
      `logged in again as account ${result.accountId}: open orders and margin are current again; ` +
        'fills and activity while disconnected are not replayed' :
      `logged in as account ${result.accountId} (API version ${result.version})`);
    render('account');
  },
  onSubscribed(result) {
    state.account.subscribed(result);
    render('account');
  },
  onAccount(message) {
    // Its rejects are listed under account activity: the request's own error is in the messages already.
    state.account.apply(message);
    render('account');
  },
  onError(error) {
    showError(error, 'trading');
    if (!trading.credentials) {
      state.account.clear();
      state.apiKey = null;
      render('account');
    }
  },
});

function login(apiKey, secret) {
  if (!apiKey || !secret) {
    showMessage('error', 'INPUT', 'enter an API key and its secret');
    return;
  }
  state.account.clear();
  state.apiKey = apiKey;
  trading.login(apiKey, secret);
}

/** Runs a trading request, shows its outcome under the order form and in the messages. */
async function submit(op, fields, describe) {
  const result = $('#order-result');
  try {
    const response = await trading.request(op, fields);
    result.className = 'result ok';
    result.dataset.outcome = 'ok';
    result.dataset.orderId = response.orderId ?? '';
    result.textContent = describe(response);
    showMessage('info', op.toUpperCase(), result.textContent);
    return response;
  } catch (error) {
    result.className = 'result error';
    result.dataset.outcome = 'error';
    result.dataset.code = error.code ?? 'INPUT';
    result.dataset.orderId = '';
    result.textContent = error instanceof TradingError ? `${error.code}: ${error.detail}` : error.message;
    showError(error, op);
    return null;
  }
}

function describeEvents(response) {
  const parts = (response.events ?? []).map((e) => {
    switch (e.event) {
      case 'accepted': return `accepted ${e.side} ${e.size} ${e.type}${hasPrice(e.type) ? ` @ ${e.price}` : ''}` +
        (e.triggerPrice ? ` when the mark reaches ${e.triggerPrice}` : '');
      case 'triggered': return `triggered at mark ${e.markPrice}`;
      case 'fill': return `filled ${e.size} @ ${e.price} (${e.liquidity.toLowerCase()})`;
      case 'rested': return `resting ${e.size} @ ${e.price}`;
      case 'cancelled': return `cancelled ${e.remaining} (${e.reason.toLowerCase().replace('_', ' ')})`;
      case 'amended': return `amended to ${e.newSize} @ ${e.newPrice}${e.priorityKept ? ', priority kept' : ''}`;
      case 'expired': return `expired ${e.remaining}`;
      case 'leverage': return `leverage ${e.leverage === 0 ? 'tier maximum' : e.leverage}`;
      default: return e.event;
    }
  });
  const id = response.orderId ? `order ${response.orderId}: ` : '';
  return `${id}${parts.join(', ') || 'done'} (seq ${response.sequence})`;
}

const CONDITIONAL = new Set(['STOP_LIMIT', 'STOP_MARKET', 'TAKE_PROFIT_LIMIT', 'TAKE_PROFIT_MARKET']);

/** LIMIT and the _LIMIT types carry a price; the MARKET types' limit is the exchange's band. */
function hasPrice(type) {
  return type === 'LIMIT' || type.endsWith('_LIMIT');
}

function orderFields() {
  const m = market();
  if (!m) {
    throw new DecimalError('no market selected');
  }
  const type = $('#order-type').value;
  const timeInForce = $('#order-tif').value;
  const fields = {
    market: m.ticker,
    side: $('#side-sell').checked ? 'SELL' : 'BUY',
    type,
    timeInForce,
    size: positiveInput($('#order-size').value, 'size', sizeDecimals(m)),
    postOnly: $('#order-post-only').checked,
    reduceOnly: $('#order-reduce-only').checked,
    selfTradePrevention: $('#order-stp').value,
  };
  if (hasPrice(type)) {
    fields.price = positiveInput($('#order-price').value, 'price', priceDecimals(m));
  }
  if (CONDITIONAL.has(type)) {
    fields.triggerPrice = positiveInput($('#order-trigger').value, 'trigger price', priceDecimals(m));
  }
  const clientOrderId = $('#order-client-id').value.trim();
  if (clientOrderId !== '') {
    // Sent as a JSON number, so kept within what a JavaScript number holds exactly.
    if (!/^[1-9][0-9]{0,14}$/.test(clientOrderId)) {
      throw new DecimalError('client order id must be a whole number from 1 to 999999999999999');
    }
    fields.clientOrderId = Number(clientOrderId);
  }
  if (timeInForce === 'GTT') {
    const seconds = $('#order-expires').value.trim();
    if (!/^[1-9][0-9]{0,6}$/.test(seconds)) {
      throw new DecimalError('expiry must be a whole number of seconds from 1 to 9999999');
    }
    fields.expiresAt = Date.now() + trading.clockOffsetMs + Number(seconds) * 1000;
  }
  return fields;
}

function updateOrderForm() {
  const type = $('#order-type').value;
  const isMarket = !hasPrice(type);
  $('#order-price').disabled = isMarket;
  $('#trigger-row').hidden = !CONDITIONAL.has(type);
  $('#expires-row').hidden = $('#order-tif').value !== 'GTT';
  const sell = $('#side-sell').checked;
  const button = $('#order-submit');
  button.className = sell ? 'sell' : 'buy';
  button.textContent = `${sell ? 'Sell' : 'Buy'} ${state.ticker ?? ''}${isMarket ? ' at market' : ''}` +
    (CONDITIONAL.has(type) ? ' on trigger' : '');
  let notional = '—';
  const m = market();
  hint('#order-trigger', '#trigger-hint', 'tick', m?.tickSize, m ? priceDecimals(m) : 0);
  const price = hint('#order-price', '#tick-hint', 'tick', m?.tickSize, m ? priceDecimals(m) : 0);
  const size = hint('#order-size', '#step-hint', 'step', m?.stepSize, m ? sizeDecimals(m) : 0);
  if (!isMarket && price && size) {
    notional = `${price.mul(size).toString()} USDC`;
  }
  $('#order-notional').textContent = notional;
}

/**
 * Shows the market's tick or step under an input, with a warning when the typed amount is off it
 * (the order is still sent: the engine's BAD_TICK / BAD_LOT is the answer). Returns the amount, or
 * null if there is none yet.
 */
function hint(input, hintElement, name, step, maxPlaces) {
  const element = $(hintElement);
  element.classList.remove('warn');
  if (!step) {
    element.textContent = '';
    return null;
  }
  element.textContent = `${name} ${step}`;
  let amount;
  try {
    amount = Decimal.parse(positiveInput($(input).value, name, maxPlaces));
  } catch (e) {
    return null;
  }
  if (!amount.isMultipleOf(Decimal.parse(step))) {
    element.classList.add('warn');
    element.textContent = `${amount} is not a multiple of the ${name} ${step}`;
  }
  return amount;
}

// ---------------------------------------------------------------- wiring

function wire() {
  $('#market').addEventListener('change', (e) => selectMarket(e.target.value));
  $('#resolution').addEventListener('change', (e) => {
    state.resolution = e.target.value;
    state.candles.clear();
    subscribeMarket();
    render('chart');
  });

  $('#login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    login($('#login-key').value.trim(), $('#login-secret').value);
    $('#login-secret').value = '';
  });
  $('#logout-button').addEventListener('click', () => {
    trading.logout();
    state.account.clear();
    state.apiKey = null;
    render('account');
  });

  $('#order-form').addEventListener('input', updateOrderForm);
  $('#order-form').addEventListener('change', (e) => {
    if (e.target.id === 'order-type') {
      $('#order-tif').value = hasPrice(e.target.value) ? 'GTC' : 'IOC';
    }
    updateOrderForm();
  });
  $('#order-form').addEventListener('submit', (e) => {
    e.preventDefault();
    let fields;
    try {
      fields = orderFields();
    } catch (error) {
      const result = $('#order-result');
      result.className = 'result error';
      result.dataset.outcome = 'error';
      result.dataset.code = 'INPUT';
      result.textContent = error.message;
      showError(error, 'order');
      return;
    }
    submit('place', fields, describeEvents);
  });

  const pickPrice = (e) => {
    const level = e.target.closest('.level');
    if (level) {
      $('#order-price').value = level.dataset.price;
      $('#order-type').value = 'LIMIT';
      updateOrderForm();
    }
  };
  $('#asks').addEventListener('click', pickPrice);
  $('#bids').addEventListener('click', pickPrice);

  $('#open-orders').addEventListener('click', (e) => {
    const button = e.target.closest('button');
    const order = button ? state.account.orders.get(button.dataset.orderId) : null;
    if (!order) {
      return;
    }
    if (button.classList.contains('cancel')) {
      submit('cancel', { market: order.market, orderId: order.orderId }, describeEvents);
    } else if (button.classList.contains('amend')) {
      $('#amend-form').hidden = false;
      $('#amend-form').dataset.orderId = order.orderId;
      $('#amend-order').textContent = `${order.orderId} (${order.market} ${order.side} ${order.open} @ ${order.price})`;
      $('#amend-price').value = order.price;
      $('#amend-size').value = order.open;
      $('#amend-reduce').value = '';
    }
  });
  $('#amend-close').addEventListener('click', () => { $('#amend-form').hidden = true; });
  $('#amend-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const order = state.account.orders.get($('#amend-form').dataset.orderId);
    if (!order) {
      showMessage('error', 'UNKNOWN_ORDER', 'the order is no longer open');
      $('#amend-form').hidden = true;
      return;
    }
    const m = state.markets.get(order.market);
    const fields = { market: order.market, orderId: order.orderId };
    try {
      const reduce = $('#amend-reduce').value.trim();
      const price = $('#amend-price').value.trim();
      const size = $('#amend-size').value.trim();
      if (reduce !== '') {
        fields.reduceBy = positiveInput(reduce, 'reduce by', sizeDecimals(m));
      } else if (size !== '' && !Decimal.parse(positiveInput(size, 'size', sizeDecimals(m))).eq(Decimal.parse(order.open))) {
        fields.size = positiveInput(size, 'size', sizeDecimals(m));
      }
      if (price !== '' && !Decimal.parse(positiveInput(price, 'price', priceDecimals(m))).eq(Decimal.parse(order.price))) {
        fields.price = positiveInput(price, 'price', priceDecimals(m));
      }
    } catch (error) {
      showError(error, 'amend');
      return;
    }
    if (Object.keys(fields).length === 2) {
      showMessage('error', 'INPUT', 'amend: nothing changed');
      return;
    }
    submit('amend', fields, describeEvents).then((response) => {
      if (response) $('#amend-form').hidden = true;
    });
  });
  $('#cancel-all-market').addEventListener('click', () => {
    if (state.ticker) submit('cancelAll', { market: state.ticker }, describeEvents);
  });
  $('#cancel-all').addEventListener('click', () => submit('cancelAll', {}, describeEvents));
  $('#leverage-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('#leverage').value.trim();
    if (!/^(0|[1-9][0-9]{0,3})$/.test(text)) {
      showMessage('error', 'INPUT', 'leverage must be a whole number from 0 (the tier maximum) to 9999');
      return;
    }
    if (state.ticker) submit('setLeverage', { market: state.ticker, leverage: Number(text) }, describeEvents);
  });

  $$('.tabs button').forEach((tab) => tab.addEventListener('click', () => {
    $$('.tabs button').forEach((t) => t.setAttribute('aria-selected', String(t === tab)));
    $$('[data-panel]').forEach((panel) => { panel.hidden = panel.dataset.panel !== tab.dataset.tab; });
  }));
  new ResizeObserver(() => render('chart')).observe($('#chart'));
}

/** `#key=...&secret=...` (as the demo prints): log in, and take the secret out of the address bar. */
function loginFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const key = params.get('key');
  const secret = params.get('secret');
  if (key && secret) {
    history.replaceState(null, '', location.pathname + location.search);
    $('#login-key').value = key;
    login(key, secret);
  }
}

wire();
updateOrderForm();
render('markets', 'book', 'trades', 'chart', 'account');
await loadMarkets();
feed.start();
loginFromFragment();
