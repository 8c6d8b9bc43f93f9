/**
 * The disruption controller, as kube-controller-manager's (pkg/controller/disruption, 1.32): for
 * each PodDisruptionBudget it finds the selected pods of its namespace (a missing selector selects
 * none, an empty one all), works out how many it expects and how many must stay healthy
 * (expected.ts), counts the healthy ones (ready, not being deleted, not just evicted) and writes
 * status: expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed (0 unless pods are
 * expected), disruptedPods (evictions not yet seen through, kept up to 2 minutes),
 * observedGeneration and the DisruptionAllowed condition (SufficientPods / InsufficientPods).
 * A sync that fails (a controller that cannot be found) fails safe: disruptionsAllowed 0 and
 * DisruptionAllowed False with reason SyncFailed. Events as upstream: NoPods, UnmanagedPods,
 * CalculateExpectedPodCountFailed, and NotDeleted on a pod that outlived its eviction.
 * A pod left with the DisruptionTarget condition (an eviction whose delete did not happen) that is
 * not terminating gets it set to False after 2 minutes (syncStalePodDisruption); the kubelet's own
 * condition and terminal pods are left alone.
 * Unlike upstream, a pod's change enqueues every budget that selects it (upstream picks one), and
 * a change of a workload's replicas enqueues the budgets of its namespace.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { setDisruptionAllowedCondition, setStatusCondition } from '../../api/registry/pods/eviction.js';
import { nowRFC3339 } from '../../api/registry/util.js';
import type { KubeObject } from '../../api/types.js';
import { selectorMatches } from '../../api/validation/labels.js';
import type { ControllerDeps } from '../client.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { keyOf } from '../util/owners.js';
import { isPodReady } from '../util/pods.js';
import { expectedPodCount } from './expected.js';

type Pdb = PodDisruptionBudget & KubeObject;
type Status = NonNullable<PodDisruptionBudget['status']>;

/** DeletionTimeout: how long an evicted pod is counted as going before the eviction is given up. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;
/** stalePodDisruptionTimeout. */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;
/** Queue keys of pods (stale-condition cleanup), beside the budgets' `namespace/name` keys. */
const POD_KEY_PREFIX = 'pod:';
const COMPONENT = { component: 'controllermanager' };
const WORKLOADS = ['deployments', 'replicasets', 'statefulsets'];

/** getPodsForPdb: a nil selector selects nothing (LabelSelectorAsSelector(nil) is Nothing). */
export function podsForBudget(pods: readonly Pod[], pdb: PodDisruptionBudget): Pod[] {
  const sel = pdb.spec?.selector;
  if (!sel) return [];
  return pods.filter((p) => selectorMatches(sel, p.metadata?.labels));
}

/** countHealthyPods. */
export function countHealthyPods(pods: readonly Pod[], disrupted: Record<string, string>, now: Date): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const t = disrupted[pod.metadata?.name ?? ''];
    if (t !== undefined && Date.parse(t) + DELETION_TIMEOUT_MS > now.getTime()) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

/** ConditionsAreUpToDate. */
function conditionsAreUpToDate(pdb: Pdb): boolean {
  const status = pdb.status;
  const cond = status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
  if (!cond || status?.observedGeneration !== pdb.metadata.generation) return false;
  return (status?.disruptionsAllowed ?? 0) > 0
    ? cond.status === 'True' && cond.reason === 'SufficientPods'
    : cond.status === 'False' && cond.reason === 'InsufficientPods';
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string>): boolean => {
  const ak = Object.keys(a ?? {});
  return ak.length === Object.keys(b).length && ak.every((k) => a?.[k] === b[k]);
};

export class DisruptionController extends QueueController {
  readonly name = 'disruption';
  protected override readonly requiredResource = { resource: 'poddisruptionbudgets', group: 'policy' };

  constructor(deps: ControllerDeps, options: QueueControllerOptions = {}) {
    super(deps, options);
  }

  protected watches(): readonly WatchSpec[] {
    const { client } = this.deps;
    const budgetsOfPod = (o: KubeObject): string[] =>
      client
        .scan<Pdb>('poddisruptionbudgets', { namespace: o.metadata.namespace ?? '' })
        .filter((pdb) => podsForBudget([o as Pod], pdb).length > 0)
        .map(keyOf);
    const budgetsOfNamespace = (o: KubeObject): string[] =>
      client.scan<Pdb>('poddisruptionbudgets', { namespace: o.metadata.namespace ?? '' }).map(keyOf);
    const served = new Set(client.resources().map((r) => r.resource));
    return [
      { resource: 'poddisruptionbudgets', keysFor: (ev) => [keyOf(ev.object)] },
      // A pod's labels may have changed: the budgets that selected it before are synced on resync.
      {
        resource: 'pods',
        keysFor: (ev) => [
          ...budgetsOfPod(ev.object),
          ...(ev.type !== 'DELETED' &&
          staleDisruptionWait(ev.object as Pod, this.deps.clock.now()) !== undefined
            ? [`${POD_KEY_PREFIX}${keyOf(ev.object)}`]
            : []),
        ],
      },
      ...WORKLOADS.filter((r) => served.has(r)).map((resource) => ({
        resource,
        keysFor: (ev: { object: KubeObject }) => budgetsOfNamespace(ev.object),
      })),
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.scan<Pdb>('poddisruptionbudgets').map(keyOf);
  }

  protected sync(key: string): void {
    if (key.startsWith(POD_KEY_PREFIX)) {
      this.#syncStalePodDisruption(key.slice(POD_KEY_PREFIX.length));
      return;
    }
    const [namespace, name] = splitKey(key);
    const pdb = this.deps.client.get<Pdb>('poddisruptionbudgets', namespace, name);
    if (!pdb) return;
    try {
      this.#trySync(pdb);
    } catch (e) {
      if ((e as { code?: number }).code === 409) throw e;
      this.deps.log('disruption: sync failed', { pdb: key, error: String(e) });
      this.#failSafe(pdb, e instanceof Error ? e.message : String(e));
    }
  }

  #trySync(pdb: Pdb): void {
    const { client, events, clock } = this.deps;
    const pods = podsForBudget(
      client.scan<Pod & KubeObject>('pods', { namespace: pdb.metadata.namespace ?? '' }),
      pdb,
    );
    if (pods.length === 0) events.event(pdb, 'Normal', 'NoPods', 'No matching pods found', COMPONENT);
    let counts: ReturnType<typeof expectedPodCount>;
    try {
      counts = expectedPodCount(client, pdb, pods);
    } catch (e) {
      events.event(
        pdb,
        'Warning',
        'CalculateExpectedPodCountFailed',
        `Failed to calculate the number of expected pods: ${e instanceof Error ? e.message : String(e)}`,
        COMPONENT,
      );
      throw e;
    }
    if (counts.unmanagedPods.length > 0) {
      events.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${goSelector(pdb)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
        COMPONENT,
      );
    }
    const now = clock.now();
    const { disrupted, recheckMs } = this.#disruptedPodMap(pods, pdb, now);
    const currentHealthy = countHealthyPods(pods, disrupted, now);
    this.#updateStatus(pdb, currentHealthy, counts.desiredHealthy, counts.expectedCount, disrupted);
    if (recheckMs !== undefined) this.queue.addAfter(keyOf(pdb), Math.max(0, recheckMs - now.getTime()));
  }

  /** buildDisruptedPodMap: evictions still within DeletionTimeout, and when the first one expires. */
  #disruptedPodMap(
    pods: readonly Pod[],
    pdb: Pdb,
    now: Date,
  ): { disrupted: Record<string, string>; recheckMs?: number } {
    const recorded = (pdb.status as { disruptedPods?: Record<string, string> } | undefined)?.disruptedPods;
    const disrupted: Record<string, string> = {};
    let recheckMs: number | undefined;
    if (!recorded) return { disrupted };
    for (const pod of pods) {
      if (pod.metadata?.deletionTimestamp) continue;
      const podName = pod.metadata?.name ?? '';
      const t = recorded[podName];
      if (t === undefined) continue;
      const expected = Date.parse(t) + DELETION_TIMEOUT_MS;
      if (expected < now.getTime()) {
        this.deps.events.event(
          pod as KubeObject,
          'Warning',
          'NotDeleted',
          // Upstream prints the namespace twice (pdb.Namespace, pdb.Namespace).
          `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`,
          COMPONENT,
        );
      } else {
        if (recheckMs === undefined || expected < recheckMs) recheckMs = expected;
        disrupted[podName] = t;
      }
    }
    return recheckMs === undefined ? { disrupted } : { disrupted, recheckMs };
  }

  /** updatePdbStatus: written only when something differs. */
  #updateStatus(
    pdb: Pdb,
    currentHealthy: number,
    desiredHealthy: number,
    expectedCount: number,
    disrupted: Record<string, string>,
  ): void {
    let disruptionsAllowed = currentHealthy - desiredHealthy;
    if (expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
    const s = pdb.status as (Status & { disruptedPods?: Record<string, string> }) | undefined;
    if (
      s?.currentHealthy === currentHealthy &&
      s.desiredHealthy === desiredHealthy &&
      s.expectedPods === expectedCount &&
      s.disruptionsAllowed === disruptionsAllowed &&
      sameMap(s.disruptedPods, disrupted) &&
      s.observedGeneration === pdb.metadata.generation &&
      conditionsAreUpToDate(pdb)
    )
      return;
    const next = structuredClone(pdb);
    (next as { status: Status }).status = {
      currentHealthy,
      desiredHealthy,
      expectedPods: expectedCount,
      disruptionsAllowed,
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
      ...(pdb.metadata.generation !== undefined ? { observedGeneration: pdb.metadata.generation } : {}),
      ...(s?.conditions ? { conditions: structuredClone(s.conditions) } : {}),
    } as Status;
    setDisruptionAllowedCondition(next, this.deps.clock.now());
    this.deps.client.updateStatus('poddisruptionbudgets', next);
  }

  /** syncStalePodDisruption: DisruptionTarget goes False on a pod the eviction did not delete. */
  #syncStalePodDisruption(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client, clock } = this.deps;
    const pod = client.get<Pod & KubeObject>('pods', namespace, name);
    if (!pod) return;
    const wait = staleDisruptionWait(pod, clock.now());
    if (wait === undefined) return;
    if (wait > 0) {
      this.queue.addAfter(`${POD_KEY_PREFIX}${key}`, wait);
      return;
    }
    const conditions = (pod.status?.conditions ?? []).map((c) =>
      c.type === 'DisruptionTarget'
        ? { ...c, status: 'False', lastTransitionTime: nowRFC3339(clock.now()) }
        : c,
    );
    client.updateStatus('pods', { ...pod, status: { ...pod.status, conditions } });
  }

  /** failSafe: no disruptions, DisruptionAllowed False with reason SyncFailed and the error. */
  #failSafe(pdb: Pdb, message: string): void {
    const next = structuredClone(pdb) as Pdb & { status?: Status };
    next.status ??= { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
    const status = next.status as Status & { conditions?: NonNullable<Status['conditions']>[number][] };
    status.disruptionsAllowed = 0;
    status.conditions ??= [];
    setStatusCondition(status.conditions, {
      type: 'DisruptionAllowed',
      status: 'False',
      reason: 'SyncFailed',
      message,
      lastTransitionTime: nowRFC3339(this.deps.clock.now()),
      ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    });
    // Failing again the same way writes nothing (the registry would drop the write anyway).
    if (JSON.stringify(next.status) === JSON.stringify(pdb.status)) return;
    this.deps.client.updateStatus('poddisruptionbudgets', next);
  }
}

/**
 * nonTerminatingPodHasStaleDisruptionCondition: ms until a DisruptionTarget=True condition (not the
 * kubelet's) on a pod that is neither terminating nor terminal goes stale; undefined when none.
 */
export function staleDisruptionWait(pod: Pod, now: Date): number | undefined {
  if (pod.metadata?.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const cond = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  if (cond?.status !== 'True' || cond.reason === 'TerminationByKubelet') return undefined;
  const since = now.getTime() - Date.parse(cond.lastTransitionTime ?? '');
  return Math.max(0, STALE_POD_DISRUPTION_TIMEOUT_MS - (Number.isNaN(since) ? 0 : since));
}

/** The selector as Go's %v prints a *metav1.LabelSelector: &LabelSelector{MatchLabels:map[...],...}. */
function goSelector(pdb: PodDisruptionBudget): string {
  const sel = pdb.spec?.selector;
  if (!sel) return '<nil>';
  const labels = Object.entries(sel.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}: ${v},`)
    .join('');
  const exprs = (sel.matchExpressions ?? [])
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],}`,
    )
    .join(',');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
