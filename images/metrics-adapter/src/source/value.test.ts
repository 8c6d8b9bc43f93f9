import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatValue, parseNumber } from './value.js';

describe('parseNumber', () => {
  const cases: Array<[string, number | undefined]> = [
    ['1241', 1241],
    ['0.25', 0.25],
    [' 17 ', 17],
    ['-3', -3],
    ['+4.5', 4.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['1_000', 1000],
    ['0x1F', 31],
    ['NaN', Number.NaN],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-inf', Number.NEGATIVE_INFINITY],
    ['none', undefined],
    ['1.0.3', undefined],
    ['12ms', undefined],
    ['', undefined],
    ['0x', undefined],
    ['1e', undefined],
  ];
  for (const [text, want] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(parseNumber(text), want));
  }
});

describe('formatValue', () => {
  test('Go-compatible spellings', () => {
    assert.equal(formatValue(Number.NaN), 'NaN');
    assert.equal(formatValue(Number.POSITIVE_INFINITY), '+Inf');
    assert.equal(formatValue(Number.NEGATIVE_INFINITY), '-Inf');
    assert.equal(formatValue(1241), '1241');
    assert.equal(formatValue(0.25), '0.25');
    assert.equal(formatValue(1e21), '1e+21');
  });
});
