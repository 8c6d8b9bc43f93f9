/**
 * Pod scheduling constraints, as upstream's validateAffinity: node affinity selector terms and
 * preferences, pod (anti-)affinity terms and weights. Messages and paths are upstream's,
 * including its quirks (a bad affinity namespace is reported at `.namespace`).
 */
import type {
  Affinity,
  NodeSelector,
  NodeSelectorRequirement,
  PodAffinityTerm,
  WeightedPodAffinityTerm,
} from 'kubernetes-types/core/v1';
import { type FieldError, forbidden, invalidValue, required } from './field.js';
import { validateLabelName, validateLabelSelector } from './labels.js';
import { validateNamespaceName } from './names.js';
import { child, index } from './path.js';
import { isValidLabelValue } from './strings.js';

/** `checkValues` is false for preferences: upstream tolerates any value there (it may still match). */
function validateNodeSelectorRequirement(
  req: NodeSelectorRequirement,
  path: string,
  checkValues = true,
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
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) {
        errs.push(
          required(child(path, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"),
        );
      }
      break;
    default:
      errs.push(invalidValue(child(path, 'operator'), req.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(req.key ?? '', child(path, 'key')));
  if (!checkValues) return errs;
  values.forEach((v, i) => {
    for (const msg of isValidLabelValue(v)) errs.push(invalidValue(index(child(path, 'values'), i), v, msg));
  });
  return errs;
}

export function validateNodeSelector(selector: NodeSelector, path: string): FieldError[] {
  const termsPath = child(path, 'nodeSelectorTerms');
  const terms = selector.nodeSelectorTerms ?? [];
  if (terms.length === 0) return [required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((term, i) =>
    (term.matchExpressions ?? []).flatMap((req, j) =>
      validateNodeSelectorRequirement(req, index(child(index(termsPath, i), 'matchExpressions'), j)),
    ),
  );
}

const WEIGHT_MSG = 'must be in the range 1-100';
const validWeight = (w: number | undefined): boolean => w !== undefined && w > 0 && w <= 100;

function validatePodAffinityTerm(term: PodAffinityTerm, path: string): FieldError[] {
  const errs = validateLabelSelector(term.labelSelector, {}, child(path, 'labelSelector'));
  errs.push(...validateLabelSelector(term.namespaceSelector, {}, child(path, 'namespaceSelector')));
  for (const ns of term.namespaces ?? []) {
    for (const msg of validateNamespaceName(ns, false))
      errs.push(invalidValue(child(path, 'namespace'), ns, msg));
  }
  if (!term.topologyKey) errs.push(required(child(path, 'topologyKey'), 'can not be empty'));
  errs.push(...validateLabelName(term.topologyKey ?? '', child(path, 'topologyKey')));
  return errs;
}

function validateWeightedTerms(terms: WeightedPodAffinityTerm[] | undefined, path: string): FieldError[] {
  return (terms ?? []).flatMap((t, i) => [
    ...(validWeight(t.weight)
      ? []
      : [invalidValue(child(index(path, i), 'weight'), t.weight ?? 0, WEIGHT_MSG)]),
    ...validatePodAffinityTerm(t.podAffinityTerm, child(index(path, i), 'podAffinityTerm')),
  ]);
}

type PodAffinityLike = NonNullable<Affinity['podAffinity']>;

function validatePodAffinityLike(a: PodAffinityLike, path: string): FieldError[] {
  const requiredTerms = a.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const requiredPath = child(path, 'requiredDuringSchedulingIgnoredDuringExecution');
  return [
    ...requiredTerms.flatMap((t, i) => validatePodAffinityTerm(t, index(requiredPath, i))),
    ...validateWeightedTerms(
      a.preferredDuringSchedulingIgnoredDuringExecution,
      child(path, 'preferredDuringSchedulingIgnoredDuringExecution'),
    ),
  ];
}

/** `spec.affinity`; `path` ends in `.affinity`. */
export function validateAffinity(affinity: Affinity | undefined, path: string): FieldError[] {
  if (!affinity) return [];
  const errs: FieldError[] = [];
  const na = affinity.nodeAffinity;
  if (na) {
    const p = child(path, 'nodeAffinity');
    if (na.requiredDuringSchedulingIgnoredDuringExecution) {
      errs.push(
        ...validateNodeSelector(
          na.requiredDuringSchedulingIgnoredDuringExecution,
          child(p, 'requiredDuringSchedulingIgnoredDuringExecution'),
        ),
      );
    }
    (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((term, i) => {
      const tp = index(child(p, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
      if (!validWeight(term.weight))
        errs.push(invalidValue(child(tp, 'weight'), term.weight ?? 0, WEIGHT_MSG));
      (term.preference?.matchExpressions ?? []).forEach((req, j) => {
        errs.push(
          ...validateNodeSelectorRequirement(
            req,
            index(child(tp, 'preference', 'matchExpressions'), j),
            false,
          ),
        );
      });
    });
  }
  if (affinity.podAffinity)
    errs.push(...validatePodAffinityLike(affinity.podAffinity, child(path, 'podAffinity')));
  if (affinity.podAntiAffinity) {
    errs.push(...validatePodAffinityLike(affinity.podAntiAffinity, child(path, 'podAntiAffinity')));
  }
  return errs;
}
