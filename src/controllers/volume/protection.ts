/**
 * The storage-object-in-use protection controllers (pkg/controller/volume/pvcprotection and
 * pvprotection), which own the finalizers StorageObjectInUseProtection admission adds:
 *  - pvc-protection: a claim being deleted keeps kubernetes.io/pvc-protection while a scheduled pod
 *    that has not finished (phase neither Succeeded nor Failed) names it in a
 *    persistentVolumeClaim volume; once none does, the finalizer goes and the claim with it. A claim
 *    not being deleted gets the finalizer if it lacks it.
 *  - pv-protection: a volume being deleted keeps kubernetes.io/pv-protection while it is Bound.
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../../api/admission/storage.js';
import type { KubeObject } from '../../api/types.js';
import { QueueController, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { keyOf } from '../util/owners.js';

type PodObj = Pod & KubeObject;
type PVCObj = PersistentVolumeClaim & KubeObject;
type PVObj = PersistentVolume & KubeObject;

/** podUsesPVC: scheduled, not finished, and one of its volumes names the claim. */
export function podUsesClaim(pod: Pod, claimName: string): boolean {
  if (!pod.spec?.nodeName) return false;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  return (pod.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claimName);
}

function withFinalizer<T extends KubeObject>(o: T, finalizer: string, present: boolean): T {
  const rest = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  return { ...o, metadata: { ...o.metadata, finalizers: present ? [...rest, finalizer] : rest } };
}

export class PVCProtectionController extends QueueController {
  readonly name = 'pvc-protection';

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'persistentvolumeclaims', keysFor: (ev) => [keyOf(ev.object)] },
      {
        // A pod going away (or finishing) may free the claims it used.
        resource: 'pods',
        keysFor: (ev) => {
          const pod = ev.object as PodObj;
          return (pod.spec?.volumes ?? [])
            .filter((v) => v.persistentVolumeClaim?.claimName)
            .map((v) => `${pod.metadata.namespace}/${v.persistentVolumeClaim!.claimName}`);
        },
      },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.scan('persistentvolumeclaims').map(keyOf);
  }

  protected sync(key: string): void {
    const { client } = this.deps;
    const [namespace, name] = splitKey(key);
    const pvc = client.get<PVCObj>('persistentvolumeclaims', namespace, name);
    if (!pvc) return;
    const has = pvc.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER) ?? false;
    if (!pvc.metadata.deletionTimestamp) {
      if (!has) client.update('persistentvolumeclaims', withFinalizer(pvc, PVC_PROTECTION_FINALIZER, true));
      return;
    }
    if (!has) return;
    const inUse = client.scan<PodObj>('pods', { namespace }).some((p) => podUsesClaim(p, name));
    if (inUse) return;
    client.update('persistentvolumeclaims', withFinalizer(pvc, PVC_PROTECTION_FINALIZER, false));
  }
}

export class PVProtectionController extends QueueController {
  readonly name = 'pv-protection';

  protected watches(): readonly WatchSpec[] {
    return [{ resource: 'persistentvolumes', keysFor: (ev) => [keyOf(ev.object)] }];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.scan('persistentvolumes').map(keyOf);
  }

  protected sync(key: string): void {
    const { client } = this.deps;
    const pv = client.get<PVObj>('persistentvolumes', '', key);
    if (!pv) return;
    const has = pv.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER) ?? false;
    if (!pv.metadata.deletionTimestamp) {
      if (!has) client.update('persistentvolumes', withFinalizer(pv, PV_PROTECTION_FINALIZER, true));
      return;
    }
    if (!has || pv.status?.phase === 'Bound') return;
    client.update('persistentvolumes', withFinalizer(pv, PV_PROTECTION_FINALIZER, false));
  }
}
