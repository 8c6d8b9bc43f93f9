/**
 * The grammar of one line of the legacy stats format (see text-parser.ts for the shapes), on strings.
 * The byte scanner (text-scanner.ts) handles the lines it can prove it reads the same way on its own
 * and hands every other line here, decoded.
 */
import type { RawSample, UnparsedReason } from './sample.js';

/** Longer lines are skipped (reason `line_too_long`): no legitimate stats line is this long. */
export const MAX_LINE_LENGTH = 64 * 1024;

export const NO_LABELS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

/** The characters String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator). */
export function isTrimmed(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 5760 ||
    (c >= 8192 && c <= 8202) ||
    c === 8232 ||
    c === 8233 ||
    c === 8239 ||
    c === 8287 ||
    c === 12288 ||
    c === 65279
  );
}

/**
 * Where the value of the trimmed line `text[from, end)` probably starts (an index into `text`): after
 * `name{...}` (up to the line's last `}`) or after the name, plus the whitespace that follows. Returns 0
 * when there is no whitespace or no value there.
 */
export function quickHeadEnd(text: string, from: number, end: number): number {
  let i = from;
  let c = text.charCodeAt(i);
  while (i < end && c !== 32 && c !== 9 && c !== 123 /* { */) c = text.charCodeAt(++i);
  if (i < end && c === 123) {
    let close = end - 1;
    while (close >= from && text.charCodeAt(close) !== 125 /* } */) close--;
    if (close < from) return 0;
    i = close + 1;
  }
  const afterName = i;
  while (i < end) {
    c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i > afterName && i < end ? i : 0;
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
