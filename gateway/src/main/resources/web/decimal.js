// Exact decimals for prices, sizes and amounts: a BigInt count of units of 10^-scale.
// Everything the page sends is built from these (never from a JavaScript number), and the
// numbers it shows are printed from them; approx() exists only to place things on a canvas.

const SYNTAX = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const INPUT_SYNTAX = /^[0-9]*\.?[0-9]*$/;

/** A decimal string that cannot be used, with a message for the trader. */
export class DecimalError extends Error {}

export class Decimal {
  /** @param {bigint} units @param {number} scale value = units / 10^scale */
  constructor(units, scale) {
    if (typeof units !== 'bigint' || !Number.isInteger(scale) || scale < 0) {
      throw new TypeError('Decimal needs a BigInt and a scale >= 0');
    }
    this.units = units;
    this.scale = scale;
  }

  /** Parses a decimal string as the gateway prints it ("60000.5", "-0.001", "0"). */
  static parse(text) {
    if (typeof text !== 'string' || !SYNTAX.test(text)) {
      throw new DecimalError(`not a decimal: ${JSON.stringify(text)}`);
    }
    const negative = text.startsWith('-');
    const digits = negative ? text.slice(1) : text;
    const dot = digits.indexOf('.');
    const scale = dot < 0 ? 0 : digits.length - dot - 1;
    const units = BigInt(dot < 0 ? digits : digits.slice(0, dot) + digits.slice(dot + 1));
    return new Decimal(negative ? -units : units, scale);
  }

  static of(units, scale = 0) {
    return new Decimal(BigInt(units), scale);
  }

  /** The same value with `scale` decimals; throws if that would drop a non-zero digit. */
  withScale(scale) {
    if (scale >= this.scale) {
      return new Decimal(this.units * 10n ** BigInt(scale - this.scale), scale);
    }
    const divisor = 10n ** BigInt(this.scale - scale);
    if (this.units % divisor !== 0n) {
      throw new DecimalError(`${this} has more than ${scale} decimals`);
    }
    return new Decimal(this.units / divisor, scale);
  }

  add(other) {
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.withScale(scale).units + other.withScale(scale).units, scale);
  }

  sub(other) {
    return this.add(other.neg());
  }

  mul(other) {
    return new Decimal(this.units * other.units, this.scale + other.scale);
  }

  /** this / other with `places` decimals, truncated toward zero (for display: entry prices). */
  div(other, places) {
    if (other.units === 0n) {
      throw new DecimalError('division by zero');
    }
    // (a / 10^sa) / (b / 10^sb) * 10^places = a * 10^(sb + places) / (b * 10^sa)
    const numerator = this.units * 10n ** BigInt(other.scale + places);
    const denominator = other.units * 10n ** BigInt(this.scale);
    return new Decimal(numerator / denominator, places);
  }

  /** Exactly half: the mid of two prices. */
  half() {
    return new Decimal(this.units * 5n, this.scale + 1);
  }

  neg() {
    return new Decimal(-this.units, this.scale);
  }

  abs() {
    return this.units < 0n ? this.neg() : this;
  }

  sign() {
    return this.units > 0n ? 1 : this.units < 0n ? -1 : 0;
  }

  isZero() {
    return this.units === 0n;
  }

  /** -1, 0 or 1. */
  cmp(other) {
    const scale = Math.max(this.scale, other.scale);
    const a = this.withScale(scale).units;
    const b = other.withScale(scale).units;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  eq(other) {
    return this.cmp(other) === 0;
  }

  /** True if this is a whole number of `step`s (a price on the tick, a size on the lot). */
  isMultipleOf(step) {
    if (step.units === 0n) {
      return false;
    }
    const scale = Math.max(this.scale, step.scale);
    return this.withScale(scale).units % step.withScale(scale).units === 0n;
  }

  /** Decimals actually used (trailing zeros do not count). */
  places() {
    return this.stripped().scale;
  }

  stripped() {
    let { units, scale } = this;
    while (scale > 0 && units % 10n === 0n) {
      units /= 10n;
      scale--;
    }
    return new Decimal(units, scale);
  }

  /** As the gateway prints: no trailing zeros, no exponent ("60000.5", "0.001", "0"). */
  toString() {
    return this.format(0);
  }

  /** With at least `minPlaces` decimals (padding only: never rounds, so nothing is hidden). */
  format(minPlaces) {
    const stripped = this.stripped();
    const scale = Math.max(stripped.scale, minPlaces);
    const units = stripped.withScale(scale).units;
    const negative = units < 0n;
    let digits = (negative ? -units : units).toString();
    if (scale > 0) {
      digits = digits.padStart(scale + 1, '0');
      digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
    }
    return (negative ? '-' : '') + digits;
  }

  /** A JavaScript number close to the value: only for drawing and ratios, never for what is sent. */
  approx() {
    return Number(this.toString());
  }

  toJSON() {
    return this.toString();
  }
}

/** Decimals of a step such as a tick size or a lot size ("0.5" -> 1, "0.001" -> 3, "10" -> 0). */
export function placesOf(step) {
  return Decimal.parse(step).places();
}

/**
 * Checks what a trader typed as a positive amount and returns it as the string to send: trimmed,
 * a leading "." given its zero, at most `maxPlaces` decimals. Throws DecimalError with a message
 * naming `what` otherwise. Whether it is on the tick or the lot is the engine's to say (BAD_TICK,
 * BAD_LOT), and the page shows that reject as it comes.
 */
export function positiveInput(text, what, maxPlaces) {
  const trimmed = String(text ?? '').trim();
  if (trimmed === '' || trimmed === '.') {
    throw new DecimalError(`${what} is required`);
  }
  if (!INPUT_SYNTAX.test(trimmed)) {
    throw new DecimalError(`${what} must be a plain decimal number such as 1.25 (got ${JSON.stringify(trimmed)})`);
  }
  let normal = trimmed.startsWith('.') ? '0' + trimmed : trimmed;
  normal = normal.endsWith('.') ? normal.slice(0, -1) : normal;
  normal = normal.replace(/^0+(?=[0-9])/, '');
  const value = Decimal.parse(normal);
  if (value.sign() <= 0) {
    throw new DecimalError(`${what} must be greater than zero`);
  }
  if (maxPlaces !== undefined && value.places() > maxPlaces) {
    throw new DecimalError(`${what} has more than ${maxPlaces} decimals`);
  }
  return value.toString();
}
