/**
 * pods/ephemeralcontainers (upstream's EphemeralContainersREST with podEphemeralContainersStrategy,
 * pkg/registry/core/pod): the only write that may add to spec.ephemeralContainers. The object is
 * the Pod itself; kubectl debug sends a strategic-merge patch of it, client-go's
 * UpdateEphemeralContainers a PUT.
 *
 * The strategy is the pods strategy with two hooks replaced:
 *  - prepareForUpdate keeps everything of the stored pod but the new spec.ephemeralContainers
 *    (dropNonEphemeralContainerUpdates; labels, annotations, finalizers and owners included, as
 *    ResetObjectMetaForStatus);
 *  - validateUpdate allows only additions (ValidatePodEphemeralContainersUpdate); the new entries
 *    are checked by the pods strategy's own `validate`.
 * Writes go through a Registry holding this strategy for `pods`, over the same store, so
 * preconditions, conflicts, dry-run, no-op detection and managedFields (recorded with
 * subresource `ephemeralcontainers`) are the generic registry's.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { recordUpdateManagedFields } from '../../patch/server-side-apply.js';
import type { KubeObject } from '../../types.js';
import { validateEphemeralContainersUpdate } from '../../validation/ephemeral-containers.js';
import { Registry } from '../registry.js';
import type { Strategy } from '../strategy.js';

export const EPHEMERAL_CONTAINERS_SUBRESOURCE = 'ephemeralcontainers';

/** Metadata a write through a subresource cannot change (metav1.ResetObjectMetaForStatus). */
const KEPT_METADATA = [
  'deletionTimestamp',
  'generation',
  'selfLink',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
  'managedFields',
] as const;

/** dropNonEphemeralContainerUpdates: the stored pod with only the new ephemeral containers. */
export function dropNonEphemeralContainerUpdates(pod: KubeObject, old: KubeObject): void {
  const ephemeral = (pod.spec as Pod['spec'])?.ephemeralContainers;
  pod.spec = structuredClone(old.spec);
  const spec = pod.spec as NonNullable<Pod['spec']>;
  if (ephemeral === undefined) delete spec.ephemeralContainers;
  else spec.ephemeralContainers = ephemeral;
  if (old.status === undefined) delete pod.status;
  else pod.status = structuredClone(old.status);
  const meta = pod.metadata as Record<string, unknown>;
  const oldMeta = old.metadata as Record<string, unknown>;
  for (const k of KEPT_METADATA) {
    if (oldMeta[k] === undefined) delete meta[k];
    else meta[k] = structuredClone(oldMeta[k]);
  }
}

/** podEphemeralContainersStrategy: `pods` embedded, with its own update hooks. */
export function ephemeralContainersStrategy(pods: Strategy): Strategy {
  return {
    ...pods,
    prepareForUpdate: dropNonEphemeralContainerUpdates,
    validateUpdate: (pod, old) => validateEphemeralContainersUpdate(pod as Pod, old as Pod),
  };
}

const registries = new WeakMap<Registry, Registry>();

/**
 * The registry serving pods/ephemeralcontainers next to `main` (same store, one per main
 * registry). Only its update path may be used: create and delete belong to `pods`.
 */
export function ephemeralContainersRegistry(main: Registry, clock: { now(): Date }): Registry {
  let r = registries.get(main);
  if (!r) {
    r = new Registry({
      store: main.store,
      strategies: [ephemeralContainersStrategy(main.strategy('pods'))],
      clock,
      onWrite: (old, obj, manager) =>
        recordUpdateManagedFields(old, obj, manager || 'podbay', clock.now(), {
          subresource: EPHEMERAL_CONTAINERS_SUBRESOURCE,
        }),
    });
    registries.set(main, r);
  }
  return r;
}
