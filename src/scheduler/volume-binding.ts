/**
 * The VolumeBinding plugin's part of scheduling a pod (pkg/scheduler/framework/plugins/volumebinding),
 * for podbay's one node. PreFilter: every persistentVolumeClaim volume's claim must exist and not be
 * being deleted, and every claim of an Immediate class (or no class, or a class that does not exist)
 * must already be bound; either failure is UnschedulableAndUnresolvable with upstream's message.
 * Claims of a WaitForFirstConsumer class that are not bound are the ones the node choice decides:
 * PreBind annotates them with volume.kubernetes.io/selected-node and the pod is bound only once all
 * of them are (provisioned, or matched to a volume, by the PV controller and the provisioner), as
 * upstream's PreBind waits for the binding to complete.
 */
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { claimClass } from '../api/registry/persistentvolumes/helpers.js';
import type { KubeObject } from '../api/types.js';
import type { ObjectClient } from '../controllers/client.js';
import { ANN_BIND_COMPLETED, ANN_SELECTED_NODE } from '../controllers/volume/persistentvolume/annotations.js';

type PVCObj = PersistentVolumeClaim & KubeObject;

export type VolumeCheck =
  /** Nothing to wait for: the pod may be bound. */
  | { kind: 'ready' }
  /** PreFilter failure, with the plugin's message. */
  | { kind: 'unschedulable'; message: string }
  /** Delayed-binding claims to bind on this node before the pod is. */
  | { kind: 'bindClaims'; claims: PVCObj[] };

const isBound = (pvc: PersistentVolumeClaim): boolean =>
  !!pvc.spec?.volumeName && pvc.metadata?.annotations?.[ANN_BIND_COMPLETED] !== undefined;

export function checkPodVolumes(client: ObjectClient, pod: Pod): VolumeCheck {
  const namespace = pod.metadata?.namespace ?? '';
  const delayed: PVCObj[] = [];
  let unboundImmediate = false;
  for (const v of pod.spec?.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const pvc = client.get<PVCObj>('persistentvolumeclaims', namespace, name);
    if (!pvc) return { kind: 'unschedulable', message: `persistentvolumeclaim "${name}" not found` };
    if (pvc.metadata.deletionTimestamp)
      return { kind: 'unschedulable', message: `persistentvolumeclaim "${name}" is being deleted` };
    if (isBound(pvc)) continue;
    const cls = claimClass(pvc);
    const sc = cls ? client.get<StorageClass & KubeObject>('storageclasses', '', cls) : undefined;
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer') delayed.push(pvc);
    else unboundImmediate = true;
  }
  if (unboundImmediate)
    return { kind: 'unschedulable', message: 'pod has unbound immediate PersistentVolumeClaims' };
  return delayed.length ? { kind: 'bindClaims', claims: delayed } : { kind: 'ready' };
}

/** PreBind: name the node on each delayed claim (once); the PV controller takes it from there. */
export function selectNodeForClaims(client: ObjectClient, claims: readonly PVCObj[], nodeName: string): void {
  for (const pvc of claims) {
    if (pvc.metadata.annotations?.[ANN_SELECTED_NODE] === nodeName) continue;
    client.update('persistentvolumeclaims', {
      ...pvc,
      metadata: {
        ...pvc.metadata,
        annotations: { ...(pvc.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: nodeName },
      },
    });
  }
}

/** FitError's text for a PreFilter rejection on every node (preemption cannot help either). */
export function preFilterMessage(message: string, nodes = 1): string {
  return `0/${nodes} nodes are available: ${message}. preemption: 0/${nodes} nodes are available: ${nodes} Preemption is not helpful for scheduling.`;
}
