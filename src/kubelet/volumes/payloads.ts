/**
 * File payloads for the projected volume kinds (configmap/secret MakePayload, downwardapi
 * CollectData, projected collectData): which relative paths get which bytes and mode. Pure apart
 * from the lookups; the atomic writer puts them on disk.
 */
import type {
  ConfigMap,
  DownwardAPIVolumeFile,
  KeyToPath,
  Pod,
  ProjectedVolumeSource,
  Secret,
} from 'kubernetes-types/core/v1';
import type { ObjectLookups } from '../env.js';
import { extractFieldPath, type NodeAllocatable, resourceFieldRefValue } from '../env-fields.js';
import type { FileProjection } from './atomic-writer.js';
import type { ClaimLookups } from './persistent-volume.js';

/** SetDefaults_SecretVolumeSource / ConfigMap / DownwardAPI / Projected: 0644. */
export const DEFAULT_VOLUME_MODE = 0o644;

/** A volume cannot be set up; the message follows upstream (FailedMount event text). */
export class VolumeSetupError extends Error {
  override readonly name = 'VolumeSetupError';
}

export interface PayloadLookups extends ObjectLookups, ClaimLookups {
  /** TokenRequest for a projected serviceAccountToken source; absent: tokens are unavailable. */
  serviceAccountToken?(
    pod: Pod,
    audience: string | undefined,
    expirationSeconds: number,
  ): Promise<string> | string;
}

type Payload = Map<string, FileProjection>;

/** configMap items (or all keys from data and binaryData). */
export function configMapPayload(
  cm: ConfigMap,
  items: readonly KeyToPath[] | undefined,
  defaultMode: number,
  optional: boolean,
): Payload {
  const lookup = (key: string): Buffer | undefined => {
    const text = cm.data?.[key];
    if (text !== undefined) return Buffer.from(text, 'utf8');
    const binary = cm.binaryData?.[key];
    return binary === undefined ? undefined : Buffer.from(binary, 'base64');
  };
  const all = [...Object.keys(cm.data ?? {}), ...Object.keys(cm.binaryData ?? {})];
  return keyedPayload(
    all,
    items,
    lookup,
    defaultMode,
    optional,
    'configmap references non-existent config key',
  );
}

/** secret items (or all keys); data is base64 on the wire. */
export function secretPayload(
  secret: Secret,
  items: readonly KeyToPath[] | undefined,
  defaultMode: number,
  optional: boolean,
): Payload {
  const lookup = (key: string): Buffer | undefined => {
    const b64 = secret.data?.[key];
    if (b64 !== undefined) return Buffer.from(b64, 'base64');
    const text = secret.stringData?.[key];
    return text === undefined ? undefined : Buffer.from(text, 'utf8');
  };
  const all = [...new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})])];
  return keyedPayload(all, items, lookup, defaultMode, optional, 'references non-existent secret key');
}

function keyedPayload(
  allKeys: readonly string[],
  items: readonly KeyToPath[] | undefined,
  lookup: (key: string) => Buffer | undefined,
  defaultMode: number,
  optional: boolean,
  missingMessage: string,
): Payload {
  const payload: Payload = new Map();
  if (!items || items.length === 0) {
    for (const key of allKeys) payload.set(key, { data: lookup(key) ?? Buffer.alloc(0), mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    const data = lookup(item.key);
    if (data === undefined) {
      if (optional) continue;
      throw new VolumeSetupError(`${missingMessage}: ${item.key}`);
    }
    payload.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return payload;
}

/** downwardAPI items: metadata fieldRefs and resourceFieldRefs of a named container. */
export function downwardAPIPayload(
  pod: Pod,
  items: readonly DownwardAPIVolumeFile[],
  defaultMode: number,
  allocatable: NodeAllocatable,
): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const item of items) {
    let value = '';
    try {
      if (item.fieldRef) value = extractFieldPath(pod, item.fieldRef.fieldPath);
      else if (item.resourceFieldRef) {
        const name = item.resourceFieldRef.containerName;
        const container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
          (c) => c.name === name,
        );
        if (!container) throw new Error(`container ${name} not found`);
        value = resourceFieldRefValue(item.resourceFieldRef, container, allocatable);
      }
    } catch (err) {
      errors.push((err as Error).message);
    }
    payload.set(cleanPath(item.path), { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  if (errors.length === 1) throw new VolumeSetupError(errors[0] as string);
  if (errors.length > 1) throw new VolumeSetupError(`[${errors.join(', ')}]`);
  return payload;
}

/** projected: every source merged into one payload; errors are collected like upstream. */
export async function projectedPayload(
  pod: Pod,
  source: ProjectedVolumeSource,
  lookups: PayloadLookups,
  allocatable: NodeAllocatable,
): Promise<Payload> {
  const namespace = pod.metadata?.namespace ?? '';
  const defaultMode = source.defaultMode ?? DEFAULT_VOLUME_MODE;
  const payload: Payload = new Map();
  const errors: string[] = [];
  const merge = (p: Payload) => {
    for (const [k, v] of p) payload.set(k, v);
  };
  for (const s of source.sources ?? []) {
    try {
      if (s.secret) {
        const optional = s.secret.optional === true;
        const secret = lookups.secret(namespace, s.secret.name ?? '');
        if (!secret && !optional) throw new VolumeSetupError(`secret "${s.secret.name}" not found`);
        merge(secretPayload(secret ?? {}, s.secret.items, defaultMode, optional));
      } else if (s.configMap) {
        const optional = s.configMap.optional === true;
        const cm = lookups.configMap(namespace, s.configMap.name ?? '');
        if (!cm && !optional) throw new VolumeSetupError(`configmap "${s.configMap.name}" not found`);
        merge(configMapPayload(cm ?? {}, s.configMap.items, defaultMode, optional));
      } else if (s.downwardAPI) {
        merge(downwardAPIPayload(pod, s.downwardAPI.items ?? [], defaultMode, allocatable));
      } else if (s.serviceAccountToken) {
        const t = s.serviceAccountToken;
        if (!lookups.serviceAccountToken)
          throw new VolumeSetupError('service account tokens are not available on this node');
        const token = await lookups.serviceAccountToken(
          pod,
          t.audience || undefined,
          t.expirationSeconds ?? 3600,
        );
        payload.set(t.path, { data: Buffer.from(token, 'utf8'), mode: defaultMode });
      }
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length === 1) throw new VolumeSetupError(errors[0] as string);
  if (errors.length > 1) throw new VolumeSetupError(`[${errors.join(', ')}]`);
  return payload;
}

/** filepath.Clean for relative paths. */
function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    parts.push(part);
  }
  return parts.join('/') || '.';
}
