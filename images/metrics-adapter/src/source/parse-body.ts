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

/** `isKnownHead` and `expected` are passed to the text parser (see parseTextStats). */
export function parseBody(
  body: string,
  format: SourceFormat,
  isKnownHead?: (head: string) => unknown,
  expected?: readonly KnownHead[],
): ParsedSource {
  if (body.includes('\u0000')) {
    return {
      format: 'text',
      samples: [],
      unparsed: new Map(),
      fatal: 'body contains NUL bytes (binary, not stats)',
    };
  }
  const useJson = format === 'json' || (format === 'auto' && /^\s*\{/.test(body));
  return useJson ? parseJsonStats(body) : parseTextStats(body, isKnownHead, expected);
}
