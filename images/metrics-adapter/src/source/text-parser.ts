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
 *
 * The line grammar is in text-line.ts and the byte-level loop in text-scanner.ts; the collector feeds
 * the scanner straight into the mapper (Mapper.mapText). This module collects the samples as objects
 * instead, for the tests that compare the fast paths with a full parse.
 */
import type { KnownHead, ParsedSource, RawSample } from './sample.js';
import { NO_LABELS } from './text-line.js';
import { scanTextBody } from './text-scanner.js';

export { MAX_LINE_LENGTH, parseLine } from './text-line.js';

/**
 * Parses a whole body. `isKnownHead` (from the mapper) says whether a line head was fully parsed and
 * mapped before; such a line is read for its value only (empty name, no labels, `head` and `known`
 * set) and the mapper takes the rest from its cache. A head is only ever known if a full parse
 * produced exactly it, so a wrong quick split can only miss the cache, never mislabel a sample.
 *
 * `expected` (also from the mapper, used only with `isKnownHead`) lists the known heads in the order
 * the last body had them; a line that is the next expected head plus a plain value is taken without
 * a lookup. A line that does not match falls back to the lookup, which re-synchronises the expectation.
 */
export function parseTextStats(
  body: string | Buffer,
  isKnownHead?: (head: string) => unknown,
  expected?: readonly KnownHead[],
): ParsedSource {
  const samples: RawSample[] = [];
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const { unparsed } = scanTextBody(bytes, {
    expected: isKnownHead && expected ? expected : [],
    ...(isKnownHead ? { lookup: isKnownHead } : {}),
    knownLine: (known, buf, valueStart, valueEnd) =>
      samples.push({
        name: '',
        labels: NO_LABELS,
        value: buf.toString('utf8', valueStart, valueEnd),
        head: known.head,
        known,
      }),
    sample: (sample) => samples.push(sample),
  });
  return { format: 'text', samples, unparsed };
}
