/**
 * What a DELETE does to an object, as rest.BeforeDelete decides it (pure; the registry writes
 * the result): the propagation policy becomes the `foregroundDeletion` or `orphan` finalizer;
 * then an object held by finalizers or a grace period is only marked (deletionTimestamp,
 * deletionGracePeriodSeconds) and stays, and anything else is removed at once. A namespace
 * moves to phase Terminating.
 */
import type { DeleteOptions } from '../../controllers/client.js';
import type { KubeObject } from '../types.js';
import { nowRFC3339 } from './util.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** 9999-12-31T23:59:59Z, the last time metav1.Time can encode. */
const LAST_RFC3339_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

export type Deletion = { kind: 'mark'; next: KubeObject } | { kind: 'remove' };

/** True while metadata.finalizers (or, for namespaces, spec.finalizers) still hold the object. */
export function hasFinalizers(obj: KubeObject): boolean {
  if (obj.metadata.finalizers?.length) return true;
  if (obj.kind === 'Namespace') {
    const spec = obj.spec as { finalizers?: string[] } | undefined;
    return !!spec?.finalizers?.length;
  }
  return false;
}

/**
 * `grace` is the strategy's grace period for this delete (0 for all but running pods). An object
 * already marked keeps its deadline unless a shorter grace period cuts it short.
 */
export function planDeletion(
  old: KubeObject,
  policy: DeleteOptions['propagationPolicy'],
  grace: number,
  now: Date,
): Deletion {
  const next = structuredClone(old);
  const m = next.metadata;
  const finalizers = new Set(m.finalizers ?? []);
  if (policy === 'Foreground') finalizers.add(FOREGROUND_FINALIZER);
  if (policy === 'Orphan') finalizers.add(ORPHAN_FINALIZER);
  if (policy === 'Background' || policy === 'Foreground') finalizers.delete(ORPHAN_FINALIZER);
  if (policy === 'Background' || policy === 'Orphan') finalizers.delete(FOREGROUND_FINALIZER);
  if (finalizers.size) m.finalizers = [...finalizers];
  else delete m.finalizers;
  if (old.kind === 'Namespace') next.status = { ...(next.status as object), phase: 'Terminating' };

  if (!hasFinalizers(next) && grace <= 0) return { kind: 'remove' };
  // A grace period of any int64 size is accepted, as upstream; the deadline stops at the last
  // RFC 3339 second (past it the date cannot be written: that was a 500 for a huge grace period).
  const deadline = nowRFC3339(new Date(Math.min(now.getTime() + grace * 1000, LAST_RFC3339_MS)));
  if (!m.deletionTimestamp) {
    m.deletionTimestamp = deadline;
    m.deletionGracePeriodSeconds = grace;
  } else if (
    grace > 0 &&
    m.deletionGracePeriodSeconds !== undefined &&
    grace < m.deletionGracePeriodSeconds
  ) {
    m.deletionTimestamp = deadline;
    m.deletionGracePeriodSeconds = grace;
  }
  return { kind: 'mark', next };
}
