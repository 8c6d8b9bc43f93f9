/**
 * What PersistentVolumes, their claims and StorageClasses share (pkg/apis/core/helper,
 * pkg/apis/storage/util, pkg/controller/volume/persistentvolume/util): access-mode strings, the class
 * of a volume or claim (the beta annotation wins over the field, as upstream still reads it), the
 * default-class annotations and the annotations the PV controller writes.
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { DOCS } from '../../openapi/docs/index.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
export const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'] as const;
export const VOLUME_MODES = ['Block', 'Filesystem'] as const;

export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once. */
export function accessModesString(modes: readonly string[] | undefined): string {
  const has = new Set(modes ?? []);
  const out: string[] = [];
  if (has.has('ReadWriteOnce')) out.push('RWO');
  if (has.has('ReadOnlyMany')) out.push('ROX');
  if (has.has('ReadWriteMany')) out.push('RWX');
  if (has.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** GetPersistentVolumeClass: the beta annotation, else spec.storageClassName ('' for none). */
export function volumeClass(pv: PersistentVolume): string {
  const beta = pv.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  return beta ?? pv.spec?.storageClassName ?? '';
}

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName ('' for none or nil). */
export function claimClass(pvc: PersistentVolumeClaim): string {
  const beta = pvc.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  return beta ?? pvc.spec?.storageClassName ?? '';
}

/** The claim names no class at all (neither the field nor the beta annotation): the default class may apply. */
export function claimHasNoClass(pvc: PersistentVolumeClaim): boolean {
  return (
    pvc.spec?.storageClassName === undefined &&
    pvc.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] === undefined
  );
}

/** storageutil.IsDefaultAnnotation: either is-default-class annotation set to "true". */
export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true';
}

/**
 * A field's SwaggerDoc() text (what printers.go uses as column descriptions): the generated docs
 * without the "Possible enum values" list kube-openapi appends.
 */
export function swaggerDoc(message: string, field: string): string {
  const doc = DOCS[message]?.fields[field] ?? '';
  const cut = doc.indexOf('\n\nPossible enum values:');
  return cut === -1 ? doc : doc.slice(0, cut);
}
