// A candlestick chart with volume bars drawn on a canvas. Candles are the indexer's
// ({startedAt, open, high, low, close, baseTokenVolume} as decimal strings); positions on the
// canvas are the only place the page turns prices into floating point.

import { Decimal } from './decimal.js';

const COLORS = {
  background: '#10151c',
  grid: '#1f2833',
  text: '#8b98a8',
  up: '#26a69a',
  down: '#ef5350',
  last: '#f0b90b',
};
const AXIS_WIDTH = 78;
const TIME_HEIGHT = 18;
const VOLUME_SHARE = 0.18;
const PRICE_LINES = 5;

/**
 * Draws `candles` (oldest first) to fit the canvas's CSS size; `pricePlaces` formats the axis.
 */
export function drawCandles(canvas, candles, pricePlaces) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.fillStyle = COLORS.background;
  g.fillRect(0, 0, width, height);
  g.font = '11px ui-monospace, monospace';
  g.textBaseline = 'middle';
  if (candles.length === 0) {
    g.fillStyle = COLORS.text;
    g.textAlign = 'center';
    g.fillText('no trades in this resolution yet', width / 2, height / 2);
    return;
  }

  const plotWidth = width - AXIS_WIDTH;
  const slot = Math.max(3, Math.min(14, plotWidth / candles.length));
  const visible = candles.slice(-Math.floor(plotWidth / slot));
  const priceHeight = (height - TIME_HEIGHT) * (1 - VOLUME_SHARE);
  const volumeTop = priceHeight + 4;
  const volumeHeight = height - TIME_HEIGHT - volumeTop;

  let low = Decimal.parse(visible[0].low);
  let high = Decimal.parse(visible[0].high);
  let maxVolume = Decimal.of(0);
  for (const candle of visible) {
    const l = Decimal.parse(candle.low);
    const h = Decimal.parse(candle.high);
    const v = Decimal.parse(candle.baseTokenVolume);
    low = l.cmp(low) < 0 ? l : low;
    high = h.cmp(high) > 0 ? h : high;
    maxVolume = v.cmp(maxVolume) > 0 ? v : maxVolume;
  }
  let top = high.approx();
  let bottom = low.approx();
  const pad = top === bottom ? Math.max(Math.abs(top) * 0.001, 1) : (top - bottom) * 0.08;
  top += pad;
  bottom -= pad;
  const y = (price) => 4 + (top - price) / (top - bottom) * (priceHeight - 8);

  g.textAlign = 'left';
  for (let i = 0; i <= PRICE_LINES; i++) {
    const price = bottom + (top - bottom) * i / PRICE_LINES;
    const py = y(price);
    g.strokeStyle = COLORS.grid;
    g.beginPath();
    g.moveTo(0, py);
    g.lineTo(plotWidth, py);
    g.stroke();
    g.fillStyle = COLORS.text;
    g.fillText(price.toFixed(pricePlaces), plotWidth + 6, py);
  }

  const body = Math.max(1, slot * 0.7);
  visible.forEach((candle, i) => {
    const open = Decimal.parse(candle.open);
    const close = Decimal.parse(candle.close);
    const rising = close.cmp(open) >= 0;
    const x = i * slot + slot / 2;
    g.strokeStyle = g.fillStyle = rising ? COLORS.up : COLORS.down;
    g.beginPath();
    g.moveTo(Math.round(x) + 0.5, y(Decimal.parse(candle.high).approx()));
    g.lineTo(Math.round(x) + 0.5, y(Decimal.parse(candle.low).approx()));
    g.stroke();
    const yOpen = y(open.approx());
    const yClose = y(close.approx());
    g.fillRect(x - body / 2, Math.min(yOpen, yClose), body, Math.max(1, Math.abs(yClose - yOpen)));
    if (!maxVolume.isZero()) {
      const share = Decimal.parse(candle.baseTokenVolume).approx() / maxVolume.approx();
      const barHeight = Math.max(1, share * volumeHeight);
      g.globalAlpha = 0.5;
      g.fillRect(x - body / 2, volumeTop + volumeHeight - barHeight, body, barHeight);
      g.globalAlpha = 1;
    }
  });

  const last = visible[visible.length - 1];
  const lastY = y(Decimal.parse(last.close).approx());
  g.strokeStyle = COLORS.last;
  g.setLineDash([4, 3]);
  g.beginPath();
  g.moveTo(0, lastY);
  g.lineTo(plotWidth, lastY);
  g.stroke();
  g.setLineDash([]);
  g.fillStyle = COLORS.last;
  g.fillRect(plotWidth, lastY - 8, AXIS_WIDTH, 16);
  g.fillStyle = COLORS.background;
  g.fillText(Decimal.parse(last.close).format(pricePlaces), plotWidth + 6, lastY);

  g.fillStyle = COLORS.text;
  g.textAlign = 'center';
  const labelEvery = Math.max(1, Math.ceil(70 / slot));
  visible.forEach((candle, i) => {
    if ((visible.length - 1 - i) % labelEvery === 0) {
      const x = Math.max(18, Math.min(plotWidth - 18, i * slot + slot / 2));
      g.fillText(timeLabel(candle.startedAt, candle.resolution), x, height - TIME_HEIGHT / 2);
    }
  });
}

function timeLabel(iso, resolution) {
  // ISO-8601 UTC from the gateway: "2026-12-06T14:05:00.000Z"
  return resolution === '1DAY' ? iso.slice(5, 10) : iso.slice(11, 16);
}
