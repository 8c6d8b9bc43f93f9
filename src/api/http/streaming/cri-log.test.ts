import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CriLogParser, normaliseTimestamp, parseCriRecord } from './cri-log.js';

const text = (lines: { content: Buffer }[]) => lines.map((l) => l.content.toString()).join('');

describe('CRI log format', () => {
  test('parses a full record and normalises the timestamp to nine digits', () => {
    const r = parseCriRecord(Buffer.from('2026-11-25T08:00:58.368Z stdout F hello world'));
    assert.equal(r.timestamp, '2026-11-25T08:00:58.368000000Z');
    assert.equal(r.stream, 'stdout');
    assert.equal(r.partial, false);
    assert.equal(r.content.toString(), 'hello world');
    assert.equal(r.timeMs, Date.parse('2026-11-25T08:00:58.368Z'));
  });

  test('an offset timestamp is re-expressed in UTC with its sub-millisecond digits', () => {
    assert.deepEqual(normaliseTimestamp('2026-11-25T10:00:00.123456789+02:00'), {
      timestamp: '2026-11-25T08:00:00.123456789Z',
      timeMs: Date.parse('2026-11-25T08:00:00.123Z'),
    });
  });

  test('an empty F record (empty line) has empty content', () => {
    const r = parseCriRecord(Buffer.from('2026-11-25T08:00:58.000000001Z stderr F'));
    assert.equal(r.content.length, 0);
    assert.equal(r.stream, 'stderr');
  });

  test('bad records name the bad field', () => {
    assert.throws(() => parseCriRecord(Buffer.from('nonsense')), /no space after the timestamp/);
    assert.throws(
      () => parseCriRecord(Buffer.from('2026-11-25T08:00:58Z stdin F x')),
      /stream "stdin" at byte 21/,
    );
    assert.throws(() => parseCriRecord(Buffer.from('2026-11-25T08:00:58Z stdout X x')), /tag "X" at byte 28/);
    assert.throws(() => parseCriRecord(Buffer.from('yesterday stdout F x')), /not RFC3339/);
  });

  test('joins P records per stream, even interleaved with the other stream, and across chunk cuts', () => {
    const file = [
      '2026-11-25T08:00:00.000000001Z stdout P aaa',
      '2026-11-25T08:00:00.000000002Z stderr F err line',
      '2026-11-25T08:00:00.000000003Z stdout P bbb',
      '2026-11-25T08:00:00.000000004Z stdout F ccc',
      '2026-11-25T08:00:00.000000005Z stdout F next',
      '',
    ].join('\n');
    const parser = new CriLogParser();
    const bytes = Buffer.from(file);
    const lines = [];
    for (let i = 0; i < bytes.length; i += 7) lines.push(...parser.push(bytes.subarray(i, i + 7)));
    assert.deepEqual(
      lines.map((l) => [l.timestamp, l.stream, l.content.toString()]),
      [
        ['2026-11-25T08:00:00.000000002Z', 'stderr', 'err line\n'],
        ['2026-11-25T08:00:00.000000001Z', 'stdout', 'aaabbbccc\n'],
        ['2026-11-25T08:00:00.000000005Z', 'stdout', 'next\n'],
      ],
    );
    assert.equal(parser.skipped, 0);
  });

  test('skips unparsable records and returns a dangling partial on flush without a newline', () => {
    const parser = new CriLogParser();
    const lines = parser.push(Buffer.from('garbage\n2026-11-25T08:00:00Z stdout P tail-without-end\n'));
    assert.equal(lines.length, 0);
    assert.equal(parser.skipped, 1);
    assert.equal(text(parser.flush()), 'tail-without-end');
  });

  test('content keeps its bytes exactly (spaces, binary)', () => {
    const parser = new CriLogParser();
    const raw = Buffer.concat([
      Buffer.from('2026-11-25T08:00:00Z stdout F  two  spaces \xff'),
      Buffer.from('\n'),
    ]);
    assert.equal(text(parser.push(raw)), ' two  spaces \xff\n');
  });
});
