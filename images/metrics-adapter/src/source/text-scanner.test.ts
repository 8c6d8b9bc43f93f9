import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KnownHead, RawSample } from './sample.js';
import { MAX_LINE_LENGTH } from './text-line.js';
import { scanTextBody } from './text-scanner.js';

/** Scans `body` expecting `heads` in order; records which path each sample took. */
function scan(body: string, heads: string[]) {
  const expected: KnownHead[] = heads.map((head, position) => ({ head, position }));
  const seen: Array<[path: 'bytes' | 'text', head: string | undefined, value: string]> = [];
  const result = scanTextBody(Buffer.from(body, 'utf8'), {
    expected,
    knownLine: (known, bytes, start, end) =>
      seen.push(['bytes', known.head, bytes.toString('utf8', start, end)]),
    sample: (s: RawSample) => seen.push(['text', s.head, String(s.value)]),
  });
  return { seen, unparsed: Object.fromEntries(result.unparsed), samples: result.samples };
}

describe('scanTextBody', () => {
  test('expected lines with plain ASCII edges take the byte path, in order', () => {
    const r = scan('a 1\r\n  b{k="v"} 2.5 \n# c 3\n\nc 3\n', ['a ', 'b{k="v"} ', 'c ']);
    assert.deepEqual(r.seen, [
      ['bytes', 'a ', '1'],
      ['bytes', 'b{k="v"} ', '2.5'],
      ['bytes', 'c ', '3'],
    ]);
    assert.equal(r.samples, 3);
  });

  test('Unicode whitespace, odd values and non-ASCII heads go through the string grammar', () => {
    const r = scan('\ufeffa 1\nb  2\u3000\nc :3\nd{k="ä"} 4\ne 5\u00a0\n', [
      'a ',
      'b  ',
      'c ',
      'd{k="ä"} ',
      'e ',
    ]);
    assert.deepEqual(r.seen, [
      ['text', 'a ', '1'], // BOM before the head: trimmed by the string path, so matched there
      ['text', 'b  ', '2'], // ideographic space after the value is trimmed
      ['text', 'c :', '3'], // `c :3` is `name : value`, not the head `c ` plus `:3`
      ['text', 'd{k="ä"} ', '4'],
      ['text', 'e ', '5'],
    ]);
  });

  test('a line too long is refused whichever path would have read it', () => {
    const long = `a ${'1'.repeat(MAX_LINE_LENGTH)}`;
    const r = scan(`${long}\nb 2\n`, ['a ', 'b ']);
    assert.deepEqual(r.unparsed, { line_too_long: 1 });
    assert.deepEqual(r.seen, [['text', 'b ', '2']]); // no lookup was given: parsed in full
  });
});
