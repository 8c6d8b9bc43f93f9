/**
 * nginx access lines in the `combined` format, which is byte-for-byte the seed's `detailed` format:
 *   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
 * nginx escapes `"` inside variables as `\x22`, so a quote always ends a field and a scan with
 * indexOf is exact (and several times faster than a regex). `main` adds `"$http_x_forwarded_for"`,
 * accepted when `allowForwardedFor` is set. nginx writes `-` for an empty value; that becomes null.
 *
 * One scan finds the field boundaries; two builders turn them into an object or straight into
 * JSON text (the shipping hot path).
 */
import { isPlainAscii, jsonString, jsonStringOrNull, quotePlain, quotePlainOrNull } from './json-text.js';
import { nginxTimeLocalToRfc3339 } from './time.js';
import { type Fields, type LineParser, ParseFailure } from './types.js';

interface AccessSpans {
  addrEnd: number;
  userEnd: number;
  time: string;
  timeEnd: number;
  requestEnd: number;
  status: number;
  statusEnd: number;
  bytes: number;
  bytesEnd: number;
  refererEnd: number;
  agentEnd: number;
  /** Raw `$http_x_forwarded_for`, when the line has it. */
  forwardedFor: string | undefined;
}

function scan(line: string, allowForwardedFor: boolean): AccessSpans | ParseFailure {
  const addrEnd = line.indexOf(' - ');
  if (addrEnd <= 0) return new ParseFailure('expected "$remote_addr - " at the start');
  const userEnd = line.indexOf(' [', addrEnd + 3);
  if (userEnd < 0) return new ParseFailure('expected " [" before $time_local');
  const timeEnd = line.indexOf('] "', userEnd + 2);
  if (timeEnd < 0) return new ParseFailure('expected "] \\"" after $time_local');
  const time = nginxTimeLocalToRfc3339(line.slice(userEnd + 2, timeEnd));
  if (time === null) return new ParseFailure('bad $time_local');
  const requestEnd = line.indexOf('" ', timeEnd + 3);
  if (requestEnd < 0) return new ParseFailure('unterminated "$request"');
  const statusEnd = line.indexOf(' ', requestEnd + 2);
  if (statusEnd < 0) return new ParseFailure('expected $status');
  const status = digits(line, requestEnd + 2, statusEnd);
  if (status < 0) return new ParseFailure('bad $status');
  const bytesEnd = line.indexOf(' "', statusEnd + 1);
  if (bytesEnd < 0) return new ParseFailure('expected $body_bytes_sent');
  const bytes = digits(line, statusEnd + 1, bytesEnd);
  if (bytes < 0) return new ParseFailure('bad $body_bytes_sent');
  const refererEnd = line.indexOf('" "', bytesEnd + 2);
  if (refererEnd < 0) return new ParseFailure('expected "$http_referer" "$http_user_agent"');
  const agentEnd = line.indexOf('"', refererEnd + 3);
  if (agentEnd < 0) return new ParseFailure('unterminated "$http_user_agent"');
  let forwardedFor: string | undefined;
  if (agentEnd !== line.length - 1) {
    const rest = line.slice(agentEnd + 1);
    if (!allowForwardedFor || rest.length < 3 || !rest.startsWith(' "') || !rest.endsWith('"')) {
      return new ParseFailure('unexpected text after "$http_user_agent"');
    }
    forwardedFor = rest.slice(2, -1);
  }
  return {
    addrEnd,
    userEnd,
    time,
    timeEnd,
    requestEnd,
    status,
    statusEnd,
    bytes,
    bytesEnd,
    refererEnd,
    agentEnd,
    forwardedFor,
  };
}

/** Splits `GET /a HTTP/1.1`; null when the request is not of that shape (`-`, TLS bytes, …). */
function splitRequest(request: string): [string, string, string] | null {
  const first = request.indexOf(' ');
  const last = request.lastIndexOf(' ');
  if (first > 0 && last > first && request.startsWith('HTTP/', last + 1)) {
    return [request.slice(0, first), request.slice(first + 1, last), request.slice(last + 1)];
  }
  return null;
}

export function parseNginxAccess(line: string, allowForwardedFor: boolean): Fields | ParseFailure {
  const s = scan(line, allowForwardedFor);
  if (s instanceof ParseFailure) return s;
  const fields: Fields = {
    remote_addr: line.slice(0, s.addrEnd),
    remote_user: dash(line.slice(s.addrEnd + 3, s.userEnd)),
    time: s.time,
  };
  const request = line.slice(s.timeEnd + 3, s.requestEnd);
  const parts = splitRequest(request);
  if (parts) [fields.method, fields.path, fields.protocol] = parts;
  else fields.request = request;
  fields.status = s.status;
  fields.body_bytes_sent = s.bytes;
  fields.referer = dash(line.slice(s.bytesEnd + 2, s.refererEnd));
  fields.user_agent = dash(line.slice(s.refererEnd + 3, s.agentEnd));
  if (s.forwardedFor !== undefined) fields.http_x_forwarded_for = dash(s.forwardedFor);
  return fields;
}

/** Same fields as parseNginxAccess, as JSON text without the closing brace. */
export function parseNginxAccessToJson(line: string, allowForwardedFor: boolean): string | ParseFailure {
  const s = scan(line, allowForwardedFor);
  if (s instanceof ParseFailure) return s;
  // One check of the whole line instead of one per field: nginx lines are almost always plain ASCII.
  const plain = isPlainAscii(line);
  const q = plain ? quotePlain : jsonString;
  const qn = plain ? quotePlainOrNull : jsonStringOrNull;
  const request = line.slice(s.timeEnd + 3, s.requestEnd);
  const parts = splitRequest(request);
  const req = parts
    ? `"method":${q(parts[0])},"path":${q(parts[1])},"protocol":${q(parts[2])}`
    : `"request":${q(request)}`;
  let json =
    `{"remote_addr":${q(line.slice(0, s.addrEnd))},` +
    `"remote_user":${qn(line.slice(s.addrEnd + 3, s.userEnd))},` +
    `"time":"${s.time}",${req},"status":${s.status},"body_bytes_sent":${s.bytes},` +
    `"referer":${qn(line.slice(s.bytesEnd + 2, s.refererEnd))},` +
    `"user_agent":${qn(line.slice(s.refererEnd + 3, s.agentEnd))}`;
  if (s.forwardedFor !== undefined) json += `,"http_x_forwarded_for":${qn(s.forwardedFor)}`;
  return json;
}

function digits(s: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function dash(v: string): string | null {
  return v === '-' ? null : v;
}

export const combinedParser: LineParser = {
  name: 'combined',
  parse: (line) => parseNginxAccess(line, false),
  parseToJson: (line) => parseNginxAccessToJson(line, false),
};
