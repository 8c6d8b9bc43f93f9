/**
 * JSON stats: an object whose leaves are the samples. Nested keys join with `_`
 * (`{"db":{"pool":{"active":3}}}` -> `db_pool_active`), array elements by index (`workers_0_busy`).
 * Numbers, booleans (1/0) and strings are values; `null` leaves are counted as `null_value` and skipped.
 * Depth and leaf count are bounded so a hostile body cannot exhaust the stack or memory.
 */
import { countReason, type ParsedSource, type RawSample, type UnparsedReason } from './sample.js';

const MAX_DEPTH = 32;
export const MAX_JSON_LEAVES = 200_000;

export function parseJsonStats(body: string): ParsedSource {
  const unparsed = new Map<UnparsedReason, number>();
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return { format: 'json', samples: [], unparsed, fatal: `invalid JSON: ${(err as Error).message}` };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { format: 'json', samples: [], unparsed, fatal: 'JSON source must be an object at the top level' };
  }
  const samples: RawSample[] = [];
  const overflow = walk(doc as Record<string, unknown>, '', 0, samples, unparsed);
  if (overflow) return { format: 'json', samples: [], unparsed, fatal: overflow };
  return { format: 'json', samples, unparsed };
}

function walk(
  node: Record<string, unknown> | unknown[],
  path: string,
  depth: number,
  out: RawSample[],
  unparsed: Map<UnparsedReason, number>,
): string | undefined {
  if (depth > MAX_DEPTH) return `JSON nested deeper than ${MAX_DEPTH} levels at ${path || '(root)'}`;
  const entries: Array<[string, unknown]> = Array.isArray(node)
    ? node.map((v, i) => [String(i), v])
    : Object.entries(node);
  for (const [key, value] of entries) {
    const name = path === '' ? key : `${path}_${key}`;
    if (value === null) {
      countReason(unparsed, 'null_value');
    } else if (typeof value === 'object') {
      const err = walk(value as Record<string, unknown>, name, depth + 1, out, unparsed);
      if (err) return err;
    } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
      if (out.length >= MAX_JSON_LEAVES) return `JSON has more than ${MAX_JSON_LEAVES} leaves`;
      out.push({ name, labels: [], value });
    }
  }
  return undefined;
}
