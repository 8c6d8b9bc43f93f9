/**
 * Keeps metadata.managedFields current on every non-apply write (create, update, patch), as
 * upstream's field manager does, so `kubectl get -o yaml --show-managed-fields` and a later
 * `kubectl apply --server-side` see who owns what. Apply writes record their own entries.
 */
import { recordUpdateManagedFields } from '../patch/server-side-apply.js';
import type { KubeObject } from '../types.js';

export function recordManagedFields(
  old: KubeObject | undefined,
  obj: KubeObject,
  manager: string,
  now: Date,
  subresource?: 'status',
): void {
  // In-process controllers write without a manager name; upstream records them by user agent.
  recordUpdateManagedFields(old, obj, manager || 'podbay', now, subresource ? { subresource } : {});
}
