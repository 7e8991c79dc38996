// A WebSocket that reconnects: after a close it waits (0.5 s, doubling up to 10 s, back to 0.5 s
// once a connection has stayed open) and opens again. The owner re-sends its subscriptions or
// login from onOpen, since the gateway keeps nothing of a closed connection.

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

export function gatewayUrl(path) {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}

export class ReconnectingSocket {
  /**
   * @param {string} url
   * @param {{onOpen: function(): void, onMessage: function(object): void,
   *          onStatus: function({state: string, detail: string}): void}} handlers
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.delayMs = FIRST_DELAY_MS;
    this.socket = null;
    this.timer = null;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  /** Closes for good (until start again). */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.socket) {
      this.socket.close(1000, 'closed by the page');
      this.socket = null;
    }
    this.handlers.onStatus({ state: 'offline', detail: '' });
  }

  isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (!this.isOpen()) {
      throw new Error('not connected');
    }
    this.socket.send(JSON.stringify(message));
  }

  open() {
    this.handlers.onStatus({ state: 'connecting', detail: '' });
    const socket = new WebSocket(this.url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.delayMs = FIRST_DELAY_MS;
      this.handlers.onStatus({ state: 'open', detail: '' });
      this.handlers.onOpen();
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') {
        return;
      }
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        console.warn('unreadable message', event.data);
        return;
      }
      this.handlers.onMessage(message);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      if (this.stopped) {
        return;
      }
      const reason = event.reason ? `${event.code} ${event.reason}` : opened ? `closed (${event.code})` : 'cannot connect';
      const delayMs = this.delayMs;
      this.delayMs = Math.min(this.delayMs * 2, MAX_DELAY_MS);
      this.handlers.onStatus({ state: 'reconnecting', detail: `${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s` });
      this.handlers.onClose?.();
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.stopped) {
          this.open();
        }
      }, delayMs);
    };
  }
}
