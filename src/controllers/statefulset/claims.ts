/**
 * A StatefulSet's per-pod PersistentVolumeClaims (stateful_set_utils.go getPersistentVolumeClaims,
 * updateStorage; stateful_pod_control.go createPersistentVolumeClaims, and the
 * StatefulSetAutoDeletePVC owner references, on in 1.32):
 *  - each volumeClaimTemplate `t` gives ordinal n the claim `<t>-<set>-<n>` in the set's namespace,
 *    labelled with the template's labels and the set's selector matchLabels; the pod gets a volume `t`
 *    naming it (replacing a template volume of that name);
 *  - missing claims are created before the pod (an existing claim being deleted holds the pod back);
 *  - persistentVolumeClaimRetentionPolicy: whenDeleted Delete makes the set an owner of every claim
 *    (the garbage collector removes them with the set), whenScaled Delete makes a condemned pod the
 *    owner of its claims just before it is deleted; Retain takes those references away again.
 */

import type { PersistentVolumeClaim, Volume } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../api/types.js';
import type { ObjectClient } from '../client.js';
import type { PodObj, STS } from './identity.js';

type PVCObj = PersistentVolumeClaim & KubeObject;

export const claimName = (template: string, sts: STS, ordinal: number): string =>
  `${template}-${sts.metadata.name}-${ordinal}`;

/** The claims ordinal `n` of the set uses, as they would be created. */
export function claimsFor(sts: STS, ordinal: number): PVCObj[] {
  return (sts.spec?.volumeClaimTemplates ?? []).map((t) => {
    const claim = structuredClone(t) as PVCObj;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      ...claim.metadata,
      name: claimName(t.metadata?.name ?? '', sts, ordinal),
      namespace: sts.metadata.namespace!,
      labels: { ...(t.metadata?.labels ?? {}), ...(sts.spec?.selector?.matchLabels ?? {}) },
    };
    delete (claim as { status?: unknown }).status;
    return claim;
  });
}

/** updateStorage: the pod's volumes, with one persistentVolumeClaim volume per template first. */
export function withClaimVolumes(
  sts: STS,
  ordinal: number,
  volumes: readonly Volume[] | undefined,
): Volume[] {
  const templates = (sts.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '');
  const names = new Set(templates);
  return [
    ...templates.map((t) => ({ name: t, persistentVolumeClaim: { claimName: claimName(t, sts, ordinal) } })),
    ...(volumes ?? []).filter((v) => !names.has(v.name)),
  ];
}

export interface ClaimEvents {
  created(claim: string): void;
  failed(claim: string, err: unknown): void;
}

/**
 * createPersistentVolumeClaims: creates the missing ones. Throws when one cannot be created or is
 * being deleted (the pod must wait for it).
 */
export function ensureClaims(client: ObjectClient, sts: STS, ordinal: number, ev: ClaimEvents): void {
  for (const claim of claimsFor(sts, ordinal)) {
    const name = claim.metadata.name!;
    const existing = client.get<PVCObj>('persistentvolumeclaims', sts.metadata.namespace!, name);
    if (existing) {
      if (existing.metadata.deletionTimestamp) throw new Error(`pvc ${name} is being deleted`);
      continue;
    }
    if (sts.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete')
      claim.metadata.ownerReferences = [ownerRef(sts)];
    try {
      client.create('persistentvolumeclaims', claim);
      ev.created(name);
    } catch (e) {
      ev.failed(name, e);
      throw e;
    }
  }
}

/** The non-controller reference the retention policy uses (setOwnerRef). */
function ownerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
  };
}

/**
 * updateClaimOwnerRefForSetAndPod: the set owns the claim iff whenDeleted is Delete; the pod owns it
 * iff it is condemned and whenScaled is Delete. Writes only claims whose references change.
 */
export function reconcileClaimOwners(
  client: ObjectClient,
  sts: STS,
  pod: PodObj,
  ordinal: number,
  condemned: boolean,
): void {
  const policy = sts.spec?.persistentVolumeClaimRetentionPolicy;
  const wantSet = policy?.whenDeleted === 'Delete';
  const wantPod = condemned && policy?.whenScaled === 'Delete';
  for (const t of sts.spec?.volumeClaimTemplates ?? []) {
    const claim = client.get<PVCObj>(
      'persistentvolumeclaims',
      sts.metadata.namespace!,
      claimName(t.metadata?.name ?? '', sts, ordinal),
    );
    if (!claim || claim.metadata.deletionTimestamp) continue;
    const refs = (claim.metadata.ownerReferences ?? []).filter(
      (r) => r.uid !== sts.metadata.uid && r.uid !== pod.metadata.uid,
    );
    if (wantSet) refs.push(ownerRef(sts));
    if (wantPod) refs.push(ownerRef(pod));
    const before = (claim.metadata.ownerReferences ?? [])
      .map((r) => r.uid)
      .sort()
      .join(',');
    const after = refs
      .map((r) => r.uid)
      .sort()
      .join(',');
    if (before === after) continue;
    const metadata = { ...claim.metadata };
    if (refs.length) metadata.ownerReferences = refs;
    else delete metadata.ownerReferences;
    client.update('persistentvolumeclaims', { ...claim, metadata });
  }
}
