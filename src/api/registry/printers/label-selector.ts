/**
 * Label maps and label selectors as Selector cells print them:
 *  - formatLabels          = labels.FormatLabels (Service selector maps)
 *  - labelSelectorString   = metav1.LabelSelectorAsSelector(sel).String() (Deployment)
 *  - formatLabelSelector   = metav1.FormatLabelSelector (ReplicaSet)
 * The selector semantics (sorting, validity) are the selectors package's; this file only adds
 * the cell conventions.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { selectorFromLabelSelector } from '../../selectors/label-selector.js';
import { compareGoStrings, NONE } from './cells.js';

export { formatLabelSelector } from '../../selectors/label-selector.js';

/** labels.FormatLabels: "k=v" pairs sorted, joined with ","; "<none>" when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  pairs.sort(compareGoStrings);
  return pairs.length === 0 ? NONE : pairs.join(',');
}

/**
 * The selector's string form, or `undefined` when LabelSelectorAsSelector would fail (unknown
 * operator, bad key or value, wrong number of values). nil and {} both give "".
 */
export function labelSelectorString(selector: LabelSelector | undefined | null): string | undefined {
  if (!selector) return '';
  try {
    return selectorFromLabelSelector(selector).toString();
  } catch {
    return undefined;
  }
}
