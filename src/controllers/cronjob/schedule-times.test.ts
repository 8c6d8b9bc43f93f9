import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CronJob } from 'kubernetes-types/batch/v1';
import { parseSchedule } from '../../api/registry/cronjobs/schedule.js';
import {
  formatRFC3339InZone,
  jobNameFor,
  MANY_MISSED,
  mostRecentScheduleTime,
  nextScheduleDelayMs,
} from './schedule-times.js';

const T = (s: string) => Date.parse(s);
const cronJob = (created: string, status: CronJob['status'] = {}, deadline?: number): CronJob => ({
  metadata: { creationTimestamp: created },
  spec: {
    schedule: '',
    jobTemplate: {},
    ...(deadline !== undefined && { startingDeadlineSeconds: deadline }),
  },
  status,
});
const everyMinute = parseSchedule('*/1 * * * *', 'UTC');
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('mostRecentScheduleTime', () => {
  test('nothing due before the first activation after creation', () => {
    const r = mostRecentScheduleTime(
      cronJob('2026-01-01T00:00:30Z'),
      T('2026-01-01T00:00:59Z'),
      everyMinute,
      true,
    );
    assert.deepEqual([iso(r.mostRecentMs), r.missed], [undefined, 0]);
  });

  test('one activation due, exactly at its time', () => {
    const r = mostRecentScheduleTime(
      cronJob('2026-01-01T00:00:30Z'),
      T('2026-01-01T00:01:00Z'),
      everyMinute,
      true,
    );
    assert.deepEqual([iso(r.mostRecentMs), r.missed], ['2026-01-01T00:01:00.000Z', 1]);
  });

  test('several missed: the latest wins and they are counted from lastScheduleTime', () => {
    const cj = cronJob('2026-01-01T00:00:00Z', { lastScheduleTime: '2026-01-01T00:05:00Z' });
    const r = mostRecentScheduleTime(cj, T('2026-01-01T00:09:30Z'), everyMinute, true);
    assert.deepEqual([iso(r.mostRecentMs), r.missed], ['2026-01-01T00:09:00.000Z', 4]);
  });

  test('more than 100 missed is reported as many, still landing on the latest activation', () => {
    const r = mostRecentScheduleTime(
      cronJob('2026-01-01T00:00:00Z'),
      T('2026-01-08T10:17:45Z'),
      everyMinute,
      true,
    );
    assert.ok(r.missed > MANY_MISSED);
    assert.equal(iso(r.mostRecentMs), '2026-01-08T10:17:00.000Z');
  });

  test('startingDeadlineSeconds moves the earliest time up, so old misses do not count', () => {
    const cj = cronJob('2026-01-01T00:00:00Z', {}, 90);
    const r = mostRecentScheduleTime(cj, T('2026-01-08T10:17:45Z'), everyMinute, true);
    // earliest = now - 90 s = 10:16:15, so only 10:17:00 is left.
    assert.deepEqual([iso(r.mostRecentMs), r.missed], ['2026-01-08T10:17:00.000Z', 1]);
    const without = mostRecentScheduleTime(cj, T('2026-01-08T10:17:45Z'), everyMinute, false);
    assert.ok(without.missed > MANY_MISSED);
  });

  test('@hourly and a schedule in another time zone', () => {
    const hourly = parseSchedule('@hourly', 'UTC');
    const r = mostRecentScheduleTime(
      cronJob('2026-01-01T00:10:00Z'),
      T('2026-01-01T02:30:00Z'),
      hourly,
      true,
    );
    assert.deepEqual([iso(r.mostRecentMs), r.missed], ['2026-01-01T02:00:00.000Z', 2]);
    const tokyo9am = parseSchedule('0 9 * * *', 'Asia/Tokyo');
    const t = mostRecentScheduleTime(
      cronJob('2026-01-01T01:00:00Z'),
      T('2026-01-02T00:00:01Z'),
      tokyo9am,
      true,
    );
    assert.equal(iso(t.mostRecentMs), '2026-01-02T00:00:00.000Z');
  });
});

describe('nextScheduleDelayMs', () => {
  test('until the next activation plus 100 ms', () => {
    const cj = cronJob('2026-01-01T00:00:30Z', { lastScheduleTime: '2026-01-01T00:01:00Z' });
    assert.equal(nextScheduleDelayMs(cj, T('2026-01-01T00:01:20Z'), everyMinute), 40_100);
  });
});

describe('job names and the scheduled-timestamp annotation', () => {
  test('<cronjob>-<minutes since epoch>', () => {
    assert.equal(
      jobNameFor('hello', T('2026-01-01T00:01:00Z')),
      `hello-${T('2026-01-01T00:01:00Z') / 60_000}`,
    );
    assert.equal(jobNameFor('hello', T('2026-01-01T00:01:00Z')), 'hello-29453761');
  });

  test('RFC 3339 in the CronJob time zone, Z at offset zero', () => {
    assert.equal(formatRFC3339InZone(T('2026-01-02T00:00:00Z'), 'Asia/Tokyo'), '2026-01-02T09:00:00+09:00');
    assert.equal(
      formatRFC3339InZone(T('2026-07-01T12:30:00Z'), 'America/New_York'),
      '2026-07-01T08:30:00-04:00',
    );
    assert.equal(formatRFC3339InZone(T('2026-01-01T00:01:00Z'), 'UTC'), '2026-01-01T00:01:00Z');
  });
});
