/**
 * Parser for the legacy app's custom stats format. One sample per line, in any of these shapes
 * (the seed's `/admin/stats` uses the first and third):
 *
 *   requests_total 1241
 *   http_requests{method="GET",code="200"} 17
 *   last_error: none
 *   # comment lines and blank lines are skipped
 *
 * The name may contain `.` and `-` (sanitised later by the mapper). The value is the rest of the line,
 * trimmed, so `version 1.0.3` and `last_error: connection refused` keep their text for value maps.
 * A bad line is counted by reason and skipped; it never aborts the rest of the body.
 */
import { countReason, type ParsedSource, type RawSample, type UnparsedReason } from './sample.js';

/** Longer lines are skipped (reason `line_too_long`): no legitimate stats line is this long. */
export const MAX_LINE_LENGTH = 64 * 1024;

/**
 * `isKnownHead` (from the mapper) says whether a line head was fully parsed and mapped before. For such
 * a line only the value is read: the sample carries an empty name and no labels, and the mapper takes
 * both from its cache under `head`. This skips label parsing for the series that come back on every
 * scrape. A head is only ever known if a full parse produced exactly it, so a wrong quick split can
 * only miss the cache, never mislabel a sample.
 */
export function parseTextStats(body: string, isKnownHead?: (head: string) => boolean): ParsedSource {
  const samples: RawSample[] = [];
  const unparsed = new Map<UnparsedReason, number>();
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    const raw = body.slice(start, end);
    start = end + 1;
    if (raw.length > MAX_LINE_LENGTH) {
      countReason(unparsed, 'line_too_long');
      continue;
    }
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    if (isKnownHead) {
      const headEnd = quickHeadEnd(line);
      if (headEnd > 0) {
        const head = line.slice(0, headEnd);
        if (isKnownHead(head)) {
          samples.push({ name: '', labels: NO_LABELS, value: line.slice(headEnd), head });
          continue;
        }
      }
    }
    const result = parseLine(line);
    if (typeof result === 'string') countReason(unparsed, result);
    else samples.push(result);
  }
  return { format: 'text', samples, unparsed };
}

const NO_LABELS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

/**
 * Where the value of a trimmed line probably starts: after `name{...}` (up to the last `}`) or after the
 * name, plus the whitespace that follows. Returns 0 when there is no whitespace or no value there.
 */
function quickHeadEnd(line: string): number {
  let i = 0;
  let c = line.charCodeAt(0);
  while (i < line.length && c !== 32 && c !== 9 && c !== 123 /* { */) c = line.charCodeAt(++i);
  if (c === 123) {
    i = line.lastIndexOf('}') + 1;
    if (i === 0) return 0;
  }
  const afterName = i;
  for (c = line.charCodeAt(i); c === 32 || c === 9; c = line.charCodeAt(++i));
  return i > afterName && i < line.length ? i : 0;
}

/** Parses one trimmed, non-comment line; returns the sample or the reason it was rejected. */
export function parseLine(line: string): RawSample | UnparsedReason {
  // Name: [A-Za-z_:][A-Za-z0-9_:.-]*, scanned by char code (this runs for every line of every scrape).
  const first = line.charCodeAt(0);
  if (!isLabelStart(first) && first !== 58) return 'syntax';
  let pos = 1;
  for (
    let c = line.charCodeAt(pos);
    isLabelChar(c) || c === 58 || c === 46 || c === 45;
    c = line.charCodeAt(++pos)
  );
  let name = line.slice(0, pos);
  // `name: value` puts the colon right after the name; a trailing `:` in the match is that separator.
  let colonSeparated = false;
  if (name.endsWith(':') && name.length > 1) {
    name = name.slice(0, -1);
    colonSeparated = true;
  }
  let labels: Array<readonly [string, string]> = [];
  if (!colonSeparated && line[pos] === '{') {
    const parsed = parseLabels(line, pos + 1);
    if (parsed === undefined) return 'bad_labels';
    labels = parsed.labels;
    pos = parsed.end;
  }
  const rest = line.slice(pos);
  if (!colonSeparated) {
    const trimmed = rest.trimStart();
    if (trimmed.startsWith(':')) return finish(line, name, labels, trimmed.slice(1));
    // Without a colon the name must be followed by whitespace: `foo!bar 1` is garbage, not `foo`.
    if (rest.length > 0 && rest[0] !== ' ' && rest[0] !== '\t') return 'syntax';
  }
  return finish(line, name, labels, rest);
}

function finish(
  line: string,
  name: string,
  labels: Array<readonly [string, string]>,
  rest: string,
): RawSample | UnparsedReason {
  const value = rest.trim();
  if (value.length === 0) return 'no_value';
  // `line` is trimmed, so the value runs to its end and the head is everything before it.
  return { name, labels, value, head: line.slice(0, line.length - value.length) };
}

/** Parses `k="v",k2="v2"}` starting after `{`. Escapes: `\\`, `\"`, `\n`. Scans without regexes or
 * per-character string building: this runs for every labelled line of every scrape. */
function parseLabels(
  line: string,
  from: number,
): { labels: Array<readonly [string, string]>; end: number } | undefined {
  const labels: Array<readonly [string, string]> = [];
  let pos = from;
  for (;;) {
    while (line.charCodeAt(pos) === 32) pos++;
    if (line.charCodeAt(pos) === 125 /* } */) return { labels, end: pos + 1 };
    const keyStart = pos;
    if (!isLabelStart(line.charCodeAt(pos))) return undefined;
    pos++;
    while (isLabelChar(line.charCodeAt(pos))) pos++;
    const key = line.slice(keyStart, pos);
    while (line.charCodeAt(pos) === 32) pos++;
    if (line.charCodeAt(pos) !== 61 /* = */) return undefined;
    pos++;
    while (line.charCodeAt(pos) === 32) pos++;
    if (line.charCodeAt(pos) !== 34 /* " */) return undefined;
    pos++;
    const valueStart = pos;
    let escaped = false;
    for (;;) {
      const ch = line.charCodeAt(pos);
      if (Number.isNaN(ch)) return undefined;
      if (ch === 34) break;
      if (ch === 92 /* \ */) {
        const next = line.charCodeAt(pos + 1);
        if (next !== 110 && next !== 92 && next !== 34) return undefined;
        escaped = true;
        pos += 2;
        continue;
      }
      pos++;
    }
    const rawValue = line.slice(valueStart, pos);
    labels.push([key, escaped ? unescapeLabel(rawValue) : rawValue]);
    pos++;
    while (line.charCodeAt(pos) === 32) pos++;
    if (line.charCodeAt(pos) === 44 /* , */) pos++;
    else if (line.charCodeAt(pos) !== 125) return undefined;
  }
}

function isLabelStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isLabelChar(c: number): boolean {
  return isLabelStart(c) || (c >= 48 && c <= 57);
}

function unescapeLabel(raw: string): string {
  return raw.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}
