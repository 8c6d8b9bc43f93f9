import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineSplitter, type SplitLine } from './line-splitter.js';

function collect(s: LineSplitter, chunks: string[]): Array<{ text: string; end: number; original: number }> {
  const out: Array<{ text: string; end: number; original: number }> = [];
  const emit = (l: SplitLine) =>
    out.push({ text: l.bytes.toString(), end: l.end, original: l.originalBytes });
  for (const c of chunks) s.push(Buffer.from(c), emit);
  return out;
}

describe('LineSplitter', () => {
  test('splits lines, reports end offsets, strips CR before LF', () => {
    const s = new LineSplitter(100, 10);
    assert.deepEqual(collect(s, ['a\nbc\r\n']), [
      { text: 'a', end: 12, original: 1 },
      { text: 'bc', end: 16, original: 2 },
    ]);
    assert.equal(s.committedOffset, 16);
  });

  test('holds a partial last line until its newline arrives', () => {
    const s = new LineSplitter(100, 0);
    assert.deepEqual(collect(s, ['abc', 'de']), []);
    assert.equal(s.committedOffset, 0);
    assert.equal(s.partialBytes, 5);
    assert.deepEqual(collect(s, ['f\ng']), [{ text: 'abcdef', end: 7, original: 6 }]);
    assert.equal(s.committedOffset, 7);
  });

  test('cuts a long line, reports its full length, and resynchronises on the next line', () => {
    const s = new LineSplitter(4, 0);
    assert.deepEqual(collect(s, ['0123456789', 'abc\nok\n']), [
      { text: '0123', end: 14, original: 13 },
      { text: 'ok', end: 17, original: 2 },
    ]);
  });

  test('a long line inside one chunk is cut too', () => {
    const s = new LineSplitter(3, 0);
    assert.deepEqual(collect(s, ['abcdef\n']), [{ text: 'abc', end: 7, original: 6 }]);
  });

  test('takePartial hands over the held bytes once', () => {
    const s = new LineSplitter(100, 0);
    collect(s, ['x\nhalf']);
    const p = s.takePartial();
    assert.equal(p?.bytes.toString(), 'half');
    assert.equal(p?.end, 6);
    assert.equal(s.takePartial(), null);
  });

  test('held bytes are copied: reusing the read buffer does not corrupt them', () => {
    const s = new LineSplitter(100, 0);
    const buf = Buffer.from('abc');
    const out: string[] = [];
    s.push(buf, (l) => out.push(l.bytes.toString()));
    buf.write('zzz');
    s.push(Buffer.from('\n'), (l) => out.push(l.bytes.toString()));
    assert.deepEqual(out, ['abc']);
  });
});
