/**
 * Adoption and orphaning, as upstream's ControllerRefManager.ClaimObject: an object owned by
 * this controller that no longer matches is released (its ownerReference removed); an orphan
 * that matches, in the same namespace and not being deleted, is adopted (a controller
 * ownerReference added) unless the controller itself is being deleted. Returns the objects
 * this controller owns after the claim.
 */
import type { KubeObject } from '../../api/types.js';
import type { ObjectClient } from '../client.js';
import { controllerOf, newControllerRef } from './owners.js';

export function claimObjects<T extends KubeObject>(
  client: ObjectClient,
  resource: string,
  controller: KubeObject,
  candidates: readonly T[],
  match: (o: T) => boolean,
): T[] {
  const owned: T[] = [];
  const uid = controller.metadata.uid;
  const controllerDeleting = !!controller.metadata.deletionTimestamp;
  for (const o of candidates) {
    const ref = controllerOf(o);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (match(o)) {
        owned.push(o);
        continue;
      }
      if (controllerDeleting) continue;
      const kept = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (kept.length) o.metadata.ownerReferences = kept;
      else delete o.metadata.ownerReferences;
      updateIgnoringNotFound(client, resource, o);
      continue;
    }
    if (controllerDeleting || !match(o) || o.metadata.deletionTimestamp) continue;
    if (controller.metadata.namespace && controller.metadata.namespace !== o.metadata.namespace) continue;
    o.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), newControllerRef(controller)];
    const adopted = updateIgnoringNotFound(client, resource, o);
    if (adopted) owned.push(adopted);
  }
  return owned;
}

function updateIgnoringNotFound<T extends KubeObject>(
  client: ObjectClient,
  resource: string,
  o: T,
): T | undefined {
  try {
    return client.update(resource, o);
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}
