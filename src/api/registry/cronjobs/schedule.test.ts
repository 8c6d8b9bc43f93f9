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
    assert.throws(() => parseSchedule('* * * * *', 'Mars/Olympus'), /unknown time zone Mars\/Olympus/);
  });

  test('each field is checked as robfig checks it, with its messages', () => {
    const refused = (schedule: string, message: string) =>
      assert.throws(() => parseSchedule(schedule), new ScheduleError(message), schedule);
    // What cron-parser alone would accept and a cluster refuses:
    refused('0 0 * * 7', 'end of range (7) above maximum (6): 7');
    refused('0 0 * * 1-7', 'end of range (7) above maximum (6): 1-7');
    refused('0 0 L * *', 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax');
    refused('0 0 * * 5#2', 'failed to parse int from 5#2: strconv.Atoi: parsing "5#2": invalid syntax');
    refused('0 0 15W * *', 'failed to parse int from 15W: strconv.Atoi: parsing "15W": invalid syntax');
    // The rest of getRange's checks, in its order:
    refused('61 * * * *', 'end of range (61) above maximum (59): 61');
    refused('* * 0 * *', 'beginning of range (0) below minimum (1): 0');
    refused('* 5-2 * * *', 'beginning of range (5) beyond end of range (2): 5-2');
    refused('*/0 * * * *', 'step of range should be a positive number: */0');
    refused('*/-1 * * * *', 'negative number (-1) not allowed: -1');
    refused('1-2-3 * * * *', 'too many hyphens: 1-2-3');
    refused('*/2/2 * * * *', 'too many slashes: */2/2');
    refused('jan * * * *', 'failed to parse int from jan: strconv.Atoi: parsing "jan": invalid syntax');
    refused(
      '99999999999999999999 * * * *',
      'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range',
    );
    // And what robfig accepts: names in either case, `?` anywhere, `N/step`, empty list items, `+5`.
    assert.equal(next('0 0 * * Mon-fri', '2026-01-02T00:00:00Z'), '2026-01-05T00:00:00.000Z');
    assert.equal(next('? 0 1 * ?', '2026-01-01T00:00:30Z'), '2026-01-01T00:01:00.000Z');
    assert.equal(next('50/5 * * * *', '2026-01-01T00:50:00Z'), '2026-01-01T00:55:00.000Z');
    assert.equal(next('50/5 * * * *', '2026-01-01T00:56:00Z'), '2026-01-01T01:50:00.000Z');
    assert.equal(next('5,,10 * * * *', '2026-01-01T00:05:00Z'), '2026-01-01T00:10:00.000Z');
    assert.equal(next('+5 * * * *', '2026-01-01T00:00:00Z'), '2026-01-01T00:05:00.000Z');
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

  test("robfig's day rule: both day fields restricted fire on either, a star leaves the other alone", () => {
    // 2026-01-05 is a Monday. Both restricted: the 1st-31st OR Mondays, i.e. every day.
    assert.equal(next('0 0 1-31 * MON', '2026-01-01T00:00:00Z'), '2026-01-02T00:00:00.000Z');
    // The 13th OR Fridays: Friday 2026-02-06 comes before the 13th.
    assert.equal(next('0 0 13 * FRI', '2026-02-01T00:00:00Z'), '2026-02-06T00:00:00.000Z');
    assert.equal(next('0 0 13 * FRI', '2026-02-07T00:00:00Z'), '2026-02-13T00:00:00.000Z');
    // A star (or `?`) in one day field: only the other one decides.
    assert.equal(next('0 0 * * MON', '2026-01-01T00:00:00Z'), '2026-01-05T00:00:00.000Z');
    assert.equal(next('0 0 13 * ?', '2026-02-01T00:00:00Z'), '2026-02-13T00:00:00.000Z');
    // `*/2` has a step, so it is restricted: the odd days OR Mondays (AND would wait for Monday the 19th).
    assert.equal(next('0 0 */2 * MON', '2026-01-05T12:00:00Z'), '2026-01-07T00:00:00.000Z');
    // One side that never fires leaves the other: 30 February never comes, Mondays do.
    assert.equal(next('0 0 30 2 MON', '2026-01-01T00:00:00Z'), '2026-02-02T00:00:00.000Z');
  });

  test('a day no listed month has parses, as robfig, and never fires', () => {
    assert.equal(next('0 0 30 2 *', '2026-01-01T00:00:00Z'), undefined);
    // A field of commas only lists nothing: robfig parses it and it never fires either.
    assert.equal(next(', * * * *', '2026-01-01T00:00:00Z'), undefined);
  });
});
