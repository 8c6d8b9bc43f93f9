/**
 * The LimitRanger admission plugin, as plugin/pkg/admission/limitranger/admission.go (1.32), for
 * pods and PersistentVolumeClaims (PersistentVolumeClaim items' min / max against the claim's
 * storage request, on create and update: PersistentVolumeClaimValidateLimitFunc):
 *   admit:    each Container item's default / defaultRequest fill what a container or init container
 *             leaves unset, and the pod is annotated `kubernetes.io/limit-ranger` with what was set;
 *   validate: each container and init container against Container items' min / max /
 *             maxLimitRequestRatio, and the pod's effective requests and limits against Pod items'.
 * Only creates: upstream's SupportsAttributes skips pod updates (containers' resources are
 * immutable, so an update could only fail validation) and every subresource. API defaulting (a
 * container's requests from its limits) has already run, as upstream decodes before admission.
 * Violations of one LimitRange are reported together (utilerrors.NewAggregate), the first
 * LimitRange with any refuses the pod: 403 `pods "x" is forbidden: maximum cpu usage per
 * Container is 1, but limit is 2`.
 */
import type { Container, LimitRange, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import {
  formatQuantity,
  MAX_MILLI_VALUE,
  type Quantity,
  quantityMillis,
  quantityValue,
} from '../quantity.js';
import { podLimits, podRequests } from '../quota/pod-resources.js';
import { parseList, type ResourceList } from '../quota/resources.js';
import {
  type AdmissionAttributes,
  type AdmissionPlugin,
  admissionForbidden,
  aggregateMessages,
} from './types.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

const handles = (a: AdmissionAttributes): boolean =>
  a.operation === 'CREATE' &&
  a.subresource === '' &&
  a.resource.group === '' &&
  a.resource.resource === 'pods';

const limitRangesOf = (a: AdmissionAttributes): readonly LimitRange[] =>
  a.context.list('limitranges', a.namespace) as readonly LimitRange[];

// ---- defaulting (PodMutateLimitFunc) ------------------------------------------------------------

type List = Record<string, string>;

/** defaultContainerResourceRequirements: the Container items' defaults, later items winning. */
function containerDefaults(lr: LimitRange): { requests: List; limits: List } {
  const requests: List = {};
  const limits: List = {};
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

/** mergeContainerResources: fills unset names; returns the annotation parts for this container. */
function mergeContainer(c: Container, defaults: { requests: List; limits: List }, prefix: string): string[] {
  const fill = (which: 'requests' | 'limits'): string[] => {
    const set: string[] = [];
    const current = (c.resources?.[which] ?? {}) as List;
    for (const [name, q] of Object.entries(defaults[which])) {
      if (name in current) continue;
      current[name] = q;
      set.push(name);
    }
    if (set.length > 0) {
      c.resources ??= {};
      (c.resources as Record<string, List>)[which] = current;
    }
    return set.sort();
  };
  const limits = fill('limits');
  const requests = fill('requests');
  const parts: string[] = [];
  if (requests.length > 0) parts.push(`${requests.join(', ')} request for ${prefix} ${c.name}`);
  if (limits.length > 0) parts.push(`${limits.join(', ')} limit for ${prefix} ${c.name}`);
  return parts;
}

/** PodMutateLimitFunc (mergePodResourceRequirements): defaults, and the annotation naming them. */
export function defaultPodResources(lr: LimitRange, pod: Pod): void {
  const defaults = containerDefaults(lr);
  const parts: string[] = [];
  for (const c of pod.spec?.containers ?? []) parts.push(...mergeContainer(c, defaults, 'container'));
  for (const c of pod.spec?.initContainers ?? [])
    parts.push(...mergeContainer(c, defaults, 'init container'));
  if (parts.length === 0) return;
  pod.metadata ??= {};
  pod.metadata.annotations = {
    ...pod.metadata.annotations,
    [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${parts.join('; ')}`,
  };
}

// ---- constraints (PodValidateLimitFunc) ---------------------------------------------------------

/** requestLimitEnforcedValues: milli precision unless a value would overflow it. */
function comparable(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity) {
  const zero: Quantity = { nanos: 0n, format: 'DecimalSI' };
  const all = [req ?? zero, lim ?? zero, enforced];
  const milli = all.every((q) => quantityValue(q) <= MAX_MILLI_VALUE);
  const [r, l, e] = all.map((q) => (milli ? quantityMillis(q) : quantityValue(q))) as [
    bigint,
    bigint,
    bigint,
  ];
  return { req: r, lim: l, enforced: e };
}

type Constraint = (
  type: string,
  name: string,
  enforced: Quantity,
  requests: ResourceList,
  limits: ResourceList,
) => string | undefined;

const minConstraint: Constraint = (type, name, enforced, requests, limits) => {
  const req = requests.get(name);
  const lim = limits.get(name);
  const v = comparable(req, lim, enforced);
  const e = formatQuantity(enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${e}.  No request is specified`;
  if (v.req < v.enforced)
    return `minimum ${name} usage per ${type} is ${e}, but request is ${formatQuantity(req)}`;
  if (lim && v.lim < v.enforced)
    return `minimum ${name} usage per ${type} is ${e}, but limit is ${formatQuantity(lim)}`;
  return undefined;
};

const maxConstraint: Constraint = (type, name, enforced, requests, limits) => {
  const req = requests.get(name);
  const lim = limits.get(name);
  const v = comparable(req, lim, enforced);
  const e = formatQuantity(enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${e}.  No limit is specified`;
  if (v.lim > v.enforced)
    return `maximum ${name} usage per ${type} is ${e}, but limit is ${formatQuantity(lim)}`;
  if (req && v.req > v.enforced)
    return `maximum ${name} usage per ${type} is ${e}, but request is ${formatQuantity(req)}`;
  return undefined;
};

const ratioConstraint: Constraint = (type, name, enforced, requests, limits) => {
  const req = requests.get(name);
  const lim = limits.get(name);
  const v = comparable(req, lim, enforced);
  const head = `${name} max limit to request ratio per ${type} is ${formatQuantity(enforced)}`;
  if (!req || v.req === 0n) return `${head}, but no request is specified or request is 0`;
  if (!lim || v.lim === 0n) return `${head}, but no limit is specified or limit is 0`;
  const observed = Number(v.lim) / Number(v.req);
  const milli = quantityValue(enforced) <= MAX_MILLI_VALUE;
  const scaled = milli ? observed * 1000 : observed;
  const allowed = Number(milli ? quantityMillis(enforced) : quantityValue(enforced));
  if (scaled > allowed) return `${head}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
};

function checkAll(
  item: NonNullable<LimitRange['spec']>['limits'][number],
  requests: ResourceList,
  limits: ResourceList,
  out: string[],
): void {
  const type = item.type ?? '';
  const each = (list: Record<string, string> | undefined, check: Constraint): void => {
    for (const [name, enforced] of parseList(list)) {
      const msg = check(type, name, enforced, requests, limits);
      if (msg) out.push(msg);
    }
  };
  each(item.min as Record<string, string> | undefined, minConstraint);
  each(item.max as Record<string, string> | undefined, maxConstraint);
  each(item.maxLimitRequestRatio as Record<string, string> | undefined, ratioConstraint);
}

/** PodValidateLimitFunc: every violation of this LimitRange, in upstream's words. */
export function podLimitViolations(lr: LimitRange, pod: Pod): string[] {
  const out: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        const requests = parseList(c.resources?.requests as Record<string, unknown> | undefined);
        const limits = parseList(c.resources?.limits as Record<string, unknown> | undefined);
        checkAll(item, requests, limits, out);
      }
    }
    if (item.type === 'Pod') {
      checkAll(item, podRequests(pod, { overhead: false }), podLimits(pod, { overhead: false }), out);
    }
  }
  return out;
}

/** maxRequestConstraint: the claim's request (there is no limit) against a max. */
const maxRequestConstraint: Constraint = (type, name, enforced, requests) => {
  const req = requests.get(name);
  const v = comparable(req, undefined, enforced);
  const e = formatQuantity(enforced);
  if (!req) return `maximum ${name} usage per ${type} is ${e}.  No request is specified`;
  if (v.req > v.enforced)
    return `maximum ${name} usage per ${type} is ${e}, but request is ${formatQuantity(req)}`;
  return undefined;
};

/** PersistentVolumeClaimValidateLimitFunc. */
export function claimLimitViolations(lr: LimitRange, pvc: PersistentVolumeClaim): string[] {
  const out: string[] = [];
  const requests = parseList(pvc.spec?.resources?.requests as Record<string, unknown> | undefined);
  const none: ResourceList = new Map();
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [name, enforced] of parseList(item.min as Record<string, string> | undefined)) {
      const msg = minConstraint('PersistentVolumeClaim', name, enforced, requests, none);
      if (msg) out.push(msg);
    }
    for (const [name, enforced] of parseList(item.max as Record<string, string> | undefined)) {
      const msg = maxRequestConstraint('PersistentVolumeClaim', name, enforced, requests, none);
      if (msg) out.push(msg);
    }
  }
  return out;
}

const handlesClaim = (a: AdmissionAttributes): boolean =>
  a.subresource === '' && a.resource.group === '' && a.resource.resource === 'persistentvolumeclaims';

export const limitRanger: AdmissionPlugin = {
  name: 'LimitRanger',
  admit(a) {
    if (!handles(a)) return;
    for (const lr of limitRangesOf(a)) defaultPodResources(lr, a.object as Pod);
  },
  validate(a) {
    if (handlesClaim(a)) {
      for (const lr of limitRangesOf(a)) {
        const violations = claimLimitViolations(lr, a.object as PersistentVolumeClaim);
        if (violations.length > 0) throw admissionForbidden(a, aggregateMessages(violations));
      }
      return;
    }
    if (!handles(a)) return;
    for (const lr of limitRangesOf(a)) {
      const violations = podLimitViolations(lr, a.object as Pod);
      if (violations.length > 0) throw admissionForbidden(a, aggregateMessages(violations));
    }
  },
};
