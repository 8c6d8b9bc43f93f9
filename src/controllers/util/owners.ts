/** ownerReferences helpers, as apimachinery's metav1.GetControllerOf / NewControllerRef. */
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../api/types.js';
import { objectKey } from '../runtime/work-queue.js';

export const controllerOf = (o: KubeObject): OwnerReference | undefined =>
  o.metadata.ownerReferences?.find((r) => r.controller === true);

export const newControllerRef = (owner: KubeObject): OwnerReference => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.metadata.name!,
  uid: owner.metadata.uid!,
  controller: true,
  blockOwnerDeletion: true,
});

/** The key of the object's controller if it is of `kind`, in the object's namespace. */
export function controllerKeyOfKind(o: KubeObject, kind: string): string | undefined {
  const ref = controllerOf(o);
  return ref && ref.kind === kind ? objectKey(o.metadata.namespace, ref.name) : undefined;
}

export const keyOf = (o: KubeObject): string => objectKey(o.metadata.namespace, o.metadata.name!);

export const isBeingDeleted = (o: KubeObject): boolean => !!o.metadata.deletionTimestamp;
