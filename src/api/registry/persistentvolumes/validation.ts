/**
 * PersistentVolume validation, as ValidatePersistentVolume / ValidatePersistentVolumeUpdate
 * (pkg/apis/core/validation/validation.go, 1.32, VolumeAttributesClass off): access modes,
 * capacity (storage only, positive), reclaim policy, class name, volume mode, exactly one volume
 * source (hostPath and local are the ones a podbay node can mount; the others are accepted as
 * upstream accepts them, and a pod using them fails to mount), local needs nodeAffinity. On update
 * the volume source and volumeMode are immutable, and a set nodeAffinity may not change.
 */
import type { PersistentVolume, PersistentVolumeSpec } from 'kubernetes-types/core/v1';
import { validateNodeSelector } from '../../validation/affinity.js';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../../validation/field.js';
import { deepEqual, FIELD_IMMUTABLE, validateImmutableField } from '../../validation/objectmeta.js';
import { child, key } from '../../validation/path.js';
import { parseQuantityField } from '../../validation/resources.js';
import { isDNS1123Subdomain } from '../../validation/strings.js';
import { ACCESS_MODES, RECLAIM_POLICIES, VOLUME_MODES } from './helpers.js';

const HOST_PATH_TYPES = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

/**
 * The PersistentVolumeSource members (PersistentVolumeSpec's inline union), in upstream's check
 * order: the second one found is "may not specify more than 1 volume type".
 */
export const PV_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'glusterfs',
  'flocker',
  'nfs',
  'rbd',
  'quobyte',
  'cephfs',
  'iscsi',
  'cinder',
  'fc',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'scaleIO',
  'local',
  'storageos',
  'csi',
] as const;

/** The access modes of a PV or claim: required, supported, ReadWriteOncePod alone. */
export function validateAccessModes(
  modes: readonly string[] | undefined,
  path: string,
  requiredDetail: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!modes?.length) errs.push(required(path, requiredDetail));
  let rwop = false;
  let other = false;
  for (const m of modes ?? []) {
    if (!(ACCESS_MODES as readonly string[]).includes(m)) errs.push(notSupported(path, m, ACCESS_MODES));
    else if (m === 'ReadWriteOncePod') rwop = true;
    else other = true;
  }
  if (rwop && other) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** ValidatePositiveQuantityValue after validateBasicResource: parses, and is > 0. */
export function validatePositiveQuantity(value: unknown, path: string): FieldError[] {
  const q = parseQuantityField(value, path);
  if ('type' in q) return [q];
  return q.nanos > 0n ? [] : [invalidValue(path, value ?? null, 'must be greater than zero')];
}

/** ValidateClassName (DNS subdomain), as an Invalid error on `path`. */
export function validateClassName(name: string, path: string): FieldError[] {
  return isDNS1123Subdomain(name).map((m) => invalidValue(path, name, m));
}

function validateSource(spec: PersistentVolumeSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const set = PV_SOURCES.filter((s) => (spec as Record<string, unknown>)[s] != null);
  if (set.length === 0) return [required(path, 'must specify a volume type')];
  for (const extra of set.slice(1))
    errs.push(forbidden(child(path, extra), 'may not specify more than 1 volume type'));
  const first = set[0];
  if (first === 'hostPath') {
    const hp = spec.hostPath!;
    const p = child(path, 'hostPath');
    if (!hp.path) errs.push(required(child(p, 'path'), ''));
    else if (hp.path.split('/').includes('..'))
      errs.push(invalidValue(child(p, 'path'), hp.path, "must not contain '..'"));
    if (hp.type !== undefined && !HOST_PATH_TYPES.includes(hp.type))
      errs.push(notSupported(child(p, 'type'), hp.type, HOST_PATH_TYPES));
    if (
      hp.path &&
      hp.path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1') === '/' &&
      spec.persistentVolumeReclaimPolicy === 'Recycle'
    )
      errs.push(
        forbidden(
          child(path, 'persistentVolumeReclaimPolicy'),
          "may not be 'recycle' for a hostPath mount of '/'",
        ),
      );
  } else if (first === 'local') {
    const p = child(path, 'local');
    const lp = spec.local!.path;
    if (!lp) errs.push(required(child(p, 'path'), ''));
    else if (lp.split('/').includes('..'))
      errs.push(invalidValue(child(p, 'path'), lp, "must not contain '..'"));
    if (!spec.nodeAffinity?.required)
      errs.push(required(child(path, 'nodeAffinity'), 'Local volume requires node affinity'));
  }
  return errs;
}

export function validatePersistentVolumeSpec(
  spec: PersistentVolumeSpec | undefined,
  path = 'spec',
): FieldError[] {
  const s = spec ?? {};
  const errs = validateAccessModes(s.accessModes, child(path, 'accessModes'), '');
  const capacity = s.capacity ?? {};
  const capPath = child(path, 'capacity');
  const names = Object.keys(capacity);
  if (names.length === 0) errs.push(required(capPath, ''));
  if (!('storage' in capacity) || names.length > 1) errs.push(notSupported(capPath, capacity, ['storage']));
  for (const n of names) errs.push(...validatePositiveQuantity(capacity[n], key(capPath, n)));
  const policy = s.persistentVolumeReclaimPolicy;
  if (policy && !(RECLAIM_POLICIES as readonly string[]).includes(policy))
    errs.push(notSupported(child(path, 'persistentVolumeReclaimPolicy'), policy, RECLAIM_POLICIES));
  if (s.nodeAffinity) {
    const p = child(path, 'nodeAffinity');
    if (!s.nodeAffinity.required)
      errs.push(required(child(p, 'required'), 'must specify required node constraints'));
    else errs.push(...validateNodeSelector(s.nodeAffinity.required, child(p, 'required')));
  }
  errs.push(...validateSource(s, path));
  if (s.storageClassName)
    errs.push(...validateClassName(s.storageClassName, child(path, 'storageClassName')));
  if (s.volumeMode !== undefined && !(VOLUME_MODES as readonly string[]).includes(s.volumeMode))
    errs.push(notSupported(child(path, 'volumeMode'), s.volumeMode, VOLUME_MODES));
  return errs;
}

export function validatePersistentVolume(pv: PersistentVolume): FieldError[] {
  return [...validateKubeFinalizerNames(pv.metadata), ...validatePersistentVolumeSpec(pv.spec)];
}

function sourceOf(spec: PersistentVolumeSpec | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of PV_SOURCES) {
    const v = (spec as Record<string, unknown> | undefined)?.[s];
    if (v != null) out[s] = v;
  }
  return out;
}

/**
 * A readable stand-in for the cmp.Diff upstream appends to immutability errors: one `-` line per
 * old top-level value and one `+` line per new one that differ.
 */
export function specDiff(oldVal: Record<string, unknown>, newVal: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const k of [...new Set([...Object.keys(oldVal), ...Object.keys(newVal)])].sort()) {
    if (deepEqual(oldVal[k], newVal[k])) continue;
    if (oldVal[k] !== undefined) lines.push(`- ${k}: ${JSON.stringify(oldVal[k])}`);
    if (newVal[k] !== undefined) lines.push(`+ ${k}: ${JSON.stringify(newVal[k])}`);
  }
  return lines.join('\n');
}

export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs: FieldError[] = [];
  const next = sourceOf(pv.spec);
  const prev = sourceOf(old.spec);
  if (!deepEqual(next, prev))
    errs.push(
      forbidden(
        'spec.persistentvolumesource',
        `spec.persistentvolumesource is immutable after creation\n${specDiff(prev, next)}`,
      ),
    );
  errs.push(...validateImmutableField(pv.spec?.volumeMode, old.spec?.volumeMode, 'volumeMode'));
  if (old.spec?.nodeAffinity && !deepEqual(pv.spec?.nodeAffinity, old.spec.nodeAffinity))
    errs.push(invalidValue('nodeAffinity', pv.spec?.nodeAffinity ?? null, FIELD_IMMUTABLE));
  return errs;
}
