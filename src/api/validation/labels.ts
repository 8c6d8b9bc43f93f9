/**
 * Labels, annotations and label selectors, as apimachinery's meta/v1/validation and
 * api/validation. Paths follow upstream: label errors name the map (`metadata.labels`), not the key.
 */
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1';
import { selectorFromLabelSelector } from '../selectors/label-selector.js';
import { type FieldError, forbidden, invalidValue, required, tooLong } from './field.js';
import { child, index } from './path.js';
import { byteLength, isQualifiedName, isValidLabelValue } from './strings.js';

/** Total bytes of keys and values an object's annotations may hold (256 KiB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => invalidValue(path, name, msg));
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    if (typeof v !== 'string') {
      errs.push(invalidValue(path, v, 'must be a string'));
      continue;
    }
    for (const msg of isValidLabelValue(v)) errs.push(invalidValue(path, v, msg));
  }
  return errs;
}

/** Keys are qualified names, case-insensitively; the whole map is capped at 256 KiB. */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(path, k, msg));
    total += byteLength(k) + byteLength(typeof v === 'string' ? v : String(v));
  }
  // 1.30+ words this through field.TooLong: `Too long: may not be more than 262144 bytes`
  // (older servers said `must have at most 262144 bytes`).
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES)
    errs.push(tooLong(path, '', TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

export interface LabelSelectorOptions {
  /** Upstream relaxes value checks for some old fields; workloads keep them strict. */
  allowInvalidLabelValueInSelector?: boolean;
}

export function validateLabelSelectorRequirement(
  req: LabelSelectorRequirement,
  opts: LabelSelectorOptions,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errs.push(required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(
          forbidden(
            child(path, 'values'),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
      break;
    default:
      errs.push(invalidValue(child(path, 'operator'), req.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(req.key ?? '', child(path, 'key')));
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v))
        errs.push(invalidValue(index(child(path, 'values'), i), v, msg));
    });
  }
  return errs;
}

/** metav1.LabelSelector: matchLabels as labels, each matchExpressions entry as a requirement. */
export function validateLabelSelector(
  selector: LabelSelector | undefined,
  opts: LabelSelectorOptions,
  path: string,
): FieldError[] {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, child(path, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((req, i) => {
    errs.push(...validateLabelSelectorRequirement(req, opts, index(child(path, 'matchExpressions'), i)));
  });
  return errs;
}

/**
 * Whether `labels` satisfy `selector` (an empty selector matches everything). Validation runs
 * before this, so a selector the selectors package cannot build simply matches nothing.
 */
export function selectorMatches(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  try {
    return selectorFromLabelSelector(selector).matches(labels);
  } catch {
    return false;
  }
}

/** True when the selector selects everything (no labels, no expressions). */
export const selectorIsEmpty = (selector: LabelSelector): boolean =>
  Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0;
