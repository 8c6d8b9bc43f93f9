/**
 * The ResourceQuota admission plugin, as k8s.io/apiserver pkg/admission/plugin/resourcequota
 * (admission.go Validate, controller.go checkQuotas / CheckRequest), 1.32: a validating plugin.
 *
 *   1. each quota of the namespace whose status.hard holds something this kind counts, and whose
 *      scopes the object is in, applies: its constraints must hold (`failed quota: q: must specify
 *      limits.cpu for: app`) and its status must have been counted once (`status unknown for quota`);
 *   2. the object's usage (on update, what it adds over the stored object) is added to each
 *      applying quota's status.used; a sum over status.hard refuses the request:
 *      `exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2`;
 *   3. the new status.used of every quota that changed is written through /status, guarded by its
 *      resourceVersion, before the object itself is stored. A conflict (another writer charged the
 *      quota first) re-reads those quotas and checks again, up to 3 retries, so concurrent creates
 *      can never together exceed a quota. Dry-run requests are checked but charge nothing.
 *
 * Usage charged for a write that then fails is given back by the quota controller, which recounts
 * on every quota change. Not supported: the plugin's LimitedResources configuration.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import type { ApiError } from '../errors.js';
import { type Evaluator, evaluatorFor, isIgnoredResource } from '../quota/evaluators.js';
import {
  add,
  equals,
  formatList,
  lessThanOrEqual,
  mask,
  negativeNames,
  parseList,
  prettyPrint,
  type ResourceList,
  removeZeros,
  subtractNonNegative,
} from '../quota/resources.js';
import { quotaMatches } from '../quota/usage.js';
import type { KubeObject } from '../types.js';
import { type AdmissionAttributes, type AdmissionPlugin, admissionForbidden } from './types.js';

type Quota = ResourceQuota & KubeObject;

/** controller.go checkAttributes: three retries after the first attempt. */
const MAX_RETRIES = 3;

const used = (q: ResourceQuota): ResourceList =>
  parseList(q.status?.used as Record<string, unknown> | undefined);
const hard = (q: ResourceQuota): ResourceList =>
  parseList(q.status?.hard as Record<string, unknown> | undefined);

/**
 * CheckRequest: the quotas with this request charged (the same objects when it charges nothing),
 * or a thrown 403 saying which quota refused it.
 */
export function checkRequest(
  quotas: readonly Quota[],
  a: AdmissionAttributes,
  e: Evaluator,
): readonly Quota[] {
  const now = a.context.now();
  const applying: number[] = [];
  quotas.forEach((quota, i) => {
    if (!quotaMatches(e, quota, a.object)) return;
    const restricted = e.matchingResources(Object.keys(quota.status?.hard ?? {}));
    const failed = e.constraints(restricted, a.object);
    if (failed) throw admissionForbidden(a, `failed quota: ${quota.metadata.name}: ${failed}`);
    const counted = quota.status?.used ?? {};
    const unknown = restricted.filter((r) => !(r in counted));
    if (unknown.length > 0)
      throw admissionForbidden(
        a,
        `status unknown for quota: ${quota.metadata.name}, resources: ${[...restricted].sort().join(',')}`,
      );
    applying.push(i);
  });

  let delta = e.usage(a.object, now);
  const negative = negativeNames(delta);
  if (negative.length > 0)
    throw admissionForbidden(a, `quota usage is negative for resource(s): ${negative.sort().join(',')}`);
  if (a.operation === 'UPDATE') {
    if (!a.oldObject)
      throw admissionForbidden(a, 'unable to get previous usage since prior version of object was not found');
    if (a.oldObject.metadata.resourceVersion) delta = subtractNonNegative(delta, e.usage(a.oldObject, now));
  }
  delta = removeZeros(delta);
  if (delta.size === 0 || applying.length === 0) return quotas;

  const out = [...quotas];
  for (const i of applying) {
    const quota = quotas[i]!;
    const limits = hard(quota);
    const requested = mask(delta, limits.keys());
    const next = add(used(quota), requested);
    const check = lessThanOrEqual(mask(next, requested.keys()), limits);
    if (!check.ok) {
      throw admissionForbidden(
        a,
        `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(mask(requested, check.exceeded))}, used: ${prettyPrint(mask(used(quota), check.exceeded))}, limited: ${prettyPrint(mask(limits, check.exceeded))}`,
      );
    }
    const charged = structuredClone(quota);
    charged.status = { ...charged.status, used: formatList(next) };
    out[i] = charged;
  }
  return out;
}

/** checkQuotas: charge, write the changed quotas, and on a conflict re-read and check again. */
function checkQuotas(quotas: readonly Quota[], a: AdmissionAttributes, e: Evaluator): void {
  let current = quotas;
  for (let retries = MAX_RETRIES; ; retries--) {
    const charged = checkRequest(current, a, e);
    if (a.dryRun) return;
    const changed = charged.filter((q, i) => !equals(used(q), used(current[i]!)));
    const failed: string[] = [];
    let lastErr: ApiError | undefined;
    for (const q of changed) {
      try {
        a.context.updateStatus('resourcequotas', q);
      } catch (err) {
        if ((err as ApiError).code !== 409 && (err as ApiError).code !== 404) throw err;
        failed.push(q.metadata.name!);
        lastErr = err as ApiError;
      }
    }
    if (failed.length === 0) return;
    if (retries <= 0) throw lastErr;
    current = (a.context.list('resourcequotas', a.namespace) as readonly Quota[]).filter((q) =>
      failed.includes(q.metadata.name!),
    );
  }
}

export const resourceQuota: AdmissionPlugin = {
  name: 'ResourceQuota',
  validate(a) {
    // Cluster-scoped objects (and so namespace creation) are never counted.
    if (a.namespace === '' || !a.resource.namespaced) return;
    if (isIgnoredResource(a.resource.group, a.resource.resource)) return;
    const e = evaluatorFor(a.resource.group, a.resource.resource);
    if (!e.handles(a)) return;
    const quotas = a.context.list('resourcequotas', a.namespace) as readonly Quota[];
    if (quotas.length === 0) return;
    checkQuotas(quotas, a, e);
  },
};
