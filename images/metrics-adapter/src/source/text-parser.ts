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

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function parseTextStats(body: string): ParsedSource {
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
    const result = parseLine(line);
    if (typeof result === 'string') countReason(unparsed, result);
    else samples.push(result);
  }
  return { format: 'text', samples, unparsed };
}

/** Parses one trimmed, non-comment line; returns the sample or the reason it was rejected. */
export function parseLine(line: string): RawSample | UnparsedReason {
  const nameMatch = NAME.exec(line);
  if (!nameMatch) return 'syntax';
  let name = nameMatch[0];
  let pos = name.length;
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
    if (trimmed.startsWith(':')) {
      colonSeparated = true;
      return finish(name, labels, trimmed.slice(1));
    }
    // Without a colon the name must be followed by whitespace: `foo!bar 1` is garbage, not `foo`.
    if (rest.length > 0 && rest[0] !== ' ' && rest[0] !== '\t') return 'syntax';
  }
  return finish(name, labels, rest);
}

function finish(
  name: string,
  labels: Array<readonly [string, string]>,
  rest: string,
): RawSample | UnparsedReason {
  const value = rest.trim();
  if (value.length === 0) return 'no_value';
  return { name, labels, value };
}

/** Parses `k="v",k2="v2"}` starting after `{`. Escapes: `\\`, `\"`, `\n`. */
function parseLabels(
  line: string,
  from: number,
): { labels: Array<readonly [string, string]>; end: number } | undefined {
  const labels: Array<readonly [string, string]> = [];
  let pos = from;
  for (;;) {
    while (line[pos] === ' ') pos++;
    if (line[pos] === '}') return { labels, end: pos + 1 };
    const key = LABEL_NAME.exec(line.slice(pos, pos + 256));
    if (!key) return undefined;
    pos += key[0].length;
    while (line[pos] === ' ') pos++;
    if (line[pos] !== '=') return undefined;
    pos++;
    while (line[pos] === ' ') pos++;
    if (line[pos] !== '"') return undefined;
    pos++;
    let value = '';
    for (;;) {
      const ch = line[pos];
      if (ch === undefined) return undefined;
      if (ch === '"') break;
      if (ch === '\\') {
        const next = line[pos + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else return undefined;
        pos += 2;
        continue;
      }
      value += ch;
      pos++;
    }
    pos++;
    labels.push([key[0], value]);
    while (line[pos] === ' ') pos++;
    if (line[pos] === ',') pos++;
    else if (line[pos] !== '}') return undefined;
  }
}
