/**
 * Chooses the parser for a fetched body. `auto` (the default) reads JSON when the body's first
 * non-blank character is `{`, else the line format, so one adapter serves either kind of legacy app.
 * A body with NUL bytes is binary, not stats: it is rejected whole rather than mined for lines.
 */
import { parseJsonStats } from './json-parser.js';
import type { KnownHead, ParsedSource } from './sample.js';
import { parseTextStats } from './text-parser.js';

export type SourceFormat = 'auto' | 'text' | 'json';
export const SOURCE_FORMATS: readonly SourceFormat[] = ['auto', 'text', 'json'];

export const BINARY_BODY = 'body contains NUL bytes (binary, not stats)';

/** How a body is to be read: `binary` bodies are refused whole. Looks at bytes, decodes nothing. */
export function classifyBody(body: Buffer, format: SourceFormat): 'binary' | 'json' | 'text' {
  if (body.indexOf(0) !== -1) return 'binary';
  if (format !== 'auto') return format;
  let i = 0;
  while (i < body.length && isAsciiSpace(body[i]!)) i++;
  // A non-ASCII byte may start Unicode whitespace (`\s` covers it); that rare body is decoded to decide.
  if (i < body.length && body[i]! >= 128) return /^\s*\{/.test(body.toString('utf8')) ? 'json' : 'text';
  return body[i] === 123 /* { */ ? 'json' : 'text';
}

function isAsciiSpace(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

/** `isKnownHead` and `expected` are passed to the text parser (see parseTextStats). */
export function parseBody(
  body: string | Buffer,
  format: SourceFormat,
  isKnownHead?: (head: string) => unknown,
  expected?: readonly KnownHead[],
): ParsedSource {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const kind = classifyBody(bytes, format);
  if (kind === 'binary') return { format: 'text', samples: [], unparsed: new Map(), fatal: BINARY_BODY };
  return kind === 'json'
    ? parseJsonStats(bytes.toString('utf8'))
    : parseTextStats(bytes, isKnownHead, expected);
}
