import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../errors.js';
import { ageOf, parseTimestamp, translateTimestampSince } from './timestamps.js';

const NOW = new Date('2026-11-25T09:00:00Z');

describe('parseTimestamp', () => {
  test('reads metav1.Time and metav1.MicroTime forms, with offsets', () => {
    assert.equal(parseTimestamp('2026-11-25T08:59:00Z', 'f'), Date.UTC(2026, 10, 25, 8, 59));
    assert.equal(parseTimestamp('2026-11-25T08:59:00.123456Z', 'f'), Date.UTC(2026, 10, 25, 8, 59, 0, 123));
    assert.equal(parseTimestamp('2026-11-25T10:59:00+02:00', 'f'), Date.UTC(2026, 10, 25, 8, 59));
    assert.equal(parseTimestamp('2026-11-25T03:29:00-05:30', 'f'), Date.UTC(2026, 10, 25, 8, 59));
    assert.equal(parseTimestamp('2024-02-29T00:00:00Z', 'f'), Date.UTC(2024, 1, 29));
  });

  test('unset and Go zero time read as undefined', () => {
    for (const unset of [undefined, null, '', '0001-01-01T00:00:00Z']) {
      assert.equal(parseTimestamp(unset, 'f'), undefined, String(unset));
    }
  });

  test('a malformed timestamp is an InternalError naming the field and value', () => {
    for (const bad of [
      'yesterday',
      '2026-11-25 08:59:00Z',
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-11-25T24:00:00Z',
      '2026-11-25T08:59:00',
    ]) {
      assert.throws(
        () => parseTimestamp(bad, 'metadata.creationTimestamp'),
        (e: unknown) =>
          e instanceof ApiError &&
          e.code === 500 &&
          e.message.includes('metadata.creationTimestamp') &&
          e.message.includes(JSON.stringify(bad)),
        bad,
      );
    }
    assert.throws(
      () => parseTimestamp(42, 'status.startTime'),
      /status\.startTime: expected an RFC 3339 timestamp string, got number/,
    );
  });
});

describe('translateTimestampSince', () => {
  test('formats the age with humanDuration', () => {
    assert.equal(translateTimestampSince('2026-11-25T08:55:00Z', NOW, 'f'), '5m');
    assert.equal(translateTimestampSince('2026-11-23T09:00:00Z', NOW, 'f'), '2d');
    // Creation 1.9s in the future (clock skew) still reads 0s, as upstream's tests expect.
    assert.equal(translateTimestampSince('2026-11-25T09:00:01.9Z', NOW, 'f'), '0s');
    assert.equal(translateTimestampSince('2026-11-25T09:00:02Z', NOW, 'f'), '<invalid>');
  });

  test('unset reads <unknown>', () => {
    assert.equal(translateTimestampSince(undefined, NOW, 'f'), '<unknown>');
    assert.equal(ageOf(undefined, NOW), '<unknown>');
    assert.equal(ageOf({}, NOW), '<unknown>');
    assert.equal(ageOf({ creationTimestamp: '2016-11-25T09:00:00Z' }, NOW), '10y');
  });
});
