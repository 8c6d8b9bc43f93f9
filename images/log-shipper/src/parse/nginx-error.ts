/**
 * nginx error-log lines: `2026/11/25 07:56:33 [error] 31#31: *5 message, client: 1.2.3.4, server: x,
 * request: "GET / HTTP/1.1", host: "x"`. The trailing `key: value` context nginx appends becomes
 * fields of their own. The time has no zone (server local time); see localTimeToRfc3339.
 */
import { parseNginxAccess, parseNginxAccessToJson } from './nginx-access.js';
import { localTimeToRfc3339 } from './time.js';
import { type Fields, type LineParser, ParseFailure } from './types.js';

const HEAD = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[([a-z]+)\] (\d+)#(\d+): (?:\*(\d+) )?/;
const CONTEXT_KEYS = ['client', 'server', 'request', 'upstream', 'host', 'referrer'] as const;
const CONTEXT = /, (client|server|request|upstream|host|referrer): ("(?:[^"\\]|\\.)*"|[^,]*)/g;

export function parseNginxError(line: string): Fields | ParseFailure {
  const m = HEAD.exec(line);
  if (!m) return new ParseFailure('expected "YYYY/MM/DD HH:MM:SS [level] pid#tid: "');
  const time = localTimeToRfc3339(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (time === null) return new ParseFailure('bad time');
  const fields: Fields = { time, level: m[7], pid: Number(m[8]), tid: Number(m[9]) };
  if (m[10] !== undefined) fields.connection = Number(m[10]);
  let message = line.slice(m[0].length);
  const ctxStart = message.indexOf(', client: ');
  if (ctxStart >= 0) {
    const ctx = message.slice(ctxStart);
    message = message.slice(0, ctxStart);
    for (const c of ctx.matchAll(CONTEXT)) {
      const key = c[1] as (typeof CONTEXT_KEYS)[number];
      const raw = c[2]!;
      fields[key] = raw.startsWith('"') ? raw.slice(1, -1) : raw;
    }
  }
  fields.message = message;
  return fields;
}

export const nginxErrorParser: LineParser = { name: 'nginx_error', parse: parseNginxError };

/** `nginx`: an access line (combined or main) or an error-log line — one glob covers both files. */
export const nginxParser: LineParser = {
  name: 'nginx',
  parse(line) {
    const access = parseNginxAccess(line, true);
    if (!(access instanceof ParseFailure)) return access;
    if (/^\d{4}\//.test(line)) {
      const err = parseNginxError(line);
      if (!(err instanceof ParseFailure)) return err;
    }
    return access;
  },
  parseToJson(line) {
    const access = parseNginxAccessToJson(line, true);
    if (!(access instanceof ParseFailure) || !/^\d{4}\//.test(line)) return access;
    const err = parseNginxError(line);
    return err instanceof ParseFailure ? access : JSON.stringify(err).slice(0, -1);
  },
};
