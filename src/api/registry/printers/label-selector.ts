/**
 * Label maps and label selectors as Selector cells print them:
 *  - formatLabels          = labels.FormatLabels (Service and DaemonSet node selector maps)
 *  - labelSelectorString   = metav1.LabelSelectorAsSelector(sel).String() (Deployment)
 *  - formatLabelSelector   = metav1.FormatLabelSelector (ReplicaSet, DaemonSet, Job)
 * Semantics are apimachinery v0.32's: requirements sorted by key, In/NotIn values sorted,
 * a nil selector and an empty one both print as "" (→ "<none>" where FormatLabelSelector is
 * used), and a selector that NewRequirement would reject makes the whole cell an error marker.
 */
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1';
import { compareGoStrings, ERROR, NONE } from './cells.js';

/** labels.FormatLabels: "k=v" pairs sorted, joined with ","; "<none>" when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  pairs.sort(compareGoStrings);
  return pairs.length === 0 ? NONE : pairs.join(',');
}

/** One parsed requirement: the operator as labels.Selector spells it. */
interface Requirement {
  readonly key: string;
  readonly op: '=' | 'in' | 'notin' | 'exists' | '!';
  readonly values: readonly string[];
}

const OPERATORS: Readonly<Record<string, Requirement['op']>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * The selector's string form, or `undefined` when LabelSelectorAsSelector would fail (unknown
 * operator, bad key or value, wrong number of values). nil and {} both give "".
 */
export function labelSelectorString(selector: LabelSelector | undefined | null): string | undefined {
  if (!selector) return '';
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!isQualifiedName(key) || !isValidLabelValue(value)) return undefined;
    requirements.push({ key, op: '=', values: [value] });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const requirement = toRequirement(expr);
    if (!requirement) return undefined;
    requirements.push(requirement);
  }
  // Stable, so requirements sharing a key keep matchLabels-then-expressions order.
  requirements.sort((a, b) => compareGoStrings(a.key, b.key));
  return requirements.map(requirementString).join(',');
}

/** metav1.FormatLabelSelector: "<error>" if invalid, "<none>" if it selects everything/nothing. */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return ERROR;
  return s === '' ? NONE : s;
}

// labels.NewRequirement's checks, for the operators a LabelSelector can carry.
function toRequirement(expr: LabelSelectorRequirement): Requirement | undefined {
  const op = OPERATORS[expr.operator];
  const values = expr.values ?? [];
  if (op === undefined || !isQualifiedName(expr.key)) return undefined;
  if ((op === 'in' || op === 'notin') && values.length === 0) return undefined;
  if ((op === 'exists' || op === '!') && values.length !== 0) return undefined;
  if (!values.every(isValidLabelValue)) return undefined;
  return { key: expr.key, op, values };
}

// Requirement.String(): In/NotIn values are printed sorted, without mutating the selector.
function requirementString(r: Requirement): string {
  switch (r.op) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case '=':
      return `${r.key}=${r.values[0]}`;
    default: {
      const sorted = [...r.values].sort(compareGoStrings);
      return `${r.key} ${r.op} (${sorted.join(',')})`;
    }
  }
}

// k8s.io/apimachinery/pkg/util/validation: qualified names, label values, DNS-1123 subdomains.
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName: optional DNS-subdomain prefix and "/", then a name of ≤ 63. */
export function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** validation.IsValidLabelValue: empty, or a qualified-name-shaped string of ≤ 63. */
export function isValidLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}
