// The L2 order book of one market from the v4_orderbook channel: the snapshot of `subscribed`,
// then the deltas of `channel_data` (size "0" removes a level), kept as exact decimals.

import { Decimal } from './decimal.js';

export class OrderBook {
  constructor() {
    this.bids = new Map();
    this.asks = new Map();
    this.sequence = null;
  }

  /** The `subscribed` contents: {bids: [{price, size}], asks: [...]}. */
  reset(contents, sequence) {
    this.bids.clear();
    this.asks.clear();
    for (const level of contents.bids ?? []) {
      set(this.bids, level.price, level.size);
    }
    for (const level of contents.asks ?? []) {
      set(this.asks, level.price, level.size);
    }
    this.sequence = sequence ?? null;
  }

  /** The `channel_data` contents: {bids: [[price, size]], asks: [...]}, a side absent if unchanged. */
  apply(contents, sequence) {
    for (const [price, size] of contents.bids ?? []) {
      set(this.bids, price, size);
    }
    for (const [price, size] of contents.asks ?? []) {
      set(this.asks, price, size);
    }
    this.sequence = sequence ?? this.sequence;
  }

  /** Best first, with the running total of size: [{price, size, total}] (Decimals). */
  levels(side, depth) {
    const book = side === 'bids' ? this.bids : this.asks;
    const sorted = [...book.values()].sort((a, b) => side === 'bids' ? b.price.cmp(a.price) : a.price.cmp(b.price));
    let total = Decimal.of(0);
    return sorted.slice(0, depth).map((level) => {
      total = total.add(level.size);
      return { price: level.price, size: level.size, total };
    });
  }

  best(side) {
    return this.levels(side, 1)[0] ?? null;
  }

  /** {spread, mid} of the best levels, or null when a side is empty. */
  spread() {
    const bid = this.best('bids');
    const ask = this.best('asks');
    if (!bid || !ask) {
      return null;
    }
    return { bid: bid.price, ask: ask.price, spread: ask.price.sub(bid.price), mid: bid.price.add(ask.price).half() };
  }
}

function set(side, priceText, sizeText) {
  const price = Decimal.parse(priceText);
  const size = Decimal.parse(sizeText);
  const key = price.toString();
  if (size.isZero()) {
    side.delete(key);
  } else {
    side.set(key, { price, size });
  }
}
