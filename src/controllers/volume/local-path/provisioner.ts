/**
 * podbay's built-in dynamic provisioner, `podbay.io/local-path`: the engine's counterpart of kind's
 * rancher.io/local-path, run by the node agent as kind runs local-path-provisioner on its node, in
 * external-provisioner form (sig-storage-lib-external-provisioner):
 *  - a claim the PV controller annotated with this provisioner (volume.kubernetes.io/storage-provisioner),
 *    not bound yet, whose class is this provisioner's, and, for WaitForFirstConsumer, whose
 *    volume.kubernetes.io/selected-node is this node, gets a directory `<volumesDir>/pvc-<claim uid>`
 *    and a PV of that name: a `local` volume with node affinity to this node, the claim's size, access
 *    modes and volumeMode, the class's reclaim policy and mount options, claimRef pre-bound to the claim
 *    and pv.kubernetes.io/provisioned-by; the PV controller then binds the two;
 *  - a volume of ours that is Released with reclaim policy Delete loses its directory, then its PV.
 * Events: Provisioning, ProvisioningSucceeded, ProvisioningFailed on the claim; VolumeFailedDelete on the
 * volume.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { claimClass } from '../../../api/registry/persistentvolumes/helpers.js';
import type { KubeObject } from '../../../api/types.js';
import type { ControllerDeps } from '../../client.js';
import {
  QueueController,
  type QueueControllerOptions,
  type WatchSpec,
} from '../../runtime/queue-controller.js';
import { splitKey } from '../../runtime/work-queue.js';
import {
  ANN_PROVISIONED_BY,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
} from '../persistentvolume/annotations.js';
import type { PVCObj, PVObj } from '../persistentvolume/status.js';

export const LOCAL_PATH_PROVISIONER = 'podbay.io/local-path';

export interface LocalPathOptions extends QueueControllerOptions {
  /** Where volume directories live: `<data dir>/volumes`. */
  volumesDir: string;
  /** This node's name (selected-node) and its kubernetes.io/hostname label value. */
  nodeName: string;
}

/** The directory of a provisioned volume, only if it lies inside `volumesDir` (never anything else). */
export function volumeDirOf(volumesDir: string, pv: PVObj): string | undefined {
  const p = pv.spec?.local?.path ?? pv.spec?.hostPath?.path;
  if (!p) return undefined;
  const root = path.resolve(volumesDir);
  const dir = path.resolve(p);
  return path.dirname(dir) === root && path.basename(dir) === pv.metadata.name ? dir : undefined;
}

export class LocalPathProvisioner extends QueueController {
  readonly name = 'local-path-provisioner';
  readonly #o: LocalPathOptions;

  constructor(deps: ControllerDeps, o: LocalPathOptions) {
    super(deps, o);
    this.#o = o;
  }

  get #source() {
    return { component: `${LOCAL_PATH_PROVISIONER}_${this.#o.nodeName}` };
  }

  protected watches(): readonly WatchSpec[] {
    return [
      {
        resource: 'persistentvolumeclaims',
        keysFor: (ev) =>
          ev.type === 'DELETED' ? [] : [`claim:${ev.object.metadata.namespace}/${ev.object.metadata.name}`],
      },
      {
        resource: 'persistentvolumes',
        keysFor: (ev) => (ev.type === 'DELETED' ? [] : [`volume:${ev.object.metadata.name}`]),
      },
    ];
  }

  protected allKeys(): readonly string[] {
    const { client } = this.deps;
    return [
      ...client
        .scan<PVCObj>('persistentvolumeclaims')
        .map((c) => `claim:${c.metadata.namespace}/${c.metadata.name}`),
      ...client.scan<PVObj>('persistentvolumes').map((v) => `volume:${v.metadata.name}`),
    ];
  }

  protected async sync(key: string): Promise<void> {
    if (key.startsWith('claim:')) {
      const [namespace, name] = splitKey(key.slice('claim:'.length));
      const pvc = this.deps.client.get<PVCObj>('persistentvolumeclaims', namespace, name);
      if (pvc) await this.#provision(pvc);
    } else {
      const pv = this.deps.client.get<PVObj>('persistentvolumes', '', key.slice('volume:'.length));
      if (pv) await this.#delete(pv);
    }
  }

  async #provision(pvc: PVCObj): Promise<void> {
    const { client, events } = this.deps;
    const ann = pvc.metadata.annotations ?? {};
    if (pvc.metadata.deletionTimestamp || pvc.spec?.volumeName) return;
    if (ann[ANN_STORAGE_PROVISIONER] !== LOCAL_PATH_PROVISIONER) return;
    const className = claimClass(pvc);
    const sc = className ? client.get<StorageClass & KubeObject>('storageclasses', '', className) : undefined;
    if (!sc || sc.provisioner !== LOCAL_PATH_PROVISIONER) return;
    const selected = ann[ANN_SELECTED_NODE];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selected) return;
    if (selected && selected !== this.#o.nodeName) return;
    const pvName = `pvc-${pvc.metadata.uid}`;
    if (client.get('persistentvolumes', '', pvName)) return;
    const claimName = `${pvc.metadata.namespace}/${pvc.metadata.name}`;
    events.event(
      pvc,
      'Normal',
      'Provisioning',
      `External provisioner is provisioning volume for claim "${claimName}"`,
      this.#source,
    );
    const dir = path.join(this.#o.volumesDir, pvName);
    try {
      await fs.mkdir(dir, { recursive: true, mode: 0o777 });
      await fs.chmod(dir, 0o777); // as local-path-provisioner: any container user may write
      client.create('persistentvolumes', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pvName, annotations: { [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER } },
        spec: {
          accessModes: pvc.spec?.accessModes ?? [],
          capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '0' },
          claimRef: {
            kind: 'PersistentVolumeClaim',
            namespace: pvc.metadata.namespace!,
            name: pvc.metadata.name!,
            uid: pvc.metadata.uid!,
            apiVersion: 'v1',
            resourceVersion: pvc.metadata.resourceVersion!,
          },
          persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
          storageClassName: className,
          volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
          ...(sc.mountOptions?.length ? { mountOptions: sc.mountOptions } : {}),
          local: { path: dir },
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'kubernetes.io/hostname', operator: 'In', values: [this.#o.nodeName] },
                  ],
                },
              ],
            },
          },
        },
      } as KubeObject);
    } catch (err) {
      await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
      events.event(
        pvc,
        'Warning',
        'ProvisioningFailed',
        `failed to provision volume with StorageClass "${className}": ${(err as Error).message}`,
        this.#source,
      );
      throw err;
    }
    events.event(
      pvc,
      'Normal',
      'ProvisioningSucceeded',
      `Successfully provisioned volume ${pvName}`,
      this.#source,
    );
  }

  async #delete(pv: PVObj): Promise<void> {
    if (pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== LOCAL_PATH_PROVISIONER) return;
    if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    const dir = volumeDirOf(this.#o.volumesDir, pv);
    try {
      if (dir) await fs.rm(dir, { recursive: true, force: true });
      if (!pv.metadata.deletionTimestamp) this.deps.client.delete('persistentvolumes', '', pv.metadata.name!);
    } catch (err) {
      this.deps.events.event(pv, 'Warning', 'VolumeFailedDelete', (err as Error).message, this.#source);
      throw err;
    }
  }
}
