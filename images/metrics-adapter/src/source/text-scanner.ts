/**
 * The text format's hot loop, run over the body's bytes as the source sent them: no body-sized string
 * is ever built (an 800 KB string lands in V8's old space and stays there until a full GC, which was
 * most of the adapter's RSS), and a line the sink already knows produces no object at all.
 *
 * A line that is exactly the next expected head (the sink's cached work for it) followed by a plain
 * ASCII value is handed to `knownLine` as a byte range. Every other line is decoded on its own and read
 * by the string grammar (text-line.ts) exactly as a whole decoded body would be: lines are split at
 * byte 0x0A, which is never part of a multi-byte UTF-8 sequence, so decoding line by line gives the
 * same text. The byte path only takes a line when the string path would give the same head and value:
 * ASCII edges (a byte >= 0x80 next to the value could be Unicode whitespace, which the string path
 * trims), a value not starting with `:` or whitespace, and a line short enough not to be `line_too_long`.
 */
import { countReason, type KnownHead, type RawSample, type UnparsedReason } from './sample.js';
import { isTrimmed, MAX_LINE_LENGTH, NO_LABELS, parseLine, quickHeadEnd } from './text-line.js';

export interface TextSink {
  /** Cached heads in the order the last body had them; the scanner expects them in that order. */
  readonly expected: readonly KnownHead[];
  /**
   * The sink's cached work for `head` (a full parse produced exactly this head before), or a falsy value.
   * Optional: without it every line not matching `expected` is fully parsed.
   */
  lookup?(head: string): unknown;
  /**
   * The line is `known.head` followed by the value `body[valueStart, valueEnd)`: trimmed, non-empty,
   * starting and ending with ASCII bytes. `body` is only valid during the call.
   */
  knownLine(known: KnownHead, body: Buffer, valueStart: number, valueEnd: number): void;
  /** Any other sample line; `known` is set when `lookup` knew its head (then name and labels are empty). */
  sample(sample: RawSample): void;
}

export interface ScanResult {
  /** Lines that held a sample (both kinds of sink call). */
  readonly samples: number;
  readonly unparsed: Map<UnparsedReason, number>;
}

/** ASCII whitespace that String.prototype.trim removes, except the line feed that ends a line. */
function isBlankByte(b: number): boolean {
  return b === 32 || b === 9 || b === 13 || b === 11 || b === 12;
}

/** Reads every line of `body` (UTF-8, no NUL bytes) into `sink`, in order. */
export function scanTextBody(body: Buffer, sink: TextSink): ScanResult {
  const unparsed = new Map<UnparsedReason, number>();
  const expected = sink.expected;
  const expectedCount = expected.length;
  const length = body.length;
  let samples = 0;
  let next = 0; // index into `expected`
  let start = 0;
  while (start <= length) {
    if (next < expectedCount) {
      const taken = takeExpected(body, start, expected[next]!, sink);
      if (taken >= 0) {
        samples++;
        next++;
        start = taken + 1;
        continue;
      }
    }
    let end = body.indexOf(10, start);
    if (end === -1) end = length;
    const lineStart = start;
    start = end + 1;
    // A line of up to MAX_LINE_LENGTH bytes has at most that many UTF-16 units; only a longer one
    // needs decoding to be measured the way the string grammar measures it.
    if (end - lineStart > MAX_LINE_LENGTH) {
      if (end - lineStart > 3 * MAX_LINE_LENGTH || decode(body, lineStart, end).length > MAX_LINE_LENGTH) {
        countReason(unparsed, 'line_too_long');
        continue;
      }
    }
    // Blank and comment lines are skipped without decoding when their first non-blank byte is ASCII.
    let first = lineStart;
    while (first < end && isBlankByte(body[first]!)) first++;
    if (first === end || body[first] === 35 /* # */) continue;
    const line = decode(body, lineStart, end);
    const outcome = readLine(line, expected, next, sink);
    if (typeof outcome === 'string') countReason(unparsed, outcome);
    else if (outcome !== SKIPPED) {
      samples++;
      next = outcome;
    }
  }
  return { samples, unparsed };
}

/**
 * When the line at `start` is `want.head` plus a value the string path would read the same way, hands
 * it to the sink and returns the index of the line's end (its `\n`, or the body length); else -1.
 */
function takeExpected(body: Buffer, start: number, want: KnownHead, sink: TextSink): number {
  const length = body.length;
  let from = start;
  while (from < length && isBlankByte(body[from]!)) from++;
  const head = want.head;
  const h = head.length;
  if (h === 0 || from + h >= length) return -1;
  // ASCII only: a head char >= 0x80 never equals its own UTF-8 bytes, and a byte >= 0x80 is not ASCII.
  for (let i = 0; i < h; i++) {
    const b = body[from + i]!;
    if (b >= 128 || head.charCodeAt(i) !== b) return -1;
  }
  const valueStart = from + h;
  const c = body[valueStart]!;
  if (c === 58 /* : */ || c === 10 || c >= 128 || isBlankByte(c)) return -1;
  let lineEnd = valueStart + 1;
  while (lineEnd < length && body[lineEnd] !== 10) lineEnd++;
  let valueEnd = lineEnd;
  while (isBlankByte(body[valueEnd - 1]!)) valueEnd--; // stops at valueStart: `c` is not blank
  if (body[valueEnd - 1]! >= 128 || lineEnd - start > MAX_LINE_LENGTH) return -1;
  sink.knownLine(want, body, valueStart, valueEnd);
  return lineEnd;
}

const SKIPPED = -1;

/**
 * One decoded line, read as the string grammar reads it. Returns the reason it was rejected, SKIPPED
 * for a blank or comment line, or the new index into `expected` after a sample was sent to the sink.
 */
function readLine(
  line: string,
  expected: readonly KnownHead[],
  next: number,
  sink: TextSink,
): UnparsedReason | number {
  let from = 0;
  let end = line.length;
  while (from < end && isTrimmed(line.charCodeAt(from))) from++;
  while (end > from && isTrimmed(line.charCodeAt(end - 1))) end--;
  if (from === end || line.charCodeAt(from) === 35 /* # */) return SKIPPED;
  if (next < expected.length) {
    const want = expected[next]!;
    const valueStart = from + want.head.length;
    if (valueStart < end && line.startsWith(want.head, from)) {
      const c = line.charCodeAt(valueStart);
      if (c !== 58 /* : */ && !isTrimmed(c)) {
        sink.sample({
          name: '',
          labels: NO_LABELS,
          value: line.slice(valueStart, end),
          head: want.head,
          known: want,
        });
        return next + 1;
      }
    }
  }
  if (sink.lookup) {
    const headEnd = quickHeadEnd(line, from, end);
    // As for an expected head: a value starting with `:` or other whitespace needs the full parse.
    const c = line.charCodeAt(headEnd);
    if (headEnd > 0 && c !== 58 /* : */ && !isTrimmed(c)) {
      const head = line.slice(from, headEnd);
      const known = sink.lookup(head);
      if (known) {
        const at = (known as Partial<KnownHead>).position;
        sink.sample({ name: '', labels: NO_LABELS, value: line.slice(headEnd, end), head, known });
        return typeof at === 'number' && expected[at] === known ? at + 1 : next;
      }
    }
  }
  const result = parseLine(line.slice(from, end));
  if (typeof result === 'string') return result;
  sink.sample(result);
  return next;
}

function decode(body: Buffer, start: number, end: number): string {
  return body.toString('utf8', start, end);
}
