// Unit tests of the page's exact decimals (run by DecimalJsTest with `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal, DecimalError, placesOf, positiveInput } from '../../main/resources/web/decimal.js';

const d = Decimal.parse;

test('parses and prints as the gateway does', () => {
  for (const text of ['0', '1', '-1', '60000.5', '0.001', '-0.000001', '123456789012345678901234567890.123456789']) {
    assert.equal(d(text).toString(), text);
  }
  assert.equal(d('60000.50').toString(), '60000.5');
  assert.equal(d('-0.0').toString(), '0');
  assert.equal(d('10.000').toString(), '10');
});

test('rejects what is not a decimal string', () => {
  for (const bad of ['', '1e3', '+1', '01', '1.', '.5', ' 1', '1,5', 'NaN', 'Infinity', '--1', '0x10', null, 1.5]) {
    assert.throws(() => d(bad), DecimalError, JSON.stringify(bad));
  }
});

test('adds, subtracts and multiplies exactly where floats would not', () => {
  assert.equal(d('0.1').add(d('0.2')).toString(), '0.3');
  assert.equal(0.1 + 0.2 === 0.3, false); // why the page does not use numbers
  assert.equal(d('60000.5').sub(d('59999.75')).toString(), '0.75');
  assert.equal(d('60000.5').mul(d('0.003')).toString(), '180.0015');
  // Beyond 2^53, where a number would round.
  assert.equal(d('9007199254740993').add(d('1')).toString(), '9007199254740994');
  assert.equal(d('92233720368547.75807').mul(d('2')).toString(), '184467440737095.51614');
});

test('halves, divides with truncation, compares', () => {
  assert.equal(d('60000').add(d('60000.5')).half().toString(), '60000.25');
  assert.equal(d('1').div(d('3'), 4).toString(), '0.3333');
  assert.equal(d('-1').div(d('3'), 2).toString(), '-0.33');
  assert.equal(d('-180.0015').div(d('-0.003'), 2).toString(), '60000.5');
  assert.throws(() => d('1').div(d('0'), 2), DecimalError);
  assert.equal(d('0.5').cmp(d('0.50')), 0);
  assert.equal(d('0.5').cmp(d('0.49')), 1);
  assert.equal(d('-2').cmp(d('1')), -1);
  assert.ok(d('1.000').eq(d('1')));
});

test('tick and lot multiples', () => {
  assert.ok(d('60000.5').isMultipleOf(d('0.5')));
  assert.ok(!d('60000.25').isMultipleOf(d('0.5')));
  assert.ok(d('0.003').isMultipleOf(d('0.001')));
  assert.ok(!d('0.0035').isMultipleOf(d('0.001')));
  assert.ok(d('100').isMultipleOf(d('10')));
  assert.ok(!d('1').isMultipleOf(d('0')));
  assert.equal(placesOf('0.5'), 1);
  assert.equal(placesOf('0.001'), 3);
  assert.equal(placesOf('10'), 0);
});

test('formats with padding, never rounding', () => {
  assert.equal(d('60000.5').format(2), '60000.50');
  assert.equal(d('0.001').format(2), '0.001');
  assert.equal(d('-0.5').format(3), '-0.500');
  assert.equal(d('7').format(0), '7');
  assert.equal(d('123.456').withScale(5).units, 12345600n);
  assert.throws(() => d('123.456').withScale(2), DecimalError);
});

test('trader input becomes the exact string sent', () => {
  assert.equal(positiveInput(' 60000.50 ', 'price', 2), '60000.5');
  assert.equal(positiveInput('.5', 'size', 8), '0.5');
  assert.equal(positiveInput('5.', 'size', 8), '5');
  assert.equal(positiveInput('007.25', 'price', 2), '7.25');
  assert.equal(positiveInput('0.00000001', 'size', 8), '0.00000001');
  assert.equal(positiveInput('123456789012345678.99', 'price', 2), '123456789012345678.99');
  assert.throws(() => positiveInput('', 'price', 2), /price is required/);
  assert.throws(() => positiveInput('0', 'size', 8), /greater than zero/);
  assert.throws(() => positiveInput('-1', 'size', 8), /plain decimal/);
  assert.throws(() => positiveInput('1e5', 'size', 8), /plain decimal/);
  assert.throws(() => positiveInput('1.2.3', 'size', 8), DecimalError);
  assert.throws(() => positiveInput('60000.505', 'price', 2), /more than 2 decimals/);
});
