/**
 * Secret validation, as upstream's ValidateSecret / ValidateSecretUpdate: config keys, 1 MiB of
 * decoded data, the keys each built-in type requires, immutable type, and `immutable: true`.
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { Secret } from 'kubernetes-types/core/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, forbidden, invalidValue, required, tooLong } from '../../validation/field.js';
import { deepEqual, validateImmutableField } from '../../validation/objectmeta.js';
import { key } from '../../validation/path.js';
import { isConfigMapKey } from '../../validation/strings.js';
import { IMMUTABLE_WHEN_SET, MAX_CONFIG_SIZE_BYTES } from '../configmaps/validation.js';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decoded bytes of a data value, or an error naming the key (upstream fails to decode it). */
function decode(k: string, v: unknown, errs: FieldError[]): Buffer | undefined {
  if (typeof v !== 'string' || !STRICT_BASE64.test(v)) {
    errs.push(invalidValue(key('data', k), '<secret contents redacted>', 'must be base64-encoded'));
    return undefined;
  }
  return Buffer.from(v, 'base64');
}

function requireKeys(data: Map<string, Buffer>, keys: string[]): FieldError[] {
  return keys.filter((k) => !data.has(k)).map((k) => required(key('data', k), ''));
}

function validateDockerConfig(data: Map<string, Buffer>, k: string): FieldError[] {
  const raw = data.get(k);
  if (raw === undefined) return [required(key('data', k), '')];
  try {
    JSON.parse(raw.toString('utf8'));
    return [];
  } catch (err) {
    return [invalidValue(key('data', k), '<secret contents redacted>', (err as Error).message)];
  }
}

function validateType(secret: Secret, data: Map<string, Buffer>): FieldError[] {
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata?.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [required(key('metadata.annotations', 'kubernetes.io/service-account.name'), '')];
    case 'kubernetes.io/dockercfg':
      return validateDockerConfig(data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return validateDockerConfig(data, '.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of the two must be present.
      return data.has('username') || data.has('password') ? [] : requireKeys(data, ['username', 'password']);
    case 'kubernetes.io/ssh-auth':
      return (data.get('ssh-privatekey')?.length ?? 0) > 0
        ? []
        : [required(key('data', 'ssh-privatekey'), '')];
    case 'kubernetes.io/tls':
      return requireKeys(data, ['tls.crt', 'tls.key']);
    default:
      return [];
  }
}

export function validateSecret(secret: Secret): FieldError[] {
  const errs = validateKubeFinalizerNames(secret.metadata);
  const decoded = new Map<string, Buffer>();
  let total = 0;
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    for (const msg of isConfigMapKey(k)) errs.push(invalidValue(key('data', k), k, msg));
    const bytes = decode(k, v, errs);
    if (!bytes) continue;
    decoded.set(k, bytes);
    total += bytes.length;
  }
  if (total > MAX_CONFIG_SIZE_BYTES) errs.push(tooLong('data', '', MAX_CONFIG_SIZE_BYTES));
  errs.push(...validateType(secret, decoded));
  return errs;
}

export function validateSecretUpdate(secret: Secret, old: Secret): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateImmutableField(secret.type ?? '', old.type ?? '', 'type'));
  if (old.immutable) {
    if (!secret.immutable) errs.push(forbidden('immutable', IMMUTABLE_WHEN_SET));
    if (!deepEqual(secret.data ?? {}, old.data ?? {})) errs.push(forbidden('data', IMMUTABLE_WHEN_SET));
  }
  return errs;
}
