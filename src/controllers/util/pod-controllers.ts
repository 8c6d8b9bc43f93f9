/**
 * What the pod-owning controllers (ReplicaSet, Job) share about pods: which controller a pod event
 * concerns, and their selectors read defensively. As upstream's addPod/updatePod/deletePod handlers:
 * a pod with a controller of the kind is that controller's business (its expectations observe the
 * creation or deletion); an orphan concerns every object of the kind in its namespace whose selector
 * matches it, since any of them may adopt it; a pod owned by something else concerns none.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { selectorFromLabelSelector } from '../../api/selectors/label-selector.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import type { Expectations } from '../replicaset/expectations.js';
import { controllerKeyOfKind, controllerOf, keyOf } from './owners.js';

/** An object whose spec has a pod selector (ReplicaSet, Job). */
export type SelectingObject = KubeObject & { spec?: { selector?: LabelSelector } };

/** The object's selector; an invalid one (validation should prevent it) selects nothing, as upstream gives up. */
export function podSelectorOf(o: SelectingObject) {
  try {
    return selectorFromLabelSelector(o.spec?.selector);
  } catch {
    return selectorFromLabelSelector(undefined);
  }
}

/** Keys of the `kind` objects a pod watch event concerns; `candidates` lists those of a namespace. */
export function controllerKeysForPodEvent(
  ev: WatchEvent,
  kind: string,
  expectations: Expectations,
  candidates: (namespace: string | undefined) => readonly SelectingObject[],
): readonly string[] {
  const pod = ev.object;
  const owner = controllerKeyOfKind(pod, kind);
  if (owner) {
    if (ev.type === 'ADDED' && !pod.metadata.deletionTimestamp) expectations.creationObserved(owner);
    if (ev.type === 'DELETED' || pod.metadata.deletionTimestamp)
      expectations.deletionObserved(owner, pod.metadata.uid!);
    return [owner];
  }
  if (controllerOf(pod) || ev.type === 'DELETED') return [];
  return candidates(pod.metadata.namespace)
    .filter((o) => podSelectorOf(o).matches(pod.metadata.labels))
    .map(keyOf);
}
