/** Label merging and string detaching for the mapper's per-series cache. */
import type { RawValue } from '../source/sample.js';
import { isValidLabelName } from './metric-name.js';

/**
 * Source labels, then rule labels over them, then the value label; empty values removed; sorted by
 * name. Returns undefined when a source label name is not valid for Prometheus. The common cases
 * (no rule labels, labels already sorted) allocate nothing beyond the result.
 */
export function mergeLabels(
  source: ReadonlyArray<readonly [string, string]>,
  rule: ReadonlyArray<readonly [string, string]>,
  valueLabel: string | undefined,
  rawValue: RawValue,
): ReadonlyArray<readonly [string, string]> | undefined {
  for (const [k] of source) if (!isValidLabelName(k)) return undefined;
  let merged: Array<readonly [string, string]>;
  if (rule.length === 0 && valueLabel === undefined) {
    if (source.length === 0) return source;
    merged = source.filter(([, v]) => v !== '');
  } else {
    const map = new Map<string, string>(source);
    for (const [k, v] of rule) map.set(k, v);
    if (valueLabel !== undefined) map.set(valueLabel, String(rawValue));
    merged = [...map].filter(([, v]) => v !== '');
  }
  for (let i = 1; i < merged.length; i++) {
    if (merged[i - 1]![0] >= merged[i]![0]) {
      merged.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      break;
    }
  }
  return merged;
}

/**
 * A copy of `s` that shares no memory with the string it was sliced from. V8 keeps a sliced string's
 * parent alive; a cache key sliced from a 4 MiB body would otherwise pin that body for good.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}
