// What the page knows of the logged-in account: the snapshot of the `subscribe` result (open
// orders and the margin view), then the account channel's events in journal order: open orders,
// fills, the margin view (balance, margins, positions) and a log of the other account events.

import { Decimal } from './decimal.js';

const MAX_FILLS = 200;
const CONDITIONAL = new Set(['STOP_LIMIT', 'STOP_MARKET', 'TAKE_PROFIT_LIMIT', 'TAKE_PROFIT_MARKET']);
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

  /**
   * The `subscribe` result: open orders and the margin view at `sequence`, where the account
   * channel's stream continues. Replaces what was known (after a reconnect, what changed while
   * disconnected is in it).
   */
  subscribed(result) {
    this.sequence = result.sequence;
    this.margin = result.margin ?? null;
    this.orders.clear();
    for (const order of result.orders ?? []) {
      this.orders.set(order.orderId, {
        orderId: order.orderId,
        clientOrderId: order.clientOrderId || null,
        market: order.market,
        status: order.status,
        side: order.side,
        type: order.type,
        timeInForce: order.timeInForce,
        postOnly: order.postOnly,
        reduceOnly: order.reduceOnly,
        price: order.price ?? null,
        triggerPrice: order.triggerPrice ?? null,
        size: order.size,
        open: order.remaining,
        expiresAt: order.expiresAt ?? null,
      });
    }
  }

  /** Applies one `account` message. */
  apply(message) {
    this.sequence = message.sequence;
    for (const event of message.events) {
      switch (event.event) {
        case 'accepted': {
          // A conditional order is accepted twice: waiting for its trigger, then (same id) as the
          // LIMIT or MARKET order it becomes once triggered.
          const waiting = CONDITIONAL.has(event.type);
          const before = this.orders.get(event.orderId);
          this.orders.set(event.orderId, {
            orderId: event.orderId,
            clientOrderId: event.clientOrderId || null,
            market: event.market,
            status: waiting ? 'UNTRIGGERED' : 'PENDING',
            side: event.side,
            type: waiting || !before ? event.type : before.type,
            timeInForce: event.timeInForce,
            postOnly: event.postOnly,
            reduceOnly: event.reduceOnly ?? false,
            price: waiting && event.type.endsWith('_MARKET') ? null : event.price,
            triggerPrice: event.triggerPrice ?? before?.triggerPrice ?? null,
            size: event.size,
            open: event.size,
            expiresAt: event.expiresAt ?? null,
          });
          break;
        }
        case 'triggered':
          this.update(event.orderId, (order) => {
            order.status = 'TRIGGERED';
          });
          this.log(event, message.sequence);
          break;
        case 'rested':
          this.update(event.orderId, (order) => {
            order.status = 'OPEN';
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
          // rejected, position, collateral, funding, liquidation, deleveraged, insuranceFund
          this.log(event, message.sequence);
      }
    }
  }

  /** Open orders (resting, or waiting for their trigger), newest first. */
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
