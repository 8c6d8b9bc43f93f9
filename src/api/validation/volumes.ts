/**
 * Pod volumes, as upstream's ValidateVolumes: names are unique DNS labels, each volume has
 * exactly one source, and the sources podbay serves get their own field checks.
 */
import type { KeyToPath, Volume } from 'kubernetes-types/core/v1';
import { compareQuantities } from '../quantity.js';
import { validateDNS1123Label } from './container.js';
import {
  duplicate,
  type FieldError,
  forbidden,
  invalidValue,
  notSupported,
  required,
} from './field-extra.js';
import { child, index } from './path.js';
import { parseQuantityField } from './resources.js';

/** Every VolumeSource field, in the order upstream checks them (the second one found is refused). */
export const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
] as const;

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
const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
const MAX_FILE_MODE = 0o777;

function validateMode(mode: number | undefined, path: string): FieldError[] {
  return mode !== undefined && (mode < 0 || mode > MAX_FILE_MODE)
    ? [invalidValue(path, mode, FILE_MODE_MSG)]
    : [];
}

/** Projected file paths: relative, no `..` element, not starting with `..`. */
function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalidValue(path, target, 'must be a relative path'));
  if (target.split(/[\\/]/).includes('..')) errs.push(invalidValue(path, target, "must not contain '..'"));
  if (target.startsWith('..')) errs.push(invalidValue(path, target, "must not start with '..'"));
  return errs;
}

function validateItems(items: KeyToPath[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((item, i) => {
    const p = index(path, i);
    if (!item.key) errs.push(required(child(p, 'key'), ''));
    if (!item.path) errs.push(required(child(p, 'path'), ''));
    else errs.push(...validateLocalNonReservedPath(item.path, child(p, 'path')));
    errs.push(...validateMode(item.mode, child(p, 'mode')));
  });
  return errs;
}

/** Field checks of the sources podbay implements; the rest only count towards "one source". */
function validateSource(vol: Volume, source: (typeof VOLUME_SOURCES)[number], path: string): FieldError[] {
  const p = child(path, source);
  switch (source) {
    case 'hostPath': {
      const hp = vol.hostPath!;
      const errs: FieldError[] = [];
      if (!hp.path) errs.push(required(child(p, 'path'), ''));
      else if (hp.path.split('/').includes('..'))
        errs.push(invalidValue(child(p, 'path'), hp.path, "must not contain '..'"));
      if (hp.type !== undefined && !HOST_PATH_TYPES.includes(hp.type))
        errs.push(notSupported(child(p, 'type'), hp.type, HOST_PATH_TYPES));
      return errs;
    }
    case 'emptyDir': {
      const ed = vol.emptyDir!;
      const errs: FieldError[] = [];
      if (ed.sizeLimit !== undefined) {
        const q = parseQuantityField(ed.sizeLimit, child(p, 'sizeLimit'));
        if ('type' in q) errs.push(q);
        else if (compareQuantities(q, { nanos: 0n, format: 'DecimalSI' }) < 0) {
          errs.push(forbidden(child(p, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
        }
      }
      return errs;
    }
    case 'configMap': {
      const cm = vol.configMap!;
      const errs: FieldError[] = [];
      if (!cm.name) errs.push(required(child(p, 'name'), ''));
      errs.push(...validateMode(cm.defaultMode, child(p, 'defaultMode')));
      errs.push(...validateItems(cm.items, child(p, 'items')));
      return errs;
    }
    case 'secret': {
      const s = vol.secret!;
      const errs: FieldError[] = [];
      if (!s.secretName) errs.push(required(child(p, 'secretName'), ''));
      errs.push(...validateMode(s.defaultMode, child(p, 'defaultMode')));
      errs.push(...validateItems(s.items, child(p, 'items')));
      return errs;
    }
    case 'persistentVolumeClaim':
      return vol.persistentVolumeClaim!.claimName ? [] : [required(child(p, 'claimName'), '')];
    case 'downwardAPI':
    case 'projected':
      return validateMode((vol[source] as { defaultMode?: number }).defaultMode, child(p, 'defaultMode'));
    default:
      return [];
  }
}

/**
 * Validates `spec.volumes`; returns the errors and the names of the volumes that passed, which
 * volume mounts must refer to (upstream leaves invalid volumes out of that set too).
 */
export function validateVolumes(
  volumes: Volume[] | undefined,
  path: string,
): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  (volumes ?? []).forEach((vol, i) => {
    const p = index(path, i);
    const own: FieldError[] = [];
    let sources = 0;
    for (const source of VOLUME_SOURCES) {
      if (vol[source as keyof Volume] === undefined || vol[source as keyof Volume] === null) continue;
      if (sources > 0) {
        own.push(forbidden(child(p, source), 'may not specify more than 1 volume type'));
        continue;
      }
      sources++;
      own.push(...validateSource(vol, source, p));
    }
    if (sources === 0) own.push(required(p, 'must specify a volume type'));
    if (!vol.name) own.push(required(child(p, 'name'), ''));
    else own.push(...validateDNS1123Label(vol.name, child(p, 'name')));
    if (names.has(vol.name)) own.push(duplicate(child(p, 'name'), vol.name));
    if (own.length === 0) names.add(vol.name);
    else errs.push(...own);
  });
  return { names, errs };
}
