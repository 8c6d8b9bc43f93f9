import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderBuffer } from '../expose/exposition.js';
import { type Decimal, readDecimal } from './decimal.js';
import { formatValue, parseNumber } from './value.js';

/** What the renderer prints for a decimal series (the only way to reach its digit writer). */
function printed(d: Decimal): string {
  const series = [{ labels: [], value: d.value, key: 'x', mantissa: d.mantissa, scale: d.scale }];
  const body = renderBuffer([{ name: 'x', type: 'gauge', help: 'h', series }], 'text').toString();
  return body.split('\n')[2]!.slice(2);
}

function read(text: string): Decimal | undefined {
  const out: Decimal = { value: Number.NaN, mantissa: 0, scale: 0 };
  const bytes = Buffer.from(` ${text} `);
  return readDecimal(bytes, 1, bytes.length - 1, out) ? out : undefined;
}

describe('readDecimal', () => {
  test('reads plain decimals as Number() does and prints them as String() does', () => {
    for (const text of [
      '0',
      '7',
      '-7',
      '0.123',
      '12.50',
      '5.',
      '.5',
      '000.0100',
      '123456789012345',
      '0.000001',
    ]) {
      const d = read(text);
      assert.ok(d, text);
      assert.ok(Object.is(d.value, parseNumber(text)), text);
      assert.equal(printed(d), formatValue(d.value), text);
    }
  });

  test('leaves every other form to parseNumber', () => {
    for (const text of [
      '',
      '-',
      '.',
      '+1',
      '1e3',
      '1_000',
      '0x10',
      '-0',
      '-0.0',
      '1.2.3',
      '1 2',
      'NaN',
      '0.0000001',
      '1234567890123456',
    ]) {
      assert.equal(read(text), undefined, text);
    }
  });

  test('random decimals agree with Number() and String() (bounded: 20,000 inputs)', () => {
    let state = 12345;
    const rand = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    let taken = 0;
    for (let i = 0; i < 20_000; i++) {
      const whole = String(rand(10) < 3 ? 0 : rand(10 ** (1 + rand(8))));
      const frac = Array.from({ length: rand(12) }, () => String(rand(10))).join('');
      const text = `${rand(4) === 0 ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
      const d = read(text);
      if (d === undefined) continue;
      taken++;
      assert.ok(Object.is(d.value, Number(text)), text);
      assert.equal(printed(d), String(Number(text)), text);
    }
    assert.ok(taken > 15_000, `only ${taken} inputs took the fast path`);
  });
});
