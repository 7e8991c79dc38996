// The private trading API (docs/api/trading-v1.md) over the WebSocket /v1/trade: login signed
// with WebCrypto's HMAC-SHA256, requests answered by requestId, the account channel. After a
// dropped connection it logs in again with a fresh nonce and subscribes again.

import { ReconnectingSocket, gatewayUrl } from './socket.js';

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const REQUEST_TIMEOUT_MS = 15_000;

/** An error answer of the gateway or the engine ({code, message}), or one of the page's own. */
export class TradingError extends Error {
  constructor(code, message, response = null) {
    super(`${code}: ${message}`);
    this.code = code;
    this.detail = message;
    this.response = response;
  }
}

/** 24 characters of [A-Za-z0-9_-] from the browser's cryptographic random source. */
export function newNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => NONCE_ALPHABET[b & 63]).join('');
}

/** lowercase hex of HMAC-SHA256(secret, apiKey + "\n" + timestamp + "\n" + nonce), as trading-v1.md says. */
export async function signLogin(secret, apiKey, timestamp, nonce) {
  if (!globalThis.crypto?.subtle) {
    throw new TradingError('NO_WEBCRYPTO',
      'this browser offers no WebCrypto here: open the page over https or from localhost / 127.0.0.1');
  }
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false,
    ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${apiKey}\n${timestamp}\n${nonce}`));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The server's clock minus ours in ms, from /v4/time: a login's timestamp must be within 30 s of
 * the server's clock, and a browser's clock may be off by more.
 */
export async function serverClockOffsetMs() {
  const before = Date.now();
  const response = await fetch('/v4/time', { cache: 'no-store' });
  const after = Date.now();
  if (!response.ok) {
    throw new Error(`GET /v4/time answered ${response.status}`);
  }
  const time = await response.json();
  return Math.round(Date.parse(time.iso) - (before + after) / 2);
}

export class TradingSession {
  /**
   * @param {{onStatus: function({state, detail}): void, onLogin: function(object): void,
   *          onAccount: function(object): void, onSubscribed: function(object): void,
   *          onError: function(TradingError): void}} handlers
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.credentials = null;
    this.clockOffsetMs = 0;
    this.pending = new Map();
    this.nextRequest = 1;
    this.accountId = null;
    this.socket = new ReconnectingSocket(gatewayUrl('/v1/trade'), {
      onOpen: () => this.authenticate(),
      onMessage: (message) => this.onMessage(message),
      onStatus: (status) => this.onSocketStatus(status),
      onClose: () => this.failPending(),
    });
  }

  /** Starts connecting and logs in with these credentials (again after every reconnect). */
  async login(apiKey, secret) {
    this.logout();
    this.credentials = { apiKey, secret };
    try {
      this.clockOffsetMs = await serverClockOffsetMs();
    } catch (e) {
      this.clockOffsetMs = 0;
      console.warn('cannot read the server clock; using this browser clock', e);
    }
    this.socket.start();
  }

  logout() {
    this.credentials = null;
    this.accountId = null;
    this.socket.stop();
    this.failPending();
  }

  /**
   * Sends one request; resolves with its result, rejects with a TradingError carrying the code
   * and message of the gateway's or the engine's error.
   */
  request(op, fields = {}) {
    if (!this.socket.isOpen()) {
      return Promise.reject(new TradingError('NOT_CONNECTED', 'the trading connection is not open'));
    }
    const requestId = `${op}-${this.nextRequest++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new TradingError('NO_ANSWER', `no answer to ${op} ${requestId} within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(requestId, { resolve, reject, timer, op });
      this.socket.send({ op, requestId, ...fields });
    });
  }

  async authenticate() {
    const credentials = this.credentials;
    if (!credentials) {
      return;
    }
    try {
      const timestamp = Date.now() + this.clockOffsetMs;
      const nonce = newNonce();
      const signature = await signLogin(credentials.secret, credentials.apiKey, timestamp, nonce);
      const result = await this.request('login', { apiKey: credentials.apiKey, timestamp, nonce, signature });
      this.accountId = result.accountId;
      this.handlers.onLogin(result);
      this.handlers.onSubscribed(await this.request('subscribe', { channel: 'account' }));
    } catch (error) {
      const failure = error instanceof TradingError ? error : new TradingError('LOGIN_FAILED', String(error.message ?? error));
      this.handlers.onError(failure);
      if (['UNKNOWN_API_KEY', 'BAD_SIGNATURE', 'INVALID_FIELD', 'NO_WEBCRYPTO', 'REPLAYED_NONCE', 'STALE_TIMESTAMP']
        .includes(failure.code)) {
        // Retrying would only repeat the same answer: wait for the trader to log in again.
        this.logout();
      }
    }
  }

  onMessage(message) {
    if (message.type === 'account') {
      this.handlers.onAccount(message);
      return;
    }
    const pending = message.requestId == null ? undefined : this.pending.get(message.requestId);
    if (!pending) {
      if (message.type === 'error') {
        this.handlers.onError(new TradingError(message.code, message.message, message));
      }
      return;
    }
    this.pending.delete(message.requestId);
    clearTimeout(pending.timer);
    if (message.type === 'error') {
      pending.reject(new TradingError(message.code, message.message, message));
    } else {
      pending.resolve(message);
    }
  }

  onSocketStatus(status) {
    if (status.state !== 'open') {
      this.accountId = null;
    }
    this.handlers.onStatus(status);
  }

  failPending() {
    for (const [requestId, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new TradingError('DISCONNECTED', `the connection closed before ${pending.op} ${requestId} ` +
        'was answered: it may or may not have been carried out (check open orders)'));
    }
    this.pending.clear();
  }
}
