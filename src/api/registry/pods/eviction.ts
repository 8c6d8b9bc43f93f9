/**
 * pods/eviction, as upstream's EvictionREST.Create (pkg/registry/core/pod/storage/eviction.go, 1.32),
 * over the registry (the HTTP side is eviction-subresource.ts):
 *  - a pod that is terminal (Succeeded/Failed), Pending or already being deleted is deleted without
 *    looking at budgets (canIgnorePDB), with its resourceVersion as precondition unless terminal;
 *  - a pod no PodDisruptionBudget selects is deleted; one selected by more than one is a 500;
 *  - a pod that is not ready, under an AlwaysAllow budget or an IfHealthyBudget one that has its
 *    desired healthy pods, is deleted without spending the budget (resourceVersion precondition);
 *  - otherwise the budget must allow a disruption: disruptionsAllowed is decremented in its status
 *    (optimistic concurrency, retried on conflict), the pod recorded in disruptedPods, and the
 *    DisruptionAllowed condition turned False when none are left. A budget at 0 is a 429
 *    TooManyRequests with the DisruptionBudget cause; one the controller has not observed yet
 *    (observedGeneration behind generation) a 429 with a 10 s retry.
 * Before the delete the pod gets the DisruptionTarget condition (reason EvictionByEvictionAPI)
 * through pods/status. DeleteOptions (grace period, preconditions, dryRun) apply to the delete.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { Condition } from 'kubernetes-types/meta/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { DeleteOptions } from '../../../controllers/client.js';
import { ApiError, conflict, forbidden } from '../../errors.js';
import type { KubeObject } from '../../types.js';
import { selectorMatches } from '../../validation/labels.js';
import type { Registry } from '../registry.js';
import { nowRFC3339 } from '../util.js';

export type EvictionDeleteOptions = DeleteOptions & { dryRun?: boolean };

/** MaxDisruptedPodSize: evictions the disruption controller has not confirmed yet, per budget. */
export const MAX_DISRUPTED_POD_SIZE = 2000;
/** EvictionsRetry: attempts on a conflicting write (retry.DefaultRetry's 5 steps). */
const EVICTION_RETRIES = 5;
export const EVICTION_VIOLATES_BUDGET = "Cannot evict pod as it would violate the pod's disruption budget.";
/** policyv1.DisruptionBudgetCause. */
export const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';

const PDBS = { group: 'policy', resource: 'poddisruptionbudget' };

type Pdb = PodDisruptionBudget & KubeObject;
type StoredPod = Pod & KubeObject;

const isReady = (pod: Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
/** canIgnorePDB. */
const canIgnorePDB = (pod: Pod): boolean =>
  isTerminal(pod) || pod.status?.phase === 'Pending' || !!pod.metadata?.deletionTimestamp;

function tooManyRequests(retryAfterSeconds: number, cause: string): ApiError {
  return new ApiError(429, 'TooManyRequests', EVICTION_VIOLATES_BUDGET, {
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }],
  });
}

/** getPodDisruptionBudgets: the budgets of the pod's namespace whose selector matches it (nil matches none). */
export function budgetsFor(registry: Registry, pod: Pod): Pdb[] {
  return registry
    .list<Pdb>('poddisruptionbudgets', { namespace: pod.metadata?.namespace ?? '' })
    .filter((pdb) => pdb.spec?.selector && selectorMatches(pdb.spec.selector, pod.metadata?.labels));
}

/** pdbhelper.UpdateDisruptionAllowedCondition via apimeta.SetStatusCondition. */
export function setDisruptionAllowedCondition(pdb: Pdb, now: Date): void {
  const status = pdb.status as NonNullable<Pdb['status']> & { conditions?: Condition[] };
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  const next: Condition = {
    type: 'DisruptionAllowed',
    status: allowed ? 'True' : 'False',
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    lastTransitionTime: nowRFC3339(now),
    ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
  };
  status.conditions ??= [];
  setStatusCondition(status.conditions, next);
}

/** apimeta.SetStatusCondition: the transition time moves only when the status changes. */
export function setStatusCondition(conditions: Condition[], next: Condition): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  if (i < 0) {
    conditions.push(next);
    return;
  }
  const cur = conditions[i]!;
  conditions[i] = {
    ...cur,
    status: next.status,
    reason: next.reason,
    message: next.message,
    lastTransitionTime: cur.status === next.status ? cur.lastTransitionTime : next.lastTransitionTime,
    ...(next.observedGeneration !== undefined ? { observedGeneration: next.observedGeneration } : {}),
  };
}

/** checkAndDecrement: spends one disruption of `pdb` for `podName`, or throws. */
function checkAndDecrement(registry: Registry, podName: string, pdb: Pdb, dryRun: boolean, now: Date): void {
  const name = pdb.metadata.name ?? '';
  const status = (pdb.status ?? {}) as NonNullable<Pdb['status']> & {
    disruptedPods?: Record<string, string>;
  };
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw tooManyRequests(10, `The disruption budget ${name} is still being processed by the server.`);
  }
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0)
    throw forbidden(
      `${PDBS.resource}.${PDBS.group} "${name}" is forbidden: pdb disruptions allowed is negative`,
      {
        name,
        group: PDBS.group,
        kind: PDBS.resource,
      },
    );
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE)
    throw forbidden(
      `${PDBS.resource}.${PDBS.group} "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`,
      { name, group: PDBS.group, kind: PDBS.resource },
    );
  if (allowed === 0) {
    throw tooManyRequests(
      0,
      `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
    );
  }
  const next = structuredClone(pdb);
  const ns = next.status as typeof status;
  ns.disruptionsAllowed = allowed - 1;
  if (ns.disruptionsAllowed === 0) setDisruptionAllowedCondition(next, now);
  if (dryRun) return;
  ns.disruptedPods = { ...(ns.disruptedPods ?? {}), [podName]: nowRFC3339(now) };
  registry.updateStatus('poddisruptionbudgets', next);
}

const isConflict = (e: unknown): boolean => e instanceof ApiError && e.code === 409;

/** retry.OnError with EvictionsRetry's step count. */
function retryOnConflict<T>(fn: () => T, shouldRetry: (e: unknown) => boolean = isConflict): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (attempt >= EVICTION_RETRIES || !shouldRetry(e)) throw e;
    }
  }
}

/**
 * addConditionAndDeletePod: the DisruptionTarget condition on the latest pod (checked against the
 * preconditions first), then the delete. A dry run only deletes (dry).
 */
function addConditionAndDeletePod(
  registry: Registry,
  namespace: string,
  name: string,
  options: EvictionDeleteOptions,
  now: Date,
): void {
  let opts = options;
  if (!opts.dryRun) {
    const latest = registry.mustGet('pods', namespace, name).object as StoredPod;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== latest.metadata.uid)
      throw conflict(
        { group: '', resource: 'Pod' },
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${latest.metadata.uid}). The object might have been deleted and then recreated`,
      );
    if (pre?.resourceVersion && pre.resourceVersion !== latest.metadata.resourceVersion)
      throw conflict(
        { group: '', resource: 'Pod' },
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${latest.metadata.resourceVersion}). The object might have been modified`,
      );
    const pod = structuredClone(latest);
    (pod as { status?: object }).status ??= {};
    const conditions = (pod.status?.conditions ?? []) as PodCondition[];
    updatePodCondition(
      conditions,
      {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'EvictionByEvictionAPI',
        message: 'Eviction API: evicting',
      },
      now,
    );
    (pod.status as { conditions?: PodCondition[] }).conditions = conditions;
    const updated = registry.updateStatus('pods', pod);
    if (pre?.resourceVersion) {
      // Our own write moved the resourceVersion: the precondition follows it.
      opts = { ...opts, preconditions: { ...pre, resourceVersion: updated.metadata.resourceVersion! } };
    }
  }
  registry.deleteIn('pods', namespace, name, opts);
}

/** podutil.UpdatePodCondition: lastTransitionTime moves only when the status changes. */
function updatePodCondition(conditions: PodCondition[], c: PodCondition, now: Date): void {
  const i = conditions.findIndex((x) => x.type === c.type);
  const stamp = nowRFC3339(now);
  if (i < 0) {
    conditions.push({ ...c, lastProbeTime: null as unknown as string, lastTransitionTime: stamp });
    return;
  }
  const cur = conditions[i]!;
  conditions[i] = {
    ...cur,
    ...c,
    lastTransitionTime: cur.status === c.status ? cur.lastTransitionTime : stamp,
  };
}

const withResourceVersion = (o: EvictionDeleteOptions, rv: string): EvictionDeleteOptions => ({
  ...o,
  preconditions: { ...o.preconditions, resourceVersion: rv },
});

/** The Status an eviction answers with: Success (201), or the 500 for a pod under several budgets. */
export interface EvictionResult {
  code: number;
  status: {
    kind: 'Status';
    apiVersion: 'v1';
    metadata: Record<string, never>;
    status: string;
    message?: string;
    code?: number;
  };
}

/** The create handler fills a returned Status's zero code with its own 201. */
const SUCCESS: EvictionResult = {
  code: 201,
  status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
};

/** Evicts namespace/name (EvictionREST.Create after decoding); failures are thrown ApiErrors. */
export function evictPod(
  registry: Registry,
  namespace: string,
  name: string,
  options: EvictionDeleteOptions,
  now: Date,
): EvictionResult {
  const rvSet = !!options.preconditions?.resourceVersion;
  // Pods whose budgets can be ignored are deleted at once (retried on conflict unless the caller
  // pinned a resourceVersion).
  const first = retryOnConflict(
    () => {
      const pod = registry.mustGet('pods', namespace, name).object as StoredPod;
      if (!canIgnorePDB(pod)) return { pod, deleted: false };
      // shouldEnforceResourceVersion: a Pending pod may become ready under us; pin the version judged.
      const enforce = !isTerminal(pod) && !pod.metadata.deletionTimestamp;
      const opts = enforce && !rvSet ? withResourceVersion(options, pod.metadata.resourceVersion!) : options;
      addConditionAndDeletePod(registry, namespace, name, opts, now);
      return { pod, deleted: true };
    },
    (e) => !rvSet && isConflict(e),
  );
  if (first.deleted) return SUCCESS;
  const pod = first.pod;

  const pdbs = budgetsFor(registry, pod);
  if (pdbs.length > 1) {
    // Upstream answers a bare Status (no reason) with code 500.
    return {
      code: 500,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
        code: 500,
      },
    };
  }
  let pinned = false;
  let pdbName = '';
  if (pdbs.length === 1) {
    let pdb = pdbs[0]!;
    pdbName = pdb.metadata.name ?? '';
    const status: NonNullable<Pdb['status']> = pdb.status ?? {
      currentHealthy: 0,
      desiredHealthy: 0,
      disruptionsAllowed: 0,
      expectedPods: 0,
    };
    // IsPodReady is IsHealthy: an unready pod may go without spending the budget when the policy
    // is AlwaysAllow, or (IfHealthyBudget) when the budget has its desired healthy pods.
    const unhealthyCanGo =
      !isReady(pod) &&
      (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' ||
        ((status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0) && (status.desiredHealthy ?? 0) > 0));
    if (unhealthyCanGo) pinned = true;
    else {
      let refresh = false;
      retryOnConflict(() => {
        if (refresh) pdb = registry.mustGet('poddisruptionbudgets', namespace, pdbName).object as Pdb;
        refresh = true;
        checkAndDecrement(registry, name, pdb, options.dryRun === true, now);
      });
    }
  }
  // The pod must not have become ready since it was judged unhealthy.
  const deleteOptions = pinned ? withResourceVersion(options, pod.metadata.resourceVersion!) : options;
  try {
    addConditionAndDeletePod(registry, namespace, name, deleteOptions, now);
  } catch (e) {
    if (isConflict(e) && pinned && !rvSet)
      throw tooManyRequests(10, `The disruption budget ${pdbName} is still being processed by the server.`);
    throw e;
  }
  return SUCCESS;
}
