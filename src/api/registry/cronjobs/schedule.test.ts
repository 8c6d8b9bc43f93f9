import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isKnownTimeZone, parseSchedule, ScheduleError } from './schedule.js';

const next = (schedule: string, after: string, tz = 'UTC') =>
  parseSchedule(schedule, tz).next(new Date(after))?.toISOString();

describe('parseSchedule (robfig ParseStandard surface)', () => {
  test('five fields: the next activation strictly after the given time', () => {
    assert.equal(next('*/1 * * * *', '2026-01-01T00:01:00Z'), '2026-01-01T00:02:00.000Z');
    assert.equal(next('*/15 * * * *', '2026-01-01T00:01:00Z'), '2026-01-01T00:15:00.000Z');
    assert.equal(next('0 0 * * MON', '2026-01-01T00:00:00Z'), '2026-01-05T00:00:00.000Z');
    assert.equal(next('30 9 1 JAN *', '2026-01-01T10:00:00Z'), '2027-01-01T09:30:00.000Z');
  });

  test('descriptors, including @midnight and @annually', () => {
    assert.equal(next('@hourly', '2026-01-01T00:10:00Z'), '2026-01-01T01:00:00.000Z');
    assert.equal(next('@daily', '2026-01-01T00:10:00Z'), '2026-01-02T00:00:00.000Z');
    assert.equal(next('@midnight', '2026-01-01T00:10:00Z'), '2026-01-02T00:00:00.000Z');
    assert.equal(next('@weekly', '2026-01-01T00:10:00Z'), '2026-01-04T00:00:00.000Z');
    assert.equal(next('@monthly', '2026-01-01T00:10:00Z'), '2026-02-01T00:00:00.000Z');
    assert.equal(next('@yearly', '2026-01-01T00:10:00Z'), '2027-01-01T00:00:00.000Z');
    assert.equal(next('@annually', '2026-01-01T00:10:00Z'), '2027-01-01T00:00:00.000Z');
  });

  test('a time zone shifts the activations, across DST too', () => {
    // 09:00 in Tokyo is 00:00 UTC; the one at exactly `after` does not count.
    assert.equal(next('0 9 * * *', '2026-01-01T00:00:00Z', 'Asia/Tokyo'), '2026-01-02T00:00:00.000Z');
    assert.equal(next('0 12 * * *', '2026-03-28T12:00:00Z', 'Europe/Berlin'), '2026-03-29T10:00:00.000Z');
  });

  test('errors carry robfig wording where it has one', () => {
    assert.throws(
      () => parseSchedule('* * * *'),
      new ScheduleError('expected exactly 5 fields, found 4: [* * * *]'),
    );
    assert.throws(() => parseSchedule('* * * * * *'), /expected exactly 5 fields, found 6/);
    assert.throws(() => parseSchedule('@fortnightly'), /unrecognized descriptor: @fortnightly/);
    assert.throws(() => parseSchedule('61 * * * *'), ScheduleError);
    assert.throws(() => parseSchedule('* * * * *', 'Mars/Olympus'), /unknown time zone Mars\/Olympus/);
  });

  test('isKnownTimeZone', () => {
    assert.ok(isKnownTimeZone('Europe/Berlin'));
    assert.ok(!isKnownTimeZone('Europe/Atlantis'));
  });
});

describe('robfig extras', () => {
  test('@every <Go duration>: constant delay from the whole second', () => {
    assert.equal(next('@every 1h30m', '2026-01-01T00:00:00.700Z'), '2026-01-01T01:30:00.000Z');
    assert.equal(next('@every 90s', '2026-01-01T00:00:10Z'), '2026-01-01T00:01:40.000Z');
    assert.equal(next('@every 10ms', '2026-01-01T00:00:10Z'), '2026-01-01T00:00:11.000Z', 'at least 1 s');
    assert.throws(() => parseSchedule('@every soon'), /failed to parse duration @every soon/);
  });

  test('a day no listed month has parses, as robfig, and never fires', () => {
    assert.equal(next('0 0 30 2 *', '2026-01-01T00:00:00Z'), undefined);
  });
});
