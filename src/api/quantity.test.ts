import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  canonicalizeQuantity,
  compareQuantities,
  formatQuantity,
  parseQuantity,
  QUANTITY_FORMAT_MESSAGE,
  QUANTITY_SUFFIX_MESSAGE,
  QuantityParseError,
  quantityMillis,
  quantityValue,
  roundUpQuantity,
} from './quantity.js';

describe('canonicalizeQuantity', () => {
  // Input -> what upstream's Quantity.String() serializes.
  const cases: [string | number, string][] = [
    ['0', '0'],
    ['0m', '0'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['0.5', '500m'],
    [0.5, '500m'],
    ['.5', '500m'],
    ['1.', '1'],
    ['100m', '100m'],
    ['0.1', '100m'],
    ['1', '1'],
    [2, '2'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1.5k', '1500'],
    ['2000000', '2M'],
    ['1k', '1k'],
    ['1M', '1M'],
    ['1G', '1G'],
    ['1e3', '1e3'],
    ['1E3', '1e3'],
    ['1.2e4', '12e3'],
    ['1e-3', '1e-3'],
    ['1e0', '1'],
    ['1Ki', '1Ki'],
    ['1024Ki', '1Mi'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Ki', '512'],
    ['1.5Ki', '1536'],
    ['0.1Ki', '102400m'],
    ['128974848', '128974848'],
    ['129e6', '129e6'],
    ['129M', '129M'],
    ['123Mi', '123Mi'],
    ['-1', '-1'],
    ['-500m', '-500m'],
    ['+1', '1'],
    ['1n', '1n'],
    ['0.1n', '1n'],
    ['1u', '1u'],
    ['1000u', '1m'],
    ['1000E', '1e21'],
    ['5000E', '5e21'],
    ['1000000E', '1e24'],
    ['.001Ki', '1024m'],
    ['.000000000001Ki', '2n'],
    ['1000M', '1G'],
    ['300e6', '300e6'],
    ['80e-3', '80e-3'],
    ['1080n', '1080n'],
    ['8Ei', '9223372036854775807'],
  ];
  for (const [input, want] of cases) {
    test(`${JSON.stringify(input)} -> ${want}`, () => assert.equal(canonicalizeQuantity(input), want));
  }
});

describe('parseQuantity errors', () => {
  const formatErrors = [
    '',
    'abc',
    '-',
    '.',
    '1.5.5',
    '1.1.M',
    '1+1.0M',
    '0.1am',
    'aoeu',
    '1 Gi',
    ' 1',
    '1 ',
    'Gi',
    '1Gi2x',
  ];
  for (const input of formatErrors) {
    test(`${JSON.stringify(input)} is not a quantity`, () => {
      assert.throws(
        () => parseQuantity(input),
        (err: unknown) =>
          err instanceof QuantityParseError && err.message === QUANTITY_FORMAT_MESSAGE && err.input === input,
      );
    });
  }
  for (const input of ['1Ki1', '1kk', '1mi', '1i', '.5i', '-3.01e-', '1e', '1e+', '1e4294967297']) {
    test(`${JSON.stringify(input)} has an unknown suffix`, () => {
      assert.throws(() => parseQuantity(input), { message: QUANTITY_SUFFIX_MESSAGE });
    });
  }
  test('the format message is upstream ErrFormatWrong', () => {
    assert.equal(
      QUANTITY_FORMAT_MESSAGE,
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });
});

describe('comparison and conversion', () => {
  test('compare across formats', () => {
    assert.equal(compareQuantities(parseQuantity('1'), parseQuantity('1000m')), 0);
    assert.equal(compareQuantities(parseQuantity('1Gi'), parseQuantity('1G')), 1);
    assert.equal(compareQuantities(parseQuantity('500m'), parseQuantity('0.6')), -1);
    assert.equal(compareQuantities(parseQuantity('1e3'), parseQuantity('1k')), 0);
  });
  test('millis and value round up', () => {
    assert.equal(quantityMillis(parseQuantity('250m')), 250n);
    assert.equal(quantityMillis(parseQuantity('2')), 2000n);
    assert.equal(quantityMillis(parseQuantity('1n')), 1n);
    assert.equal(quantityValue(parseQuantity('128Mi')), 134217728n);
    assert.equal(quantityValue(parseQuantity('1.5')), 2n);
    assert.equal(quantityValue(parseQuantity('-1.5')), -2n);
  });
  test('roundUp to milli keeps the format', () => {
    assert.equal(formatQuantity(roundUpQuantity(parseQuantity('0.0001'), -3)), '1m');
    assert.equal(formatQuantity(roundUpQuantity(parseQuantity('1.0001Gi'), -3)), '1073849198183m');
    assert.equal(formatQuantity(roundUpQuantity(parseQuantity('1Gi'), -3)), '1Gi');
  });
});

describe('round trip (seeded fuzz)', () => {
  // A small deterministic PRNG so a failure reproduces; bounded to 3000 cases.
  let seed = 0x9e3779b9;
  const next = (n: number): number => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed % n;
  };
  const suffixes = [
    '',
    'n',
    'u',
    'm',
    'k',
    'M',
    'G',
    'T',
    'P',
    'E',
    'Ki',
    'Mi',
    'Gi',
    'Ti',
    'Pi',
    'Ei',
    'e3',
    'e-2',
    'E6',
  ];
  const digits = (len: number): string => Array.from({ length: len }, () => String(next(10))).join('');
  test('canonical strings parse back to the same value and print identically', () => {
    for (let i = 0; i < 3000; i++) {
      const sign = ['', '-', '+'][next(3)]!;
      const whole = digits(1 + next(6));
      const frac = next(2) ? `.${digits(1 + next(5))}` : '';
      const input = `${sign}${whole}${frac}${suffixes[next(suffixes.length)]!}`;
      const q = parseQuantity(input);
      const canonical = formatQuantity(q);
      const again = parseQuantity(canonical);
      assert.equal(compareQuantities(q, again), 0, `${input} -> ${canonical}`);
      assert.equal(formatQuantity(again), canonical, `${input} -> ${canonical} is not stable`);
    }
  });
});
