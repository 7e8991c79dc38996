// What the page knows of the logged-in account, from the account channel's events in journal
// order: open orders, fills, the margin view (balance, margins, positions) and a log of the
// other account events. Version 1 of the API has no query of open orders, so the list holds the
// orders accepted since the page subscribed (cancel-all reaches the others too).

import { Decimal } from './decimal.js';

const MAX_FILLS = 200;
const MAX_ACTIVITY = 100;

export class Account {
  constructor() {
    this.clear();
  }

  clear() {
    this.accountId = null;
    this.orders = new Map();
    this.fills = [];
    this.activity = [];
    this.margin = null;
    this.leverage = new Map();
    this.sequence = null;
  }

  /** The `subscribe` result: the margin view at that moment, the stream continues after `sequence`. */
  subscribed(result) {
    this.sequence = result.sequence;
    if (result.margin) {
      this.margin = result.margin;
    }
  }

  /** Applies one `account` message. */
  apply(message) {
    this.sequence = message.sequence;
    for (const event of message.events) {
      switch (event.event) {
        case 'accepted':
          this.orders.set(event.orderId, {
            orderId: event.orderId,
            clientOrderId: event.clientOrderId ?? null,
            market: event.market,
            side: event.side,
            type: event.type,
            timeInForce: event.timeInForce,
            postOnly: event.postOnly,
            price: event.price,
            size: event.size,
            open: event.size,
            expiresAt: event.expiresAt ?? null,
            resting: false,
          });
          break;
        case 'rested':
          this.update(event.orderId, (order) => {
            order.resting = true;
            order.open = event.size;
          });
          break;
        case 'fill':
          this.fills.unshift({ ...event, sequence: message.sequence });
          this.fills.length = Math.min(this.fills.length, MAX_FILLS);
          this.update(event.orderId, (order) => {
            order.open = event.remaining;
          });
          if (Decimal.parse(event.remaining).isZero()) {
            this.orders.delete(event.orderId);
          }
          break;
        case 'amended':
          this.update(event.orderId, (order) => {
            order.price = event.newPrice;
            order.open = event.newSize;
          });
          break;
        case 'cancelled':
        case 'expired':
          this.orders.delete(event.orderId);
          this.log(event, message.sequence);
          break;
        case 'margin':
          this.margin = event;
          break;
        case 'leverage':
          this.leverage.set(event.market, event.leverage);
          this.log(event, message.sequence);
          break;
        default:
          // rejected, position, collateral, liquidation, deleveraged, insuranceFund
          this.log(event, message.sequence);
      }
    }
  }

  /** Open orders, newest first. */
  openOrders() {
    return [...this.orders.values()].sort((a, b) => compareIds(b.orderId, a.orderId));
  }

  update(orderId, change) {
    const order = this.orders.get(orderId);
    if (order) {
      change(order);
    }
  }

  log(event, sequence) {
    this.activity.unshift({ ...event, sequence });
    this.activity.length = Math.min(this.activity.length, MAX_ACTIVITY);
  }
}

/** Order ids are 64-bit decimal strings: compared as BigInts. */
function compareIds(a, b) {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
