/**
 * The PersistentVolume controller's binder (pkg/controller/volume/persistentvolume/pv_controller.go),
 * the one writer of claimRef, volumeName and both kinds' phases. Keys are `claim:<ns>/<name>` and
 * `volume:<name>`.
 *
 * Claim sync (syncUnboundClaim / syncBoundClaim):
 *  - not bound yet, no volumeName: the best matching volume (binder.ts) is bound; none, and the class
 *    is WaitForFirstConsumer without volume.kubernetes.io/selected-node: Pending with
 *    WaitForFirstConsumer; a class: the claim is annotated with the class's provisioner and left to it
 *    (ExternalProvisioning); no class: Pending with FailedBinding;
 *  - volumeName set by the user: bound to that volume if it is free and satisfies the claim;
 *  - no class at all (not even ""): the default class, once there is one (retroactive assignment);
 *  - bound (bind-completed): stays Bound while its volume points back, Lost when the volume is gone.
 * Volume sync (syncVolume): no claimRef or one without uid: Available; claim bound to it: Bound;
 * claim gone: Released, then the reclaim policy: Retain keeps it, Delete is left to the provisioner
 * that made the volume (pv.kubernetes.io/provisioned-by) and fails otherwise, as upstream does for
 * volumes no in-tree deleter handles, Recycle fails (no recycler).
 * Events (component persistentvolume-controller) carry upstream's reasons and messages.
 */
import type { ObjectReference } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { defaultStorageClass } from '../../../api/admission/storage.js';
import { compareQuantities } from '../../../api/quantity.js';
import { claimClass, claimHasNoClass, volumeClass } from '../../../api/registry/persistentvolumes/helpers.js';
import type { KubeObject, WatchEvent } from '../../../api/types.js';
import { QueueController, type WatchSpec } from '../../runtime/queue-controller.js';
import { splitKey } from '../../runtime/work-queue.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_PROVISIONED_BY,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
} from './annotations.js';
import { findMatchingVolume, isVolumeBoundToClaim, storageQuantity, volumeModeMismatch } from './binder.js';
import { type PVCObj, type PVObj, setClaimPhase, setVolumePhase } from './status.js';

const COMPONENT = { component: 'persistentvolume-controller' };

const claimKey = (namespace: string | undefined, name: string | undefined) => `claim:${namespace}/${name}`;
const volumeKey = (name: string | undefined) => `volume:${name}`;
const annotations = (o: KubeObject): Record<string, string> => o.metadata.annotations ?? {};

export class PersistentVolumeController extends QueueController {
  readonly name = 'persistentvolume-binder';

  protected watches(): readonly WatchSpec[] {
    return [
      {
        resource: 'persistentvolumeclaims',
        keysFor: (ev) => {
          const pvc = ev.object as PVCObj;
          const keys = [claimKey(pvc.metadata.namespace, pvc.metadata.name)];
          if (pvc.spec?.volumeName) keys.push(volumeKey(pvc.spec.volumeName));
          // A claim gone releases the volumes that pointed at it.
          if (ev.type === 'DELETED')
            for (const pv of this.deps.client.scan<PVObj>('persistentvolumes'))
              if (pv.spec?.claimRef?.uid === pvc.metadata.uid) keys.push(volumeKey(pv.metadata.name));
          return keys;
        },
      },
      { resource: 'persistentvolumes', keysFor: (ev) => this.#keysForVolume(ev) },
      { resource: 'storageclasses', keysFor: () => this.#unboundClaimKeys() },
    ];
  }

  #keysForVolume(ev: WatchEvent): string[] {
    const pv = ev.object as PVObj;
    const keys = [volumeKey(pv.metadata.name)];
    const ref = pv.spec?.claimRef;
    if (ref) keys.push(claimKey(ref.namespace, ref.name));
    // A volume that may have become free can satisfy any waiting claim.
    return [...keys, ...this.#unboundClaimKeys()];
  }

  #unboundClaimKeys(): string[] {
    return this.deps.client
      .scan<PVCObj>('persistentvolumeclaims')
      .filter((c) => !annotations(c)[ANN_BIND_COMPLETED])
      .map((c) => claimKey(c.metadata.namespace, c.metadata.name));
  }

  protected allKeys(): readonly string[] {
    const { client } = this.deps;
    return [
      ...client
        .scan<PVCObj>('persistentvolumeclaims')
        .map((c) => claimKey(c.metadata.namespace, c.metadata.name)),
      ...client.scan<PVObj>('persistentvolumes').map((v) => volumeKey(v.metadata.name)),
    ];
  }

  protected sync(key: string): void {
    if (key.startsWith('claim:')) {
      const [namespace, name] = splitKey(key.slice('claim:'.length));
      const pvc = this.deps.client.get<PVCObj>('persistentvolumeclaims', namespace, name);
      if (pvc) this.#syncClaim(pvc);
    } else if (key.startsWith('volume:')) {
      const pv = this.deps.client.get<PVObj>('persistentvolumes', '', key.slice('volume:'.length));
      if (pv) this.#syncVolume(pv);
    }
  }

  #event(o: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.events.event(o, type, reason, message, COMPONENT);
  }

  #class(name: string): (StorageClass & KubeObject) | undefined {
    return name ? this.deps.client.get<StorageClass & KubeObject>('storageclasses', '', name) : undefined;
  }

  // ---- claims ------------------------------------------------------------------------------

  #syncClaim(pvc: PVCObj): void {
    if (annotations(pvc)[ANN_BIND_COMPLETED]) this.#syncBoundClaim(pvc);
    else this.#syncUnboundClaim(pvc);
  }

  #syncUnboundClaim(pvc: PVCObj): void {
    const { client } = this.deps;
    const volumes = client.list<PVObj>('persistentvolumes');
    const wanted = pvc.spec?.volumeName;
    if (wanted) {
      const pv = volumes.find((v) => v.metadata.name === wanted);
      if (!pv) {
        setClaimPhase(client, pvc, 'Pending');
        return;
      }
      if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, pvc)) {
        const mismatch = pv.spec?.claimRef ? undefined : unsatisfied(pv, pvc);
        if (mismatch) {
          this.#event(
            pvc,
            'Warning',
            'VolumeMismatch',
            `Cannot bind to requested volume "${wanted}": ${mismatch}`,
          );
          setClaimPhase(client, pvc, 'Pending');
          return;
        }
        this.#bind(pv, pvc);
        return;
      }
      this.#event(pvc, 'Warning', 'FailedBinding', `volume "${wanted}" already bound to a different claim.`);
      setClaimPhase(client, pvc, 'Pending');
      return;
    }
    if (claimHasNoClass(pvc) && this.#assignDefaultClass(pvc)) return;
    const cls = claimClass(pvc);
    const sc = this.#class(cls);
    const delay = sc?.volumeBindingMode === 'WaitForFirstConsumer' && !annotations(pvc)[ANN_SELECTED_NODE];
    const pv = findMatchingVolume(pvc, volumes, delay);
    if (pv) {
      this.#bind(pv, pvc);
      return;
    }
    if (delay) {
      this.#event(
        pvc,
        'Normal',
        'WaitForFirstConsumer',
        'waiting for first consumer to be created before binding',
      );
    } else if (cls === '') {
      this.#event(
        pvc,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
    } else if (!sc) {
      this.#event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`);
    } else {
      this.#provisionExternally(pvc, sc.provisioner ?? '');
      return;
    }
    setClaimPhase(client, pvc, 'Pending');
  }

  /**
   * Retroactive default StorageClass assignment (GA in 1.28): a claim created with no class while
   * there was no default gets the default once one exists; its next sync goes on with that class.
   */
  #assignDefaultClass(pvc: PVCObj): boolean {
    const def = defaultStorageClass(this.deps.client.list<StorageClass & KubeObject>('storageclasses'));
    if (!def?.metadata?.name) return false;
    this.deps.client.update('persistentvolumeclaims', {
      ...pvc,
      spec: { ...pvc.spec, storageClassName: def.metadata.name },
    });
    return true;
  }

  /** provisionClaimOperationExternal: name the provisioner on the claim and wait for its volume. */
  #provisionExternally(pvc: PVCObj, provisioner: string): void {
    const { client } = this.deps;
    let claim = pvc;
    const ann = annotations(pvc);
    if (ann[ANN_STORAGE_PROVISIONER] !== provisioner || ann[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
      claim = client.update('persistentvolumeclaims', {
        ...pvc,
        metadata: {
          ...pvc.metadata,
          annotations: {
            ...ann,
            [ANN_STORAGE_PROVISIONER]: provisioner,
            [ANN_BETA_STORAGE_PROVISIONER]: provisioner,
          },
        },
      });
    }
    this.#event(
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
    setClaimPhase(client, claim, 'Pending');
  }

  #syncBoundClaim(pvc: PVCObj): void {
    const { client } = this.deps;
    const name = pvc.spec?.volumeName;
    if (!name) {
      this.#lost(pvc, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const pv = client.get<PVObj>('persistentvolumes', '', name);
    if (!pv) {
      this.#lost(pvc, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return;
    }
    if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, pvc)) {
      this.#bind(pv, pvc);
      return;
    }
    if (pvc.status?.phase !== 'Lost')
      this.#event(
        pvc,
        'Warning',
        'ClaimMisbound',
        'Two claims are bound to the same volume, this one is bound incorrectly',
      );
    setClaimPhase(client, pvc, 'Lost');
  }

  #lost(pvc: PVCObj, message: string): void {
    if (pvc.status?.phase !== 'Lost') this.#event(pvc, 'Warning', 'ClaimLost', message);
    setClaimPhase(this.deps.client, pvc, 'Lost');
  }

  /** bind: claimRef on the volume, Bound; volumeName and bind-completed on the claim, Bound. */
  #bind(volume: PVObj, claim: PVCObj): void {
    const { client, clock } = this.deps;
    let pv = volume;
    const ref = pv.spec?.claimRef;
    if (!ref || ref.uid !== claim.metadata.uid) {
      const claimRef: ObjectReference = {
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace!,
        name: claim.metadata.name!,
        uid: claim.metadata.uid!,
        apiVersion: 'v1',
        resourceVersion: claim.metadata.resourceVersion!,
      };
      const ann = { ...annotations(pv) };
      if (!ref) ann[ANN_BOUND_BY_CONTROLLER] = 'yes';
      pv = client.update('persistentvolumes', {
        ...pv,
        metadata: { ...pv.metadata, annotations: ann },
        spec: { ...pv.spec, claimRef },
      });
    }
    pv = setVolumePhase(client, pv, 'Bound', clock.now());
    let pvc = claim;
    const ann = annotations(pvc);
    if (pvc.spec?.volumeName !== pv.metadata.name || ann[ANN_BIND_COMPLETED] !== 'yes') {
      const next: Record<string, string> = { ...ann, [ANN_BIND_COMPLETED]: 'yes' };
      if (pvc.spec?.volumeName !== pv.metadata.name) next[ANN_BOUND_BY_CONTROLLER] = 'yes';
      pvc = client.update('persistentvolumeclaims', {
        ...pvc,
        metadata: { ...pvc.metadata, annotations: next },
        spec: { ...pvc.spec, volumeName: pv.metadata.name! },
      });
    }
    setClaimPhase(client, pvc, 'Bound', pv);
  }

  // ---- volumes -----------------------------------------------------------------------------

  #syncVolume(pv: PVObj): void {
    const { client, clock } = this.deps;
    const ref = pv.spec?.claimRef;
    if (!ref?.uid) {
      setVolumePhase(client, pv, 'Available', clock.now());
      return;
    }
    let claim = client.get<PVCObj>('persistentvolumeclaims', ref.namespace ?? '', ref.name ?? '');
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    if (!claim) {
      this.#released(pv);
      return;
    }
    if (!claim.spec?.volumeName) {
      // The claim's own sync binds it (it may be waiting for us to be Available).
      if (pv.status?.phase === 'Pending') setVolumePhase(client, pv, 'Available', clock.now());
      return;
    }
    if (claim.spec.volumeName === pv.metadata.name) {
      setVolumePhase(client, pv, 'Bound', clock.now());
      return;
    }
    // The claim went to another volume: a claimRef we wrote is taken back.
    if (annotations(pv)[ANN_BOUND_BY_CONTROLLER]) {
      const ann = { ...annotations(pv) };
      delete ann[ANN_BOUND_BY_CONTROLLER];
      const spec = { ...pv.spec };
      delete spec.claimRef;
      const updated = client.update('persistentvolumes', {
        ...pv,
        metadata: { ...pv.metadata, annotations: ann },
        spec,
      });
      setVolumePhase(client, updated, 'Available', clock.now());
      return;
    }
    setVolumePhase(client, pv, 'Available', clock.now());
  }

  /** The claim is gone: Released, then the reclaim policy (reclaimVolume). */
  #released(pv: PVObj): void {
    const { client, clock } = this.deps;
    if (pv.status?.phase === 'Failed') return;
    let current = pv;
    if (pv.status?.phase !== 'Released') current = setVolumePhase(client, pv, 'Released', clock.now());
    switch (pv.spec?.persistentVolumeReclaimPolicy) {
      case 'Delete':
        // A provisioner's volume is its provisioner's to delete (it watches Released volumes).
        if (annotations(pv)[ANN_PROVISIONED_BY]) return;
        this.#event(
          current,
          'Warning',
          'VolumeFailedDelete',
          `error getting deleter volume plugin for volume "${pv.metadata.name}": no deletable volume plugin matched`,
        );
        setVolumePhase(client, current, 'Failed', clock.now(), '', 'no deletable volume plugin matched');
        return;
      case 'Recycle':
        this.#event(current, 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
        setVolumePhase(
          client,
          current,
          'Failed',
          clock.now(),
          '',
          'No recycler plugin found for the volume!',
        );
        return;
      default:
        // Retain: the data stays for an administrator to recover.
        return;
    }
  }
}

/** checkVolumeSatisfyClaim: capacity, class and volumeMode of a volume the claim names. */
function unsatisfied(pv: PVObj, pvc: PVCObj): string | undefined {
  const requested = storageQuantity(pvc.spec?.resources?.requests?.storage);
  const capacity = storageQuantity(pv.spec?.capacity?.storage);
  if (compareQuantities(capacity, requested) < 0) return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(pvc)) return 'storageClassName does not match';
  if (volumeModeMismatch(pvc, pv)) return 'incompatible volumeMode';
  return undefined;
}
