/**
 * Compiles list/watch options into one predicate over objects: label selector and field
 * selector (namespace scoping is done by the store's namespace index). Parse errors are 400s.
 */
import type { ListOptions } from '../../controllers/client.js';
import { parseFieldSelector } from '../selectors/field-selector.js';
import { parseLabelSelector } from '../selectors/label-selector.js';
import type { KubeObject } from '../types.js';

/** Returns undefined when nothing filters (the common case: no per-object work at all). */
export function compileFilter(
  resource: string,
  opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
): ((o: KubeObject) => boolean) | undefined {
  const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
  const fields = opts.fieldSelector ? parseFieldSelector(resource, opts.fieldSelector) : undefined;
  const l = labels && !labels.isEverything() ? labels : undefined;
  const f = fields && !fields.isEverything() ? fields : undefined;
  if (!l && !f) return undefined;
  return (o) =>
    (!l || l.matches(o.metadata.labels)) && (!f || f.matches(o as unknown as Record<string, unknown>));
}
