/**
 * Which pods a ReplicaSet deletes first when scaling down, as upstream's ActivePodsWithRanks
 * with the LogarithmicScaleDown and PodDeletionCost features on (their 1.32 defaults):
 *  1. unscheduled < scheduled;  2. Pending < Unknown < Running;  3. not ready < ready;
 *  4. lower `controller.kubernetes.io/pod-deletion-cost` first;
 *  5. more related pods on the same node first;
 *  6. ready for less time first (compared on a log2 scale of age; equal buckets fall to uid);
 *  7. more container restarts first;
 *  8. newer first (log2 scale of age, then uid).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { isPodActive, isPodReady, readyCondition } from '../util/pods.js';

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

interface Ranked {
  pod: Pod;
  rank: number;
}

const deletionCost = (p: Pod): number => {
  const v = p.metadata?.annotations?.[DELETION_COST];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
};

const maxRestarts = (p: Pod): number =>
  Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));

const time = (s: string | undefined): number | undefined => (s ? Date.parse(s) : undefined);

/** upstream's afterOrZero: a zero time sorts first, then the later time. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** floor(log2(age in ns)), -1 for a non-positive age, as upstream's logarithmicRankDiff. */
const logRank = (t: number, now: number): number => {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
};

function compareTimes(
  a: Ranked,
  b: Ranked,
  t1: number | undefined,
  t2: number | undefined,
  now: number,
): number {
  if (t1 === t2) return 0;
  if (t1 === undefined || t2 === undefined) return afterOrZero(t1, t2) ? -1 : 1;
  const diff = logRank(t1, now) - logRank(t2, now);
  if (diff === 0) {
    const u1 = a.pod.metadata?.uid ?? '';
    const u2 = b.pod.metadata?.uid ?? '';
    return u1 < u2 ? -1 : u1 > u2 ? 1 : 0;
  }
  return diff < 0 ? -1 : 1;
}

function compare(a: Ranked, b: Ranked, now: number): number {
  const na = a.pod.spec?.nodeName ?? '';
  const nb = b.pod.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDINAL[a.pod.status?.phase ?? ''] ?? -1;
  const pb = PHASE_ORDINAL[b.pod.status?.phase ?? ''] ?? -1;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a.pod);
  const rb = isPodReady(b.pod);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a.pod);
  const cb = deletionCost(b.pod);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const c = compareTimes(
      a,
      b,
      time(readyCondition(a.pod)?.lastTransitionTime),
      time(readyCondition(b.pod)?.lastTransitionTime),
      now,
    );
    if (c !== 0) return c;
  }
  const xa = maxRestarts(a.pod);
  const xb = maxRestarts(b.pod);
  if (xa !== xb) return xb - xa;
  return compareTimes(
    a,
    b,
    time(a.pod.metadata?.creationTimestamp),
    time(b.pod.metadata?.creationTimestamp),
    now,
  );
}

/**
 * The `diff` pods to delete among `pods`. `related` are the active pods of every ReplicaSet
 * sharing this one's owner: the more of them on a pod's node, the sooner that pod goes.
 */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], diff: number, now: Date): Pod[] {
  if (diff >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => compare(a, b, now.getTime()));
  return ranked.slice(0, diff).map((r) => r.pod);
}
