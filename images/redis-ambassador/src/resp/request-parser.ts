/**
 * Parser for client requests: RESP multibulk arrays (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) and inline
 * commands (`GET k\r\n`), as Redis's own `processMultibulkBuffer` / `processInlineBuffer` accept them.
 *
 * Contract: `parseRequest(buf, offset, limits)` looks at `buf` from `offset` and returns either one whole
 * command (its arguments as zero-copy views into `buf`, and `raw`, the exact bytes to forward), or
 * `null` when more bytes are needed. Bad input throws `ProtocolError` with Redis's wording; the caller
 * answers it and closes that connection, as Redis does. The parser keeps no state between calls, so a
 * caller re-parses a partial frame when more bytes arrive; `minimumBytesNeeded` lets it skip re-parsing
 * while a large bulk string is still streaming in.
 */
import { ProtocolError } from '../errors.js';

export interface RequestLimits {
  /** Largest accepted bulk string (Redis: proto-max-bulk-len). */
  readonly maxBulkBytes: number;
  /** Largest accepted argument count in one command. */
  readonly maxArgs: number;
}

/** Redis's PROTO_INLINE_MAX_SIZE: an inline command or a `*N`/`$N` header line longer than this is refused. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface ParsedCommand {
  /** Arguments, each a view into the input buffer (valid until the caller drops that buffer). */
  readonly args: readonly Buffer[];
  /** Lower-case command name (args[0]). */
  readonly name: string;
  /** The bytes to send to a backend: the original frame, or a RESP encoding for inline input. */
  readonly raw: Buffer;
  /** Offset just past this command in the input buffer. */
  readonly next: number;
  /** True for inline input, whose `raw` is a re-encoding rather than a slice of the input. */
  readonly inline: boolean;
}

export interface Incomplete {
  /** The total buffer length (from the start offset) below which parsing again cannot succeed. */
  readonly minimumBytesNeeded: number;
}

const CR = 13;
const LF = 10;
/** The shortest bulk argument, `$0\r\n\r\n`. */
const MIN_BULK_BYTES = 6;

/** Reads a decimal integer line ending in CRLF starting at `start`; returns [value, offsetAfterCRLF] or null. */
function readLineInteger(buf: Buffer, start: number, what: string): [number, number] | null {
  const cr = buf.indexOf(CR, start);
  if (cr === -1 || cr + 1 >= buf.length) {
    if (buf.length - start > MAX_LINE_BYTES) throw new ProtocolError(`too big ${what} count string`, start);
    return null;
  }
  if (buf[cr + 1] !== LF) throw new ProtocolError(`expected CRLF after ${what} count`, cr + 1);
  if (cr - start > 20) throw new ProtocolError(`invalid ${what} length`, start);
  let value = 0;
  let negative = false;
  let i = start;
  if (buf[i] === 45 /* - */) {
    negative = true;
    i++;
  }
  if (i === cr) throw new ProtocolError(`invalid ${what} length`, start);
  // As Redis's string2ll: no leading zeros and no "-0". Redis refuses such a frame, so one let through
  // would be refused on a shared backend connection, which Redis then closes under every client on it.
  if (buf[i] === 48 /* 0 */ && (negative || cr - i > 1)) throw new ProtocolError(`invalid ${what} length`, i);
  for (; i < cr; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) throw new ProtocolError(`invalid ${what} length`, i);
    value = value * 10 + d;
  }
  return [negative ? -value : value, cr + 2];
}

export function parseRequest(
  buf: Buffer,
  offset: number,
  limits: RequestLimits,
): ParsedCommand | Incomplete | null {
  if (offset >= buf.length) return null;
  if (buf[offset] !== 42 /* * */) return parseInline(buf, offset);
  const header = readLineInteger(buf, offset + 1, 'multibulk');
  if (header === null) return null;
  const [count, afterHeader] = header;
  if (count > limits.maxArgs) throw new ProtocolError('invalid multibulk length', offset + 1);
  if (count <= 0) {
    // Redis ignores `*0` and `*-1` frames; signalled as an empty command the caller skips.
    return { args: [], name: '', raw: buf.subarray(offset, afterHeader), next: afterHeader, inline: false };
  }
  const args: Buffer[] = new Array(count);
  let pos = afterHeader;
  for (let i = 0; i < count; i++) {
    // Every argument still to come takes at least MIN_BULK_BYTES: a command of many arguments arriving
    // in many reads is then parsed again only as its bound is reached, not on every read.
    const after = (count - i - 1) * MIN_BULK_BYTES;
    if (pos >= buf.length) return { minimumBytesNeeded: pos - offset + after + MIN_BULK_BYTES };
    if (buf[pos] !== 36 /* $ */) {
      throw new ProtocolError(`expected '$', got '${String.fromCharCode(buf[pos]!)}'`, pos);
    }
    const bulk = readLineInteger(buf, pos + 1, 'bulk');
    if (bulk === null)
      return { minimumBytesNeeded: Math.max(buf.length + 1, pos + MIN_BULK_BYTES) - offset + after };
    const [len, dataStart] = bulk;
    if (len < 0 || len > limits.maxBulkBytes) throw new ProtocolError('invalid bulk length', pos + 1);
    const dataEnd = dataStart + len;
    if (dataEnd + 2 > buf.length) return { minimumBytesNeeded: dataEnd + 2 - offset + after };
    if (buf[dataEnd] !== CR || buf[dataEnd + 1] !== LF) {
      throw new ProtocolError('bulk string not terminated by CRLF', dataEnd);
    }
    args[i] = buf.subarray(dataStart, dataEnd);
    pos = dataEnd + 2;
  }
  return {
    args,
    name: args[0]!.toString('latin1').toLowerCase(),
    raw: buf.subarray(offset, pos),
    next: pos,
    inline: false,
  };
}

/**
 * Inline commands (telnet style), split as Redis's `sdssplitargs` does. The line is read as latin1 (one
 * char per byte), so arguments keep their exact bytes: UTF-8 decoding would replace invalid sequences.
 */
function parseInline(buf: Buffer, offset: number): ParsedCommand | null {
  const lf = buf.indexOf(LF, offset);
  if (lf === -1) {
    if (buf.length - offset > MAX_LINE_BYTES) throw new ProtocolError('too big inline request', offset);
    return null;
  }
  const end = lf > offset && buf[lf - 1] === CR ? lf - 1 : lf;
  const words = splitInline(buf.toString('latin1', offset, end), offset);
  const args = words.map((w) => Buffer.from(w, 'latin1'));
  if (args.length === 0) return { args: [], name: '', raw: Buffer.alloc(0), next: lf + 1, inline: true };
  return { args, name: words[0]!.toLowerCase(), raw: encodeCommand(args), next: lf + 1, inline: true };
}

/** C's isspace() in the C locale, which sdssplitargs skips between words (not JavaScript's Unicode `\s`). */
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

const escapes: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/**
 * sdssplitargs: words separated by spaces; a quote anywhere in a word opens a quoted part; in "double
 * quotes" `\xHH` and `\n \r \t \b \a` are escapes; in 'single quotes' only `\'`; a closing quote must be
 * followed by a space or the end of the line. A NUL byte is refused: Redis reads the line as a C string
 * (it would wait for a line end it never finds), and cutting the command there would run another one.
 */
function splitInline(line: string, offset: number): string[] {
  const nul = line.indexOf('\0');
  if (nul !== -1) throw new ProtocolError('NUL byte in inline request', offset + nul);
  const words: string[] = [];
  let i = 0;
  const unbalanced = (): ProtocolError => new ProtocolError('unbalanced quotes in request', offset + i);
  while (true) {
    while (isSpace(line[i])) i++;
    if (i >= line.length) return words;
    let word = '';
    let quote: '"' | "'" | null = null;
    for (; ; i++) {
      const c = line[i];
      if (c === undefined) {
        if (quote !== null) throw unbalanced();
        break;
      }
      if (quote === '"') {
        if (c === '\\' && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
          word += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < line.length) {
          const e = line[++i]!;
          word += escapes[e] ?? e;
        } else if (c === '"') {
          if (i + 1 < line.length && !isSpace(line[i + 1])) throw unbalanced();
          quote = null;
        } else word += c;
      } else if (quote === "'") {
        if (c === '\\' && line[i + 1] === "'") {
          word += "'";
          i++;
        } else if (c === "'") {
          if (i + 1 < line.length && !isSpace(line[i + 1])) throw unbalanced();
          quote = null;
        } else word += c;
      } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') break;
      else if (c === '"' || c === "'") quote = c;
      else word += c;
    }
    words.push(word);
  }
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** RESP-encodes a command (array of bulk strings). */
export function encodeCommand(args: readonly (Buffer | string)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export function isIncomplete(r: ParsedCommand | Incomplete | null): r is Incomplete | null {
  return r === null || !('args' in r);
}

/**
 * Fast path for the hot loop: frames one well-formed, complete multibulk command starting at `offset`
 * without building its argument array, and returns the offset just past it; its lower-case name is left
 * in `out.name`. Returns -1 for anything else (inline input, `*0`, an incomplete frame, anything
 * malformed, a name with non-ASCII bytes): the caller then uses `parseRequest` from the same offset,
 * which decides incompleteness and protocol errors exactly as before. Never throws.
 */
export function frameRequest(
  buf: Buffer,
  offset: number,
  limits: RequestLimits,
  out: { name: string },
): number {
  const n = buf.length;
  if (offset >= n || buf[offset] !== 42 /* * */) return -1;
  let pos = offset + 1;
  let count = 0;
  let c = buf[pos];
  // Header: 1–9 digits, no leading zero, then CRLF (parseRequest handles anything longer or stranger).
  if (c === 48 /* 0 */) return -1;
  let digits = 0;
  while (c !== undefined && c >= 48 && c <= 57 && digits < 10) {
    count = count * 10 + (c - 48);
    c = buf[++pos];
    digits++;
  }
  if (digits === 0 || c !== CR || buf[pos + 1] !== LF || count <= 0 || count > limits.maxArgs) return -1;
  pos += 2;
  for (let i = 0; i < count; i++) {
    if (pos >= n || buf[pos] !== 36 /* $ */) return -1;
    pos++;
    let len = 0;
    digits = 0;
    c = buf[pos];
    if (c === 48 /* 0 */ && buf[pos + 1] !== CR) return -1; // a leading zero: parseRequest refuses it
    while (c !== undefined && c >= 48 && c <= 57 && digits < 16) {
      len = len * 10 + (c - 48);
      c = buf[++pos];
      digits++;
    }
    if (digits === 0 || c !== CR || buf[pos + 1] !== LF || len > limits.maxBulkBytes) return -1;
    const dataStart = pos + 2;
    const dataEnd = dataStart + len;
    if (dataEnd + 2 > n || buf[dataEnd] !== CR || buf[dataEnd + 1] !== LF) return -1;
    if (i === 0) {
      const name = commandName(buf, dataStart, dataEnd);
      if (name === null) return -1;
      out.name = name;
    }
    pos = dataEnd + 2;
  }
  return pos;
}

/** Lower-case names of short ASCII commands, keyed by their bytes (lower-cased, base 128): no per-command string. */
const nameCache = new Map<number, string>();
const NAME_CACHE_LIMIT = 4096;
let lastKey = -1;
let lastName = '';

function commandName(buf: Buffer, start: number, end: number): string | null {
  const len = end - start;
  if (len === 0) return null;
  if (len > 7) {
    for (let i = start; i < end; i++) if (buf[i]! >= 128) return null;
    return buf.toString('latin1', start, end).toLowerCase();
  }
  let key = 0;
  for (let i = start; i < end; i++) {
    let b = buf[i]!;
    if (b === 0 || b >= 128) return null;
    if (b >= 65 && b <= 90) b += 32;
    key = key * 128 + b;
  }
  // Pipelines and most clients repeat one command: the last name answers without a Map look-up.
  if (key === lastKey) return lastName;
  let name = nameCache.get(key);
  if (name === undefined) {
    name = buf.toString('latin1', start, end).toLowerCase();
    if (nameCache.size < NAME_CACHE_LIMIT) nameCache.set(key, name);
  }
  lastKey = key;
  lastName = name;
  return name;
}
